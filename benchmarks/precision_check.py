"""bf16 against fp32 embeddings on a store's own rows: how close the vectors are and how much the ranking moves.

A full fp32 re-index of the corpus takes most of an hour on two cores, so
this compares the two precisions on a random sample of the indexed rows: the
cosine between each row's bf16 and fp32 vector, and, for every query of the
search evaluation set (embedded in fp32, as searches are), the overlap of the
top 10 rows of the sample ranked by bf16 vectors with the top 10 ranked by
fp32 vectors. Both runs go through Pacta's Embedder (same batching).

    python3 benchmarks/precision_check.py --store DIR [--sample 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from app.context import Context, Settings
from app.ingesting import index_rows
from search.embed import Embedder

QUERIES = Path(__file__).resolve().parents[1] / "data" / "eval" / "search" / "queries.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=3000)
    opts = ap.parse_args()
    with Context(Settings(store=opts.store)) as ctx:
        texts = sorted({r.embed_text for r in index_rows(ctx)})
    random.Random(0).shuffle(texts)
    sample = texts[: opts.sample]
    queries = [json.loads(line)["query"] for line in QUERIES.read_text().splitlines() if line.strip()]
    fp32, bf16 = Embedder(precision="fp32"), Embedder(precision="bf16")
    out = {}
    for name, embedder in (("fp32", fp32), ("bf16", bf16)):
        embedder.embed(sample[:64])  # warm up
        start = time.perf_counter()
        out[name] = embedder.embed(sample)
        print(f"{name}: {len(sample) / (time.perf_counter() - start):.0f} texts/s")
    cos = (out["fp32"] * out["bf16"]).sum(axis=1)
    q = fp32.embed(queries)
    overlap = []
    for vec in q:
        top = [set(np.argsort(-(out[name] @ vec))[:10].tolist()) for name in ("fp32", "bf16")]
        overlap.append(len(top[0] & top[1]) / 10)
    print(f"{len(sample)} sampled rows: cosine bf16 vs fp32 min {cos.min():.4f}, mean {cos.mean():.5f}")
    print(f"{len(queries)} evaluation queries: top-10 overlap over the sample, bf16 vs fp32 vectors: "
          f"mean {np.mean(overlap):.3f}, min {np.min(overlap):.1f}")


if __name__ == "__main__":
    main()
