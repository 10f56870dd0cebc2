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


def test_one_store_is_read_and_written_from_several_threads_at_once(tmp_path: Path) -> None:
    """The app shares one store between Streamlit's threads: each thread gets its own connection, readers run
    while a writer stores, and none sees a half-written agreement or SQLite's 'created in a thread' error."""
    import threading

    store = SQLiteGraphStore(tmp_path / "g.sqlite")
    for n in range(5):
        store.upsert_treaty(treaty(f"t{n}", ("CAN", "CHL"), date(2000 + n, 1, 1)))
    errors: list[BaseException] = []
    seen: list[tuple[int, int]] = []
    start = threading.Barrier(5)

    def read() -> None:
        try:
            start.wait()
            for _ in range(40):
                ids = store.treaty_ids(("CAN",), False, None)
                clauses = [c for t in sorted(ids) for c in store.clauses(t)]
                assert all(c.treaty_id in ids for c in clauses)
                assert len(clauses) == 3 * len(ids)  # never half of an agreement
                seen.append((len(ids), threading.get_ident()))
        except BaseException as exc:  # the test reports what any thread met
            errors.append(exc)

    def write() -> None:
        try:
            start.wait()
            for n in range(5, 25):
                store.upsert_treaty(treaty(f"t{n}", ("CAN",), date(2000, 1, 1)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)] + [threading.Thread(target=write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len({ident for _, ident in seen}) == 4 and len(seen) == 160
    assert store.stats()["treaties"] == 25
    opened = list(store._opened)
    assert len(opened) == 6  # this thread's, four readers', the writer's
    store.close()  # closes every thread's connection, from this one
    import sqlite3

    for db in opened:
        with pytest.raises(sqlite3.ProgrammingError):
            db.execute("SELECT 1")


@pytest.mark.parametrize("call", [
    lambda s: s.get_treaty("t1"), lambda s: s.clauses("t1"), lambda s: s.get_clauses(["t1/1"]),
    lambda s: s.list_treaties(), lambda s: s.treaty_ids(("CAN",)), lambda s: s.stats(),
    lambda s: list(s.iter_leaf_clauses()), lambda s: s.delete_treaty("t1"), lambda s: s.definitions(["t1"]),
])
def test_a_damaged_store_fails_as_one_store_error_on_reads_and_deletes(tmp_path: Path, call) -> None:
    """The contract lets nothing but StoreError out of a store: a table gone under it (a damaged or foreign
    file) is one line naming the store, not a sqlite3 traceback."""
    import sqlite3

    from ingest.errors import StoreError

    path = tmp_path / "g.sqlite"
    store = SQLiteGraphStore(path)
    store.upsert_treaty(treaty("t1", ("CAN",), date(2001, 1, 1)))
    store.close()
    raw = sqlite3.connect(path)
    raw.executescript("PRAGMA foreign_keys=OFF; DROP TABLE clauses; DROP TABLE treaties; DROP TABLE party_to; "
                      "DROP TABLE term_uses; DROP TABLE terms;")
    raw.close()
    store = SQLiteGraphStore(path)
    try:
        with pytest.raises(StoreError) as err:
            call(store)
        assert str(err.value).startswith(f"{path}: cannot ") and "\n" not in str(err.value)
    finally:
        store.close()
