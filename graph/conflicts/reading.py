"""A clause read for comparison: its words, its stance, its numbers, forums, priority claims, scope
statements, definitions, MFN promise and grants of treatment, each with offsets in its full text."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Reading:
    """What the comparison rules read in ``clause``; every offset is into ``text`` (its full text)."""

    clause: Clause
    text: str
    tokens: tuple[Token, ...]
    stems: frozenset[str]
    stance: Stance | None
    quantities: tuple[Quantity, ...]
    forum: ForumRule | None
    priority: tuple[PriorityClaim, ...]
    scope: tuple[ScopeStatement, ...]
    definitions: dict[str, tuple[int, int]]  # term (lower case) -> offsets of its definition
    mfn: MfnClause | None
    grant: Grant | None


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


def term_key(term: str) -> str:
    """How a defined term is matched across agreements: lower case, single spaces, singular ("investments")."""
    t = " ".join(term.lower().split())
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
        found = _CACHE[key] = _read(clause)
    return found


def _read(clause: Clause) -> Reading:
    text = clause.full_text
    kind = clause.clause_type
    modality = clause.duty.modality if clause.duty else None
    toks = tuple(tokens(text))
    scoped = kind == "scope" or clause.secondary_type == "scope" or bool(_SCOPE_CUE.search(text))
    return Reading(
        clause, text, toks, frozenset(t.stem for t in toks if t.content), stance(text, clause.duty),
        quantities(text), forum_rule(text, kind, f"{clause.heading} {clause.chapter} {clause.secondary_type or ''}"),
        tuple(priority_claims(text)),
        tuple(scope_statements(text)) if scoped else (), _definitions(clause, text), mfn_clause(text, kind),
        grant(text, kind, modality, clause.duty.action if clause.duty else None))
