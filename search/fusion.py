"""Reciprocal rank fusion of several ranked lists of row numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.errors import InputError

RRF_K = 60


@dataclass(frozen=True)
class Fusion:
    """How hybrid search weighs its two rankings: score = dense / (k + rank) + lexical / (k + rank)."""

    k: int = RRF_K
    dense: float = 1.0
    lexical: float = 1.0


DEFAULT_FUSION = Fusion()


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Fuse ranked lists (best first) into one: score(row) = sum of weight / (k + rank), rank from 1.

    Returns ``(row, score)`` pairs, best first; ties keep the order of first appearance.

    >>> reciprocal_rank_fusion([[3, 1], [1, 2]])[0][0]
    1
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise InputError("one weight per ranking is required")
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, row in enumerate(ranking, start=1):
            scores[row] = scores.get(row, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])
