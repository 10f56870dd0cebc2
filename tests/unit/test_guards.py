"""Issue 16 guards: the embedding cache's SQLite failures are StoreErrors, a bad search mode lists the choices,
``graph.store`` stays light, the model's weights are hashed once per process, and the choices the command line
offers for the executor and ``neo4j`` are their enums' values."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.cli import ServerAction, build_parser
from ingest.errors import InputError, StoreError
from ingest.records import text_key
from search import embed
from search.cache import EmbeddingCache
from search.executors import ExecutorKind
from search.index import ClauseIndex, IndexRow, SearchMode
from tests.conftest import ROOT

JUNK = bytes(range(256)) * 256  # 64 KiB: no SQLite header, and no smaller than any file it replaces


def test_a_cache_file_that_is_not_a_database_is_a_store_error_naming_it(tmp_path: Path):
    path = tmp_path / "embeddings.sqlite"
    path.write_bytes(JUNK)
    with pytest.raises(StoreError, match=r"embeddings\.sqlite: cannot open the embedding cache \(file is not a"):
        EmbeddingCache(path)


@pytest.mark.parametrize("call", [
    lambda c: c.missing("m", ["a"]), lambda c: c.get("m", ["a"], 4), lambda c: c.count("m"),
    lambda c: c.put("m", ["b"], np.ones((1, 4))),
], ids=["missing", "get", "count", "put"])
def test_a_cache_corrupted_while_open_fails_with_a_store_error(call, tmp_path: Path):
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    cache.put("m", ["a"], np.ones((1, 4), dtype=np.float32))
    for file in tmp_path.iterdir():  # the database, its write-ahead log and its shared-memory index
        file.write_bytes(JUNK)
    with pytest.raises(StoreError, match=r"embeddings\.sqlite: cannot (read|write) the embedding cache"):
        call(cache)


def test_a_missing_key_is_still_a_key_error(tmp_path: Path):
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    with pytest.raises(KeyError):
        cache.get("m", ["nowhere"], 4)


def test_an_unknown_search_mode_is_an_input_error_listing_the_modes(tmp_path: Path):
    texts = ["Each Party shall publish its laws.", "The Committee shall meet once a year."]
    rows = [IndexRow(f"t/art-{n}", "t", text_key(t), None, t) for n, t in enumerate(texts)]
    vecs = np.eye(2, 8, dtype=np.float32)
    index = ClauseIndex.build(rows, vecs, "m", "1")
    assert index.search(vecs[0], "publish laws", k=1, mode="lexical")[0].clause_id == "t/art-0"
    with pytest.raises(InputError) as err:
        index.search(vecs[0], "publish laws", mode="bad")
    assert "unknown search mode 'bad'" in str(err.value)
    assert all(mode in str(err.value) for mode in SearchMode.values())


def test_importing_the_graph_store_protocol_does_not_import_the_links_module():
    code = "import sys, graph.store; print(sorted(m for m in ('graph.links', 'faiss') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_model_weights_are_hashed_once_per_process(monkeypatch: pytest.MonkeyPatch):
    weights = embed.packaged_model_path() / "model.safetensors"  # a core dependency: missing is a failure
    monkeypatch.setattr(embed, "_DIGESTS", {})  # as at the start of a process
    reads: list[Path] = []
    real = embed._sha256
    monkeypatch.setattr(embed, "_sha256", lambda path: reads.append(path) or real(path))
    first = embed.resolve_model(None)
    assert embed.resolve_model(None) == first == embed.resolve_model("default")
    assert reads == [weights]  # read and hashed once; the other resolves use the digest this process keeps


def _choices(parser: argparse.ArgumentParser, command: str, dest: str) -> tuple[str, ...]:
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    return tuple(next(a for a in sub._actions if a.dest == dest).choices)


def test_executor_and_neo4j_action_choices_are_their_enums_values():
    parser = build_parser()
    assert _choices(parser, "ingest", "executor") == ExecutorKind.values() == ("local", "ray")
    assert _choices(parser, "neo4j", "action") == ServerAction.values() == ("start", "stop", "status")
    assert parser.parse_args(["ingest", "x.xml"]).executor == ExecutorKind.LOCAL
    for enum in (ExecutorKind, ServerAction):
        with pytest.raises(InputError, match=f"unknown {enum.label()} 'nonsense' \\(choose {', '.join(enum.values())}"):
            enum.from_str("nonsense")
