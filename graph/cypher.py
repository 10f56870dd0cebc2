"""Every Cypher statement of the Neo4j graph store: constants for fixed statements, builders for the rest.

Values always travel as parameters; no identifier is ever spliced into a query.
Model: (:Party)-[:PARTY_TO {signed, in_force, inactive}]->(:Treaty)-[:HAS_CLAUSE]->(:Clause),
the Treaty's metadata as properties (``source_ids`` and ``provenance`` as JSON strings),
(:Clause)-[:PART_OF]->(:Clause) for the hierarchy, (:Clause)-[:DEFINES]->(:Term)<-[:USES]-(:Clause),
(:Clause)-[:REFERS_TO {ord, kind, mention, target}]->(:Clause|:Instrument) (every reference of a
clause, unresolved ones too, is also kept in its ``refs`` JSON property), one (:PactaMeta) node for
the schema version and the change counter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Numbered, idempotent schema migrations; PactaMeta.schema_version records the last one applied.
# A new node property needs none: nodes stored before it read as its default (Treaty.provenance -> {}).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE CONSTRAINT treaty_id IF NOT EXISTS FOR (t:Treaty) REQUIRE t.treaty_id IS UNIQUE",
        "CREATE CONSTRAINT clause_id IF NOT EXISTS FOR (c:Clause) REQUIRE c.clause_id IS UNIQUE",
        "CREATE CONSTRAINT party_code IF NOT EXISTS FOR (p:Party) REQUIRE p.code IS UNIQUE",
        "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:PactaMeta) REQUIRE m.key IS UNIQUE",
        "CREATE INDEX treaty_hash IF NOT EXISTS FOR (t:Treaty) ON (t.content_hash)",
        "CREATE INDEX treaty_in_force IF NOT EXISTS FOR (t:Treaty) ON (t.date_in_force)",
        "CREATE INDEX treaty_signed IF NOT EXISTS FOR (t:Treaty) ON (t.date_signed)",
        "CREATE INDEX clause_treaty IF NOT EXISTS FOR (c:Clause) ON (c.treaty_id)",
        "CREATE INDEX clause_type IF NOT EXISTS FOR (c:Clause) ON (c.clause_type)",
        "CREATE FULLTEXT INDEX clause_text IF NOT EXISTS FOR (c:Clause) ON EACH [c.text, c.heading]",
    ),
    (
        "CREATE INDEX term_definer IF NOT EXISTS FOR (t:Term) ON (t.definer_id, t.term)",
        "CREATE INDEX term_treaty IF NOT EXISTS FOR (t:Term) ON (t.treaty_id)",
        "CREATE CONSTRAINT instrument_id IF NOT EXISTS FOR (i:Instrument) REQUIRE i.instrument_id IS UNIQUE",
    ),
    (
        "CREATE CONSTRAINT conflict_run IF NOT EXISTS FOR (r:ConflictRun) REQUIRE r.treaty_id IS UNIQUE",
    ),
)
SCHEMA_VERSION = "MATCH (m:PactaMeta {key: 'graph'}) RETURN m.schema_version AS v"
SET_SCHEMA_VERSION = "MERGE (m:PactaMeta {key: 'graph'}) SET m.schema_version = $version"

GET_GENERATION = "MATCH (m:PactaMeta {key: 'graph'}) RETURN coalesce(m.generation, 0) AS g"
BUMP_GENERATION = "MERGE (m:PactaMeta {key: 'graph'}) SET m.generation = coalesce(m.generation, 0) + 1"

DELETE_CLAUSES = "MATCH (c:Clause {treaty_id: $treaty_id}) DETACH DELETE c"
DELETE_TREATY = "MATCH (t:Treaty {treaty_id: $treaty_id}) DETACH DELETE t RETURN count(t) AS n"
MERGE_TREATY = """
MERGE (t:Treaty {treaty_id: $treaty_id})
SET t = $props
WITH t
OPTIONAL MATCH (t)-[r:PARTY_TO|RELATED_TO]-()
DELETE r
"""
MERGE_PARTIES = """
UNWIND $rows AS row
MERGE (p:Party {code: row.code})
ON CREATE SET p.name = row.name
WITH p, row
MATCH (t:Treaty {treaty_id: row.treaty_id})
MERGE (p)-[r:PARTY_TO]->(t)
SET r.signed = row.signed, r.in_force = row.in_force, r.inactive = row.inactive
"""
MERGE_CLAUSES = """
UNWIND $rows AS row
MERGE (c:Clause {clause_id: row.clause_id})
SET c = row
WITH c, row
MATCH (t:Treaty {treaty_id: row.treaty_id})
MERGE (t)-[:HAS_CLAUSE]->(c)
"""
MERGE_PART_OF = """
UNWIND $rows AS row
MATCH (c:Clause {clause_id: row.clause_id})
MATCH (p:Clause {clause_id: row.parent_id})
MERGE (c)-[:PART_OF]->(p)
"""
DELETE_TERMS = "MATCH (t:Term {treaty_id: $treaty_id}) DETACH DELETE t"
CREATE_TERMS = """
UNWIND $rows AS row
MATCH (c:Clause {clause_id: row.definer_id})
CREATE (c)-[:DEFINES]->(:Term {treaty_id: row.treaty_id, term: row.term, ord: row.ord,
                               definition: row.definition, definer_id: row.definer_id})
