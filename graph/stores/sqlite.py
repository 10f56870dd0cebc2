"""The embedded default graph store: one SQLite file in the store folder, no server."""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from graph import sql
from graph.records import ConflictLink, RelatedLink, SimilarLink
from graph.stores.base import TreatyFilters
from ingest.errors import StoreError
from ingest.parties import party_name
from ingest.records import Clause, DefinedTerm, Duty, ParsedTreaty, Reference, Treaty

_CHUNK = 900  # stay under SQLite's host-parameter limit


def _guarded(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A store method whose SQLite failure (a locked, corrupt or vanished file) reaches the caller as one
    StoreError naming the store and ``what`` it was doing, as the GraphStore contract says."""

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: SQLiteGraphStore, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot {what} ({exc})") from None

        return guarded

    return wrap


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _treaty(row: Sequence[Any]) -> Treaty:
    return Treaty(
        treaty_id=row[0], title=row[1], type=row[2], status=row[3], date_signed=_date(row[4]),
        date_in_force=_date(row[5]), date_inactive=_date(row[6]), language=row[7],
        parties=tuple(json.loads(row[8])), source_ids=json.loads(row[9]), source_path=row[10], content_hash=row[11],
        provenance=json.loads(row[12]),
    )


def _clause(row: Sequence[Any]) -> Clause:
    return Clause(
        clause_id=row[0], treaty_id=row[1], parent_id=row[2], level=row[3], order=row[4], citation=row[5],
        label=row[6], heading=row[7], chapter=row[8], text=row[9], context=row[10], source=json.loads(row[11]),
        clause_type=row[12], is_leaf=bool(row[13]), secondary_type=row[14], type_confidence=row[15],
        type_cue=row[16], duty=Duty.from_json(json.loads(row[17])),
    )


def _clause_row(c: Clause) -> tuple[Any, ...]:
    return (
        c.clause_id, c.treaty_id, c.parent_id, c.level, c.order, c.citation, c.label, c.heading, c.chapter,
        c.text, c.context, json.dumps(c.source, sort_keys=True), c.clause_type, int(c.is_leaf),
        c.secondary_type, c.type_confidence, c.type_cue, json.dumps(c.duty.as_json() if c.duty else {}, sort_keys=True),
    )


def _conflict(row: Sequence[Any]) -> ConflictLink:
    spans = json.loads(row[6])
    return ConflictLink(row[0], row[1], row[2], row[3], row[4], row[5], tuple(tuple(x) for x in spans[0]),
                        tuple(tuple(x) for x in spans[1]))


class SQLiteGraphStore(TreatyFilters):
    """GraphStore on SQLite (WAL journal); see graph.store.GraphStore for the contract."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the graph store ({exc})") from None

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened on its first use.

        One connection per thread, so a server (the app) can read the store from
        several threads at once: WAL lets readers run beside one writer, and a
        writer waits up to 30 s for another. ``check_same_thread=False`` only so
        that ``close`` can close every thread's connection.
        """
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA foreign_keys=ON")
                db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot open the graph store ({exc})") from None
            with self._lock:
                self._opened.append(db)
            self._local.db = db
        return db

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(sql.MIGRATIONS, start=1):
            if number > version:
                with self._db:
                    self._db.executescript(script)
                    self._db.execute(f"PRAGMA user_version = {number}")

    # -- writes -------------------------------------------------------------
    def upsert_treaty(self, parsed: ParsedTreaty) -> None:
        t = parsed.treaty
        try:
            with self._db:
                self._db.execute(sql.DELETE_CLAUSES, (t.treaty_id,))
                self._db.execute(sql.DELETE_PARTY_LINKS, (t.treaty_id,))
                self._db.execute(sql.DELETE_TREATY, (t.treaty_id,))
                self._db.execute(sql.INSERT_TREATY, (
                    t.treaty_id, t.title, t.type, t.status, _iso(t.date_signed), _iso(t.date_in_force),
                    _iso(t.date_inactive), t.language, json.dumps(list(t.parties)),
                    json.dumps(t.source_ids, sort_keys=True), t.source_path, t.content_hash,
                    json.dumps(t.provenance, sort_keys=True),
                ))
                self._db.executemany(sql.UPSERT_PARTY, ((p, party_name(p)) for p in t.parties))
                self._db.executemany(sql.INSERT_PARTY_LINK, (
                    (p, t.treaty_id, _iso(t.date_signed), _iso(t.date_in_force), _iso(t.date_inactive))
                    for p in t.parties
                ))
                self._db.executemany(sql.INSERT_CLAUSE, (_clause_row(c) for c in parsed.clauses))
                self._db.executemany(sql.INSERT_TERM, (
                    (d.clause_id, d.term, t.treaty_id, n, d.definition) for n, d in enumerate(parsed.terms)))
                self._db.executemany(sql.INSERT_TERM_USE, (
                    (user, d.clause_id, d.term) for d in parsed.terms for user in d.used_in))
                self._db.executemany(sql.UPSERT_INSTRUMENT, (
                    (r.target_id, r.target) for r in parsed.references if r.kind == "external" and r.target_id))
                self._db.executemany(sql.INSERT_REF, (
                    (r.clause_id, n, t.treaty_id, r.kind, r.mention, r.target, r.target_id)
                    for n, r in enumerate(parsed.references)))
                self._db.execute(sql.BUMP_GENERATION)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store {t.treaty_id} ({exc})") from None

    @_guarded("delete the agreement")
    def delete_treaty(self, treaty_id: str) -> bool:
        with self._db:
            self._db.execute(sql.DELETE_CLAUSES, (treaty_id,))
            self._db.execute(sql.DELETE_PARTY_LINKS, (treaty_id,))
            gone = self._db.execute(sql.DELETE_TREATY, (treaty_id,)).rowcount > 0
            if gone:
                self._db.execute(sql.BUMP_GENERATION)
        return gone

    # -- reads ----------------------------------------------------------------
    @_guarded("read the store")
    def treaty_id_for_hash(self, content_hash: str) -> str | None:
        row = self._db.execute(sql.TREATY_BY_HASH, (content_hash,)).fetchone()
        return row[0] if row else None

    @_guarded("read the agreement")
    def get_treaty(self, treaty_id: str) -> Treaty | None:
        row = self._db.execute(sql.GET_TREATY, (treaty_id,)).fetchone()
        return _treaty(row) if row else None

    def _rows_in(self, columns: str, table: str, key: str, ids: Iterable[str]) -> Iterator[Sequence[Any]]:
        """Rows whose ``key`` is among ``ids``, queried in chunks under SQLite's parameter limit."""
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start : start + _CHUNK]
            yield from self._db.execute(sql.select_in(columns, table, key, len(part)), part)

    @_guarded("read the agreements")
    def get_treaties(self, treaty_ids: Iterable[str]) -> dict[str, Treaty]:
        return {row[0]: _treaty(row) for row in self._rows_in(sql.TREATY_COLUMNS, "treaties", "treaty_id", treaty_ids)}

    @_guarded("read the agreements")
    def _all_treaties(self) -> list[Treaty]:
        return [_treaty(r) for r in self._db.execute(sql.ALL_TREATIES)]

    @_guarded("read the agreements")
    def _all_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute(sql.ALL_TREATY_IDS)}

    @_guarded("read the parties")
    def _ids_with_parties(self, codes: list[str], all_parties: bool) -> set[str]:
        return {r[0] for r in self._db.execute(sql.treaties_with_parties(len(codes), all_parties), codes)}

    @_guarded("read the dates in force")
    def _ids_in_force(self, day: date) -> set[str]:
        return {r[0] for r in self._db.execute(sql.IN_FORCE_ON, (day.isoformat(), day.isoformat()))}

    @_guarded("read the parties")
    def treaties_sharing_parties(self, treaty_id: str) -> dict[str, int]:
        return {tid: n for tid, n in self._db.execute(sql.SHARING_PARTIES, (treaty_id,))}

    @_guarded("read the clauses")
    def clauses(self, treaty_id: str) -> list[Clause]:
        return [_clause(r) for r in self._db.execute(sql.TREATY_CLAUSES, (treaty_id,))]

    @_guarded("read the clauses")
    def get_clauses(self, clause_ids: Iterable[str]) -> dict[str, Clause]:
        return {row[0]: _clause(row) for row in self._rows_in(sql.CLAUSE_COLUMNS, "clauses", "clause_id", clause_ids)}

    def iter_leaf_clauses(self) -> Iterator[Clause]:
        try:
            for row in self._db.execute(sql.LEAF_CLAUSES):
                yield _clause(row)
        except sqlite3.Error as exc:  # a generator: the decorator would not see errors raised while iterating
            raise StoreError(f"{self.path}: cannot read the clauses ({exc})") from None

    @_guarded("read the defined terms")
    def terms(self, treaty_id: str) -> list[DefinedTerm]:
        users: dict[tuple[str, str], list[str]] = {}
        for definer, term, user in self._db.execute(sql.TREATY_TERM_USES, (treaty_id,)):
            users.setdefault((definer, term), []).append(user)
        return [DefinedTerm(term, clause_id, definition, tuple(users.get((clause_id, term), ())))
                for term, clause_id, definition in self._db.execute(sql.TREATY_TERMS, (treaty_id,))]

    @_guarded("read the defined terms")
    def definitions(self, treaty_ids: Iterable[str]) -> list[DefinedTerm]:
        rows = sorted(self._rows_in(sql.TERMS_COLUMNS, "terms", "treaty_id", treaty_ids), key=lambda r: (r[0], r[1]))
        return [DefinedTerm(term, clause_id, definition) for _, _, term, clause_id, definition in rows]

    @_guarded("read the references")
    def references(self, clause_ids: Iterable[str]) -> list[Reference]:
        place = {cid: n for n, cid in enumerate(dict.fromkeys(clause_ids))}
        rows = sorted(self._rows_in(sql.REFS_COLUMNS + ", ord", "refs", "clause_id", place),
                      key=lambda r: (place[r[0]], r[5]))
        return [Reference(*row[:5]) for row in rows]

    @_guarded("read the references")
    def references_to(self, target_id: str) -> list[Reference]:
        return [Reference(*row) for row in self._db.execute(sql.REFS_TO, (target_id,))]

    def replace_conflicts(self, treaty_ids: Sequence[str], conflicts: Sequence[ConflictLink],
                          compared: Mapping[str, str], variants: Sequence[SimilarLink] = ()) -> None:
        ids = list(dict.fromkeys(treaty_ids))
        try:
            with self._db:
                for start in range(0, len(ids), _CHUNK // 2):
                    part = ids[start:start + _CHUNK // 2]
                    self._db.execute(sql.delete_conflicts_of(len(part)), part + part)
                    self._db.execute(sql.delete_variants_of(len(part)), part + part)
                self._db.executemany(sql.INSERT_VARIANT, ((v.source, v.target, v.score, v.source, v.target)
                                                          for v in variants))
                self._db.executemany(sql.INSERT_CONFLICT, (
                    (c.source, c.target, c.kind, c.severity, c.rule, c.explanation,
                     json.dumps([list(map(list, c.source_spans)), list(map(list, c.target_spans))]), c.source, c.target)
                    for c in conflicts))
                self._db.executemany(sql.UPSERT_CONFLICT_RUN, compared.items())
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store the conflicts ({exc})") from None

    def conflicts(self, treaty_ids: Iterable[str]) -> list[ConflictLink]:
        ids = list(dict.fromkeys(treaty_ids))
        out: dict[tuple[str, str, str], ConflictLink] = {}
        try:
            for start in range(0, len(ids), _CHUNK // 2):
                part = ids[start:start + _CHUNK // 2]
                for row in self._db.execute(sql.conflicts_of(len(part)), part + part):
                    out[(row[0], row[1], row[2])] = _conflict(row)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the conflicts ({exc})") from None
        return [out[k] for k in sorted(out)]

    @_guarded("read the variants")
    def variants(self, treaty_ids: Iterable[str]) -> list[SimilarLink]:
        ids = list(dict.fromkeys(treaty_ids))
        if not ids:
            return []
        if 2 * len(ids) > _CHUNK:  # both ends must be in ``ids``: read those touching them, then keep
            wanted = set(ids)
            clauses = {cid: t for cid, t in self._db.execute("SELECT clause_id, treaty_id FROM clauses")}
            rows = self._db.execute("SELECT source, target, score FROM variants ORDER BY source, target")
            return [SimilarLink(*r) for r in rows if clauses.get(r[0]) in wanted and clauses.get(r[1]) in wanted]
        return [SimilarLink(*r) for r in self._db.execute(sql.variants_of(len(ids)), ids + ids)]

    @_guarded("read the conflict runs")
    def conflict_runs(self) -> dict[str, str]:
        return dict(self._db.execute(sql.CONFLICT_RUNS).fetchall())

    def replace_links(self, similar: Sequence[SimilarLink], related: Sequence[RelatedLink], generation: int) -> None:
        try:
            with self._db:
                for statement in sql.DELETE_LINKS:
                    self._db.execute(statement)
                self._db.executemany(sql.INSERT_SIMILAR, ((s.source, s.target, s.score) for s in similar))
                self._db.executemany(sql.INSERT_RELATED, (
                    (r.treaty_a, r.treaty_b, r.shared_clauses, r.shared_parties, r.score) for r in related))
                self._db.execute(sql.SET_LINKS_GENERATION, (str(generation),))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store links ({exc})") from None

    @_guarded("read the links")
    def links_generation(self) -> int | None:
        row = self._db.execute(sql.GET_LINKS_GENERATION).fetchone()
        return int(row[0]) if row else None

    @_guarded("read the links")
    def related(self, treaty_id: str, k: int = 10) -> list[RelatedLink]:
        return [RelatedLink(*row) for row in self._db.execute(sql.RELATED, (treaty_id, k))]

    @_guarded("read the links")
    def shared_clauses(self, treaty_a: str, treaty_b: str, k: int = 3) -> list[SimilarLink]:
        out = []
        for source, target, score, source_treaty in self._db.execute(sql.SHARED_CLAUSES, (treaty_a, treaty_b, k)):
            pair = (source, target) if source_treaty == treaty_a else (target, source)
            out.append(SimilarLink(*pair, score))
        return out

    @_guarded("read the store")
    def generation(self) -> int:
        row = self._db.execute(sql.GET_GENERATION).fetchone()
        return int(row[0]) if row else 0

    @_guarded("read the store")
    def stats(self) -> dict[str, int]:
        t, c, leaves, p, links = self._db.execute(sql.COUNTS).fetchone()
        return {"treaties": t, "clauses": c, "leaf_clauses": leaves, "parties": p, "party_links": links}

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for db in opened:
            db.close()
        self._local = threading.local()
