"""Ingest benchmark: the English ToTA agreements end to end on the embedded default.

Runs ``pacta ingest`` in a fresh store as a child process (so its peak memory
is its own), then again on the same files (the idempotent re-run), then, as
the baseline for the embedding stage, plain sentence-transformers in float32
(batch 64) on a random sample of the same clause texts, all in one run.

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


def plain_fp32_rate(store: Path, n: int) -> float:
    """Texts/s of plain sentence-transformers fp32 (batch 64) on ``n`` random indexed clause texts of ``store``."""
    import os
    import random

    from app.context import Context, Settings
    from app.ingesting import index_rows
    from search.embed import resolve_model

    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    with Context(Settings(store=store)) as ctx:
        texts = sorted({r.text for r in index_rows(ctx)})
    random.Random(0).shuffle(texts)
    sample = texts[:n]
    model = SentenceTransformer(resolve_model(None)[0], device="cpu")
    model.encode(sample[:64], batch_size=64)
    start = time.perf_counter()
    model.encode(sample, batch_size=64, show_progress_bar=False)
    return len(sample) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpora/tota/xml")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--precision", default="auto")
    ap.add_argument("--baseline-sample", type=int, default=2000)
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
    pipeline_rate = t["embedded"] / t["seconds_embed"] if t.get("seconds_embed") else float("nan")
    plain_rate = plain_fp32_rate(store, opts.baseline_sample)
    rows = [
        ("agreements (English ToTA)", f"{t['files']} ({t['ingested']} ingested, {t['error']} errors)"),
        ("clauses stored (all levels)", f"{t['clauses']:,}"),
        ("searchable (leaf) clauses indexed", f"{t['index_rows']:,}"),
        ("distinct texts embedded", f"{t['embedded']:,}"),
        ("wall time, first ingest", f"{wall:.1f} s"),
        ("clauses/s (stored clauses / wall)", f"{t['clauses'] / wall:.0f}"),
        ("leaf clauses/s (indexed / wall)", f"{t['index_rows'] / wall:.0f}"),
        ("stage: read, split, store (s)", f"{t.get('seconds_read_store', 0):.1f}"),
        ("stage: embed distinct texts (s)", f"{t.get('seconds_embed', 0):.1f}"),
        ("stage: build FAISS + BM25 index (s)", f"{t.get('seconds_index', 0):.1f}"),
        (f"embedding stage rate, precision {opts.precision}", f"{pipeline_rate:.0f} texts/s"),
        (f"baseline: plain sentence-transformers fp32, {opts.baseline_sample} sampled texts",
         f"{plain_rate:.0f} texts/s"),
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
