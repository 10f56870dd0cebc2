"""Draft-check speed on a full store: a 12-article draft against a state with 30+ agreements in force, and the
same draft against an EU member's agreements; warm in-process (stage times) and from the shell (model load
included), beside a cold ``pacta search`` from the shell measured in the same run (the fixed cost of any
command that embeds).

    python3 benchmarks/check_bench.py --store DIR [--repeat 5] [--shell-runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.checking import CheckRequest, check  # noqa: E402
from app.context import Context, Settings  # noqa: E402

DRAFT = ROOT / "data" / "eval" / "conflicts" / "drafts" / "d04.txt"  # Switzerland - Japan, 12 articles
CASES = (("CHE", "JPN"), ("DEU", "JPN"))
AS_OF = date(2016, 1, 1)


def _shell(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shell-runs", type=int, default=3)
    opts = ap.parse_args()
    ctx = Context(Settings(store=opts.store))
    print("| parties | agreements searched | draft clauses | warm median (s) | retrieve | compare | safeguards and "
          "rest | shell median (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for parties in CASES:
        req = CheckRequest(DRAFT, parties, AS_OF)
        check(ctx, req)  # warm-up: model, index and store opened
        runs = []
        for _ in range(opts.repeat):
            began = time.perf_counter()
            doc = check(ctx, req)
            runs.append((time.perf_counter() - began, doc))
        runs.sort(key=lambda r: r[0])
        wall, doc = runs[len(runs) // 2]
        stages = doc["seconds"]
        rest = wall - stages["retrieve"] - stages["compare"]
        shell = _shell([sys.executable, "-m", "app.cli", "--store", str(opts.store), "check", str(DRAFT),
                        "--parties", ",".join(parties), "--as-of", AS_OF.isoformat(), "--json"], opts.shell_runs)
        print(f"| {', '.join(parties)} | {len(doc['searched'])} | {doc['draft']['clauses']} | {wall:.2f} | "
              f"{stages['retrieve']:.2f} | {stages['compare']:.2f} | {rest:.2f} | {shell:.2f} |")
    base = _shell([sys.executable, "-m", "app.cli", "--store", str(opts.store), "search",
                   "withdrawal by written notice", "--party", "CHE", "--json"], opts.shell_runs)
    print(f"\nbaseline, same run: cold `pacta search` from the shell, median {base:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
