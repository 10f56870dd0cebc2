"""Clause typing: deterministic, fast, and explained by the cue that decided it.

Each taxonomy type lists cue phrases. A cue found in the article heading
weighs most, in the chapter name next, in the clause's own words least (and
only there as whole words). The best-scoring type wins; a second type is
kept when it scores nearly as well from a different place (an exception
inside the investment chapter is both). Structural types (definitions,
scope, objectives, preamble, cooperation) yield first place to the subject of the
chapter they sit in: the "Scope" article of the SPS chapter is an SPS clause
first. A clause whose heading and chapter name say nothing (older
agreements often have neither) is typed by the text model, which learnt
from the clauses whose headings do speak."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.annotate import taxonomy
from ingest.annotate.textmodel import guess
from ingest.records import Clause

WEIGHTS = {"heading": 3.0, "chapter": 2.0, "text": 1.0}
STRUCTURAL = frozenset({"definitions", "scope", "objectives", "preamble", "cooperation"})
SECOND_RATIO = 0.6
MODEL_MIN = 0.2  # the text model decides a clause no heading or chapter types when at least this sure


@dataclass(frozen=True)
class TypeDecision:
    """A clause's types (best first), a confidence in [0, 1] and the deciding cue ("heading: 'expropriation'")."""

    types: tuple[str, ...]
    confidence: float
    cue: str


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=1)
def _cues() -> tuple[dict[tuple[str, ...], list[tuple[str, str, int]]], int]:
    """Cue word-tuples to their (type id, cue, rank in the type's cue list), and the longest cue in words."""
    table: dict[tuple[str, ...], list[tuple[str, str, int]]] = {}
    for t in taxonomy().values():
        for rank, cue in enumerate(t.cues):
            table.setdefault(tuple(_words(cue)), []).append((t.id, cue, rank))
    return table, max(len(k) for k in table)


@lru_cache(maxsize=4096)
def _found(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(type id, cue, rank, length in words) for every cue occurring in ``text`` as whole words."""
    table, longest = _cues()
    words = _words(text)
    hits = set()
    for n in range(1, longest + 1):
        for i in range(len(words) - n + 1):
            for type_id, cue, rank in table.get(tuple(words[i : i + n]), ()):
                hits.add((type_id, cue, rank, n))
    return tuple(sorted(hits))


def by_cues(heading: str, chapter: str, text: str) -> TypeDecision | None:
    """The types the taxonomy's cues point to in the heading, chapter name and text; None when no cue matches."""
    scores: dict[str, float] = {}
    best_cue: dict[str, tuple[float, int, str]] = {}  # weight, -rank (the type's first cues explain best), text
    where: dict[str, set[str]] = {}
    for field, value in (("heading", heading), ("chapter", chapter), ("text", text[:600])):
        for type_id, cue, rank, length in _found(value) if value else ():
            if field == "text" and cue in taxonomy()[type_id].heading_only:
                continue
            weight = WEIGHTS[field] * (1 + 0.1 * (length - 1))  # longer phrases are surer
            scores[type_id] = scores.get(type_id, 0.0) + weight
            where.setdefault(type_id, set()).add(field)
            best_cue[type_id] = max(best_cue.get(type_id, (0.0, 0, "")), (weight, -rank, f"{field}: '{cue}'"))
    if not scores:
        return None
    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    top = ranked[0]
    types = [top]
    if len(ranked) > 1:
        second = ranked[1]
        if scores[second] >= SECOND_RATIO * scores[top] and where[second] != where[top]:
            types.append(second)
    if types[0] in STRUCTURAL:
        topic = next((t for t in ranked if t not in STRUCTURAL and "chapter" in where[t]), None)
        if topic is not None:
            types = [topic, types[0]]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    confidence = round(scores[top] / (scores[top] + runner_up + 1.0), 3)
    return TypeDecision(tuple(types), confidence, best_cue[types[0]][2])


def classify(heading: str, chapter: str, text: str) -> TypeDecision | None:
    """The types of a clause from its article heading, chapter name and text; None when nothing points anywhere.

    The heading and chapter name decide when a cue of the taxonomy occurs in
    them (a cue in the text may add a second type). Otherwise the text model
    (textmodel.py) decides when it is sure enough, and failing that a cue in
    the clause's own words.

    >>> classify("Expropriation and Compensation", "Investment", "No Party shall expropriate ...").types
    ('expropriation',)
    """
    framed = by_cues(heading, chapter, "")
    if framed is not None:
        full = by_cues(heading, chapter, text)
        extra = [t for t in (*framed.types[1:], *(full.types if full else ())) if t != framed.types[0]]
        return replace(framed, types=(framed.types[0], *extra[:1]))
    g = guess(text)
    if g is not None and g.probability >= MODEL_MIN:
        return TypeDecision((g.type_id,), g.probability, "text model: " + ", ".join(f"'{w}'" for w in g.words))
    return by_cues("", "", text)


def with_types(c: Clause) -> Clause:
    """The clause with its types, confidence and deciding cue filled in (untyped where no cue matches)."""
    d = classify(c.heading, c.chapter, c.full_text)
    if d is None:
        return replace(c, clause_type=None, secondary_type=None, type_confidence=None, type_cue="")
    return replace(c, clause_type=d.types[0], secondary_type=d.types[1] if len(d.types) > 1 else None,
                   type_confidence=d.confidence, type_cue=d.cue)
