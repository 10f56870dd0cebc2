"""Ingest benchmark: the ToTA corpus end to end on the embedded default, against a plain pipeline, and
the same corpus replicated under distinct ids, all in one run.

Runs, each ``pacta ingest`` in a child process of its own (so its peak memory is its own):

A. Pacta as shipped, fresh store: worker processes, deduplicated and cached
   embeddings, length-sorted batches, bf16 where the CPU has it (``--precision``).
B. The reading stage as a plain pipeline runs it: one process (``--workers 1``),
   on a fresh store whose embedding cache is A's (so B times reading,
   storing, indexing and linking only).
C. Plain sentence-transformers fp32 (batch 64) on a random sample of the
   indexed rows, every row embedded (no deduplication): its rate gives the
   plain pipeline's embedding time for all rows.
D. The corpus replicated ``--replicate`` times under distinct agreement ids
   (``<treaty_identifier>`` rewritten), fresh store seeded with A's
   embedding cache: the copies add no new text, so embedding them would
   repeat A's embedding exactly; D times everything else and its memory.

``--scale-only CACHE`` runs only A' (the corpus once, fresh store seeded with
CACHE, an earlier run A's ``embeddings.sqlite``) and D, and compares the two.

    python benchmarks/ingest_bench.py [--corpus ../shared/corpora/tota/xml] [--languages all|en] [--limit N]
                                      [--replicate 4] [--index flat|hnsw|ivf] [--keep DIR]
                                      [--scale-only STORE/embeddings.sqlite]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

IDENT = re.compile(rb"<treaty_identifier>\s*([^<]*?)\s*</treaty_identifier>")


def corpus_files(corpus: Path, languages: str, limit: int | None) -> list[Path]:
    out = []
    for path in sorted(corpus.glob("*.xml")):
        if languages == "en" and ET.parse(path).getroot().findtext("meta/language") != "en":
            continue
        out.append(path)
    return out[:limit] if limit else out


def run(args: list[str]) -> tuple[float, dict, int]:
    """Wall seconds, parsed JSON summary and peak RSS (bytes, the largest single process) of one ``pacta`` run."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.exit(f"pacta failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout), peak * 1024


def run_isolated(args: list[str]) -> tuple[float, dict, int]:
    """``run`` in a fresh interpreter, so that RUSAGE_CHILDREN's maximum is this run's alone."""
    code = ("import json,sys; from benchmarks.ingest_bench import run; "
            "print(json.dumps(run(json.loads(sys.argv[1]))))")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    if proc.returncode != 0:
        sys.exit(proc.stderr[-2000:])
    wall, summary, peak = json.loads(proc.stdout)
    return wall, summary, peak


def replicate(files: list[Path], folder: Path, copies: int) -> None:
    """``copies`` copies of every file under ``folder/copy-N``, copy N's agreement ids suffixed "-rN"."""
    for n in range(copies):
        target = folder / f"copy-{n}"
        target.mkdir(parents=True)
        suffix = f"-r{n}".encode()
        for f in files:
            data = f.read_bytes()
            if n:
                data = IDENT.sub(b"<treaty_identifier>\\1" + suffix + b"</treaty_identifier>", data, count=1)
            (target / f.name).write_bytes(data)


def plain_fp32_rate(store: Path, n: int) -> float:
    """Rows/s of plain sentence-transformers fp32 (batch 64) on ``n`` random indexed rows of ``store``."""
    import os

    from app.context import Context, Settings
    from app.ingesting import index_rows
    from search.embed import resolve_model

    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    with Context(Settings(store=store)) as ctx:
        texts = [r.embed_text for r in index_rows(ctx)]
    random.Random(0).shuffle(texts)
    sample = texts[:n]
    model = SentenceTransformer(resolve_model(None)[0], device="cpu")
    model.encode(sample[:64], batch_size=64)
    start = time.perf_counter()
    model.encode(sample, batch_size=64, show_progress_bar=False)
    return len(sample) / (time.perf_counter() - start)