"""
CREATE_TERM_USES = """
UNWIND $rows AS row
MATCH (t:Term {definer_id: row.definer_id, term: row.term})
MATCH (c:Clause {clause_id: row.clause_id})
MERGE (c)-[:USES]->(t)
"""
SET_REFS = """
UNWIND $rows AS row
MATCH (c:Clause {clause_id: row.clause_id})
SET c.refs = row.refs
"""
CREATE_REFS_TO_CLAUSES = """
UNWIND $rows AS row
MATCH (a:Clause {clause_id: row.clause_id})
MATCH (b:Clause {clause_id: row.target_id})
CREATE (a)-[:REFERS_TO {ord: row.ord, kind: row.kind, mention: row.mention, target: row.target}]->(b)
"""
CREATE_REFS_TO_INSTRUMENTS = """
UNWIND $rows AS row
MATCH (a:Clause {clause_id: row.clause_id})
MERGE (i:Instrument {instrument_id: row.target_id})
ON CREATE SET i.name = row.target
CREATE (a)-[:REFERS_TO {ord: row.ord, kind: row.kind, mention: row.mention, target: row.target}]->(i)
"""
TREATY_TERMS = """
MATCH (d:Clause)-[:DEFINES]->(t:Term {treaty_id: $treaty_id})
OPTIONAL MATCH (u:Clause)-[:USES]->(t)
WITH t, d, u ORDER BY u.ord
WITH t, d, collect(u.clause_id) AS used_in
RETURN t.term AS term, d.clause_id AS clause_id, t.definition AS definition, used_in
ORDER BY t.ord
"""
TREATIES_DEFINITIONS = """
MATCH (d:Clause)-[:DEFINES]->(t:Term) WHERE t.treaty_id IN $ids
RETURN t.term AS term, d.clause_id AS clause_id, t.definition AS definition
ORDER BY t.treaty_id, t.ord
"""
CLAUSE_REFS = "MATCH (c:Clause) WHERE c.clause_id IN $ids RETURN c.clause_id AS id, c.refs AS refs"
REFS_TO = """
CALL () {
  MATCH (a:Clause)-[r:REFERS_TO]->(:Clause {clause_id: $id}) RETURN a, r
  UNION ALL
  MATCH (a:Clause)-[r:REFERS_TO]->(:Instrument {instrument_id: $id}) RETURN a, r
}
RETURN a.clause_id AS clause_id, r.kind AS kind, r.mention AS mention, r.target AS target
ORDER BY a.treaty_id, a.clause_id, r.ord
"""
# The naive writer, one statement per row: the baseline of the write benchmark.
MERGE_ONE_CLAUSE = """
MERGE (c:Clause {clause_id: $row.clause_id})
SET c = $row
WITH c
MATCH (t:Treaty {treaty_id: $row.treaty_id})
MERGE (t)-[:HAS_CLAUSE]->(c)
"""

DELETE_SIMILAR = "MATCH ()-[r:SIMILAR_TO]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"
DELETE_RELATED = "MATCH ()-[r:RELATED_TO]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"
MERGE_SIMILAR = """
UNWIND $rows AS row
MATCH (a:Clause {clause_id: row.source})
MATCH (b:Clause {clause_id: row.target})
MERGE (a)-[s:SIMILAR_TO]->(b)
SET s.score = row.score
"""
MERGE_RELATED = """
UNWIND $rows AS row
MATCH (a:Treaty {treaty_id: row.treaty_a})
MATCH (b:Treaty {treaty_id: row.treaty_b})
MERGE (a)-[r:RELATED_TO]->(b)
SET r.shared_clauses = row.shared_clauses, r.shared_parties = row.shared_parties, r.score = row.score
"""
SET_LINKS_GENERATION = "MERGE (m:PactaMeta {key: 'graph'}) SET m.links_generation = $generation"
GET_LINKS_GENERATION = "MATCH (m:PactaMeta {key: 'graph'}) RETURN m.links_generation AS g"
RELATED = """
MATCH (t:Treaty {treaty_id: $treaty_id})-[r:RELATED_TO]-(:Treaty)
RETURN startNode(r).treaty_id AS a, endNode(r).treaty_id AS b, r.shared_clauses AS shared_clauses,
       r.shared_parties AS shared_parties, r.score AS score
