"""The links the graph stores between clauses and agreements, as plain records (no search code needed to read
them): SIMILAR_TO, CONFLICTS_WITH and RELATED_TO. ``graph.links`` computes the first and the last."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SimilarLink:
    """Two clauses of different agreements, ``source < target``, and their cosine similarity."""

    source: str
    target: str
    score: float


@dataclass(frozen=True)
class ConflictLink:
    """A clash between clauses of two agreements, as the comparison unit read it: ``source`` (the later
    agreement's clause) against ``target``; ``spans`` are the clashing words in each clause's full text."""

    source: str
    target: str
    kind: str
    severity: str
    rule: str
    explanation: str
    source_spans: tuple[tuple[int, int], ...] = ()
    target_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class RelatedLink:
    """Two agreements, ``treaty_a < treaty_b``, and why they are related."""

    treaty_a: str
    treaty_b: str
    shared_clauses: int
    shared_parties: int
    score: float
