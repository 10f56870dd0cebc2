"""Time ``pacta state`` on a built store: warm (in-process, after a first run) and from the shell.

    python3 benchmarks/state_bench.py --store /tmp/full [--as-of 2016-01-01] [STATE ...]

Prints one Markdown row per state: agreements, in force, reported items, first run, warm median of 3, and a
shell run of ``pacta state ISO3 --json``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from app.consistency import state
from app.context import Context, Settings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2016, 1, 1))
    ap.add_argument("states", nargs="*", default=["CHL", "FRA", "TUR", "SGP"])
    args = ap.parse_args()
    print("| state | agreements | in force | divergence groups | legal conflicts | inconsistencies "
          "| provisions worded differently | first (s) | warm median (s) | shell (s) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with Context(Settings(store=args.store)) as ctx:
        for code in args.states:
            t0 = time.perf_counter()
            doc = state(ctx, code, args.as_of, ())
            first = time.perf_counter() - t0
            warm = []
            for _ in range(3):
                t0 = time.perf_counter()
                state(ctx, code, args.as_of, ())
                warm.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "app.cli", "--store", str(args.store), "state", code, "--as-of",
                            args.as_of.isoformat(), "--json"], check=True, capture_output=True)
            shell = time.perf_counter() - t0
            s = doc["summary"]
            print(f"| {code} | {s.get('agreements')} | {s.get('in_force')} | {s.get('divergence_groups')} "
                  f"| {s.get('legal_conflicts')} | {s.get('inconsistencies')} "
                  f"| {s.get('provisions_worded_differently')} | {first:.2f} "
                  f"| {statistics.median(warm):.2f} | {shell:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
