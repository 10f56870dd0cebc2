"""The tune use case: fine-tune the embedding model on the stored corpus, then re-index with it."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from typing import Any

from app.context import Context, set_store_model
from app.ingesting import IngestReport, ensure_index
from graph.links import similar_links
from ingest.errors import StoreError
from ingest.records import article_of
from search.index import ClauseIndex
from search.tune import (
    Pair,
    Passage,
    TuneReport,
    fine_tune,
    hard_negative,
    heading_key,
    heading_pairs,
    variant_pairs,
)

NEGATIVE_DEPTH = 20  # BM25 matches of a positive searched for its hard negative

TUNED = "models/tuned"  # relative to the store folder


@dataclass
class TuneResult:
    """What ``tune`` or ``revert`` did: the model the store now uses, the training run (none for a revert) and
    the re-indexing (none when the tuned model was only saved)."""

    model: str  # "tuned", "packaged", or "unchanged" (--no-activate): what the store uses afterwards
    activated: bool
    report: TuneReport | None = None
    reindex: IngestReport | None = None

    def as_json(self) -> dict[str, Any]:
        return {"model": self.model, "activated": self.activated,
                "training": self.report.as_json() if self.report else None,
                "reindex": self.reindex.totals() if self.reindex else None}


def tune(ctx: Context, minutes: float = 25.0, batch_size: int = 32, activate: bool = True,
         progress: bool = True, seed: int = 0, hard_negatives: bool = True) -> TuneResult:
    """Mine training pairs from the store, fine-tune the store's model for at most ``minutes``, save it
    to ``STORE/models/tuned``; with ``activate``, make it the store's model and re-index with it. With
    ``hard_negatives``, each pair is trained against a mined hard negative too (``search.tune.hard_negative``).

    Raises StoreError when the store has no search index yet.
    """
    if ctx.engine.current_generation() is None:
        raise StoreError(f"{ctx.folder}: nothing to learn from yet; run 'pacta ingest' first")
    clauses = list(ctx.graph.iter_leaf_clauses())
    by_id = {c.clause_id: c for c in clauses}
    links = similar_links(ctx.engine.index)
    random.Random(seed).shuffle(links)
    linked = ((by_id[link.source], by_id[link.target]) for link in links
              if link.source in by_id and link.target in by_id)
    pairs = heading_pairs(clauses, seed=seed) + variant_pairs(linked)
    negatives, filler = _negative_miner(ctx.engine.index, by_id, seed) if hard_negatives else (None, None)
    del clauses, by_id, links

    from tqdm import tqdm

    bar = tqdm(desc="tuning", unit="step", file=sys.stderr, disable=not progress, dynamic_ncols=True, leave=False)

    def step(done: int, planned: int, loss: float) -> None:
        bar.total = planned
        bar.update(done - bar.n)
        bar.set_postfix(loss=f"{loss:.3f}", refresh=False)

    report = fine_tune(pairs, ctx.folder / TUNED, ctx.model, minutes, batch_size, seed=seed, progress=step,
                       device=ctx.settings.device, negatives=negatives, filler=filler)
    bar.close()
    result = TuneResult("tuned" if activate else "unchanged", activate, report)
    if activate:
        set_store_model(ctx.folder, TUNED)
        ctx.use_model(str(ctx.folder / TUNED))
        result.reindex = IngestReport()
        ensure_index(ctx, result.reindex, progress)
    return result


def _negative_miner(index: ClauseIndex, by_id: dict, seed: int) -> tuple[Any, Any]:
    """``(negatives, filler)`` for ``fine_tune``: a pair's hard negative among the BM25 matches of its positive,
    and a random indexed clause."""
    passages = [Passage(c.passage_text, article_of(c.clause_id), heading_key(c.heading)) if c else None
                for c in (by_id.get(cid) for cid in index.clause_ids)]
    pool = [p.text for p in passages if p is not None]
    rng = random.Random(seed)

    def negatives(pair: Pair) -> str | None:
        rows, _ = index.lexical.top(pair.positive, NEGATIVE_DEPTH)
        return hard_negative(pair, [p for p in (passages[int(r)] for r in rows) if p is not None])

    return negatives, lambda: rng.choice(pool)


def revert(ctx: Context, progress: bool = True) -> TuneResult:
    """Make the packaged model the store's model again and re-index with it (the tuned model stays on disk)."""
    set_store_model(ctx.folder, None)
    ctx.use_model(ctx.settings.model)
    result = TuneResult("packaged", True, reindex=IngestReport())
    assert result.reindex is not None
    ensure_index(ctx, result.reindex, progress)
    return result
