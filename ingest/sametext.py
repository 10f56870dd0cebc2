"""Whether two documents carry the same agreement text, whatever their formats (a .txt and a .pdf of one treaty).

Agreements made from one template are nearly identical (ToTA's Czech Republic - Romania and Slovak
Republic - Romania agreements share 98% of their five-word shingles), so resemblance is not sameness.
Two documents are the same text when their words, folded for case and punctuation, are the same
multiset but for words added on one side only: a line repeated on every page (a running header)
and numbers (the page numbers a PDF adds). A word or a number replaced (a period of 30 days made 60, "shall" made "may")
makes them different texts, so a revised version is never taken for the one stored. A sketch (the
smallest shingle hashes) finds the candidates worth counting.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.records import Clause

_SHINGLE = 5
_SKETCH = 64
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Text:
    """An agreement's words as counted for comparison, and its sketch for finding candidates."""

    words: Counter[str]
    sketch: tuple[int, ...]

    @property
    def size(self) -> int:
        return sum(self.words.values())


def text_of(clauses: Iterable[Clause]) -> Text:
    """The words of an agreement's own text: article headings and every clause, but not further language
    versions (a heading one reader takes for the article's first line still counts once)."""
    words = [w for c in clauses if not c.other_version
             for w in _WORD.findall(f"{c.heading if c.level == 'article' else ''} {c.text}".casefold())]
    shingles = {zlib.crc32(" ".join(words[i:i + _SHINGLE]).encode()) for i in range(max(1, len(words) - 4))}
    return Text(Counter(words), tuple(sorted(shingles)[:_SKETCH]))


def differing_words(a: Text, b: Text) -> tuple[int, int]:
    """How many words (not counting numbers) each text has that the other lacks."""
    only_a, only_b = a.words - b.words, b.words - a.words
    return (sum(n for w, n in only_a.items() if not w.isdigit()), sum(n for w, n in only_b.items() if not w.isdigit()))


def same_text(a: Text, b: Text) -> bool:
    """True when ``a`` and ``b`` are the same agreement text: one may have more numbers (page numbers)
    and the words of a line repeated on every page (a running header or footer the reader kept: at most
    25 different words, each count a multiple of the same number of pages, two or more), but neither has
    a word or a number the other lacks on both sides, as a changed word or number does, and no one-off
    word (an added "not")."""
    if not a.size or not b.size:
        return False
    only_a, only_b = a.words - b.words, b.words - a.words
    if only_a and only_b:  # something replaced, not only added
        return False
    extra = [n for w, n in (only_a or only_b).items() if not w.isdigit()]
    return not extra or (len(extra) <= 25 and math.gcd(*extra) >= 2)
