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
    assert not (store / "index" / "CURRENT").exists()

    stats = json.loads(pacta("--store", str(store), "stats", "--json").stdout)  # readable after the kill
    assert stats["treaties"] == 6 and stats["index_generation"] is None

    resumed = pacta("--store", str(store), "ingest", "-q", str(SAMPLE), "--json")
    assert resumed.returncode == 0, resumed.stderr
    totals = json.loads(resumed.stdout)["totals"]
    assert totals["unchanged"] == 6 and totals["index_rows"] == stats["leaf_clauses"]
    assert 0 < totals["embedded"] < totals["index_rows"]  # only what the killed run had not cached

    hits = json.loads(pacta("--store", str(store), "search", "withdrawal", "--party", "CAN", "--json").stdout)
    assert hits["hits"]
