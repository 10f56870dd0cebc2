"""Clause typing and modality against the hand-labelled sets in data/eval/annotation.

Clauses are re-read from the corpus with Pacta's own reader (by treaty and
clause id), annotated, and compared with the labels: macro-F1 over the gold
primary types, accuracy of the primary type and of "primary type among the
gold types", modality accuracy, bearer agreement. A majority-class baseline
is scored in the same run. Dev and held-out items are reported apart.

    python benchmarks/annotation_eval.py [--corpus ../shared/corpora/tota/xml] [--errors]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ingest.annotate.duty import analyse
from ingest.annotate.typing import classify
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
    opts = ap.parse_args()

    typed = [i for i in load("clause_types.jsonl") if i.get("types")]
    print(f"clause types: {len(typed)} labelled clauses from {len({i['treaty_id'] for i in typed})} agreements\n")
    print("| set | system | clauses | macro-F1 | primary accuracy | primary in gold types |\n|---|---|---|---|---|---|")
    for split in ("dev", "held-out"):
        items = [i for i in typed if i.get("split") == split]
        if not items:
            continue
        gold = [i["types"][0] for i in items]
        pred, hit_any = [], 0
        for i in items:
            c = clauses_of(opts.corpus, i["treaty_id"]).get(i["clause_id"])
            d = classify(c.heading, c.chapter, c.full_text) if c else None
            p = d.types[0] if d else "(none)"
            pred.append(p)
            hit_any += p in i["types"]
            if opts.errors and split == "dev" and p != i["types"][0]:
                print(f"  {i['clause_id']}: gold {i['types']} got {d.types if d else None} by {d.cue if d else '-'}")
        majority = Counter(gold).most_common(1)[0][0]
        base = [majority] * len(gold)
        acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
        print(f"| {split} | cue typing | {len(items)} | {macro_f1(gold, pred):.3f} | {acc:.3f} | "
              f"{hit_any / len(items):.3f} |")
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


if __name__ == "__main__":
    main()
