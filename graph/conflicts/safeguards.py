"""The safeguards treaty-drafting practice recommends (review, duration, withdrawal, amendment, dispute
settlement, entry into force, implementation and reporting): present in a draft or missing, and for each
missing one the precedents the parties' own agreements offer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.store import GraphStore
from ingest.records import Clause, Treaty
from search.engine import SearchEngine
from search.index import Filter


@dataclass(frozen=True)
class SafeguardRule:
    """A safeguard: the clause types that carry it, the words that must be there too (if any), and the query
    that finds precedents for it."""

    name: str
    types: frozenset[str]
    words: re.Pattern[str] | None
    query: str


SAFEGUARDS = (
    SafeguardRule("review", frozenset({"review", "institutions", "final_provisions"}),
                  re.compile(r"\breview\b|\bevaluat|\breassess", re.I),
                  "the Parties shall review the operation of this Agreement"),
    SafeguardRule("duration or sunset", frozenset({"duration_termination", "final_provisions", "entry_into_force"}),
                  re.compile(r"\bremain\s+in\s+force\b|\bduration\b|\bperiod\s+of\b.{0,40}\byears\b|\bexpire|\bsunset|"
                             r"\bunlimited\s+(?:period|duration)|\bindefinite", re.I),
                  "this Agreement shall remain in force for a period of years"),
    SafeguardRule("withdrawal", frozenset({"duration_termination", "final_provisions"}),
                  re.compile(r"\bwithdraw|\bterminat|\bdenounc", re.I),
                  "a Party may withdraw from this Agreement by written notification"),
    SafeguardRule("amendment", frozenset({"amendment", "final_provisions"}),
                  re.compile(r"\bamend", re.I), "the Parties may agree on any amendment to this Agreement"),
    SafeguardRule("dispute settlement", frozenset({"state_dispute_settlement", "isds"}), None,
                  "disputes between the Parties concerning the interpretation or application of this Agreement"),
    SafeguardRule("entry into force", frozenset({"entry_into_force", "final_provisions"}),
                  re.compile(r"\benter\s+into\s+force|\bentry\s+into\s+force", re.I),
                  "this Agreement shall enter into force on the first day of the second month following"),
    SafeguardRule("implementation and reporting", frozenset({"institutions", "transparency", "review"}),
                  re.compile(r"\bimplement|\breport|\bnotif|\bJoint\s+Committee|\bsupervis", re.I),
                  "the Joint Committee shall supervise the implementation of this Agreement"),
)
PRECEDENTS = 3


@dataclass(frozen=True)
class Safeguard:
    """A safeguard of ``SAFEGUARDS``: the draft clauses carrying it, or (missing) precedents with their treaties."""

    name: str
    present: bool
    draft_clauses: tuple[Clause, ...]
    precedents: tuple[tuple[Clause, Treaty], ...] = ()


def _carries(rule: SafeguardRule, c: Clause) -> bool:
    typed = c.clause_type in rule.types or c.secondary_type in rule.types
    worded = rule.words is None or bool(rule.words.search(f"{c.heading} {c.full_text}"))
    if rule.words is None:
        return typed
    return worded and (typed or bool(rule.words.search(c.heading)))


def safeguards(draft_clauses: Sequence[Clause], graph: GraphStore, engine: SearchEngine,
               treaty_ids: frozenset[str]) -> list[Safeguard]:
    """Each safeguard of ``SAFEGUARDS``, present in ``draft_clauses`` or missing with up to ``PRECEDENTS``
    precedents from the agreements ``treaty_ids`` (searched in words, clauses of the safeguard's types)."""
    out = []
    for rule in SAFEGUARDS:
        carrying = tuple(c for c in draft_clauses if _carries(rule, c))
        if carrying:
            out.append(Safeguard(rule.name, True, carrying))
            continue
        hits = engine.search(rule.query, PRECEDENTS * 4, Filter(treaty_ids=treaty_ids, clause_types=rule.types),
                             mode="lexical")
        clauses = graph.get_clauses(h.clause_id for h in hits)
        treaties = graph.get_treaties(c.treaty_id for c in clauses.values())
        precedents: list[tuple[Clause, Treaty]] = []
        for h in hits:
            c = clauses.get(h.clause_id)
            if c is None or c.treaty_id not in treaties or any(p.treaty_id == c.treaty_id for p, _ in precedents):
                continue
            if _carries(rule, c):
                precedents.append((c, treaties[c.treaty_id]))
            if len(precedents) == PRECEDENTS:
                break
        out.append(Safeguard(rule.name, False, (), tuple(precedents)))
    return out
