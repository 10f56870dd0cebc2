"""Search quality with bf16 against fp32 embeddings, on the hand-written queries of data/eval/search.

A full fp32 index of the English corpus takes most of an hour on two cores,
so both stores hold a subset: every agreement a query targets, plus random
English agreements (fixed seed) up to ``--agreements``. The subset is
ingested twice, with ``--precision fp32`` and with ``--precision bf16``
(what "auto" chooses on a CPU with bf16); queries are embedded in fp32 in
both, as searches always are. Printed: each store's embedding time and, per
split, Recall@1, MRR and nDCG@10 of Pacta hybrid and vectors-only search,
scored exactly as benchmarks/search_eval.py scores them.

    python -m benchmarks.precision_eval [--agreements 120] [--keep DIR]   (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from app.context import Context, Settings
from benchmarks.search_eval import EVAL, evaluate, first_correct, load_queries, metrics, pacta_ranker

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/tota/xml"


def subset(folder: Path, total: int) -> int:
    """Symlink the targeted agreements and random other English ones into ``folder``; how many were targeted."""
    targets = {json.loads(line)["treaty_id"] for line in EVAL.read_text().splitlines() if line.strip()}
    chosen: list[Path] = []
    rest: list[Path] = []
    for path in sorted(CORPUS.glob("*.xml")):
        if ET.parse(path).getroot().findtext("meta/language") != "en":
            continue
        (chosen if f"tota-{path.stem.split('_')[-1]}" in targets else rest).append(path)
    random.Random(0).shuffle(rest)
    for path in chosen + rest[: max(0, total - len(chosen))]:
        (folder / path.name).symlink_to(path.resolve())
    return len(chosen)


def ingest(folder: Path, store: Path, precision: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "app.cli", "--store", str(store), "ingest", "-q", str(folder),
                           "--precision", precision, "--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"pacta ingest failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)["totals"]


def scores(store: Path) -> dict[tuple[str, str], dict[str, float]]:
    """(split, system) -> metrics, for Pacta hybrid and vectors only."""
    out = {}
    with Context(Settings(store=store)) as ctx:
        index = ctx.engine.index
        queries = load_queries(ctx, index, EVAL)
        for system, mode in (("hybrid", "hybrid"), ("vectors only", "dense")):
            ranked, _ = evaluate(pacta_ranker(ctx, mode), queries)
            ranks = [first_correct(rows, q, index) for rows, q in zip(ranked, queries, strict=True)]
            for split in ("dev", "held-out", "all"):
                chosen = [r for r, q in zip(ranks, queries, strict=True) if split in ("all", q.split)]
                out[(split, system)] = metrics(chosen)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agreements", type=int, default=120)
    ap.add_argument("--keep", type=Path, default=None, help="keep the two stores under this folder")
    opts = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pacta-precision-"))
    base = opts.keep or work
    corpus = work / "corpus"
    corpus.mkdir()
    targeted = subset(corpus, opts.agreements)
    results, totals = {}, {}
    for precision in ("fp32", "bf16"):
        store = base / f"store-{precision}"
        shutil.rmtree(store, ignore_errors=True)
        totals[precision] = ingest(corpus, store, precision)
        results[precision] = scores(store)
    t32, t16 = totals["fp32"], totals["bf16"]
    print(f"{t32['files']} English agreements ({targeted} targeted by a query), {t32['index_rows']:,} indexed rows, "
          f"{t32['embedded']:,} texts embedded")
    print(f"embedding: fp32 {t32['seconds_embed']:.1f} s, bf16 {t16['seconds_embed']:.1f} s "
          f"({t32['seconds_embed'] / t16['seconds_embed']:.2f}x)\n")
    print("| split | system | R@1 fp32 / bf16 | MRR fp32 / bf16 | nDCG@10 fp32 / bf16 | nDCG change |")
    print("|---|---|---|---|---|---|")
    for key, m32 in results["fp32"].items():
        m16 = results["bf16"][key]
        change = 100 * (m16["nDCG@10"] / m32["nDCG@10"] - 1) if m32["nDCG@10"] else float("nan")
        print(f"| {key[0]} | {key[1]} | {m32['R@1']:.3f} / {m16['R@1']:.3f} | {m32['MRR']:.3f} / {m16['MRR']:.3f} | "
              f"{m32['nDCG@10']:.3f} / {m16['nDCG@10']:.3f} | {change:+.2f}% |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
