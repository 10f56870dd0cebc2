"""Precedent-search quality on the hand-written queries of data/eval/search, every system in one run.

Systems, all over the same rows (the leaf clauses of a built store, each as
Pacta indexes it: heading, chapeau, own words):

* Pacta hybrid, Pacta BM25 only, Pacta vectors only (the store's own index);
* plain ``bm25s`` (its default tokenizer, English stop words, no stemming);
* ``txtai`` with the same MiniLM model (dense, its defaults), built once and
  cached in the store folder (``txtai-baseline/``).

Filters (a query's party or agreement) are applied natively by Pacta and by
post-filtering the top 2,000 for the baselines. A hit is correct when its
text is the target's (verbatim copies in other agreements count: they are
the same clause) or, for questions, when it lies in the target article;
several hits from one wrong article or with one wrong text count once.
Recall@k = share of queries with a correct hit in the first k; MRR and
nDCG@10 from the rank of the first correct hit.

    python benchmarks/search_eval.py --store DIR [--no-txtai] [--other-index ivf]
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.context import Context, Settings
from app.querying import SearchRequest, scope_names_of
from ingest.records import article_of
from search.fusion import DEFAULT_FUSION, Fusion
from search.index import ClauseIndex, Filter
from search.vectors import IndexKind, VectorIndex

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "search" / "queries.jsonl"
DEPTH = 100
POST_FILTER_DEPTH = 2000

Ranker = Callable[["Query"], list[int]]  # rows, best first, within the query's filter


@dataclass(frozen=True)
class Query:
    id: str
    kind: str
    text: str
    split: str
    relevant_keys: frozenset[str]
    flt: Filter | None
    mask: np.ndarray | None
    scope: tuple[str, ...] = ()


def load_queries(ctx: Context, index: ClauseIndex, path: Path) -> list[Query]:
    by_article: dict[str, list[int]] = {}
    for row, cid in enumerate(index.clause_ids):
        by_article.setdefault(article_of(cid), []).append(row)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        if q["kind"] == "rewrite":
            keys = frozenset({q["target_text_key"]})
        else:
            keys = frozenset(index.text_keys[r] for r in by_article.get(q["target_article_id"], ()))
        if not keys:
            raise SystemExit(f"{path}: {q['id']}: its target is not in the index of this store")
        allowed: set[str] | None = None
        if q.get("party"):
            allowed = ctx.graph.treaty_ids([q["party"]])
        if q.get("treaty"):
            allowed = {q["treaty"]} if allowed is None else allowed & {q["treaty"]}
        flt = Filter(frozenset(allowed)) if allowed is not None else None
        request = SearchRequest(q["query"], parties=(q["party"],) if q.get("party") else (),
                                treaty_ids=(q["treaty"],) if q.get("treaty") else ())
        out.append(Query(q["id"], q["kind"], q["query"], q["split"], keys, flt, index.mask(flt) if flt else None,
                         tuple(scope_names_of(ctx, request))))
    return out


def first_correct(rows: Sequence[int], q: Query, index: ClauseIndex, near: NearCopies | None = None) -> int | None:
    """1-based rank of the first correct hit, counting one wrong text or article once.

    With ``near``, a rewrite's hit also counts when its wording is a near-verbatim copy of the target's.
    """
    seen: set[str] = set()
    for row in rows:
        key = index.text_keys[row]
        if key in q.relevant_keys or (near is not None and q.kind == "rewrite" and near.same(row, q)):
            return len(seen) + 1
        seen.add(article_of(index.clause_ids[row]) if q.kind == "question" else key)
    return None


class NearCopies:
    """Near-verbatim copies: the same clause in another agreement with OCR noise or a changed number or name.

    Two texts are copies when, as lower-case words, difflib's ratio is at least ``RATIO``.
    """

    RATIO = 0.95

    def __init__(self, texts: list[str], index: ClauseIndex) -> None:
        self._words = [" ".join(re.findall(r"[a-z0-9]+", t.lower())) for t in texts]
        self._rows_of_key: dict[str, int] = {}
        for row, key in enumerate(index.text_keys):
            self._rows_of_key.setdefault(key, row)

    def same(self, row: int, q: Query) -> bool:
        a = self._words[row]
        for key in q.relevant_keys:
            b = self._words[self._rows_of_key[key]]
            m = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if m.real_quick_ratio() >= self.RATIO and m.quick_ratio() >= self.RATIO and m.ratio() >= self.RATIO:
                return True
        return False


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    found = [r for r in ranks if r is not None]
    return {
        "R@1": sum(r <= 1 for r in found) / n, "R@5": sum(r <= 5 for r in found) / n,
        "R@10": sum(r <= 10 for r in found) / n, "MRR": sum(1 / r for r in found) / n,
        "nDCG@10": sum(1 / math.log2(r + 1) for r in found if r <= 10) / n,
    }


def post_filtered(rows: Sequence[int], mask: np.ndarray | None) -> list[int]:
    return [r for r in rows if mask is None or mask[r]][:DEPTH]


def pacta_ranker(ctx: Context, mode: str, fusion: Fusion = DEFAULT_FUSION) -> Ranker:
    def rank(q: Query) -> list[int]:
        return [h.row for h in ctx.engine.search(q.text, DEPTH, q.flt, mode, collapse=False, fusion=fusion,
                                                 scope=q.scope)]

    return rank


def with_vectors(rank: Ranker, index: ClauseIndex, vectors: VectorIndex) -> Ranker:
    """``rank`` with the store's vector index replaced by ``vectors`` (the same rows) while it ranks."""
    def swapped(q: Query) -> list[int]:
        own = index.vectors
        index.vectors = vectors
        try:
            return rank(q)
        finally:
            index.vectors = own

    return swapped


