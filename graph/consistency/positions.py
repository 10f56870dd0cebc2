"""The positions a state's agreements take on the questions of ``positions.toml`` (which text prevails, where
disputes go, whether anti-dumping or export duties survive between the parties), read clause by clause, and the
questions on which they answer differently: a divergence of substance that two clauses need not share words to
show ("a Party shall not apply anti-dumping measures" against "the Parties maintain their rights under Article VI
of GATT")."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.conflicts.provisions import priority_claims
from ingest.records import Clause, Treaty

_FILE = Path(__file__).with_name("positions.toml")


@dataclass(frozen=True)
class Stance:
    id: str
    label: str
    pattern: re.Pattern[str] | None
    implies: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    title: str
    subject: re.Pattern[str]
    types: frozenset[str]
    stances: tuple[Stance, ...]
    exclude_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Evidence:
    """Where one agreement takes a stance: the clause and the offsets of the words in its full text."""

    stance: str
    clause: Clause
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """One way the state's agreements answer a question (a set of stances) and the agreements answering so."""

    stances: tuple[str, ...]
    labels: tuple[str, ...]
    treaties: tuple[Treaty, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Position:
    """A question the state's agreements answer in two or more ways, the most common answer first."""

    question: Question
    answers: tuple[Answer, ...]


@lru_cache(maxsize=1)
def questions() -> tuple[Question, ...]:
    """The questions of ``positions.toml``, patterns compiled."""
    data = tomllib.loads(_FILE.read_text(encoding="utf-8"))
    return tuple(Question(
        q["id"], q["kind"], q["title"], re.compile(q["subject"], re.I), frozenset(q.get("types", ())),
        tuple(Stance(s["id"], s["label"], re.compile(s["pattern"], re.I) if s.get("pattern") else None,
                     tuple(s.get("implies", ())), tuple(s.get("unless", ()))) for s in q["stance"]),
        frozenset(q.get("exclude_types", ()))) for q in data["question"])


def _read(q: Question, c: Clause) -> list[Evidence]:
    text = c.full_text
    if q.types and c.clause_type not in q.types and c.secondary_type not in q.types:
        return []
    if c.clause_type in q.exclude_types:
        return []
    if not q.subject.search(text):
        return []
    found = [Evidence(s.id, c, m.start(), m.end()) for s in q.stances if s.pattern for m in s.pattern.finditer(text)]
    if q.id == "priority":
        wanted = {s.id for s in q.stances}
        found += [Evidence(p.stance, c, p.start, p.end) for p in priority_claims(text) if p.stance in wanted]
    return found


def read_positions(clauses: Iterable[Clause]) -> dict[str, dict[str, list[Evidence]]]:
    """For each question, each agreement's evidence of its stances (question id -> treaty id -> evidence)."""
    out: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    qs = questions()
    for c in clauses:
        for q in qs:
            for e in _read(q, c):
                out[q.id][c.treaty_id].append(e)
    return out


def positions(clauses: Iterable[Clause], treaties: Mapping[str, Treaty]) -> list[Position]:
    """The questions on which the agreements of ``treaties`` (those ``clauses`` come from) take two or more
    positions; an agreement silent on a question takes none (silence is not read as an answer)."""
    read = read_positions(c for c in clauses if c.treaty_id in treaties)
    out = []
    for q in questions():
        labels = {s.id: s.label for s in q.stances}
        by: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for tid, found in read.get(q.id, {}).items():
            by[_answer(q, {e.stance for e in found})].append(tid)
        if len(by) < 2:
            continue
        answers = []
        for stances, tids in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            ordered = sorted(tids, key=lambda t: (str(treaties[t].date_signed or ""), t))
            shown = tuple(e for t in ordered for e in _first_per_stance(read[q.id][t]) if e.stance in stances)
            answers.append(Answer(stances, tuple(labels[s] for s in stances), tuple(treaties[t] for t in ordered),
                                  shown))
        out.append(Position(q, tuple(answers)))
    return out


def _answer(q: Question, read: set[str]) -> tuple[str, ...]:
    """An agreement's answer from the stances read in it: with what they imply, without what they make moot."""
    stances = {s.id: s for s in q.stances}
    held = read | {x for s in read for x in stances[s].implies}
    held = {s for s in held if not set(stances[s].unless) & held}
    return tuple(s for s in stances if s in held)


def _first_per_stance(evidence: list[Evidence]) -> list[Evidence]:
    """One piece of evidence per stance of one agreement (the first in reading order)."""
    seen: dict[str, Evidence] = {}
    for e in sorted(evidence, key=lambda e: (e.clause.order, e.start)):
        seen.setdefault(e.stance, e)
    return list(seen.values())