def seeded_run(folder: Path, store: Path, cache: Path, index: str, common: list[str]) -> tuple[float, dict, int]:
    """``pacta ingest`` of ``folder`` into a fresh ``store`` whose embedding cache is a copy of ``cache``."""
    store.mkdir()
    shutil.copy(cache, store / "embeddings.sqlite")
    result = run_isolated(["--store", str(store), "ingest", "-q", str(folder), "--index", index, *common])
    shutil.rmtree(store, ignore_errors=True)
    return result


def scale(files: list[Path], cache: Path, work: Path, copies: int, index: str, common: list[str],
          base: tuple[str, float, dict, int] | None = None) -> None:
    """Run D (the corpus ``copies`` times, A's cache) and print it beside ``base``; without ``base``, first
    run A' (the corpus once, fresh store seeded with the same cache) to compare with."""
    if base is None:
        single = work / "single"
        single.mkdir()
        for f in files:
            (single / f.name).symlink_to(f.resolve())
        base = ("A'", *seeded_run(single, work / "store-a1", cache, index, common))
    name, wall_a, sum_a, peak_a = base
    a = sum_a["totals"]
    rep = work / "replicated"
    replicate(files, rep, copies)
    wall_d, sum_d, peak_d = seeded_run(rep, work / "store-d", cache, index, common)
    d = sum_d["totals"]
    print(f"\n| figure | {len(files)} agreements ({name}) | x{copies}: {d['files']} agreements (D) | ratio |")
    print("|---|---|---|---|")
    for label, key in (("clauses stored", "clauses"), ("leaf clauses indexed", "index_rows")):
        print(f"| {label} | {a[key]:,} | {d[key]:,} | {d[key] / a[key]:.2f} |")
    for stage_name in ("read_store", "embed", "index", "links"):
        if stage_name == "embed" and name == "A":  # A embeds, D only reads the cache: no ratio to give
            print(f"| stage embed (s) | {stage(a, 'embed'):.1f} | {stage(d, 'embed'):.1f} (cache) | |")
            continue
        print(f"| stage {stage_name} (s) | {stage(a, stage_name):.1f} | {stage(d, stage_name):.1f} | "
              f"{stage(d, stage_name) / max(stage(a, stage_name), 1e-9):.2f} |")
    rest_a = wall_a - stage(a, "embed")
    print(f"| total without embedding (s) | {rest_a:.1f} | {wall_d - stage(d, 'embed'):.1f} | "
          f"{(wall_d - stage(d, 'embed')) / rest_a:.2f} |")
    print(f"| texts newly embedded | {a['embedded']:,} | {d['embedded']:,} (cache) | |")
    print(f"| peak memory, largest process | {peak_a / 2**20:.0f} MiB | {peak_d / 2**20:.0f} MiB | "
          f"{peak_d / peak_a:.2f} |")


