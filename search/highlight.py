"""Which words of a clause match the query: the spans a reader's eye should land on."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"\w\w+", re.U)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def spans(query: str, text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets in ``text`` of the words sharing a stem with a query word.

    >>> spans("withdrawal notice", "A Party may withdraw by written notice.")
    [(12, 20), (32, 38)]
    """
    stem = _stemmer().stemWord
    stop = _stopwords()
    wanted = {stem(w.lower()) for w in _WORD.findall(query) if w.lower() not in stop}
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if stem(m.group().lower()) in wanted]


def mark(text: str, found: list[tuple[int, int]], before: str, after: str) -> str:
    """``text`` with ``before``/``after`` around each span (e.g. ANSI bold, or ** for Markdown)."""
    out, last = [], 0
    for start, end in found:
        out += [text[last:start], before, text[start:end], after]
        last = end
    out.append(text[last:])
    return "".join(out)
