"""The approximate index at growth scale: HNSW against exact search at 1 million vectors.

The corpus's real MiniLM vectors (read from a built store's index) are grown
synthetically to ``--size`` vectors: each new vector is a real one plus
Gaussian noise, renormalised, so the space keeps the corpus's clusters.
Queries are further noisy copies of real vectors, drawn apart from the
indexed ones. The exact flat index in the same run is the baseline: recall@10
is the share of its top 10 that HNSW returns, per efSearch, with the single-
query latency (p50 / p95) and the memory of each index.

    python benchmarks/ann_bench.py --store DIR [--size 1000000] [--queries 500]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from search.vectors import VectorIndex, _faiss

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--ef", default="16,32,64,128")
    opts = ap.parse_args()
    faiss = _faiss()
    root = opts.store / "index"
    current = (root / "CURRENT").read_text().strip()
    flat = VectorIndex.load(root / current / "vectors.faiss")
    real = flat._index.reconstruct_n(0, flat.size)
    rng = np.random.default_rng(0)
    vectors = grow(real, opts.size, rng)
    queries = grow(real, len(real) + opts.queries, np.random.default_rng(1))[len(real):]
    print(f"{opts.size:,} vectors ({len(real):,} real, the rest synthetic), {opts.queries} queries, k=10\n")

    start = time.perf_counter()
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    flat_build = time.perf_counter() - start
    truth, flat_p50, flat_p95 = latency(exact, queries, 10)
    start = time.perf_counter()
    hnsw = VectorIndex.build(vectors, "hnsw")._index
    hnsw_build = time.perf_counter() - start
    rows = [("exact (flat)", f"{flat_build:.1f} s", "1.000", f"{flat_p50:.2f}", f"{flat_p95:.2f}",
             f"{faiss.serialize_index(exact).nbytes / 2**20:,.0f}")]
    hnsw_mb = faiss.serialize_index(hnsw).nbytes / 2**20  # vectors + graph links, as stored
    for ef in (int(x) for x in opts.ef.split(",")):
        hnsw.hnsw.efSearch = ef
        found, p50, p95 = latency(hnsw, queries, 10)
        recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
        rows.append((f"HNSW32, efSearch {ef}", f"{hnsw_build:.0f} s", f"{recall:.3f}", f"{p50:.2f}", f"{p95:.2f}",
                     f"{hnsw_mb:,.0f}"))
    print("| index | build | recall@10 vs exact | query p50 (ms) | query p95 (ms) | memory (MiB) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
