"""The approximate indexes at growth scale: HNSW and IVF against exact search at 1 million vectors.

The corpus's real MiniLM vectors (read from a built store's index) are grown
synthetically to ``--size`` vectors: each new vector is a real one plus
Gaussian noise, renormalised, so the space keeps the corpus's clusters.
Queries are further noisy copies of real vectors, drawn apart from the
indexed ones. The exact flat index in the same run is the baseline: recall@10
is the share of its top 10 that an approximate index returns, per efSearch
(HNSW) or nprobe (IVF; "default" is the nprobe the index is saved with), with
the single-query latency (p50 / p95) and the memory of each index as stored.

    python benchmarks/ann_bench.py --store DIR [--size 1000000] [--queries 500] [--kinds hnsw,ivf]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from search.vectors import VectorIndex, _faiss, ivf_nprobe

NOISE = 0.025  # per dimension; a noisy copy keeps cosine ~0.93 to its source


def grow(real: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    n = min(size, len(real))
    out[:n] = real[:n]
    for start in range(n, size, 100_000):
        end = min(size, start + 100_000)
        base = real[rng.integers(0, len(real), end - start)]
        noisy = base + rng.normal(0, NOISE, base.shape).astype(np.float32)
        out[start:end] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    return out


def latency(index: object, queries: np.ndarray, k: int) -> tuple[np.ndarray, float, float]:
    found, times = [], []
    for q in queries:
        start = time.perf_counter()
        _, rows = index.search(q.reshape(1, -1), k)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
        found.append(rows[0])
    times.sort()
    return np.asarray(found), 1000 * statistics.median(times), 1000 * times[int(0.95 * (len(times) - 1))]


def recall_at_10(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))


def mib(faiss: object, index: object) -> str:
    return f"{faiss.serialize_index(index).nbytes / 2**20:,.0f}"  # type: ignore[attr-defined]


def hnsw_rows(faiss: object, vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray,
              efs: list[int]) -> list[tuple[str, ...]]:
    start = time.perf_counter()
    hnsw = VectorIndex.build(vectors, "hnsw")._index
    build = time.perf_counter() - start
    memory = mib(faiss, hnsw)  # vectors + graph links, as stored
    rows: list[tuple[str, ...]] = []
    for ef in efs:
        hnsw.hnsw.efSearch = ef
        found, p50, p95 = latency(hnsw, queries, 10)
        rows.append((f"HNSW32, efSearch {ef}", f"{build:.1f} s", f"{recall_at_10(found, truth):.3f}", f"{p50:.2f}",
                     f"{p95:.2f}", memory))
    return rows


def ivf_rows(faiss: object, vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray,
             probes: list[str]) -> list[tuple[str, ...]]:
    start = time.perf_counter()
    built = VectorIndex.build(vectors, "ivf")
    build = time.perf_counter() - start
    if built.kind != "ivf":
        return [(f"IVF (fell back to flat below {len(vectors):,} vectors)", f"{build:.1f} s", "-", "-", "-", "-")]
    ivf = built._index
    memory = mib(faiss, ivf)  # vectors + ids + centroids + direct map, as stored
    default = ivf_nprobe(ivf.nlist)
    rows: list[tuple[str, ...]] = []
    for probe in probes:
        nprobe = default if probe == "default" else int(probe)
        ivf.nprobe = nprobe
        found, p50, p95 = latency(ivf, queries, 10)
        label = f"IVF{ivf.nlist}, nprobe {nprobe}" + (" (default)" if nprobe == default else "")
        rows.append((label, f"{build:.1f} s", f"{recall_at_10(found, truth):.3f}", f"{p50:.2f}", f"{p95:.2f}",
                     memory))
    ivf.nprobe = default
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--kinds", default="hnsw,ivf", help="approximate indexes to measure (default hnsw,ivf)")
    ap.add_argument("--ef", default="16,32,64,128", help="HNSW efSearch values")
    ap.add_argument("--nprobe", default="8,16,32,default", help="IVF nprobe values; 'default' is the built-in one")
    opts = ap.parse_args()
    kinds = [k.strip() for k in opts.kinds.split(",") if k.strip()]
    if not set(kinds) <= {"hnsw", "ivf"}:
        ap.error(f"unknown kind in --kinds '{opts.kinds}' (choose hnsw, ivf)")
    faiss = _faiss()
    root = opts.store / "index"
    current = (root / "CURRENT").read_text().strip()
    flat = VectorIndex.load(root / current / "vectors.faiss")
    real = flat._index.reconstruct_n(0, flat.size)
    rng = np.random.default_rng(0)
    vectors = grow(real, opts.size, rng)
    queries = grow(real, len(real) + opts.queries, np.random.default_rng(1))[len(real):]
    print(f"{opts.size:,} vectors ({min(opts.size, len(real)):,} real, the rest synthetic), "
          f"{opts.queries} queries, k=10\n")

    start = time.perf_counter()
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    flat_build = time.perf_counter() - start
    truth, flat_p50, flat_p95 = latency(exact, queries, 10)
    rows: list[tuple[str, ...]] = [
        ("exact (flat)", f"{flat_build:.1f} s", "1.000", f"{flat_p50:.2f}", f"{flat_p95:.2f}", mib(faiss, exact))]
    if "hnsw" in kinds:
        rows += hnsw_rows(faiss, vectors, queries, truth, [int(x) for x in opts.ef.split(",")])
    if "ivf" in kinds:
        rows += ivf_rows(faiss, vectors, queries, truth, [x.strip() for x in opts.nprobe.split(",")])
    print("| index | build | recall@10 vs exact | query p50 (ms) | query p95 (ms) | memory (MiB) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
