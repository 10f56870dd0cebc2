"""A Neo4j server that is not there is one line, found without any server running."""

from __future__ import annotations

import socket

import pytest

from graph.stores.neo4j import Neo4jGraphStore
from ingest.errors import StoreError


def test_server_down_is_one_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound here, never listened on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(StoreError) as err:
            Neo4jGraphStore(f"bolt://127.0.0.1:{port}")
    assert str(err.value).startswith(f"cannot reach Neo4j at bolt://127.0.0.1:{port}") and "\n" not in str(err.value)
