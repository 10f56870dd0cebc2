"""The GraphStore contract and the graph model on a real Neo4j 5 server (never a mock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from graph.stores.neo4j import Neo4jGraphStore
from tests.contract import GraphStoreContract, treaty

pytestmark = pytest.mark.integration


@pytest.fixture
def neo4j_store(neo4j_uri: str) -> Iterator[Neo4jGraphStore]:
    store = Neo4jGraphStore(neo4j_uri)
    store.wipe()
    yield store
    store.close()


class TestNeo4jGraphStore(GraphStoreContract):
    @pytest.fixture
    def store(self, neo4j_store: Neo4jGraphStore) -> Neo4jGraphStore:
        return neo4j_store


def test_graph_model_in_cypher(neo4j_store: Neo4jGraphStore) -> None:
    neo4j_store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(1997, 7, 5)))
    rows, _, _ = neo4j_store._driver.execute_query(
        "MATCH (p:Party {code: 'CAN'})-[r:PARTY_TO]->(t:Treaty)-[:HAS_CLAUSE]->(c:Clause)-[:PART_OF]->(a:Clause) "
        "RETURN t.treaty_id AS t, r.in_force AS in_force, c.citation AS c, a.citation AS a ORDER BY c",
        database_="neo4j")
    assert [(r["t"], r["in_force"].to_native(), r["c"], r["a"]) for r in rows] == [
        ("t1", date(1997, 7, 5), "Art. 1(1)", "Art. 1"), ("t1", date(1997, 7, 5), "Art. 1(2)", "Art. 1")]
    names = {r["name"] for r in neo4j_store._driver.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN name", database_="neo4j").records}
    assert {"treaty_id", "clause_id", "party_code"} <= names
    indexes = {r["name"]: r["type"] for r in neo4j_store._driver.execute_query(
        "SHOW INDEXES YIELD name, type RETURN name, type", database_="neo4j").records}
    assert indexes["clause_text"] == "FULLTEXT" and "treaty_in_force" in indexes


