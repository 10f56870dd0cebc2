"""Graph store benchmark: loading the English ToTA agreements into Neo4j with the batched writer against a
naive one-statement-per-row writer (same run, same server), and two queries on both stores.

Parsing is done once, before any timing. The naive writer runs on the first
``--naive-treaties`` agreements only (it is the slow baseline); rates are
compared per second.

    python benchmarks/neo4j_bench.py [--neo4j-uri bolt://...] [--naive-treaties 15]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

from graph import cypher
from graph.server import LocalNeo4j
from graph.store import GraphStore
from graph.stores.neo4j import Neo4jGraphStore, clause_props, treaty_props
from graph.stores.sqlite import SQLiteGraphStore
from ingest.parties import party_name
from ingest.readers import read
from ingest.records import ParsedTreaty

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "tota" / "xml"


def parse_english(corpus: Path) -> list[ParsedTreaty]:
    out = []
    for path in sorted(corpus.glob("*.xml")):
        if ET.parse(path).getroot().findtext("meta/language") != "en":
            continue
        data = path.read_bytes()
        out.append(read(path, data, hashlib.sha256(data).hexdigest()))
    return out


def counts(parsed: list[ParsedTreaty]) -> tuple[int, int]:
    """(nodes, edges) written for these treaties: treaty + clause nodes; HAS_CLAUSE, PART_OF, PARTY_TO edges."""
    nodes = sum(1 + len(p.clauses) for p in parsed)
    edges = sum(len(p.clauses) + sum(1 for c in p.clauses if c.parent_id) + len(p.treaty.parties) for p in parsed)
    return nodes, edges


def naive_write(store: Neo4jGraphStore, parsed: ParsedTreaty) -> None:
    """One auto-committed statement per node or edge, the way a first script would write it."""
    driver, t = store._driver, parsed.treaty
    driver.execute_query("MERGE (t:Treaty {treaty_id: $treaty_id}) SET t = $props",
                         treaty_id=t.treaty_id, props=treaty_props(t), database_="neo4j")
    for p in t.parties:
        driver.execute_query(cypher.MERGE_PARTIES, rows=[{
            "code": p, "name": party_name(p), "treaty_id": t.treaty_id, "signed": t.date_signed,
            "in_force": t.date_in_force, "inactive": t.date_inactive}], database_="neo4j")
    for c in parsed.clauses:
        driver.execute_query(cypher.MERGE_ONE_CLAUSE, row=clause_props(c), database_="neo4j")
    for c in parsed.clauses:
        if c.parent_id:
            driver.execute_query(cypher.MERGE_PART_OF, rows=[{"clause_id": c.clause_id, "parent_id": c.parent_id}],
                                 database_="neo4j")


def timed(fn: Any, repeat: int = 30) -> float:
    """Median wall milliseconds of ``fn()`` over ``repeat`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def query_rows(store: GraphStore, label: str) -> list[str]:
    day = date(2015, 1, 1)
    return [
        f"| {label} | agreements of CAN in force on 2015-01-01 | "
        f"{timed(lambda: store.treaty_ids(['CAN'], in_force_on=day)):.2f} |",
        f"| {label} | two hops: agreements sharing a party with NAFTA (tota-112) | "
        f"{timed(lambda: store.treaties_sharing_parties('tota-112')):.2f} |",
        f"| {label} | two hops: agreements sharing a party with EU - CARIFORUM EPA (tota-368, 42 parties) | "
        f"{timed(lambda: store.treaties_sharing_parties('tota-368')):.2f} |",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--neo4j-uri", default=os.environ.get("NEO4J_URI"))
    ap.add_argument("--naive-treaties", type=int, default=15)
    opts = ap.parse_args()
    parsed = parse_english(opts.corpus)
    server = None
    uri = opts.neo4j_uri
    if not uri:
        server = LocalNeo4j(Path(tempfile.mkdtemp(prefix="pacta-neo4j-bench-")))
        uri = server.start()
    try:
        store = Neo4jGraphStore(uri)
        store.wipe()
        sample = parsed[: opts.naive_treaties]
        start = time.perf_counter()
        for p in sample:
            naive_write(store, p)
        naive_s = time.perf_counter() - start
        store.wipe()
        start = time.perf_counter()
        for p in parsed:
            store.upsert_treaty(p)
        batched_s = time.perf_counter() - start
        n_nodes, n_edges = counts(parsed)
        s_nodes, s_edges = counts(sample)
        clauses = sum(len(p.clauses) for p in parsed)
        s_clauses = sum(len(p.clauses) for p in sample)
        assert store.stats()["clauses"] == clauses
        print(f"{len(parsed)} agreements, {clauses:,} clauses, {n_nodes:,} nodes, {n_edges:,} edges; "
              f"naive writer on the first {len(sample)} ({s_clauses:,} clauses)\n")
        print("| writer | agreements | wall s | clause nodes/s | nodes/s | edges/s |\n|---|---|---|---|---|---|")
        print(f"| naive, one statement per row (baseline) | {len(sample)} | {naive_s:.1f} | "
              f"{s_clauses / naive_s:,.0f} | {s_nodes / naive_s:,.0f} | {s_edges / naive_s:,.0f} |")
        print(f"| batched UNWIND, one transaction per agreement | {len(parsed)} | {batched_s:.1f} | "
              f"{clauses / batched_s:,.0f} | {n_nodes / batched_s:,.0f} | {n_edges / batched_s:,.0f} |")
        print(f"\nbatched / naive, clause nodes per second: {(clauses / batched_s) / (s_clauses / naive_s):.1f}x\n")
        with tempfile.TemporaryDirectory() as tmp:
            lite = SQLiteGraphStore(Path(tmp) / "g.sqlite")
            for p in parsed:
                lite.upsert_treaty(p)
            print("| store | query | median ms |\n|---|---|---|")
            for row in query_rows(lite, "SQLite") + query_rows(store, "Neo4j"):
                print(row)
            lite.close()
        store.close()
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
