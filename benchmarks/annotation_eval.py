"""Clause typing and modality against the hand-labelled sets in data/eval/annotation.

Clauses are re-read from the corpus with Pacta's own reader (by treaty and
clause id), annotated, and compared with the labels: macro-F1 over the gold
primary types, accuracy of the primary type and of "primary type among the
gold types", modality accuracy, bearer agreement. The cue rules alone
(without the text model) and a majority-class baseline are scored in the
same run. Dev and held-out items are reported apart.

Then, over the whole English corpus: the weak check against ToTA's chapter
headings (for clauses whose chapter name names a subject, how often the
type Pacta reads from the heading and text alone, hiding the chapter name,
is that subject; reported apart for the agreements the text model never
saw in training) and the time annotation takes.

    python benchmarks/annotation_eval.py [--corpus ../shared/corpora/tota/xml] [--errors] [--no-corpus]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ingest.annotate import annotate_treaty
from ingest.annotate.clause_types import STRUCTURAL, by_cues, classify
from ingest.annotate.duty import analyse
from ingest.readers import read
from ingest.records import Clause

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "annotation"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "tota" / "xml"


@lru_cache(maxsize=512)
def clauses_of(corpus: Path, treaty_id: str) -> dict[str, Clause]:
    path = corpus / f"pta_{treaty_id.removeprefix('tota-')}.xml"
    return {c.clause_id: c for c in read(path, path.read_bytes(), "eval").clauses}


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in set(gold):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def load(name: str) -> list[dict]:
    path = EVAL / name
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--errors", action="store_true", help="print the development items typed wrongly")
    ap.add_argument("--no-corpus", action="store_true", help="skip the whole-corpus weak check and timing")
    opts = ap.parse_args()

    typed = [i for i in load("clause_types.jsonl") if i.get("types")]
    print(f"clause types: {len(typed)} labelled clauses from {len({i['treaty_id'] for i in typed})} agreements\n")
    print("| set | system | clauses | macro-F1 | primary accuracy | primary in gold types |\n|---|---|---|---|---|---|")
    for split in ("dev", "held-out"):
        items = [i for i in typed if i.get("split") == split]
        if not items:
            continue
        gold = [i["types"][0] for i in items]
        for system, typer in (("cue rules + text model", classify), ("cue rules only", by_cues)):
            pred, hit_any = [], 0
            for i in items:
                c = clauses_of(opts.corpus, i["treaty_id"]).get(i["clause_id"])
                d = typer(c.heading, c.chapter, c.full_text) if c else None
                p = d.types[0] if d else "(none)"
                pred.append(p)
                hit_any += p in i["types"]
                if opts.errors and split == "dev" and typer is classify and p != i["types"][0]:
                    got = f"{d.types} by {d.cue}" if d else "nothing"
                    print(f"  {i['clause_id']}: gold {i['types']} got {got}")
            acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
            print(f"| {split} | {system} | {len(items)} | {macro_f1(gold, pred):.3f} | {acc:.3f} | "
                  f"{hit_any / len(items):.3f} |")
        majority = Counter(gold).most_common(1)[0][0]
        base = [majority] * len(gold)
        print(f"| {split} | majority class ({majority}) | {len(items)} | {macro_f1(gold, base):.3f} | "
              f"{sum(g == majority for g in gold) / len(gold):.3f} | - |")

    modal = [i for i in load("modality.jsonl") if i.get("modality")]
    if modal:
        print(f"\nmodality: {len(modal)} labelled clauses\n")
        print("| set | system | clauses | modality accuracy | bearer agreement |\n|---|---|---|---|---|")
        for split in ("dev", "held-out"):
            items = [i for i in modal if i.get("split") == split]
            if not items:
                continue
            right = bearer_ok = 0
            for i in items:
                c = clauses_of(opts.corpus, i["treaty_id"]).get(i["clause_id"])
                duty = analyse(c.full_text if c else i["text"], c.heading if c else "")
                right += duty.modality == i["modality"]
                bearer_ok += (duty.bearer or "").lower() == (i.get("bearer") or "").lower()
                if opts.errors and split == "dev" and duty.modality != i["modality"]:
                    print(f"  {i['clause_id']}: gold {i['modality']} got {duty.modality} by '{duty.cue}'")
            majority = Counter(i["modality"] for i in items).most_common(1)[0]
            print(f"| {split} | rules | {len(items)} | {right / len(items):.3f} | {bearer_ok / len(items):.3f} |")
            print(f"| {split} | majority class ({majority[0]}) | {len(items)} | {majority[1] / len(items):.3f} | - |")

    if not opts.no_corpus:
        corpus_checks(opts.corpus, {i["treaty_id"] for f in EVAL.glob("*.jsonl") for i in load(f.name)})


def corpus_checks(corpus: Path, unseen: set[str]) -> None:
    """The weak check against chapter headings, and annotation time, over the English agreements."""
    agree: Counter[tuple[str, str]] = Counter()  # (system, agreements) -> clauses agreeing
    total: Counter[str] = Counter()
    seconds = 0.0
    clauses = agreements = terms = refs = 0
    for path in sorted(corpus.glob("*.xml")):
        parsed = read(path, path.read_bytes(), path.name)
        if parsed.treaty.language != "en":
            continue
        t0 = time.perf_counter()
        annotated = annotate_treaty(parsed)  # types, duties, defined terms, cross-references
        seconds += time.perf_counter() - t0
        terms += len(annotated.terms)
        refs += len(annotated.references)
        clauses += len(parsed.clauses)
        agreements += 1
        group = "unseen" if parsed.treaty.treaty_id in unseen else "trained on"
        for c in parsed.clauses:
            chapter = by_cues("", c.chapter, "") if c.is_leaf and c.chapter else None
            if chapter is None or chapter.types[0] in STRUCTURAL:
                continue
            for group_name in (group, "all"):
                total[group_name] += 1
                for system, typer in (("cue rules + text model", classify), ("cue rules only", by_cues)):
                    d = typer(c.heading, "", c.full_text)
                    agree[(system, group_name)] += d is not None and d.types[0] == chapter.types[0]
    print("\nweak check: type read without the chapter name = the subject the chapter name gives\n")
    print("| agreements | clauses | cue rules + text model | cue rules only |\n|---|---|---|---|")
    for group_name in ("unseen", "trained on", "all"):
        if total[group_name]:
            n = total[group_name]
            print(f"| {group_name} | {n} | {agree[('cue rules + text model', group_name)] / n:.3f} | "
                  f"{agree[('cue rules only', group_name)] / n:.3f} |")
    print(f"\nannotation (types, duties, defined terms, cross-references) of {clauses} clauses of {agreements} "
          f"agreements: {seconds:.1f} s ({clauses / seconds:,.0f} clauses/s); {terms} defined terms, {refs} references")


if __name__ == "__main__":
    main()
