"""A clause read for comparison: its words, its stance, its numbers, forums, priority claims, scope
statements, definitions, MFN promise and grants of treatment, each with offsets in its full text."""

from __future__ import annotations

import re
from functools import cached_property

from graph.conflicts.forums import ForumRule, forum_rule
from graph.conflicts.provisions import (
    Grant,
    MfnClause,
    PriorityClaim,
    ScopeStatement,
    grant,
    mfn_clause,
    priority_claims,
    scope_statements,
)
from graph.conflicts.stance import Stance, stance
from graph.conflicts.words import Token, tokens
from ingest.annotate.quantities import Quantity, quantities
from ingest.annotate.terms import defined_in
from ingest.records import Clause

_NEXT_DEFINITION = re.compile(r"\n\W*[\w'’\"“” -]{1,60}?\s(?:means|includes|refers\s+to|has\s+the\s+meaning)\b", re.I)
_SCOPE_CUE = re.compile(r"\bappl(?:y|ies)\s+to\b|\bscope\b|\bcover(?:s|age)?\b|\bexclud", re.I)


class Reading:
    """What the comparison rules read in ``clause``; every offset is into ``text`` (its full text).

    The words and numbers are read at once; the rest (stance, forum, priority claims, scope statements,
    definitions, MFN promise, grant of treatment) when a rule first asks, so that a caller running only some rules
    (the state report compares numbers only) does not pay for the others."""

    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.text = clause.full_text
        self.tokens: tuple[Token, ...] = tuple(tokens(self.text))
        self.stems: frozenset[str] = frozenset(t.stem for t in self.tokens if t.content)
        self.quantities: tuple[Quantity, ...] = quantities(self.text)

    @cached_property
    def stance(self) -> Stance | None:
        return stance(self.text, self.clause.duty)

    @cached_property
    def forum(self) -> ForumRule | None:
        c = self.clause
        return forum_rule(self.text, c.clause_type, f"{c.heading} {c.chapter} {c.secondary_type or ''}")

    @cached_property
    def priority(self) -> tuple[PriorityClaim, ...]:
        return tuple(priority_claims(self.text))

    @cached_property
    def scope(self) -> tuple[ScopeStatement, ...]:
        c = self.clause
        scoped = c.clause_type == "scope" or c.secondary_type == "scope" or bool(_SCOPE_CUE.search(self.text))
        return tuple(scope_statements(self.text)) if scoped else ()

    @cached_property
    def definitions(self) -> dict[str, tuple[int, int]]:
        """Term (lower case) -> offsets of its definition."""
        return _definitions(self.clause, self.text)

    @cached_property
    def mfn(self) -> MfnClause | None:
        return mfn_clause(self.text, self.clause.clause_type)

    @cached_property
    def grant(self) -> Grant | None:
        duty = self.clause.duty
        return grant(self.text, self.clause.clause_type, duty.modality if duty else None,
                     duty.action if duty else None)


def _definitions(clause: Clause, text: str) -> dict[str, tuple[int, int]]:
    """Each term the clause defines, with the offsets of its definition up to the next term it defines."""
    offset = len(text) - len(clause.text)  # the own words follow the chapeau in the full text
    found = []
    for term, definition in defined_in(clause):
        at = text.find(definition[:60], offset) if definition else -1
        if at >= 0:
            found.append((term_key(term), at))
    found.sort(key=lambda f: f[1])
    out = {}
    for n, (term, at) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(text)
        # a glued list of definitions: the next line that defines something ends this one
        if nxt := _NEXT_DEFINITION.search(text, at, end):
            end = nxt.start()
        out[term] = (at, end)
    return out


# A footnote's number glued to the term ("enterprise of a Party32"), a word glued to "of" by a scan ("investorof a
# Party"), and the party named another way ("natural person of the other Party"): the same term (CHN-09, PER-11
# and MYS-12 of the Chinese, Peruvian and Malaysian lists)
_FOOTNOTE = re.compile(r"(?<=[a-z])\d{1,3}$")
_GLUED_OF = re.compile(r"\b(?!(?:proof|thereof|hereof|whereof|roof)\b)([a-z]{4,})of\s+"
                       r"(?=(?:a|the|each|that|another)\s)")
_WHICH_PARTY = re.compile(r"\bof\s+(?:the\s+other|another|either|that|each|the)\s+(party|member state|country)$")


def term_key(term: str) -> str:
    """How a defined term is matched across agreements: lower case, single spaces, singular ("investments"), no
    footnote number, "of a Party" however the party is named.

    >>> [term_key(t) for t in ("enterprise of a Party32", "investorof a Party", "natural person of the other Party")]
    ['enterprise of a party', 'investor of a party', 'natural person of a party']
    """
    t = " ".join(term.lower().split())
    t = _FOOTNOTE.sub("", t)
    t = _WHICH_PARTY.sub(r"of a \1", _GLUED_OF.sub(r"\1 of ", t))
    if t.endswith("ies") and len(t) > 5:  # "economic activities", "economic activity"
        return t[:-3] + "y"
    return t[:-1] if t.endswith("s") and not t.endswith(("ss", "services")) and len(t) > 4 else t


_CACHE: dict[tuple[str | None, ...], Reading] = {}
_CACHE_SIZE = 20_000


def read(clause: Clause) -> Reading:
    """The reading of ``clause`` (cached by id, text and what else is read: a clause met for several draft clauses
    is read once)."""
    key = (clause.clause_id, clause.full_text, clause.clause_type, clause.secondary_type, clause.heading,
           clause.chapter)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        found = _CACHE[key] = Reading(clause)
    return found

