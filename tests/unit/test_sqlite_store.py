"""The GraphStore contract on the embedded SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from graph.stores.sqlite import SQLiteGraphStore
from tests.contract import GraphStoreContract, treaty


class TestSQLiteGraphStore(GraphStoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SQLiteGraphStore]:
        s = SQLiteGraphStore(tmp_path / "g.sqlite")
        yield s
        s.close()


def test_reopened_store_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    store = SQLiteGraphStore(path)
    store.upsert_treaty(treaty("t1", ("CAN",), date(2001, 1, 1)))
    store.close()
    again = SQLiteGraphStore(path)
    assert again.stats()["clauses"] == 3 and again.generation() == 1
