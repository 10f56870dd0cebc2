"""Ingest benchmark: the English ToTA agreements end to end on the embedded default.

Runs ``pacta ingest`` in a fresh store as a child process (so its peak memory
is its own), then again on the same files (the idempotent re-run, the
baseline a user meets every day), and prints a Markdown table row set.

    python benchmarks/ingest_bench.py [--corpus ../shared/corpora/tota/xml] [--limit N] [--precision auto]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path


def english_files(corpus: Path, limit: int | None) -> list[Path]:
    out = []
    for path in sorted(corpus.glob("*.xml")):
        lang = ET.parse(path).getroot().findtext("meta/language")
        if lang == "en":
            out.append(path)
    return out[:limit] if limit else out


def run(args: list[str]) -> tuple[float, dict, int]:
    """Wall seconds, parsed JSON summary and peak RSS (bytes) of one ``pacta`` child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.exit(f"pacta failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout), max(peak, before) * 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpora/tota/xml")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--precision", default="auto")
    ap.add_argument("--keep", type=Path, default=None, help="keep the store in this folder")
    opts = ap.parse_args()
    files = english_files(opts.corpus, opts.limit)
    work = Path(tempfile.mkdtemp(prefix="pacta-bench-"))
    src = work / "corpus"
    src.mkdir()
    for f in files:
        (src / f.name).symlink_to(f.resolve())
    store = opts.keep or work / "store"
    shutil.rmtree(store, ignore_errors=True)
    common = ["--store", str(store), "--precision", opts.precision, "--json"]
    wall, summary, peak = run(["ingest", "-q", str(src), *common])
    t = summary["totals"]
    wall2, summary2, _ = run(["ingest", "-q", str(src), *common])
    size = sum(p.stat().st_size for p in Path(store).rglob("*") if p.is_file())
    rows = [
        ("agreements (English ToTA)", f"{t['files']} ({t['ingested']} ingested, {t['error']} errors)"),
        ("clauses stored (all levels)", f"{t['clauses']:,}"),
        ("searchable (leaf) clauses indexed", f"{t['index_rows']:,}"),
        ("distinct texts embedded", f"{t['embedded']:,}"),
        ("wall time, first ingest", f"{wall:.1f} s"),
        ("clauses/s (stored clauses / wall)", f"{t['clauses'] / wall:.0f}"),
        ("leaf clauses/s (indexed / wall)", f"{t['index_rows'] / wall:.0f}"),
        ("peak memory (max RSS)", f"{peak / 2**20:.0f} MiB"),
        ("store size on disk", f"{size / 2**20:.0f} MiB"),
        ("baseline: re-run on unchanged files", f"{wall2:.1f} s, {summary2['totals']['unchanged']} unchanged, "
                                                 f"{summary2['totals']['embedded']} embedded"),
    ]
    print("| figure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
