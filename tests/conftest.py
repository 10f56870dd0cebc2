"""Shared fixtures: every test gets its own store folder; the real corpus is located once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOTA = Path(os.environ.get("PACTA_TOTA", ROOT.parent / "shared" / "corpora" / "tota" / "xml"))
SAMPLE = ROOT / "data" / "sample" / "tota"


@pytest.fixture(autouse=True)
def _store_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PACTA_HOME at a temporary folder so no test touches a real store."""
    home = tmp_path / "pacta-home"
    monkeypatch.setenv("PACTA_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def tota() -> Path:
    if not TOTA.is_dir():
        pytest.skip(f"the ToTA corpus is missing at {TOTA} (put ../shared beside the checkout or set PACTA_TOTA)")
    return TOTA


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Neo4j server: the one NEO4J_URI names, else a local one started for this session."""
    given = os.environ.get("NEO4J_URI")
    if given:
        yield given
        return
    from graph.server import LocalNeo4j

    server = LocalNeo4j(tmp_path_factory.mktemp("neo4j-server"))
    uri = server.start()
    try:
        yield uri
    finally:
        server.stop()
