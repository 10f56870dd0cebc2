"""Reranking the fused candidates on what a lawyer looks at: the numbers, the subject, the duty, the heading.

The hybrid search ranks by two similarity scores. A lawyer judging a hit looks at more: does the clause set the
period the query names (the near-copy with another number is the commonest wrong first hit), is it on the subject
and of the duty the query describes, does its heading say what the query asks, does it define the term the query
names, is it a whole article or one sub-paragraph of one. ``features`` reads those for each candidate; a
``Reranker`` weighs them linearly (weights fitted on the development queries of
``data/eval/search``: ``benchmarks/rerank_probe.py --write``) and keeps each feature's contribution, so a ranking
can be explained.

    >>> reranker = Reranker.load()
    >>> order = reranker.rank(read_query("within 60 days"), candidates)   # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ingest.annotate import annotate
from ingest.annotate.quantities import Quantity, quantities
from ingest.annotate.terms import defined_in
from ingest.errors import InputError
from ingest.records import Clause

# How many of the fused hits are reranked, and how many rows each retriever gives the fusion that finds them at
# least (as many as for the hits asked without reranking: asking the fusion for 50 hits would fetch 500 rows each).
DEPTH = 50
RETRIEVAL_DEPTH = 100
WEIGHTS = Path(__file__).with_name("rerank.json")
FEATURES = ("fused rank", "dense", "bm25", "dense x short query", "bm25 x short query", "numbers", "heading", "type",
            "modality", "defined term", "whole article", "sub-paragraph")
# Queries of SHORT_QUERY words or fewer read as questions, of LONG_QUERY or more as clauses pasted or rewritten
# (the two weigh the scores differently: a question's words are the clause's, a rewrite's meaning is).
SHORT_QUERY, LONG_QUERY = 10, 40
_STRONG = {"obligation", "prohibition", "permission"}
_WORD = re.compile(r"[A-Za-z]+")


_local = threading.local()  # a PyStemmer stemmer must not be shared between threads (the app's are several)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def stems(text: str) -> frozenset[str]:
    """The stems of the words of ``text`` that are not stop words (the BM25 side's stemmer and stop words)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    stop = _stop_words()
    words = [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in stop and len(w) > 1]
    return frozenset(stemmer.stemWords(words))


@dataclass(frozen=True)
class QueryReading:
    """What the query says, read once: its numbers, its words, and, read as a clause, its type and duty."""

    text: str
    numbers: tuple[Quantity, ...]
    words: frozenset[str]
    clause_type: str | None
    modality: str | None
    short: float  # 1 for a question of a few words, 0 for a pasted clause of 40 words or more


def read_query(query: str) -> QueryReading:
    """``query`` read as a clause would be (type, modality) and for its numbers and words."""
    as_clause = annotate([Clause("query/1", "query", "paragraph", "Art. 1", query, 0)])[0]  # types and duty
    modality = as_clause.duty.modality if as_clause.duty else None
    words = len(query.split())
    return QueryReading(query.lower(), quantities(query), stems(query), as_clause.clause_type,
                        modality if modality in _STRONG else None,
                        min(1.0, max(0.0, (LONG_QUERY - words) / (LONG_QUERY - SHORT_QUERY))))


@dataclass(frozen=True)
class Candidate:
    """One fused hit to rerank: its place in the fused order, its two scores and its clause."""

    rank: int  # from 1
    dense: float | None
    lexical: float | None
    clause: Clause


def _numbers(want: Sequence[Quantity], have: Sequence[Quantity]) -> float:
    """+1 when every number the query names is set by the clause (same dimension, within 5%), -1 when none is and
    the clause sets other numbers of a dimension the query names, else 0."""
    if not want:
        return 0.0
    same = [any(w.dimension == h.dimension and abs(w.normalised - h.normalised) <= 0.05 * max(abs(w.normalised), 1e-9)
                for h in have) for w in want]
    if all(same):
        return 1.0
    dims = {w.dimension for w in want}
    return -1.0 if not any(same) and any(h.dimension in dims for h in have) else 0.0


def _modality(query: str | None, clause: Clause) -> float:
    """+1 when the query's duty (shall, shall not, may) is the clause's, -1 when both bind and differ, else 0."""
    have = clause.duty.modality if clause.duty else None
    if query is None or have not in _STRONG:
        return 0.0
    return 1.0 if have == query else -1.0


def _defines_named_term(query: str, clause: Clause) -> float:
    """1 when the clause defines a term the query names ("investment", "service supplier")."""
    for term, _ in defined_in(clause):
        if len(term) >= 3 and re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", query):
            return 1.0
    return 0.0


def features(q: QueryReading, candidates: Sequence[Candidate]) -> np.ndarray:
    """The feature matrix of ``candidates`` (float64, shape (n, len(FEATURES))), in ``FEATURES`` order.

    The BM25 score is divided by the best among the candidates, so that it reads the same for every query.
    """
    best = max([c.lexical or 0.0 for c in candidates] + [1e-9])
    rows = []
    for c in candidates:
        clause = c.clause
        heading = stems(clause.heading) if clause.heading else frozenset()
        rows.append([
            -math.log(c.rank), c.dense or 0.0, (c.lexical or 0.0) / best,
            q.short * (c.dense or 0.0), q.short * (c.lexical or 0.0) / best,
            _numbers(q.numbers, quantities(clause.full_text)) if q.numbers else 0.0,
            len(heading & q.words) / len(heading) if heading else 0.0,
            float(q.clause_type is not None and q.clause_type == clause.clause_type),
            _modality(q.modality, clause),
            _defines_named_term(q.text, clause),
            float(clause.level == "article"),
            float(clause.level in ("subparagraph", "item")),
        ])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


@dataclass(frozen=True)
class Reranker:
    """A linear score over ``FEATURES``; ``adopted`` says whether plain searches use it (the held-out figures
    decided, ``benchmarks/RESULTS.md``)."""

    weights: tuple[float, ...]
    adopted: bool = False
    fitted_on: str = ""

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Reranker:
        """The reranker whose weights ``path`` holds (``search/rerank.json`` by default).

        Raises InputError if the file is missing or does not name the present features.
        """
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            weights = doc["weights"]
            if list(weights) != list(FEATURES):
                raise InputError(f"{path}: its weights are for {list(weights)}, not {list(FEATURES)}; "
                                 f"fit them again (benchmarks/rerank_probe.py --write)")
            return cls(tuple(float(weights[f]) for f in FEATURES), bool(doc.get("adopted")), doc.get("fitted_on", ""))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: cannot read the reranker's weights ({exc})") from None

    def save(self, path: Path, note: dict[str, Any]) -> None:
        doc = {"weights": dict(zip(FEATURES, (round(w, 4) for w in self.weights), strict=True)),
               "adopted": self.adopted, "fitted_on": self.fitted_on} | note
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")

    def rank(self, q: QueryReading, candidates: Sequence[Candidate]) -> list[tuple[int, float, dict[str, float]]]:
        """``(index into candidates, score, contribution of each feature)``, best first; ties keep the fused order.

        A feature's contribution is its weight times its value; the score is their sum.
        """
        if not candidates:
            return []
        x = features(q, candidates)
        w = np.array(self.weights)
        contributions = x * w
        scores = contributions.sum(axis=1)
        order = np.argsort(-scores, kind="stable")
        return [(int(i), float(scores[i]),
                 {f: round(float(v), 4) for f, v in zip(FEATURES, contributions[i], strict=True) if v != 0.0})
                for i in order]