ORDER BY score DESC, shared_clauses DESC, a, b
LIMIT $k
"""
SHARED_CLAUSES = """
MATCH (a:Clause {treaty_id: $treaty_a})-[s:SIMILAR_TO]-(b:Clause {treaty_id: $treaty_b})
RETURN a.clause_id AS source, b.clause_id AS target, s.score AS score
ORDER BY score DESC, source
LIMIT $k
"""
SHARING_PARTIES = """
MATCH (t:Treaty {treaty_id: $treaty_id})<-[:PARTY_TO]-(p:Party)-[:PARTY_TO]->(o:Treaty)
WHERE o <> t
RETURN o.treaty_id AS id, count(DISTINCT p) AS n
"""
TREATY_BY_HASH = "MATCH (t:Treaty {content_hash: $hash}) RETURN t.treaty_id AS id LIMIT 1"
GET_TREATIES = "MATCH (t:Treaty) WHERE t.treaty_id IN $ids RETURN t"
ALL_TREATIES = "MATCH (t:Treaty) RETURN t ORDER BY t.date_signed, t.treaty_id"
ALL_TREATY_IDS = "MATCH (t:Treaty) RETURN t.treaty_id AS id"
TREATIES_WITH_PARTIES = """
MATCH (p:Party)-[:PARTY_TO]->(t:Treaty)
WHERE p.code IN $codes
WITH t, count(DISTINCT p) AS n
WHERE NOT $all OR n = size($codes)
RETURN t.treaty_id AS id
"""
IN_FORCE_ON = """
MATCH (t:Treaty)
WHERE t.date_in_force IS NOT NULL AND t.date_in_force <= $day
  AND (t.date_inactive IS NULL OR t.date_inactive > $day)
RETURN t.treaty_id AS id
"""
TREATY_CLAUSES = "MATCH (c:Clause {treaty_id: $treaty_id}) RETURN c ORDER BY c.ord"
GET_CLAUSES = "MATCH (c:Clause) WHERE c.clause_id IN $ids RETURN c"
LEAF_CLAUSES = "MATCH (c:Clause) WHERE c.is_leaf RETURN c ORDER BY c.treaty_id, c.ord"
COUNTS = """
CALL () { MATCH (t:Treaty) RETURN count(t) AS treaties }
CALL () { MATCH (c:Clause) RETURN count(c) AS clauses }
CALL () { MATCH (c:Clause) WHERE c.is_leaf RETURN count(c) AS leaf_clauses }
CALL () { MATCH (p:Party) RETURN count(p) AS parties }
CALL () { MATCH (:Party)-[r:PARTY_TO]->(:Treaty) RETURN count(r) AS party_links }
RETURN treaties, clauses, leaf_clauses, parties, party_links
"""
WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def batched(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``rows`` of at most ``size`` items."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]

# -- conflicts between clauses of different agreements ---------------------------------------------------------
DELETE_CONFLICTS_OF = """
MATCH (c:Clause)-[r:CONFLICTS_WITH|VARIANT_OF]-() WHERE c.treaty_id IN $ids
DELETE r
"""
CREATE_VARIANTS = """
UNWIND $rows AS row
MATCH (a:Clause {clause_id: row.source})
MATCH (b:Clause {clause_id: row.target})
MERGE (a)-[r:VARIANT_OF]->(b)
SET r.score = row.score
"""
VARIANTS_OF = """
MATCH (a:Clause)-[r:VARIANT_OF]->(b:Clause)
WHERE a.treaty_id IN $ids AND b.treaty_id IN $ids
RETURN a.clause_id AS source, b.clause_id AS target, r.score AS score
ORDER BY source, target
"""
CREATE_CONFLICTS = """
UNWIND $rows AS row
MATCH (a:Clause {clause_id: row.source})
MATCH (b:Clause {clause_id: row.target})
MERGE (a)-[r:CONFLICTS_WITH {kind: row.kind}]->(b)
SET r.severity = row.severity, r.rule = row.rule, r.explanation = row.explanation, r.spans = row.spans
"""
SET_CONFLICT_RUNS = """
UNWIND $rows AS row
MERGE (r:ConflictRun {treaty_id: row.treaty_id})
SET r.content_hash = row.content_hash
"""
CONFLICT_RUNS = """
MATCH (r:ConflictRun), (t:Treaty {treaty_id: r.treaty_id})
RETURN r.treaty_id AS treaty_id, r.content_hash AS content_hash
"""
CONFLICTS_OF = """
MATCH (a:Clause)-[r:CONFLICTS_WITH]->(b:Clause)
WHERE a.treaty_id IN $ids OR b.treaty_id IN $ids
RETURN a.clause_id AS source, b.clause_id AS target, r.kind AS kind, r.severity AS severity, r.rule AS rule,
       r.explanation AS explanation, r.spans AS spans
ORDER BY source, target, kind
"""
