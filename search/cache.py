"""Embedding cache keyed by model and text hash, so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ingest.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    key   TEXT NOT NULL,
    vec   BLOB NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors stored in ``embeddings.sqlite`` of the store folder; each write commits on its own.

    A locked, corrupt or vanished cache file reaches the caller as one StoreError naming the file and what was
    being done, as the graph store's SQLite failures do; a missing key stays a KeyError (``get``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._guard("open the embedding cache"):
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot {what} ({exc})") from None

    def missing(self, model: str, keys: Iterable[str]) -> list[str]:
        """The keys (in the order given, without repeats) that have no vector yet for ``model``."""
        with self._guard("read the embedding cache"):
            have = {k for (k,) in self._db.execute("SELECT key FROM vectors WHERE model = ?", (model,))}
        return [k for k in dict.fromkeys(keys) if k not in have]

    def put(self, model: str, keys: Sequence[str], vectors: np.ndarray) -> None:
        rows = (
            (model, k, np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for k, v in zip(keys, vectors, strict=True)
        )
        with self._guard("write the embedding cache"), self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)", rows)

    def get(self, model: str, keys: Sequence[str], dim: int | None = None) -> np.ndarray:
        """Vectors for ``keys`` in order, float32 of shape (len(keys), dim), read straight into the array (no copy
        of the whole cache's bytes is held); ``dim`` None takes the stored vectors' length (keys must not be
        empty). Raises KeyError for a missing key."""
        at: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            at.setdefault(k, []).append(i)
        wanted = list(at)
        out = np.empty((len(keys), dim or 0), dtype=np.float32) if dim or not keys else None
        seen = 0
        with self._guard("read the embedding cache"):
            for start in range(0, len(wanted), 900):
                part = wanted[start : start + 900]
                marks = ",".join("?" * len(part))
                for key, vec in self._db.execute(
                        f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})", (model, *part)):
                    v = np.frombuffer(vec, dtype=np.float32)
                    if out is None:
                        out = np.empty((len(keys), len(v)), dtype=np.float32)
                    out[at[key]] = v
                    seen += 1
        if seen < len(wanted) or out is None:
            have = {k for k, in self._db.execute("SELECT key FROM vectors WHERE model = ?", (model,))}
            raise KeyError(next(k for k in wanted if k not in have))
        return out

    def count(self, model: str | None = None) -> int:
        with self._guard("read the embedding cache"):
            if model is None:
                return int(self._db.execute("SELECT count(*) FROM vectors").fetchone()[0])
            return int(self._db.execute("SELECT count(*) FROM vectors WHERE model = ?", (model,)).fetchone()[0])

    def close(self) -> None:
        with self._guard("close the embedding cache"):
            self._db.close()