def tune(ctx: Context, queries: list[Query], index: ClauseIndex) -> Fusion:
    """The fusion weights with the best mean of MRR and nDCG@10 on the development queries only."""
    dev = [q for q in queries if q.split == "dev"]
    best: tuple[float, Fusion] = (-1.0, DEFAULT_FUSION)
    print("| RRF k | dense weight | dev MRR | dev nDCG@10 |\n|---|---|---|---|")
    for k in (5, 10, 20, 40, 60, 100):
        for dense in (0.25, 0.5, 0.75, 1.0, 1.5):
            fusion = Fusion(k, dense, 1.0)
            rank = pacta_ranker(ctx, "hybrid", fusion)
            m = metrics([first_correct(rank(q), q, index) for q in dev])
            print(f"| {k} | {dense} | {m['MRR']:.3f} | {m['nDCG@10']:.3f} |")
            best = max(best, (m["MRR"] + m["nDCG@10"], fusion), key=lambda x: x[0])
    print(f"\nbest on dev: {best[1]}\n")
    return best[1]


def plain_bm25s(texts: list[str]) -> Ranker:
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)

    def rank(q: Query) -> list[int]:
        words = [w for w in bm25s.tokenize([q.text], stopwords="en", return_ids=False, show_progress=False)[0]
                 if w in bm25.vocab_dict]
        if not words:
            return []
        scores = bm25.get_scores(words)
        top = np.argsort(-scores, kind="stable")[:POST_FILTER_DEPTH]
        return post_filtered([int(r) for r in top if scores[r] > 0], q.mask)

    return rank


def txtai_ranker(texts: list[str], folder: Path, model_path: str) -> Ranker:
    """txtai over ``texts`` (ids are row numbers), cached in ``folder`` with a fingerprint of the rows, so
    that a cache built over other rows (or the same rows in another order) is rebuilt, never misread."""
    import hashlib
    import shutil

    from txtai import Embeddings

    fingerprint = hashlib.sha1("\0".join(texts).encode()).hexdigest()
    stamp = folder / "pacta-rows.sha1"
    if stamp.exists() and stamp.read_text().strip() != fingerprint:
        shutil.rmtree(folder)
    embeddings = Embeddings(path=model_path, content=False)
    if stamp.exists() and ((folder / "config.json").exists() or (folder / "config").exists()):
        embeddings.load(str(folder))
    else:
        start = time.perf_counter()
        embeddings.index((i, t, None) for i, t in enumerate(texts))
        embeddings.save(str(folder))
        stamp.write_text(fingerprint)
        print(f"txtai: indexed {len(texts)} texts in {time.perf_counter() - start:.0f} s (cached in {folder})")

    def rank(q: Query) -> list[int]:
        hits = embeddings.search(q.text, POST_FILTER_DEPTH)
        return post_filtered([int(i) for i, _ in hits], q.mask)

    return rank


def evaluate(ranker: Ranker, queries: list[Query]) -> tuple[list[list[int]], float]:
    """Each query's ranked rows, and the mean time per query."""
    ranked, start = [], time.perf_counter()
    for q in queries:
        ranked.append(ranker(q))
    return ranked, (time.perf_counter() - start) / max(1, len(queries))


