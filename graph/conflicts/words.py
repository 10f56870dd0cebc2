"""Words of a clause as the comparison rules read them: tokens with offsets, stems, content words."""

from __future__ import annotations

import re
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")
# Words that carry no subject matter in treaty text: function words, the parties and the instrument itself,
# modal verbs and their negations (read separately by ``stance``), numbering words.
_EXTRA_STOP = frozenset("""
shall must may will should would can could not no nor neither none either each every any all both such other
this that these those its their his her they them there here which who whom whose what when where whereof
thereof therein hereby herein hereof hereunder thereunder party parties contracting state states member
members agreement chapter article articles paragraph paragraphs subparagraph section annex protocol
accordance pursuant respect regard relating related concerning provided provide provides apply applies
applied also only including include includes within than under upon between among from after before
have has had been being do does did were was is are am be shall't nothing
""".split())  # noqa: SIM905


# Numbers written in words carry no subject matter either ("sixty (60) days" speaks of days, not of sixty).
_NUMBER_WORD = re.compile(r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                          r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                          r"eighty|ninety|hundred|thousand|million|first|second|third|fourth|fifth|sixth)(?:-\w+)?")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | _EXTRA_STOP


# Words that treaties use for one act, read as one: a notice is a notification, a denunciation or an expiry is the
# agreement's termination, a matter settled or solved is resolved ("This Agreement shall expire 180 days after
# such notification" and "Denunciation shall take effect twelve months after notice" limit the same step).
_ONE_ACT = {"notic": "notif", "notifi": "notif", "written": "write", "expir": "termin", "denounc": "termin",
            "denunci": "termin", "settl": "resolv", "solut": "resolv", "solv": "resolv"}


@dataclass(frozen=True, slots=True)  # a corpus's comparison holds millions (with interned stems: 174 bytes, was 214)
class Token:
    text: str
    start: int
    end: int
    stem: str
    content: bool  # carries subject matter (not a stop word, not a number)


def tokens(text: str) -> list[Token]:
    """The words and numbers of ``text`` with their offsets and stems."""
    stem = _stemmer().stemWord
    stop = stopwords()
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower().replace("’", "'")
        content = w not in stop and not w[0].isdigit() and len(w) > 2 and not _NUMBER_WORD.fullmatch(w)
        stemmed = stem(w)
        out.append(Token(m.group(), m.start(), m.end(), sys.intern(_ONE_ACT.get(stemmed, stemmed)), content))
    return out


def content_stems(text: str) -> set[str]:
    """The stems of the words of ``text`` that carry subject matter."""
    return {t.stem for t in tokens(text) if t.content}


def overlap(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    """Overlap coefficient |a & b| / min(|a|, |b|): 1.0 when the smaller set is inside the larger (0 if empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# Where a sentence ends: a full stop, semicolon or colon before the next capital, bracket or number, or a line break.
_SENTENCE_END = re.compile(r"[.;:](?=\s+[A-Z(\d])|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or list item) of ``text`` holding the words at ``start``-``end``."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return text[begin:after.end() if after else len(text)].strip()


def sentence_words(sentence: str) -> frozenset[str]:
    """The stems of a sentence's words, its numbers left out: two sentences with the same words and other numbers
    have the same set."""
    return frozenset(t.stem for t in tokens(sentence) if not t.text[0].isdigit()
                     and not _NUMBER_WORD.fullmatch(t.text.lower()))


def find_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Offsets of each occurrence of ``phrase`` in ``text`` (case-insensitive, spacing-insensitive)."""
    words = phrase.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
