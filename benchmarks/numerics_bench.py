"""Embedding speed of each numeric format this CPU offers, on a store's own indexed texts, in one run.

Variants, each over the same random sample of distinct indexed texts:

* plain sentence-transformers fp32, batch 64 (the baseline of ingest_bench.py);
* Pacta's Embedder in bf16 at several batch sizes (length-sorted batches);
* int8 ONNX: the model exported with torch.onnx, its attention and layer
  norms fused by onnxruntime's transformer optimizer, weights quantized
  dynamically (per channel), run in onnxruntime with length-sorted batches.
  Needs ``pip install onnx onnxruntime`` (the ``bench`` extra); skipped otherwise.

For each: texts/s (median of ``--rounds`` passes), speed-up over fp32 and the
cosine of its vectors to the fp32 ones. The CPU's bf16 / int8 features come
first (AMX multiplies bf16 tiles; without it, AVX-512 BF16 does the work).

    python benchmarks/numerics_bench.py --store DIR [--sample 1500] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app.context import Context, Settings
from app.ingesting import index_rows
from search.embed import Embedder, resolve_model

Embed = Callable[[Sequence[str]], np.ndarray]


def cpu_features() -> str:
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        return "unknown"
    wanted = ("amx_bf16", "amx_int8", "avx512_bf16", "avx512_vnni", "avx512f")
    return ", ".join(f for f in wanted if f" {f}" in flags) or "none of " + ", ".join(wanted)


def plain_fp32(target: str) -> Embed:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(target, device="cpu")
    return lambda texts: np.asarray(model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                                 show_progress_bar=False), dtype=np.float32)


def onnx_int8(target: str, folder: Path, batch: int) -> Embed | None:
    """The int8 ONNX variant, or None when onnx / onnxruntime are not installed."""
    try:
        import onnx
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from onnxruntime.transformers import optimizer
    except ImportError:
        return None
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    class Hidden(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = torch.ones((2, 8), dtype=torch.int64)
    torch.onnx.export(Hidden(AutoModel.from_pretrained(target).eval()), (sample, sample, sample * 0),
                      str(folder / "model.onnx"), input_names=names, output_names=["hidden"],
                      dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
                      opset_version=17, dynamo=False)
    fused = optimizer.optimize_model(str(folder / "model.onnx"), model_type="bert", num_heads=12, hidden_size=384)
    fused.save_model_to_file(str(folder / "fused.onnx"))
    quantize_dynamic(str(folder / "fused.onnx"), str(folder / "int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    session = ort.InferenceSession(str(folder / "int8.onnx"), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(Path(target) / "tokenizer.json"))
    tokenizer.no_padding()  # the packaged tokenizer.json pads and truncates to 128
    tokenizer.enable_truncation(256)  # as sentence-transformers does for this model

    def embed(texts: Sequence[str]) -> np.ndarray:
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), 384), dtype=np.float32)
        for start in range(0, len(texts), batch):
            idx = order[start : start + batch]
            encodings = tokenizer.encode_batch([texts[i] for i in idx])
            width = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, e in enumerate(encodings):
                ids[row, : len(e.ids)] = e.ids
                mask[row, : len(e.ids)] = 1
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    return embed


def timed(embed: Embed, texts: list[str], rounds: int) -> tuple[float, np.ndarray]:
    embed(texts[:32])  # warm up
    rates, vectors = [], np.zeros(0)
    for _ in range(rounds):
        start = time.perf_counter()
        vectors = embed(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates), vectors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=1500)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batches", default="4,16,64", help="bf16 batch sizes to try")
    opts = ap.parse_args()
    with Context(Settings(store=opts.store)) as ctx:
        texts = sorted({r.embed_text for r in index_rows(ctx)})
    random.Random(0).shuffle(texts)
    texts = texts[: opts.sample]
    target = resolve_model(None)[0]
    print(f"CPU: {cpu_features()}; {os.cpu_count()} logical CPUs; {len(texts)} distinct indexed texts, "
          f"mean {np.mean([len(t) for t in texts]):.0f} characters\n")
    base_rate, base = timed(plain_fp32(target), texts, opts.rounds)
    print("| variant | texts/s | vs fp32 | cosine to fp32: min / mean |\n|---|---|---|---|")
    print(f"| sentence-transformers fp32, batch 64 | {base_rate:.0f} | 1.00x | 1 |")

    def report(name: str, embed: Embed) -> None:
        rate, vectors = timed(embed, texts, opts.rounds)
        cos = (vectors * base).sum(axis=1)
        print(f"| {name} | {rate:.0f} | {rate / base_rate:.2f}x | {cos.min():.4f} / {cos.mean():.5f} |", flush=True)

    for batch in (int(b) for b in opts.batches.split(",")):
        report(f"Pacta Embedder bf16, batch {batch}", Embedder(precision="bf16", batch_size=batch).embed)
    with tempfile.TemporaryDirectory() as tmp:
        int8 = onnx_int8(target, Path(tmp), 16)
        if int8 is None:
            print("| int8 ONNX | skipped: onnx / onnxruntime not installed | | |")
        else:
            report("int8 ONNX (fused, dynamic per-channel), batch 16", int8)


if __name__ == "__main__":
    main()