def stage(t: dict, name: str) -> float:
    return float(t.get(f"seconds_{name}", 0.0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpora/tota/xml")
    ap.add_argument("--languages", choices=("all", "en"), default="all")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--precision", default="auto")
    ap.add_argument("--index", choices=("flat", "hnsw", "ivf"), default="flat")
    ap.add_argument("--baseline-sample", type=int, default=2000)
    ap.add_argument("--replicate", type=int, default=4, help="copies for run D (0 skips it)")
    ap.add_argument("--keep", type=Path, default=None, help="keep run A's store in this folder")
    ap.add_argument("--scale-only", type=Path, default=None, metavar="CACHE",
                    help="only runs A' and D, seeded with this embeddings.sqlite (of an earlier run A)")
    opts = ap.parse_args()
    files = corpus_files(opts.corpus, opts.languages, opts.limit)
    work = Path(tempfile.mkdtemp(prefix="pacta-bench-"))
    if opts.scale_only:
        print(f"{len(files)} agreements ({opts.languages} languages), index {opts.index}, "
              f"precision {opts.precision}; embedding cache {opts.scale_only}")
        scale(files, opts.scale_only, work, opts.replicate, opts.index, ["--precision", opts.precision, "--json"])
        shutil.rmtree(work, ignore_errors=True)
        return
    src = work / "corpus"
    src.mkdir()
    for f in files:
        (src / f.name).symlink_to(f.resolve())
    store = opts.keep or work / "store"
    shutil.rmtree(store, ignore_errors=True)
    common = ["--precision", opts.precision, "--json"]

    wall_a, sum_a, peak_a = run_isolated(["--store", str(store), "ingest", "-q", str(src), "--index", opts.index,
                                          *common])
    a = sum_a["totals"]
    wall_again, sum_again, _ = run(["--store", str(store), "ingest", "-q", str(src), *common])

    store_b = work / "store-b"
    store_b.mkdir()
    shutil.copy(store / "embeddings.sqlite", store_b / "embeddings.sqlite")
    wall_b, sum_b, peak_b = run_isolated(["--store", str(store_b), "ingest", "-q", str(src), "--workers", "1",
                                          "--index", opts.index, *common])
    b = sum_b["totals"]
    shutil.rmtree(store_b, ignore_errors=True)
    plain_rate = plain_fp32_rate(store, opts.baseline_sample)
    plain_embed = a["index_rows"] / plain_rate
    plain_total = stage(b, "read_store") + plain_embed + stage(b, "index") + stage(b, "links")
    embed_rate = a["index_rows"] / stage(a, "embed") if stage(a, "embed") else float("nan")

    size = sum(p.stat().st_size for p in Path(store).rglob("*") if p.is_file())
    print(f"{len(files)} agreements ({opts.languages} languages), index {opts.index}, precision {opts.precision}\n")
    print("| figure | Pacta (A) | plain pipeline (B + C) |\n|---|---|---|")
    rows = [
        ("agreements: ingested / failed", f"{a['ingested']} / {a['error']}", f"{b['ingested']} / {b['error']}"),
        ("clauses stored (all levels)", f"{a['clauses']:,}", f"{b['clauses']:,}"),
        ("leaf clauses indexed", f"{a['index_rows']:,}", f"{b['index_rows']:,}"),
        ("texts embedded", f"{a['embedded']:,} (distinct)", f"{a['index_rows']:,} (every row)"),
        ("stage: read, split, annotate, store (s)", f"{stage(a, 'read_store'):.1f}", f"{stage(b, 'read_store'):.1f}"),
        ("stage: embed (s)", f"{stage(a, 'embed'):.1f}", f"{plain_embed:.1f} (from C's rate)"),
        ("stage: build vector + BM25 index (s)", f"{stage(a, 'index'):.1f}", f"{stage(b, 'index'):.1f}"),
        ("stage: SIMILAR_TO / RELATED_TO links (s)", f"{stage(a, 'links'):.1f}", f"{stage(b, 'links'):.1f}"),
        ("total (s)", f"{wall_a:.1f}", f"{plain_total:.1f}"),
        ("clauses stored / s", f"{a['clauses'] / wall_a:.0f}", f"{b['clauses'] / plain_total:.0f}"),
        ("embedding throughput, indexed rows / s", f"{embed_rate:.0f}", f"{plain_rate:.0f} (fp32, C)"),
        ("peak memory, largest process", f"{peak_a / 2**20:.0f} MiB", f"{peak_b / 2**20:.0f} MiB (B)"),
    ]
    for row in rows:
        print(f"| {' | '.join(row)} |")
    print(f"\nembedding throughput, Pacta over plain fp32: {embed_rate / plain_rate:.2f}x; "
          f"whole ingest: {plain_total / wall_a:.2f}x faster")
    print(f"store size on disk: {size / 2**20:.0f} MiB; re-run on unchanged files: {wall_again:.1f} s, "
          f"{sum_again['totals']['unchanged']} unchanged, {sum_again['totals']['embedded']} embedded")

    if opts.replicate > 1:
        scale(files, store / "embeddings.sqlite", work, opts.replicate, opts.index, common,
              ("A", wall_a, sum_a, peak_a))
    shutil.rmtree(work, ignore_errors=True)  # a kept store (--keep) lies outside it


if __name__ == "__main__":
    main()
