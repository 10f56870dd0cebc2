"""Links between agreements: clauses that say the same thing (SIMILAR_TO) and the agreements they relate.

SIMILAR_TO joins clauses of different agreements whose vectors are nearest
neighbours above a cosine threshold; RELATED_TO joins two agreements with
the number of their clauses so linked, the parties they share, and a score:
the share of the smaller agreement's searchable clauses that have a
counterpart in the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

import numpy as np

from graph.records import RelatedLink, SimilarLink
from ingest.records import Treaty
from search.index import ClauseIndex
from search.vectors import ALL_PAIRS_EXACT_MAX

THRESHOLD = 0.85
NEIGHBOURS = 8  # kept per clause, from other agreements
SEARCHED = 24  # neighbours looked at per clause: the nearest are often clauses of its own agreement
BATCH = 1024


def similar_links(index: ClauseIndex, threshold: float = THRESHOLD, k: int = NEIGHBOURS,
                  progress: Callable[[int], None] | None = None,
                  exact_max: int = ALL_PAIRS_EXACT_MAX) -> list[SimilarLink]:
    """Cross-agreement nearest-neighbour pairs above ``threshold``, each pair once, built in batches.

    On a large flat index the neighbours come from an approximate index over the same vectors
    (``VectorIndex.for_all_rows``, above ``exact_max`` rows): exact search of every row against every
    row grows quadratically.
    """
    pairs: dict[tuple[int, int], float] = {}
    treaty = index.row_treaty
    searcher = index.vectors.for_all_rows(exact_max)
    for start in range(0, len(index), BATCH):
        rows = np.arange(start, min(start + BATCH, len(index)))
        scores, found = searcher.neighbours(rows, max(SEARCHED, k + 1))
        for i, row in enumerate(rows):
            kept = 0
            for score, other in zip(scores[i], found[i], strict=True):
                if kept == k or score < threshold:
                    break
                if other < 0 or treaty[other] == treaty[row]:
                    continue
                key = (int(min(row, other)), int(max(row, other)))
                pairs[key] = max(pairs.get(key, 0.0), float(score))
                kept += 1
        if progress:
            progress(len(rows))
    ids = index.clause_ids
    return [SimilarLink(ids[a], ids[b], round(min(s, 1.0), 4)) for (a, b), s in sorted(pairs.items())]


def related_links(similar: list[SimilarLink], treaty_of: Mapping[str, str], treaties: Mapping[str, Treaty],
                  leaf_counts: Mapping[str, int]) -> list[RelatedLink]:
    """Agreement pairs sharing at least one similar clause, scored by the share of the smaller one so covered."""
    covered: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for link in similar:
        ta, tb = treaty_of[link.source], treaty_of[link.target]
        a, b = (link.source, link.target) if ta < tb else (link.target, link.source)
        key = (min(ta, tb), max(ta, tb))
        covered[key][0].add(a)
        covered[key][1].add(b)
    out = []
    for (ta, tb), (in_a, in_b) in sorted(covered.items()):
        shared = min(len(in_a), len(in_b))
        smaller = max(1, min(leaf_counts.get(ta, 1), leaf_counts.get(tb, 1)))
        parties = set(treaties[ta].parties) & set(treaties[tb].parties) if ta in treaties and tb in treaties else set()
        out.append(RelatedLink(ta, tb, shared, len(parties), round(min(1.0, shared / smaller), 4)))
    return out
