"""The team graph store: Neo4j 5 over Bolt through the official driver; see graph.store.GraphStore."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from graph import cypher
from graph.records import ConflictLink, RelatedLink, SimilarLink
from graph.stores.base import TreatyFilters
from ingest.errors import StoreError
from ingest.parties import party_name
from ingest.records import Clause, DefinedTerm, Duty, ParsedTreaty, Reference, Treaty

T = TypeVar("T")
BATCH = 2000


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _treaty(node: Any) -> Treaty:
    p = dict(node)
    return Treaty(
        treaty_id=p["treaty_id"], title=p["title"], type=p.get("type"), status=p.get("status"),
        date_signed=_native(p.get("date_signed")), date_in_force=_native(p.get("date_in_force")),
        date_inactive=_native(p.get("date_inactive")), parties=tuple(p.get("parties") or ()),
        language=p.get("language"), source_ids=json.loads(p.get("source_ids") or "{}"),
        source_path=p.get("source_path", ""), content_hash=p.get("content_hash", ""),
        provenance=json.loads(p.get("provenance") or "{}"),
    )


def _clause(node: Any) -> Clause:
    p = dict(node)
    return Clause(
        clause_id=p["clause_id"], treaty_id=p["treaty_id"], level=p["level"], citation=p["citation"],
        text=p.get("text", ""), order=p["ord"], parent_id=p.get("parent_id"), label=p.get("label", ""),
        heading=p.get("heading", ""), chapter=p.get("chapter", ""), context=p.get("context", ""),
        source=json.loads(p.get("source") or "{}"), clause_type=p.get("clause_type"), is_leaf=p["is_leaf"],
        secondary_type=p.get("secondary_type"), type_confidence=p.get("type_confidence"),
        type_cue=p.get("type_cue", ""), duty=Duty.from_json(json.loads(p.get("duty") or "{}")),
    )


def treaty_props(t: Treaty) -> dict[str, Any]:
    return {
        "treaty_id": t.treaty_id, "title": t.title, "type": t.type, "status": t.status,
        "date_signed": t.date_signed, "date_in_force": t.date_in_force, "date_inactive": t.date_inactive,
        "parties": list(t.parties), "language": t.language, "source_ids": json.dumps(t.source_ids, sort_keys=True),
        "source_path": t.source_path, "content_hash": t.content_hash,
        "provenance": json.dumps(t.provenance, sort_keys=True),
    }


def clause_props(c: Clause) -> dict[str, Any]:
    return {
        "clause_id": c.clause_id, "treaty_id": c.treaty_id, "parent_id": c.parent_id, "level": c.level,
        "ord": c.order, "citation": c.citation, "label": c.label, "heading": c.heading, "chapter": c.chapter,
        "text": c.text, "context": c.context, "source": json.dumps(c.source, sort_keys=True),
        "clause_type": c.clause_type, "is_leaf": c.is_leaf, "secondary_type": c.secondary_type,
        "type_confidence": c.type_confidence, "type_cue": c.type_cue,
        "duty": json.dumps(c.duty.as_json() if c.duty else {}, sort_keys=True),
        "modality": c.duty.modality if c.duty else None,
    }


class Neo4jGraphStore(TreatyFilters):
    """GraphStore on Neo4j 5. One managed write transaction per agreement (retried on transient errors)."""

    def __init__(self, uri: str, user: str | None = None, password: str | None = None,
                 database: str = "neo4j") -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

        self.uri = uri
        self._db = database
        self._errors: tuple[type[Exception], ...] = (Neo4jError, ServiceUnavailable, AuthError, OSError)
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password or "") if user else None,
                                                notifications_min_severity="OFF")
            self._driver.verify_connectivity()
        except AuthError:
            raise StoreError(f"Neo4j at {uri} refused the credentials (check NEO4J_USER and NEO4J_PASSWORD)") from None
        except (ServiceUnavailable, OSError, ValueError) as exc:
            raise StoreError(f"cannot reach Neo4j at {uri} ({_short(exc)}); is the server running?") from None
        self._call(self._migrate)

    # -- plumbing -------------------------------------------------------------
    def _call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` and turn any driver failure into one StoreError line naming the server."""
        try:
            return fn()
        except self._errors as exc:
            raise StoreError(f"Neo4j at {self.uri}: {_short(exc)}") from None

    def _read(self, query: str, **params: Any) -> list[Any]:
        records, _, _ = self._call(lambda: self._driver.execute_query(
            query, params, database_=self._db, routing_="r"))
        return list(records)

    def _migrate(self) -> None:
        """Apply the pending migrations; another process migrating at the same time is waited out.

        Two first connections to a fresh database (an ingest and a reader) may
        race to create the same constraints and the PactaMeta node; the loser
        gets a schema or transient error although nothing is wrong. Every
        statement is idempotent, so the migration is simply run again.
        """
        from neo4j.exceptions import ClientError, TransientError

        for attempt in range(5):
            try:
                return self._migrate_once()
            except (ClientError, TransientError) as exc:
                racing = isinstance(exc, TransientError) or "Schema" in (exc.code or "")
                if not racing or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def _migrate_once(self) -> None:
        found = self._driver.execute_query(cypher.SCHEMA_VERSION, database_=self._db).records
        version = found[0]["v"] if found and found[0]["v"] is not None else 0
        for number, statements in enumerate(cypher.MIGRATIONS, start=1):
            if number > version:
                for statement in statements:
                    self._driver.execute_query(statement, database_=self._db)
                self._driver.execute_query(cypher.SET_SCHEMA_VERSION, {"version": number}, database_=self._db)
        self._driver.execute_query("CALL db.awaitIndexes(120)", database_=self._db)

    # -- writes -------------------------------------------------------------------
    def upsert_treaty(self, parsed: ParsedTreaty) -> None:
        t = parsed.treaty
        parties = [{"code": p, "name": party_name(p), "treaty_id": t.treaty_id, "signed": t.date_signed,
                    "in_force": t.date_in_force, "inactive": t.date_inactive} for p in t.parties]
        rows = [clause_props(c) for c in parsed.clauses]
        links = [{"clause_id": c.clause_id, "parent_id": c.parent_id} for c in parsed.clauses if c.parent_id]
        terms: list[dict[str, Any]] = [{"definer_id": d.clause_id, "term": d.term, "treaty_id": t.treaty_id, "ord": n,
                  "definition": d.definition} for n, d in enumerate(parsed.terms)]
        uses: list[dict[str, Any]] = [
            {"definer_id": d.clause_id, "term": d.term, "clause_id": u} for d in parsed.terms for u in d.used_in]
        refs: list[dict[str, Any]] = [
            {"clause_id": r.clause_id, "ord": n, "kind": r.kind, "mention": r.mention, "target": r.target,
             "target_id": r.target_id} for n, r in enumerate(parsed.references)]
        by_clause: dict[str, list[dict[str, Any]]] = {}
        for r in refs:
            by_clause.setdefault(r["clause_id"], []).append(r)
        ref_props: list[dict[str, Any]] = [{"clause_id": cid, "refs": json.dumps(rs)} for cid, rs in by_clause.items()]
        to_clauses = [r for r in refs if r["kind"] == "internal" and r["target_id"]]
        to_instruments = [r for r in refs if r["kind"] == "external" and r["target_id"]]

        def work(tx: Any) -> None:
            tx.run(cypher.DELETE_TERMS, treaty_id=t.treaty_id).consume()
            tx.run(cypher.DELETE_CLAUSES, treaty_id=t.treaty_id).consume()
            tx.run(cypher.MERGE_TREATY, treaty_id=t.treaty_id, props=treaty_props(t)).consume()
            tx.run(cypher.MERGE_PARTIES, rows=parties).consume()
            for batch in cypher.batched(rows, BATCH):
                tx.run(cypher.MERGE_CLAUSES, rows=list(batch)).consume()
            for batch in cypher.batched(links, BATCH):
                tx.run(cypher.MERGE_PART_OF, rows=list(batch)).consume()
            for query, data in ((cypher.CREATE_TERMS, terms), (cypher.CREATE_TERM_USES, uses),
                                (cypher.SET_REFS, ref_props), (cypher.CREATE_REFS_TO_CLAUSES, to_clauses),
                                (cypher.CREATE_REFS_TO_INSTRUMENTS, to_instruments)):
                for batch in cypher.batched(data, BATCH):
                    tx.run(query, rows=list(batch)).consume()
            tx.run(cypher.BUMP_GENERATION).consume()

        self._call(lambda: self._session_write(work))

    def _session_write(self, work: Callable[[Any], T]) -> T:
        with self._driver.session(database=self._db) as session:
            return session.execute_write(work)

    def delete_treaty(self, treaty_id: str) -> bool:
        def work(tx: Any) -> bool:
            tx.run(cypher.DELETE_TERMS, treaty_id=treaty_id).consume()
            tx.run(cypher.DELETE_CLAUSES, treaty_id=treaty_id).consume()
            gone = tx.run(cypher.DELETE_TREATY, treaty_id=treaty_id).single()["n"] > 0
            if gone:
                tx.run(cypher.BUMP_GENERATION).consume()
            return bool(gone)

        return self._call(lambda: self._session_write(work))

    def terms(self, treaty_id: str) -> list[DefinedTerm]:
        return [DefinedTerm(r["term"], r["clause_id"], r["definition"], tuple(r["used_in"]))
                for r in self._read(cypher.TREATY_TERMS, treaty_id=treaty_id)]

    def definitions(self, treaty_ids: Iterable[str]) -> list[DefinedTerm]:
        return [DefinedTerm(r["term"], r["clause_id"], r["definition"])
                for r in self._read(cypher.TREATIES_DEFINITIONS, ids=list(dict.fromkeys(treaty_ids)))]

    def references(self, clause_ids: Iterable[str]) -> list[Reference]:
        wanted = list(dict.fromkeys(clause_ids))
        found = {r["id"]: json.loads(r["refs"]) for r in self._read(cypher.CLAUSE_REFS, ids=wanted) if r["refs"]}
        return [Reference(r["clause_id"], r["kind"], r["mention"], r["target"], r["target_id"])
                for cid in wanted for r in found.get(cid, ())]

    def references_to(self, target_id: str) -> list[Reference]:
        return [Reference(r["clause_id"], r["kind"], r["mention"], r["target"], target_id)
                for r in self._read(cypher.REFS_TO, id=target_id)]

    def replace_conflicts(self, treaty_ids: Sequence[str], conflicts: Sequence[ConflictLink],
                          compared: Mapping[str, str], variants: Sequence[SimilarLink] = ()) -> None:
        rows = [{"source": c.source, "target": c.target, "kind": c.kind, "severity": c.severity, "rule": c.rule,
                 "explanation": c.explanation,
                 "spans": json.dumps([list(map(list, c.source_spans)), list(map(list, c.target_spans))])}
                for c in conflicts]

        def run() -> None:
            with self._driver.session(database=self._db) as session:
                ids = list(dict.fromkeys(treaty_ids))
                session.execute_write(lambda tx: tx.run(cypher.DELETE_CONFLICTS_OF, ids=ids).consume())
                for batch in cypher.batched(rows, 10 * BATCH):
                    session.execute_write(_write_rows, cypher.CREATE_CONFLICTS, list(batch))
                for batch in cypher.batched([vars(v) for v in variants], 10 * BATCH):
                    session.execute_write(_write_rows, cypher.CREATE_VARIANTS, list(batch))
                # recorded last: an interrupted run leaves these agreements to be compared again
                session.execute_write(_write_rows, cypher.SET_CONFLICT_RUNS,
                                      [{"treaty_id": t, "content_hash": h} for t, h in compared.items()])

        self._call(run)

    def conflicts(self, treaty_ids: Iterable[str]) -> list[ConflictLink]:
        out = []
        for r in self._read(cypher.CONFLICTS_OF, ids=list(dict.fromkeys(treaty_ids))):
            spans = json.loads(r["spans"] or "[[], []]")
            out.append(ConflictLink(r["source"], r["target"], r["kind"], r["severity"], r["rule"], r["explanation"],
                                    tuple(tuple(x) for x in spans[0]), tuple(tuple(x) for x in spans[1])))
        return out

    def variants(self, treaty_ids: Iterable[str]) -> list[SimilarLink]:
        return [SimilarLink(r["source"], r["target"], r["score"])
                for r in self._read(cypher.VARIANTS_OF, ids=list(dict.fromkeys(treaty_ids)))]

    def conflict_runs(self) -> dict[str, str]:
        return {r["treaty_id"]: r["content_hash"] for r in self._read(cypher.CONFLICT_RUNS)}

    def replace_links(self, similar: Sequence[SimilarLink], related: Sequence[RelatedLink], generation: int) -> None:
        def run() -> None:
            with self._driver.session(database=self._db) as session:  # IN TRANSACTIONS needs auto-commit
                session.run(cypher.DELETE_SIMILAR).consume()
                session.run(cypher.DELETE_RELATED).consume()
                for query, items in ((cypher.MERGE_SIMILAR, similar), (cypher.MERGE_RELATED, related)):
                    for batch in cypher.batched([vars(x) for x in items], 10 * BATCH):
                        session.execute_write(_write_rows, query, list(batch))
                session.run(cypher.SET_LINKS_GENERATION, generation=generation).consume()

        self._call(run)

    def links_generation(self) -> int | None:
        rows = self._read(cypher.GET_LINKS_GENERATION)
        return int(rows[0]["g"]) if rows and rows[0]["g"] is not None else None

    def related(self, treaty_id: str, k: int = 10) -> list[RelatedLink]:
        return [RelatedLink(r["a"], r["b"], r["shared_clauses"], r["shared_parties"], r["score"])
                for r in self._read(cypher.RELATED, treaty_id=treaty_id, k=k)]

    def shared_clauses(self, treaty_a: str, treaty_b: str, k: int = 3) -> list[SimilarLink]:
        return [SimilarLink(r["source"], r["target"], r["score"])
                for r in self._read(cypher.SHARED_CLAUSES, treaty_a=treaty_a, treaty_b=treaty_b, k=k)]

    def wipe(self) -> None:
        """Delete every node and relationship of the database (tests and benchmarks only)."""
        def run() -> None:
            with self._driver.session(database=self._db) as session:  # IN TRANSACTIONS needs auto-commit
                session.run(cypher.WIPE).consume()

        self._call(run)

    # -- reads ------------------------------------------------------------------------
    def treaty_id_for_hash(self, content_hash: str) -> str | None:
        rows = self._read(cypher.TREATY_BY_HASH, hash=content_hash)
        return rows[0]["id"] if rows else None

    def get_treaty(self, treaty_id: str) -> Treaty | None:
        return self.get_treaties([treaty_id]).get(treaty_id)

    def get_treaties(self, treaty_ids: Iterable[str]) -> dict[str, Treaty]:
        ids = list(dict.fromkeys(treaty_ids))
        return {t.treaty_id: t for t in (_treaty(r["t"]) for r in self._read(cypher.GET_TREATIES, ids=ids))}

    def _all_treaties(self) -> list[Treaty]:
        return [_treaty(r["t"]) for r in self._read(cypher.ALL_TREATIES)]

    def _all_ids(self) -> set[str]:
        return {r["id"] for r in self._read(cypher.ALL_TREATY_IDS)}

    def _ids_with_parties(self, codes: list[str], all_parties: bool) -> set[str]:
        return {r["id"] for r in self._read(cypher.TREATIES_WITH_PARTIES, codes=codes, all=all_parties)}

    def _ids_in_force(self, day: date) -> set[str]:
        return {r["id"] for r in self._read(cypher.IN_FORCE_ON, day=day)}

    def treaties_sharing_parties(self, treaty_id: str) -> dict[str, int]:
        return {r["id"]: int(r["n"]) for r in self._read(cypher.SHARING_PARTIES, treaty_id=treaty_id)}

    def clauses(self, treaty_id: str) -> list[Clause]:
        return [_clause(r["c"]) for r in self._read(cypher.TREATY_CLAUSES, treaty_id=treaty_id)]

    def get_clauses(self, clause_ids: Iterable[str]) -> dict[str, Clause]:
        ids = list(dict.fromkeys(clause_ids))
        out: dict[str, Clause] = {}
        for batch in cypher.batched(ids, 5000):
            out.update((c.clause_id, c) for c in (_clause(r["c"]) for r in self._read(cypher.GET_CLAUSES,
                                                                                     ids=list(batch))))
        return out

    def iter_leaf_clauses(self) -> Iterator[Clause]:
        yield from (_clause(r["c"]) for r in self._read(cypher.LEAF_CLAUSES))

    def generation(self) -> int:
        rows = self._read(cypher.GET_GENERATION)
        return int(rows[0]["g"]) if rows else 0

    def stats(self) -> dict[str, int]:
        r = self._read(cypher.COUNTS)[0]
        return {k: int(r[k]) for k in ("treaties", "clauses", "leaf_clauses", "parties", "party_links")}

    def close(self) -> None:
        self._driver.close()


def _write_rows(tx: Any, query: str, rows: list[dict[str, Any]]) -> None:
    tx.run(query, rows=rows).consume()


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
