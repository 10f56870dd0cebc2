"""Domain adaptation: fine-tune the embedding model on pairs mined from the stored corpus itself.

Two kinds of pairs teach the model what a treaty negotiator means:

* ``heading`` — an article's heading (with its chapter) and one of its
  clauses: a lawyer's short question ("Expropriation", "Withdrawal") and the
  wording that answers it;
* ``variant`` — two clauses of different agreements that say the same thing
  in different words (nearest neighbours above the SIMILAR_TO threshold whose
  normalised texts differ): a template clause as each negotiator reworded it.

Training uses sentence-transformers' MultipleNegativesRankingLoss: every
other positive in the batch is a negative, so no batch holds the same text
twice. In-batch negatives are easy (another subject altogether) and stop
teaching after a few hundred steps, so each pair can also carry a hard
negative (``hard_negative``): the clause of another article that shares the
most wording with the positive (its best BM25 match) but is no copy of it,
preferring one that sets other numbers or another duty (the near-identical
clause with another period is the commonest wrong first hit). It runs on the
CPU within a time budget, in bfloat16 autocast where the CPU multiplies
bfloat16 natively, and saves a sentence-transformers model folder that
``--model`` (or the store's ``model.json``) can load.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.errors import ModelError
from ingest.records import Clause, article_of
from search.embed import Embedder, cpu_has_bf16

MIN_WORDS = 6  # a clause shorter than this teaches nothing ("Reserved.")


@dataclass(frozen=True)
class Pair:
    """Two texts that should embed close together, and where the pair came from: ``article`` is the positive's
    article (its clause id's first two parts), ``heading`` its normalised heading (both keep a hard negative from
    being another answer to the same anchor)."""

    anchor: str
    positive: str
    kind: str  # "heading" | "variant"
    article: str = ""
    heading: str = ""


@dataclass(frozen=True)
class Passage:
    """A stored clause as a candidate hard negative: its passage text, article and normalised heading."""

    text: str
    article: str
    heading: str


NEAR_COPY = 0.6  # word-set Jaccard from which a candidate may be the positive reworded: never a negative
_NUMBER = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|"
                     r"forty-five|sixty|ninety|hundred)\b", re.I)
_DUTY = re.compile(r"\b(?:shall not|shall|may|must|should|endeavou?r)\b", re.I)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def hard_negative(pair: Pair, candidates: Sequence[Passage]) -> str | None:
    """A hard negative for ``pair`` among ``candidates`` (best BM25 match of its positive first): the first of
    another article and another heading, not the anchor or the positive, sharing less than ``NEAR_COPY`` of its
    words with the positive; the first such that also sets other numbers or another duty when there is one.

    >>> hard_negative(Pair("Consultations", "consult within 30 days", "heading", "t/1", "consultations"),
    ...               [Passage("consult within 60 days on request", "t/9", "review")])
    'consult within 60 days on request'
    """
    want = _words(pair.positive)
    numbers, duty = set(_NUMBER.findall(pair.positive.lower())), set(_DUTY.findall(pair.positive.lower()))
    first = None
    for c in candidates:
        if c.article == pair.article or (pair.heading and c.heading == pair.heading) or c.text in (
                pair.anchor, pair.positive):
            continue
        have = _words(c.text)
        if len(want & have) / max(1, len(want | have)) >= NEAR_COPY:
            continue
        if set(_NUMBER.findall(c.text.lower())) != numbers or set(_DUTY.findall(c.text.lower())) != duty:
            return c.text
        first = first or c.text
    return first


def heading_pairs(clauses: Iterable[Clause], per_heading: int = 3, seed: int = 0) -> list[Pair]:
    """(heading and chapter, clause) pairs, at most ``per_heading`` clauses for each distinct heading.

    Headings such as "Definitions" head hundreds of articles; capping them
    keeps the common ones from swamping the rest.
    """
    by_heading: dict[str, list[tuple[str, str]]] = defaultdict(list)
    label: dict[str, str] = {}
    for c in clauses:
        if not c.heading or c.heading == "Preamble" or len(c.text.split()) < MIN_WORDS:
            continue
        key = heading_key(c.heading)
        anchor = f"{c.heading} ({c.chapter})" if c.chapter and c.chapter.lower() != key else c.heading
        label.setdefault(key, anchor)
        by_heading[key].append((c.passage_text, article_of(c.clause_id)))
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for key in sorted(by_heading):
        texts = sorted(dict(by_heading[key]).items())
        rng.shuffle(texts)
        pairs += [Pair(label[key], text, "heading", article, key) for text, article in texts[:per_heading]]
    return pairs


def heading_key(heading: str) -> str:
    return " ".join(heading.lower().split())


def variant_pairs(linked: Iterable[tuple[Clause, Clause]], per_text: int = 2) -> list[Pair]:
    """Pairs of differently worded clauses of different agreements; each wording in at most ``per_text`` pairs."""
    used: dict[str, int] = defaultdict(int)
    seen: set[tuple[str, str]] = set()
    pairs: list[Pair] = []
    for a, b in linked:
        if a.text_key == b.text_key or min(len(a.text.split()), len(b.text.split())) < MIN_WORDS:
            continue
        pair_key = (min(a.text_key, b.text_key), max(a.text_key, b.text_key))
        if pair_key in seen or used[a.text_key] >= per_text or used[b.text_key] >= per_text:
            continue
        seen.add(pair_key)
        used[a.text_key] += 1
        used[b.text_key] += 1
        pairs.append(Pair(a.passage_text, b.passage_text, "variant", article_of(b.clause_id), heading_key(b.heading)))
    return pairs


def batches(pairs: Sequence[Pair], size: int, seed: int = 0) -> list[list[Pair]]:
    """Shuffled batches of ``size`` in which no text appears twice (it would be its own false negative)."""
    order = list(pairs)
    random.Random(seed).shuffle(order)
    out: list[list[Pair]] = []
    open_batches: list[tuple[list[Pair], set[str]]] = []
    for pair in order:
        for batch, texts in open_batches:
            if pair.anchor not in texts and pair.positive not in texts:
                batch.append(pair)
                texts.update((pair.anchor, pair.positive))
                if len(batch) == size:
                    out.append(batch)
                    open_batches.remove((batch, texts))
                break
        else:
            open_batches.append(([pair], {pair.anchor, pair.positive}))
    return out  # the few pairs left in incomplete batches are dropped


@dataclass
class TuneReport:
    """What a fine-tuning run did."""

    base_model: str
    output: str
    pairs: dict[str, int] = field(default_factory=dict)
    batch_size: int = 0
    steps: int = 0
    planned_steps: int = 0
    seconds: float = 0.0
    bf16: bool = False
    first_loss: float | None = None
    last_loss: float | None = None
    hard_negatives: int = 0  # pairs trained with a mined hard negative (the rest with a random clause, if mining)

    def as_json(self) -> dict:
        return asdict(self)


def fine_tune(pairs: Sequence[Pair], output: Path, base_model: str | None = None, minutes: float = 25.0,
              batch_size: int = 32, learning_rate: float = 2e-5, max_seq_length: int = 128, seed: int = 0,
              progress: Callable[[int, int, float], None] | None = None, device: str = "cpu",
              negatives: Callable[[Pair], str | None] | None = None,
              filler: Callable[[], str] | None = None) -> TuneReport:
    """Fine-tune ``base_model`` on ``pairs`` for at most ``minutes`` and save it to ``output``.

    With ``negatives`` (and ``filler``), each pair of a batch is trained with a third text: its hard negative
    ``negatives(pair)``, mined as its batch comes (only the pairs the budget reaches cost a lookup), or a random
    clause ``filler()`` when none was found or it is already a text of the batch.

    One pass over the shuffled batches, or fewer if the time budget ends it
    first: the learning rate warms up over the first 5% of steps and decays
    linearly to zero at the last step the budget allows (estimated from the
    first steps); it stops at the budget in any case. ``progress(step,
    planned_steps, loss)`` is called after each step. The model is written
    to a temporary folder, then renamed into place.

    Raises ModelError when there are too few pairs for one batch.

    >>> fine_tune(pairs, Path(".pacta/models/tuned"), minutes=20)  # doctest: +SKIP
    """
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    plan = batches(pairs, batch_size, seed)
    if not plan:
        raise ModelError(f"only {len(pairs)} training pairs: too few for one batch of {batch_size}")
    embedder = Embedder(base_model, precision="fp32", device=device)
    model = embedder.trainable_model()
    model.max_seq_length = max_seq_length
    torch.manual_seed(seed)
    on = model.device.type  # "cpu", "cuda" or "mps": where the steps run, in bf16 where that device has it
    bf16 = cpu_has_bf16() if on == "cpu" else on == "cuda" and torch.cuda.is_bf16_supported()
    loss_fn = MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    total = [len(plan)]

    def rate(step: int) -> float:
        warm = max(1, total[0] // 20)
        return min(1.0, (step + 1) / warm) * max(0.0, 1.0 - step / total[0])

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    report = TuneReport(base_model=embedder.key, output=str(output), batch_size=batch_size, bf16=bf16,
                        pairs={k: sum(1 for p in pairs if p.kind == k) for k in sorted({p.kind for p in pairs})})
    budget = minutes * 60.0
    began = time.perf_counter()
    model.train()
    for step, batch in enumerate(plan):
        if step >= total[0] or time.perf_counter() - began > budget:  # a busier machine slows steps down
            break
        encode = getattr(model, "preprocess", None) or model.tokenize
        features = [encode([p.anchor for p in batch]), encode([p.positive for p in batch])]
        if negatives is not None and filler is not None:
            third = _batch_negatives(batch, negatives, filler)
            report.hard_negatives += sum(hard for _, hard in third)
            features.append(encode([text for text, _ in third]))
        with torch.autocast(on, dtype=torch.bfloat16, enabled=bf16):
            loss = loss_fn(features, torch.empty(0))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        scheduler.step()
        optimiser.zero_grad(set_to_none=True)
        value = float(loss.detach())
        report.first_loss = value if report.first_loss is None else report.first_loss
        report.last_loss = value
        report.steps = step + 1
        if step == 9:  # enough to know the pace: fit the schedule to the budget
            per_step = (time.perf_counter() - began) / 10
            total[0] = max(10, min(len(plan), int(budget / per_step)))
        if progress:
            progress(step + 1, total[0], value)
    report.planned_steps = total[0]
    model.eval()
    report.seconds = round(time.perf_counter() - began, 1)
    _save(model, output, report)
    return report


def _batch_negatives(batch: Sequence[Pair], negatives: Callable[[Pair], str | None],
                     filler: Callable[[], str]) -> list[tuple[str, bool]]:
    """One negative per pair of ``batch`` and whether it is a mined one: ``negatives(pair)``, or ``filler()`` (a
    random clause) when none was mined or the mined one is already a text of the batch (a text twice in a batch
    would be its own false negative)."""
    taken = {p.anchor for p in batch} | {p.positive for p in batch}
    out: list[tuple[str, bool]] = []
    for pair in batch:
        text = negatives(pair)
        hard = text is not None and text not in taken
        for _ in range(5):
            if text is not None and text not in taken:
                break
            text = filler()
        assert text is not None
        taken.add(text)
        out.append((text, hard))
    return out


def _save(model: object, output: Path, report: TuneReport) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.parent / f".tmp-{output.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save(str(tmp))  # type: ignore[attr-defined]
    (tmp / "pacta-tune.json").write_text(json.dumps(report.as_json(), indent=2))
    old = output.parent / f".old-{output.name}-{os.getpid()}"
    if output.exists():
        os.replace(output, old)
    os.replace(tmp, output)
    shutil.rmtree(old, ignore_errors=True)
