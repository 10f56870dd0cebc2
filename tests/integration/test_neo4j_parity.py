"""Every command gives the same answers with --graph neo4j (a real server) as with the embedded default."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.server import LocalNeo4j
from graph.stores.neo4j import Neo4jGraphStore
from tests.conftest import SAMPLE
from tests.integration.conftest import run_json
from tests.integration.test_check import DRAFT

pytestmark = pytest.mark.integration


def test_same_answers_on_both_stores(sample_store: Path, neo4j_uri: str, capsys):
    wipe = Neo4jGraphStore(neo4j_uri)
    wipe.wipe()
    wipe.close()
    neo = ["--store", str(sample_store), "--graph", "neo4j", "--neo4j-uri", neo4j_uri]
    lite = ["--store", str(sample_store)]
    code, ingested = run_json(capsys, [*neo, "ingest", "-q", str(SAMPLE)])
    assert code == 0 and ingested["totals"]["ingested"] == 6
    assert ingested["totals"]["embedded"] == 0  # the embedding cache is shared; only the graph differs
    for argv in (["search", "withdrawal from the agreement by written notice", "--party", "CAN"],
                 ["search", "rules of origin", "--in-force-on", "1998-01-01", "-k", "5"],
                 ["search", "customs duties", "--party", "CAN", "--party", "CHE", "--all-parties", "-k", "5"],
                 ["related", "tota-101"], ["show", "tota-143"], ["list", "--party", "CAN"]):
        _, a = run_json(capsys, [*lite, *argv])
        _, b = run_json(capsys, [*neo, *argv])
        assert a == b, argv
    check = ["check", str(DRAFT), "--parties", "CAN,CHL", "--as-of", "2015-01-01"]
    _, a = run_json(capsys, [*lite, *check])
    _, b = run_json(capsys, [*neo, *check])
    a.pop("seconds"), b.pop("seconds")
    assert a == b and a["findings"]
    state = ["state", "CAN", "--as-of", "2015-01-01"]
    _, a = run_json(capsys, [*lite, *state])
    _, b = run_json(capsys, [*neo, *state])
    assert a == b and a["divergences"] and a["variants"]
    _, a = run_json(capsys, [*lite, "stats"])
    _, b = run_json(capsys, [*neo, "stats"])
    keys = ("treaties", "clauses", "leaf_clauses", "parties", "party_links")
    assert [a[k] for k in keys] == [b[k] for k in keys]
    code, again = run_json(capsys, [*neo, "ingest", "-q", str(SAMPLE)])
    assert code == 0 and {f["status"] for f in again["files"]} == {"unchanged"}


def test_neo4j_down_is_one_line_exit_1(capsys):
    from app.cli import main

    assert main(["--graph", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:1", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("pacta: cannot reach Neo4j at bolt://127.0.0.1:1") and "\n" not in err


def test_server_stopped_mid_ingest_then_rerun_completes(tmp_path: Path, tota: Path):
    """Stop a real server while an ingest writes to it, restart it, re-run: nothing duplicated or missing."""
    server = LocalNeo4j(tmp_path / "server")
    uri = server.start()
    # a small agreement first, then NAFTA, whose write is under way when the server goes down
    files = [tota / "pta_143.xml", tota / "pta_112.xml"]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, f in enumerate(files):
        (corpus / f"{n}_{f.name}").symlink_to(f)
    store = tmp_path / "store"
    argv = [sys.executable, "-m", "app.cli", "--store", str(store), "--graph", "neo4j", "--neo4j-uri", uri,
            "ingest", "-q", "--json", str(corpus)]
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        graph = Neo4jGraphStore(uri)
        deadline = time.time() + 120
        while graph.stats()["treaties"] < 1:  # stop the server once writing is under way
            if proc.poll() is not None:
                pytest.fail(f"the ingest ended before the server was stopped: {proc.communicate()}")
            assert time.time() < deadline
            time.sleep(0.05)
        graph.close()
        threading.Thread(target=server.stop, daemon=True).start()
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, err
        assert "Traceback" not in err and f"Neo4j at {uri}" in err
        assert len(err.strip().splitlines()) == 1
        uri = server.start(port=int(uri.rsplit(":", 1)[1]))
        rerun = subprocess.run(argv, capture_output=True, text=True, timeout=900)
        assert rerun.returncode == 0, rerun.stderr
        graph = Neo4jGraphStore(uri)
        stats = graph.stats()
        expected = 0
        from ingest.readers import read

        for f in files:
            data = f.read_bytes()
            expected += len(read(f, data, "x").clauses)
        assert stats["treaties"] == len(files) and stats["clauses"] == expected
        rows, _, _ = graph._driver.execute_query(
            "MATCH (c:Clause) WITH c.clause_id AS id, count(*) AS n WHERE n > 1 RETURN count(id) AS dup",
            database_="neo4j")
        assert rows[0]["dup"] == 0
        rows, _, _ = graph._driver.execute_query(
            "MATCH (c:Clause) WHERE NOT (:Treaty)-[:HAS_CLAUSE]->(c) RETURN count(c) AS orphans", database_="neo4j")
        assert rows[0]["orphans"] == 0
        rows, _, _ = graph._driver.execute_query(
            "MATCH (c:Clause) WHERE c.parent_id IS NOT NULL AND NOT (c)-[:PART_OF]->(:Clause) "
            "RETURN count(c) AS n", database_="neo4j")
        assert rows[0]["n"] == 0
        graph.close()
    finally:
        server.stop()


def test_first_connections_racing_on_a_fresh_database_all_succeed(tmp_path: Path):
    """An ingest and a reader opening a fresh database at once both migrate it; neither may fail."""
    from graph import cypher

    server = LocalNeo4j(tmp_path / "server")
    uri = server.start()
    try:
        errors: list[BaseException] = []
        stores: list[Neo4jGraphStore] = []

        def connect() -> None:
            try:
                stores.append(Neo4jGraphStore(uri))
            except BaseException as exc:  # noqa: BLE001 - the test reports whatever escaped
                errors.append(exc)

        threads = [threading.Thread(target=connect) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert errors == [] and len(stores) == 4
        rows, _, _ = stores[0]._driver.execute_query(cypher.SCHEMA_VERSION, database_="neo4j")
        assert rows[0]["v"] == len(cypher.MIGRATIONS)
        for s in stores:
            s.close()
    finally:
        server.stop()
