"""Embedding speed of MiniLM's paths on this CPU, in one run, on a store's own indexed texts: sentence-transformers
in fp32 (and bf16 where the CPU has it, or with --bf16), the store's ONNX export (the torch-free path of queries and
of fp32 ingests) in fp32 with onnxruntime's threads resting or spinning between batches, and that export quantised
to int8 (dynamic, per channel, reduced range); each with the cosine of its vectors to sentence-transformers' fp32.

    python3 benchmarks/embed_paths.py --store DIR [--sample 2000] [--longest] [--bf16]

The store must hold the ONNX export (any ingest makes it). Batches of 16 texts sorted by length, as ingest embeds.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.context import Context, Settings  # noqa: E402
from search.embed import Embedder, cpu_has_bf16  # noqa: E402
from search.onnx_query import OnnxQueryEncoder, folder_for  # noqa: E402


def _batched(encoder: OnnxQueryEncoder) -> Callable[[list[str]], np.ndarray]:
    def embed(texts: list[str]) -> np.ndarray:
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), encoder.dim), dtype=np.float32)
        for start in range(0, len(texts), 16):
            rows = order[start:start + 16]
            out[rows] = encoder.embed([texts[i] for i in rows])
        return out
    return embed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--longest", action="store_true", help="the longest texts of a sample ten times larger")
    ap.add_argument("--bf16", action="store_true", help="also bf16 where the CPU has no native bf16")
    opts = ap.parse_args()
    ctx = Context(Settings(store=opts.store))
    index = ctx.engine.index
    rows = np.random.default_rng(0).choice(len(index), min(opts.sample, len(index)), replace=False)
    if opts.longest:
        rows = np.random.default_rng(0).choice(len(index), min(10 * opts.sample, len(index)), replace=False)
    texts = [c.passage_text for c in ctx.graph.get_clauses([index.clause_ids[r] for r in rows]).values()]
    if opts.longest:
        texts = sorted(texts, key=len)[-opts.sample:]
    key = Embedder(None, "fp32").key
    export = folder_for(opts.store, key)
    paths: dict[str, Callable[[list[str]], np.ndarray]] = {
        "sentence-transformers fp32": Embedder(None, "fp32").embed,
        "ONNX export fp32": _batched(OnnxQueryEncoder(export).load()),
        "ONNX export fp32, threads spinning": _batched(OnnxQueryEncoder(export, spin=True).load()),
    }
    if cpu_has_bf16() or opts.bf16:  # emulated elsewhere: 6x slower than fp32 (RESULTS), measured only on request
        paths["sentence-transformers bf16"] = Embedder(None, "bf16").embed
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = Path(tempfile.mkdtemp(prefix="pacta-int8-"))
    try:
        shutil.copytree(export, tmp / "int8")
        quantize_dynamic(str(export / "model.onnx"), str(tmp / "int8" / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=True)
        paths["ONNX export int8"] = _batched(OnnxQueryEncoder(tmp / "int8").load())
        results = {}
        for name, embed in paths.items():
            embed(texts[:32])  # warm up
            began = time.perf_counter()
            vectors = embed(texts)
            results[name] = (len(texts) / (time.perf_counter() - began), vectors)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    reference = results["sentence-transformers fp32"][1]
    print(f"{len(texts)} indexed texts of {opts.store}\n")
    print("| path | texts/s | cosine to fp32: mean | min |\n|---|---|---|---|")
    for name, (speed, vectors) in results.items():
        cos = np.sum(reference * vectors, axis=1)
        print(f"| {name} | {speed:.1f} | {cos.mean():.5f} | {cos.min():.5f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
