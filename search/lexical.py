"""BM25 over clause texts with bm25s (English Snowball stemming, English stop words)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


class LexicalIndex:
    """A BM25 index whose rows are the rows of the clause index."""

    def __init__(self, bm25: Any) -> None:
        self._bm25 = bm25
        self._local = threading.local()  # a PyStemmer stemmer must not be shared between threads
        self._vocab: dict[str, int] = bm25.vocab_dict

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False)
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)
        return cls(bm25)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), mmap=False, show_progress=False, verbosity=0))

    def query_tokens(self, query: str) -> list[str]:
        import bm25s

        stem = getattr(self._local, "stem", None)
        if stem is None:
            stem = self._local.stem = _stemmer()
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=stem, return_ids=False, show_progress=False)[0]
        return [t for t in tokens if t in self._vocab]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query``: float32 array of shape (rows,)."""
        tokens = self.query_tokens(query)
        if not tokens:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def top(self, query: str, k: int, mask: np.ndarray | None = None,
            scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best rows with a positive score (restricted to ``mask`` if given), best first.

        ``scores`` may pass in the result of ``scores(query)`` to avoid computing it twice.
        """
        if scores is None:
            scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        k = min(k, positive)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        part = np.argpartition(-scores, k - 1)[:k]
        best = part[np.argsort(-scores[part], kind="stable")]
        return best, scores[best]
