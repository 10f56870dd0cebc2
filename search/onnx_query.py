"""Query embedding without torch: the active model's transformer, exported once to ONNX when the index is built
(torch is loaded then anyway) and run by onnxruntime with the model's own tokenizer, so that a search or a draft
check from the shell does not spend seconds importing sentence-transformers. The export is kept only when its
vectors match sentence-transformers' (cosine ``MIN_COSINE`` or more on ``CHECK_TEXTS``); otherwise queries go
on through sentence-transformers.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import ModelError

FORMAT = 1
MIN_COSINE = 0.9999
# Texts of the lengths queries and draft clauses have, short to long, for the export check; the last runs past the
# model's 256-token limit, so that both sides are checked to cut it at the same place.
CHECK_TEXTS = (
    "withdrawal",
    "investor-state arbitration consent",
    "Each Party may withdraw from this Agreement by written notice to the other Party.",
    "The Parties shall enter into consultations within 30 days of the receipt of a request and conclude them "
    "within 60 days.",
    "A good shall be considered originating if it has a regional value content of not less than 40 per cent, "
    "calculated on the basis of the transaction value, and satisfies every other applicable requirement of "
    "Annex 4 " * 8,
)


def folder_for(store: Path, key: str) -> Path:
    """Where the ONNX query model for embedding-model ``key`` lives in a store folder."""
    return store / "models" / "onnx" / re.sub(r"[^\w.@-]+", "_", key)


def _pooling(model_dir: Path) -> str:
    """"cls" or "mean": how the sentence-transformers folder pools token vectors (mean when it does not say)."""
    for config in sorted(model_dir.glob("*_Pooling/config.json")):
        data = json.loads(config.read_text(encoding="utf-8"))
        if data.get("pooling_mode_cls_token"):
            return "cls"
        if data.get("pooling_mode_mean_tokens", True):
            return "mean"
        raise ModelError(f"{config}: a pooling other than mean or CLS has no ONNX query path")
    return "mean"


def export(st: Any, model_dir: Path, key: str, target: Path) -> float:
    """Export the fp32 sentence-transformers model ``st`` (loaded from ``model_dir``, whose cache key is ``key``)
    to ``target`` and check it; returns the lowest cosine to sentence-transformers' vectors on ``CHECK_TEXTS``.
    Raises ModelError (nothing left at ``target``) when the model cannot be exported or does not match."""
    try:
        modules = [type(m).__name__ for m in st]
    except TypeError:  # not a sentence-transformers model (a stand-in)
        modules = [type(st).__name__]
    if modules[:2] != ["Transformer", "Pooling"] or set(modules[2:]) - {"Normalize"}:
        raise ModelError(f"{key}: modules {modules} have no ONNX query path")
    import torch

    pooling = _pooling(model_dir)
    base = st[0].auto_model.eval()
    tokenizer_file = model_dir / "tokenizer.json"
    if not tokenizer_file.is_file():
        raise ModelError(f"{model_dir}: no tokenizer.json for the ONNX query path")
    sample = st.tokenizer(["Each Party may withdraw."], return_tensors="pt")
    inputs = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Hidden(torch.nn.Module):  # keyword arguments: the model's positional order varies across versions
        def __init__(self) -> None:
            super().__init__()
            self.base = base

        def forward(self, *args: Any) -> Any:
            return self.base(**dict(zip(inputs, args, strict=True))).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)  # the temporary folder beside it: the final rename stays on
    tmp = Path(tempfile.mkdtemp(prefix=".onnx-", dir=target.parent))  # one file system
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Hidden(), tuple(sample[n] for n in inputs), str(tmp / "model.onnx"),
                              input_names=inputs, output_names=["hidden"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*inputs, "hidden"]})
        shutil.copyfile(tokenizer_file, tmp / "tokenizer.json")
        dim = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        config = {"format": FORMAT, "key": key, "pooling": pooling, "max_length": int(st.max_seq_length),
                  "inputs": inputs, "dim": int(dim())}
        (tmp / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        reference = st.encode(list(CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True,
                              show_progress_bar=False)
        got = OnnxQueryEncoder(tmp).embed(list(CHECK_TEXTS))
        cosine = float(np.min(np.sum(reference * got, axis=1)))
        if cosine < MIN_COSINE:
            raise ModelError(f"{key}: the ONNX export gives vectors at cosine {cosine:.5f} to the model's")
        if target.exists():
            shutil.rmtree(target)
        tmp.replace(target)
        return cosine
    except ModelError:
        raise
    except Exception as exc:  # the exporter raises many kinds; the caller needs one line
        raise ModelError(f"{key}: cannot export the model to ONNX: {exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def is_model_folder(folder: Path) -> bool:
    """True when ``folder`` holds an ONNX model OnnxQueryEncoder runs (an export, or a fetched model)."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and config.get("format") == FORMAT and (folder / "model.onnx").is_file()


class OnnxQueryEncoder:
    """Unit-length float32 vectors for texts from an ONNX model folder: an export (``export``), the same as the
    sentence-transformers model's to cosine 0.9999, or a fetched model (``search.models``); ``key`` is the
    embedding model's cache key, ``query_prefix`` what ``embed_queries`` puts before each query ("" for most)."""

    def __init__(self, folder: Path, spin: bool = False) -> None:
        self.folder = folder
        self.spin = spin  # let onnxruntime's threads spin between runs (batches back to back), see ``load``
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.key: str = self.config["key"]
        self.dim: int = self.config["dim"]
        self.query_prefix: str = self.config.get("query_prefix", "")
        self._session: Any = None
        self._tokenizer: Any = None

    @classmethod
    def open(cls, store: Path, key: str) -> OnnxQueryEncoder | None:
        """The encoder exported for ``key`` in ``store``, or None when there is none (or onnxruntime is absent)."""
        folder = folder_for(store, key)
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            import onnxruntime  # noqa: F401
        except (OSError, ValueError, ImportError):
            return None
        if config.get("format") != FORMAT or config.get("key") != key or not (folder / "model.onnx").is_file():
            return None
        return cls(folder)

    def load(self) -> OnnxQueryEncoder:
        if self._session is None:
            import onnxruntime
            from tokenizers import Tokenizer

            try:
                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                # onnxruntime's worker threads spin for a while after each run, taking the cores FAISS's threads
                # search with next: a filtered IVF search took 21 ms after a query embedding instead of ~1 ms
                options.add_session_config_entry("session.intra_op.allow_spinning", "1" if self.spin else "0")
                self._session = onnxruntime.InferenceSession(str(self.folder / "model.onnx"), options,
                                                             providers=["CPUExecutionProvider"])
                tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            except Exception as exc:  # a damaged file: the user needs one line
                raise ModelError(f"{self.folder}: cannot load the ONNX query model: {exc}") from None
            # the packaged tokenizer.json pads and truncates to 128 tokens; the model reads up to max_length
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self.config["max_length"])
            self._tokenizer = tokenizer
        return self

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """``embed`` of each text behind the model's query prefix (search queries, not documents)."""
        return self.embed([self.query_prefix + t for t in texts])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as one padded batch; returns a float32 array of shape (len(texts), dim), unit rows."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        types = np.zeros((len(texts), width), dtype=np.int64)
        for n, e in enumerate(encodings):
            ids[n, :len(e.ids)] = e.ids
            mask[n, :len(e.ids)] = e.attention_mask
            types[n, :len(e.ids)] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self._session.run(None, {n: feed[n] for n in self.config["inputs"]})[0]
        if self.config["pooling"] == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        pooled = pooled.astype(np.float32)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
