"""Every SQL statement of the SQLite graph store, and its numbered schema migrations."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: treaties, parties, clauses
    """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS treaties (
        treaty_id TEXT PRIMARY KEY, title TEXT NOT NULL, type TEXT, status TEXT,
        date_signed TEXT, date_in_force TEXT, date_inactive TEXT, language TEXT,
        parties TEXT NOT NULL, source_ids TEXT NOT NULL, source_path TEXT NOT NULL,
        content_hash TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS treaties_hash ON treaties (content_hash);
    CREATE TABLE IF NOT EXISTS parties (code TEXT PRIMARY KEY, name TEXT);
    CREATE TABLE IF NOT EXISTS party_to (
        party TEXT NOT NULL REFERENCES parties (code),
        treaty_id TEXT NOT NULL REFERENCES treaties (treaty_id) ON DELETE CASCADE,
        signed TEXT, in_force TEXT, inactive TEXT,
        PRIMARY KEY (party, treaty_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS party_to_treaty ON party_to (treaty_id);
    CREATE TABLE IF NOT EXISTS clauses (
        clause_id TEXT PRIMARY KEY,
        treaty_id TEXT NOT NULL REFERENCES treaties (treaty_id) ON DELETE CASCADE,
        parent_id TEXT, level TEXT NOT NULL, ord INTEGER NOT NULL, citation TEXT NOT NULL,
        label TEXT NOT NULL, heading TEXT NOT NULL, chapter TEXT NOT NULL, text TEXT NOT NULL,
        context TEXT NOT NULL, source TEXT NOT NULL, clause_type TEXT, is_leaf INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS clauses_treaty ON clauses (treaty_id, ord);
    CREATE INDEX IF NOT EXISTS clauses_parent ON clauses (parent_id);
    CREATE INDEX IF NOT EXISTS clauses_type ON clauses (clause_type);
    """,
    # 2: links between agreements
    """
    CREATE TABLE IF NOT EXISTS similar_to (
        source TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        target TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (source, target)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS similar_to_target ON similar_to (target);
    CREATE TABLE IF NOT EXISTS related_to (
        treaty_a TEXT NOT NULL REFERENCES treaties (treaty_id) ON DELETE CASCADE,
        treaty_b TEXT NOT NULL REFERENCES treaties (treaty_id) ON DELETE CASCADE,
        shared_clauses INTEGER NOT NULL, shared_parties INTEGER NOT NULL, score REAL NOT NULL,
        PRIMARY KEY (treaty_a, treaty_b)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS related_to_b ON related_to (treaty_b);
    """,
    # 3: clause typing, with its confidence and deciding cue
    """
    ALTER TABLE clauses ADD COLUMN secondary_type TEXT;
    ALTER TABLE clauses ADD COLUMN type_confidence REAL;
    ALTER TABLE clauses ADD COLUMN type_cue TEXT NOT NULL DEFAULT '';
    """,
    # 4: duty analysis (JSON)
    """
    ALTER TABLE clauses ADD COLUMN duty TEXT NOT NULL DEFAULT '{}';
    """,
    # 5: defined terms and their uses; cross-references to clauses and instruments
    """
    CREATE TABLE IF NOT EXISTS terms (
        clause_id TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        term TEXT NOT NULL, treaty_id TEXT NOT NULL, ord INTEGER NOT NULL, definition TEXT NOT NULL,
        PRIMARY KEY (clause_id, term)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS terms_treaty ON terms (treaty_id, ord);
    CREATE TABLE IF NOT EXISTS term_uses (
        clause_id TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        definer_id TEXT NOT NULL, term TEXT NOT NULL,
        PRIMARY KEY (definer_id, term, clause_id),
        FOREIGN KEY (definer_id, term) REFERENCES terms (clause_id, term) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS term_uses_clause ON term_uses (clause_id);
    CREATE TABLE IF NOT EXISTS instruments (instrument_id TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS refs (
        clause_id TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL, treaty_id TEXT NOT NULL, kind TEXT NOT NULL, mention TEXT NOT NULL,
        target TEXT NOT NULL, target_id TEXT,
        PRIMARY KEY (clause_id, ord)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS refs_target ON refs (target_id);
    CREATE INDEX IF NOT EXISTS refs_treaty ON refs (treaty_id);
    """,
    # 6: where each metadata value came from (JSON: field -> "source"|"sidecar"|"flag"|"inferred")
    """
    ALTER TABLE treaties ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';
    """,
    # 7: clashes between clauses of different agreements (CONFLICTS_WITH) and which agreements they are
    # computed for, by content hash (a changed agreement is compared again)
    """
    CREATE TABLE IF NOT EXISTS conflicts (
        source TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        target TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        kind TEXT NOT NULL, severity TEXT NOT NULL, rule TEXT NOT NULL, explanation TEXT NOT NULL,
        spans TEXT NOT NULL DEFAULT '[[], []]',
        PRIMARY KEY (source, target, kind)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS conflicts_target ON conflicts (target);
    CREATE TABLE IF NOT EXISTS conflict_runs (treaty_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL) WITHOUT ROWID;
    """,
    # 8: variants of one provision in two agreements sharing a party (VARIANT_OF), kept with the conflicts
    """
    CREATE TABLE IF NOT EXISTS variants (
        source TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        target TEXT NOT NULL REFERENCES clauses (clause_id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (source, target)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS variants_target ON variants (target);
    """,
)

TREATY_COLUMNS = (
    "treaty_id, title, type, status, date_signed, date_in_force, date_inactive, language, "
    "parties, source_ids, source_path, content_hash, provenance"
)
CLAUSE_COLUMNS = (
    "clause_id, treaty_id, parent_id, level, ord, citation, label, heading, chapter, text, "
    "context, source, clause_type, is_leaf, secondary_type, type_confidence, type_cue, duty"
)

GET_GENERATION = "SELECT value FROM meta WHERE key = 'generation'"
BUMP_GENERATION = (
    "INSERT INTO meta (key, value) VALUES ('generation', '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)
DELETE_TREATY = "DELETE FROM treaties WHERE treaty_id = ?"
DELETE_CLAUSES = "DELETE FROM clauses WHERE treaty_id = ?"
DELETE_PARTY_LINKS = "DELETE FROM party_to WHERE treaty_id = ?"
INSERT_TREATY = f"INSERT INTO treaties ({TREATY_COLUMNS}) VALUES ({', '.join('?' * 13)})"
INSERT_CLAUSE = f"INSERT INTO clauses ({CLAUSE_COLUMNS}) VALUES ({', '.join('?' * 18)})"
INSERT_TERM = "INSERT OR IGNORE INTO terms (clause_id, term, treaty_id, ord, definition) VALUES (?, ?, ?, ?, ?)"
INSERT_TERM_USE = "INSERT OR IGNORE INTO term_uses (clause_id, definer_id, term) VALUES (?, ?, ?)"
INSERT_REF = (
    "INSERT INTO refs (clause_id, ord, treaty_id, kind, mention, target, target_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
UPSERT_INSTRUMENT = "INSERT INTO instruments (instrument_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING"
TREATY_TERMS = "SELECT term, clause_id, definition FROM terms WHERE treaty_id = ? ORDER BY ord"
TERMS_COLUMNS = "treaty_id, ord, term, clause_id, definition"
TREATY_TERM_USES = (
    "SELECT u.definer_id, u.term, u.clause_id FROM term_uses u JOIN terms t "
    "ON t.clause_id = u.definer_id AND t.term = u.term JOIN clauses c ON c.clause_id = u.clause_id "
    "WHERE t.treaty_id = ? ORDER BY c.ord"
)
REFS_COLUMNS = "clause_id, kind, mention, target, target_id"
REFS_TO = f"SELECT {REFS_COLUMNS} FROM refs WHERE target_id = ? ORDER BY treaty_id, clause_id, ord"
UPSERT_PARTY = "INSERT INTO parties (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING"
INSERT_PARTY_LINK = "INSERT INTO party_to (party, treaty_id, signed, in_force, inactive) VALUES (?, ?, ?, ?, ?)"
TREATY_BY_HASH = "SELECT treaty_id FROM treaties WHERE content_hash = ? LIMIT 1"
GET_TREATY = f"SELECT {TREATY_COLUMNS} FROM treaties WHERE treaty_id = ?"
ALL_TREATIES = f"SELECT {TREATY_COLUMNS} FROM treaties ORDER BY date_signed, treaty_id"
ALL_TREATY_IDS = "SELECT treaty_id FROM treaties"
TREATY_CLAUSES = f"SELECT {CLAUSE_COLUMNS} FROM clauses WHERE treaty_id = ? ORDER BY ord"
LEAF_CLAUSES = f"SELECT {CLAUSE_COLUMNS} FROM clauses WHERE is_leaf = 1 ORDER BY treaty_id, ord"
COUNTS = (
    "SELECT (SELECT count(*) FROM treaties), (SELECT count(*) FROM clauses), "
    "(SELECT count(*) FROM clauses WHERE is_leaf = 1), (SELECT count(*) FROM parties), "
    "(SELECT count(*) FROM party_to)"
)


def select_in(columns: str, table: str, key: str, n: int) -> str:
    """``SELECT columns FROM table WHERE key IN (?, ...)`` for ``n`` parameters (names are constants here)."""
    return f"SELECT {columns} FROM {table} WHERE {key} IN ({', '.join('?' * n)})"


def treaties_with_parties(n: int, all_parties: bool) -> str:
    """Ids of treaties with any (or all) of ``n`` parties given as parameters."""
    having = f" HAVING count(DISTINCT party) = {n}" if all_parties else ""
    return f"SELECT treaty_id FROM party_to WHERE party IN ({', '.join('?' * n)}) GROUP BY treaty_id{having}"


IN_FORCE_ON = (
    "SELECT treaty_id FROM treaties WHERE date_in_force IS NOT NULL AND date_in_force <= ? "
    "AND (date_inactive IS NULL OR date_inactive > ?)"
)

DELETE_LINKS = ("DELETE FROM similar_to", "DELETE FROM related_to")
INSERT_SIMILAR = (
    "INSERT OR REPLACE INTO similar_to (source, target, score) SELECT ?, ?, ? "
    "WHERE EXISTS (SELECT 1 FROM clauses WHERE clause_id = ?1) AND EXISTS (SELECT 1 FROM clauses WHERE clause_id = ?2)"
)
INSERT_RELATED = (
    "INSERT OR REPLACE INTO related_to (treaty_a, treaty_b, shared_clauses, shared_parties, score) "
    "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM treaties WHERE treaty_id = ?1) "
    "AND EXISTS (SELECT 1 FROM treaties WHERE treaty_id = ?2)"
)
SET_LINKS_GENERATION = (
    "INSERT INTO meta (key, value) VALUES ('links_generation', ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
GET_LINKS_GENERATION = "SELECT value FROM meta WHERE key = 'links_generation'"
RELATED = (
    "SELECT treaty_a, treaty_b, shared_clauses, shared_parties, score FROM related_to "
    "WHERE treaty_a = ?1 OR treaty_b = ?1 ORDER BY score DESC, shared_clauses DESC, treaty_a, treaty_b LIMIT ?2"
)
SHARED_CLAUSES = (
    "SELECT s.source, s.target, s.score, a.treaty_id FROM similar_to s "
    "JOIN clauses a ON a.clause_id = s.source JOIN clauses b ON b.clause_id = s.target "
    "WHERE (a.treaty_id = ?1 AND b.treaty_id = ?2) OR (a.treaty_id = ?2 AND b.treaty_id = ?1) "
    "ORDER BY s.score DESC, s.source LIMIT ?3"
)
SHARING_PARTIES = (
    "SELECT o.treaty_id, count(DISTINCT o.party) FROM party_to t JOIN party_to o ON o.party = t.party "
    "WHERE t.treaty_id = ? AND o.treaty_id <> t.treaty_id GROUP BY o.treaty_id"
)

CONFLICT_COLUMNS = "c.source, c.target, c.kind, c.severity, c.rule, c.explanation, c.spans"
INSERT_CONFLICT = (
    "INSERT OR REPLACE INTO conflicts (source, target, kind, severity, rule, explanation, spans) "
    "SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM clauses WHERE clause_id = ?) "
    "AND EXISTS (SELECT 1 FROM clauses WHERE clause_id = ?)"
)
UPSERT_CONFLICT_RUN = "INSERT OR REPLACE INTO conflict_runs (treaty_id, content_hash) VALUES (?, ?)"
CONFLICT_RUNS = "SELECT r.treaty_id, r.content_hash FROM conflict_runs r JOIN treaties t ON t.treaty_id = r.treaty_id"


def delete_conflicts_of(n: int) -> str:
    """Delete every conflict touching a clause of ``n`` treaties given as parameters (twice: source, target)."""
    marks = ", ".join("?" * n)
    return (f"DELETE FROM conflicts WHERE source IN (SELECT clause_id FROM clauses WHERE treaty_id IN ({marks})) "
            f"OR target IN (SELECT clause_id FROM clauses WHERE treaty_id IN ({marks}))")


INSERT_VARIANT = (
    "INSERT OR REPLACE INTO variants (source, target, score) SELECT ?, ?, ? "
    "WHERE EXISTS (SELECT 1 FROM clauses WHERE clause_id = ?) AND EXISTS (SELECT 1 FROM clauses WHERE clause_id = ?)"
)


def delete_variants_of(n: int) -> str:
    """Delete every variant link touching a clause of ``n`` treaties given as parameters (twice)."""
    marks = ", ".join("?" * n)
    return (f"DELETE FROM variants WHERE source IN (SELECT clause_id FROM clauses WHERE treaty_id IN ({marks})) "
            f"OR target IN (SELECT clause_id FROM clauses WHERE treaty_id IN ({marks}))")


def variants_of(n: int) -> str:
    """The variant links between two clauses both of ``n`` treaties given as parameters (twice)."""
    marks = ", ".join("?" * n)
    return (f"SELECT v.source, v.target, v.score FROM variants v JOIN clauses a ON a.clause_id = v.source "
            f"JOIN clauses b ON b.clause_id = v.target WHERE a.treaty_id IN ({marks}) AND b.treaty_id IN ({marks}) "
            "ORDER BY v.source, v.target")


def conflicts_of(n: int) -> str:
    """The conflicts touching a clause of ``n`` treaties given as parameters (twice)."""
    marks = ", ".join("?" * n)
    return (f"SELECT {CONFLICT_COLUMNS} FROM conflicts c JOIN clauses a ON a.clause_id = c.source "
            f"JOIN clauses b ON b.clause_id = c.target WHERE a.treaty_id IN ({marks}) OR b.treaty_id IN ({marks}) "
            "ORDER BY c.source, c.target, c.kind")