def table(results: dict[str, list[int | None]], queries: list[Query], splits: list[str],
          kinds: tuple[str, ...] = ("rewrite", "question", "all")) -> None:
    print("| split | queries | system | R@1 | R@5 | R@10 | MRR | nDCG@10 |\n|---|---|---|---|---|---|---|---|")
    for split in splits:
        for kind in kinds:
            chosen = [i for i, q in enumerate(queries) if (split == "all" or q.split == split)
                      and (kind == "all" or q.kind == kind)]
            if not chosen:
                continue
            for system, ranks in results.items():
                m = metrics([ranks[i] for i in chosen])
                print(f"| {split} {kind} | {len(chosen)} | {system} | " + " | ".join(f"{v:.3f}" for v in m.values())
                      + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True, help="a store holding the English ToTA corpus")
    ap.add_argument("--queries", type=Path, default=EVAL)
    ap.add_argument("--no-txtai", action="store_true", help="skip the txtai baseline")
    ap.add_argument("--tune", action="store_true", help="grid-search the fusion weights on the dev queries first")
    ap.add_argument("--other-index", choices=[k for k in IndexKind.values() if k != "auto"], default=None,
                    help="also rank through a vector index of this kind built over the same vectors (the store's "
                    "own kind is the baseline)")
    opts = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    with Context(Settings(store=opts.store)) as ctx:
        index = ctx.engine.index
        queries = load_queries(ctx, index, opts.queries)
        clauses = ctx.graph.get_clauses(index.clause_ids)
        texts = [clauses[cid].index_text for cid in index.clause_ids]
        systems: dict[str, Ranker] = {"Pacta hybrid": pacta_ranker(ctx, "hybrid")}
        if opts.tune:
            systems["Pacta hybrid, tuned on dev"] = pacta_ranker(ctx, "hybrid", tune(ctx, queries, index))
        systems |= {
            "Pacta BM25 only": pacta_ranker(ctx, "lexical"),
            "Pacta vectors only": pacta_ranker(ctx, "dense"),
            "plain bm25s": plain_bm25s(texts),
        }
        if opts.other_index:
            other = VectorIndex.build(index.vectors.vectors(np.arange(len(index))), opts.other_index)
            label = f"{other.kind}" + (f", nprobe {other.nprobe}" if other.nprobe else "")
            systems |= {f"Pacta hybrid ({label})": with_vectors(pacta_ranker(ctx, "hybrid"), index, other),
                        f"Pacta vectors only ({label})": with_vectors(pacta_ranker(ctx, "dense"), index, other)}
        if not opts.no_txtai:
            from search.embed import resolve_model

            systems["txtai (same MiniLM)"] = txtai_ranker(texts, opts.store / "txtai-baseline", resolve_model(None)[0])
        results: dict[str, list[int | None]] = {}
        lenient: dict[str, list[int | None]] = {}
        latency: dict[str, float] = {}
        near = NearCopies([clauses[cid].full_text for cid in index.clause_ids], index)
        for name, ranker in systems.items():
            ranked, latency[name] = evaluate(ranker, queries)
            results[name] = [first_correct(rows, q, index) for rows, q in zip(ranked, queries, strict=True)]
            lenient[name] = [first_correct(rows, q, index, near) for rows, q in zip(ranked, queries, strict=True)]
        counts = {s: sum(q.split == s for q in queries) for s in ("dev", "held-out")}
        print(f"{len(queries)} queries ({counts['dev']} dev, {counts['held-out']} held-out) over "
              f"{len(index.clause_ids):,} indexed clauses\n")
        table(results, queries, ["dev", "held-out", "all"])
        print(f"\nrewrites again, counting near-verbatim copies of the target (difflib ratio >= {NearCopies.RATIO}) "
              "as correct:\n")
        table(lenient, queries, ["dev", "held-out", "all"], kinds=("rewrite",))
        print("\nmean time per query (in-process, warm): " + ", ".join(
            f"{name} {1000 * t:.1f} ms" for name, t in latency.items()))
        hybrid = metrics(results["Pacta hybrid"])["nDCG@10"]
        print("\nPacta hybrid nDCG@10 relative to each system (all queries): " + ", ".join(
            f"{name} {100 * (hybrid / m - 1):+.1f}%" for name in results if name != "Pacta hybrid"
            for m in [metrics(results[name])["nDCG@10"]] if m > 0))


if __name__ == "__main__":
    main()
