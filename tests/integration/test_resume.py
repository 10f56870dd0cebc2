"""A real SIGKILL in the middle of an ingest leaves a readable store, and the next run finishes the job."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

pytestmark = pytest.mark.integration


def pacta(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=600)


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return int(con.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # table not created yet
        return 0


def test_kill_during_embedding_then_resume(tmp_path: Path):
    """Killed while embedding, the store answers lexical searches (and says so); the next run embeds only what
    was not cached, and searches are hybrid again."""
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--store", str(store), "ingest", "-q", str(SAMPLE)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    # Kill once every agreement is stored and the first chunk of vectors is cached, mid-embedding.
    while count(store / "embeddings.sqlite", "SELECT count(*) FROM vectors") == 0:
        assert proc.poll() is None and time.time() < deadline, "ingest ended before it could be killed"
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert count(store / "graph.sqlite", "SELECT count(*) FROM treaties") == 6
    # More than LEXICAL_FIRST texts were new: a BM25-only index was installed before the embedding began
    current = (store / "index" / "CURRENT").read_text().strip()
    assert json.loads((store / "index" / current / "meta.json").read_text())["dense"] is False

    stats = json.loads(pacta("--store", str(store), "stats", "--json").stdout)  # readable after the kill
    assert stats["treaties"] == 6 and stats["index_generation"] is not None
    lexical = pacta("--store", str(store), "search", "withdrawal", "--party", "CAN", "--json")
    assert lexical.returncode == 0 and json.loads(lexical.stdout)["answered_by"] == "lexical"
    assert json.loads(lexical.stdout)["hits"] and "lexical search only" in lexical.stderr
    dense = pacta("--store", str(store), "search", "withdrawal", "--mode", "dense")
    assert dense.returncode != 0 and "still being computed" in dense.stderr and "Traceback" not in dense.stderr

    resumed = pacta("--store", str(store), "ingest", "-q", str(SAMPLE), "--json")
    assert resumed.returncode == 0, resumed.stderr
    totals = json.loads(resumed.stdout)["totals"]
    assert totals["unchanged"] == 6 and totals["index_rows"] == stats["leaf_clauses"]
    assert 0 < totals["embedded"] < totals["index_rows"]  # only what the killed run had not cached

    answer = pacta("--store", str(store), "search", "withdrawal", "--party", "CAN", "--json")
    hits = json.loads(answer.stdout)
    assert hits["hits"] and hits["answered_by"] == "hybrid" and "lexical search only" not in answer.stderr


def _clause_set(store: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(store / "graph.sqlite") as con:
        return {(cid, text) for cid, text in con.execute("SELECT clause_id, text FROM clauses")}


def _index_rows(store: Path) -> list[str]:
    current = (store / "index" / "CURRENT").read_text().strip()
    return sorted(json.loads((store / "index" / current / "meta.json").read_text())["clause_ids"])


def _vectors(store: Path) -> int:
    return count(store / "embeddings.sqlite", "SELECT count(*) FROM vectors")


def _treaties(store: Path) -> int:
    return count(store / "graph.sqlite", "SELECT count(*) FROM treaties")


def _links_done(store: Path) -> int:
    return count(store / "graph.sqlite", "SELECT count(*) FROM meta WHERE key = 'links_generation'")


# Where to kill, spread over a whole ingest: (name, condition on the store, seed the embedding cache?).
# Seeding the cache with a finished run's vectors makes the runs killed outside the embedding stage quick.
KILL_POINTS = [
    ("at start", lambda s: True, True),
    ("after the first agreement is stored", lambda s: _treaties(s) >= 1, True),
    ("half-way through reading", lambda s: _treaties(s) >= 3, True),
    ("after the first chunk of vectors", lambda s: _vectors(s) >= 1, False),
    ("after the second chunk of vectors", lambda s: _vectors(s) >= 2048, False),
    ("while linking, the index in place", lambda s: (s / "index" / "CURRENT").exists(), True),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[tuple[str, str]], list[str]]:
    """An uninterrupted ingest of the sample: the clause set and index rows every resumed run must end with."""
    store = tmp_path_factory.mktemp("reference") / "store"
    done = pacta("--store", str(store), "ingest", "-q", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    return store, _clause_set(store), _index_rows(store)


@pytest.mark.parametrize("point", KILL_POINTS, ids=[p[0] for p in KILL_POINTS])
def test_sigkill_at_many_points_then_resume_gives_the_uninterrupted_result(tmp_path: Path, reference, point):
    ref_store, ref_clauses, ref_rows = reference
    name, ready, seed_cache = point
    store = tmp_path / "store"
    store.mkdir()
    if seed_cache:
        (store / "embeddings.sqlite").write_bytes((ref_store / "embeddings.sqlite").read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--store", str(store), "ingest", "-q", str(SAMPLE)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not ready(store):
        assert proc.poll() is None, f"the ingest ended before the kill point '{name}'"
        assert time.time() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    stats = pacta("--store", str(store), "stats", "--json")  # readable after the kill
    assert stats.returncode == 0, stats.stderr
    assert "Traceback" not in stats.stderr
    listed = pacta("--store", str(store), "list", "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)["treaties"]) == _treaties(store)

    resumed = pacta("--store", str(store), "ingest", "-q", str(SAMPLE), "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert _clause_set(store) == ref_clauses
    assert _index_rows(store) == ref_rows
    assert _links_done(store) == 1
    answer = pacta("--store", str(store), "search", "withdrawal", "--party", "CAN", "--json")
    hits = json.loads(answer.stdout)
    assert hits["hits"] and hits["answered_by"] == "hybrid" and "lexical search only" not in answer.stderr
