"""SIMILAR_TO links found through the approximate all-rows index against exact search, on a built store.

Both runs use ``graph.links.similar_links`` on the store's index: once
exactly (every row against every row) and once through the temporary IVF
index that ingest uses above ``ALL_PAIRS_EXACT_MAX`` rows. Prints the time
of each and the share of exact pairs the approximate run found.

    python benchmarks/links_bench.py --store DIR
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from app.context import Context, Settings
from graph.links import similar_links
from search.vectors import ALL_PAIRS_NPROBE, ALL_PAIRS_TRAIN_PER_LIST, ivf_nlist


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    opts = ap.parse_args()
    with Context(Settings(store=opts.store)) as ctx:
        index = ctx.engine.index
        if index.vectors.kind != "flat":
            raise SystemExit(f"{opts.store}: its index is {index.vectors.kind}; this compares against a flat one")
        timings, found = {}, {}
        for name, exact_max in (("exact", len(index)), ("approximate", 0)):
            start = time.perf_counter()
            found[name] = {(link.source, link.target) for link in similar_links(index, exact_max=exact_max)}
            timings[name] = time.perf_counter() - start
    exact, approx = found["exact"], found["approximate"]
    print(f"{len(index):,} rows; approximate: IVF{ivf_nlist(len(index))}, nprobe {ALL_PAIRS_NPROBE}, "
          f"{ALL_PAIRS_TRAIN_PER_LIST} training points per list\n")
    print("| run | time (s) | pairs | exact pairs found |\n|---|---|---|---|")
    print(f"| exact | {timings['exact']:.1f} | {len(exact):,} | 1 |")
    print(f"| approximate | {timings['approximate']:.1f} | {len(approx):,} | {len(exact & approx) / len(exact):.4f} |")


if __name__ == "__main__":
    main()
