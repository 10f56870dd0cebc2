"""The positions a state's agreements take on the questions of ``positions.toml`` (which text prevails, where
disputes go, whether anti-dumping or export duties survive between the parties, how long a withdrawal takes after
notice), read clause by clause, and the questions on which they answer differently: a divergence of substance that
two clauses need not share words to show ("a Party shall not apply anti-dumping measures" against "the Parties
maintain their rights under Article VI of GATT"; "termination shall take effect six months after the notification"
against "this Agreement shall expire 180 days after the date of such notification").

A question has stances (patterns, each an answer) or a measure (a pattern holding the number that answers: the
number is the stance, "6 months" and "180 days" two answers, "12 months" and "one year" one)."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from graph.conflicts.provisions import priority_claims
from graph.conflicts.words import sentence_around
from ingest.annotate.quantities import Quantity, quantities
from ingest.records import Clause, Treaty

_FILE = Path(__file__).with_name("positions.toml")


@dataclass(frozen=True)
class Stance:
    id: str
    label: str
    pattern: re.Pattern[str] | None
    implies: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    skip: re.Pattern[str] | None = None  # its words do not count in a sentence saying this ("... are excluded")


@dataclass(frozen=True)
class Measure:
    """What a numeric question reads: the first number of one of ``dimensions`` that starts inside a match of
    ``pattern`` (the first whose own stretch of words after it matches ``prefer``, where one does: of "45 days after
    the consultations or 90 days after the request", the period counted from the request), in a sentence matching
    ``sentence`` (when given) and not ``skip`` (another step), passing over a number whose own stretch of words
    matches ``skip_near`` (the urgent case: "30 days ... in cases of urgency, or 60 days ... regarding all other
    matters")."""

    pattern: re.Pattern[str]
    dimensions: frozenset[str]
    sentence: re.Pattern[str] | None = None
    skip: re.Pattern[str] | None = None
    prefer: re.Pattern[str] | None = None
    skip_near: re.Pattern[str] | None = None  # a number is passed over when its own stretch of words says this
    # a period extended: the answer is the initial period plus the extension ("not exceeding two years ... may be
    # extended for a further period of no more than two years": four years), and an extension alone is none
    initial: re.Pattern[str] | None = None
    extension: re.Pattern[str] | None = None


# A number's own stretch: the words from the last break before it to the next break after it ("30 days after
# the request in cases of urgency" of "..., or 60 days after such receipt regarding all other matters"), never past
# its sentence ("... every two years. Special meetings ... at the request of any Party": the next sentence's request).
_BREAK = re.compile(r"[,;:()]|\bor\b|\n|\.\s")


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    title: str
    subject: re.Pattern[str]
    types: frozenset[str]
    stances: tuple[Stance, ...]
    exclude_types: frozenset[str] = frozenset()
    measure: Measure | None = None
    skip_chapter: re.Pattern[str] | None = None  # chapters not read: a procedure of their own (financial services)
    skip_clause: re.Pattern[str] | None = None  # clauses not read (a tax convention's own priority on tax matters)
    untyped: bool = False  # clauses no type was read for are read too ("Miscellaneous Provisions")


@dataclass(frozen=True)
class Evidence:
    """Where one agreement takes a stance: the clause and the offsets of the words in its full text."""

    stance: str
    clause: Clause
    start: int
    end: int
    label: str | None = None  # a measure's value as written ("six (6) months": "6 months"); stances have theirs


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

    def optional(pattern: str | None) -> re.Pattern[str] | None:
        return re.compile(pattern, re.I) if pattern else None

    def measure(q: dict) -> Measure | None:
        if not q.get("measure"):
            return None
        return Measure(re.compile(q["measure"], re.I), frozenset(q.get("dimensions", ("time",))),
                       optional(q.get("sentence")), optional(q.get("skip")), optional(q.get("prefer")),
                       optional(q.get("skip_near")), optional(q.get("initial")), optional(q.get("extension")))

    return tuple(Question(
        q["id"], q["kind"], q["title"], re.compile(q["subject"], re.I), frozenset(q.get("types", ())),
        tuple(Stance(s["id"], s["label"], optional(s.get("pattern")), tuple(s.get("implies", ())),
                     tuple(s.get("unless", ())), optional(s.get("skip"))) for s in q.get("stance", ())),
        frozenset(q.get("exclude_types", ())), measure(q), optional(q.get("skip_chapter")),
        optional(q.get("skip_clause")), bool(q.get("untyped"))) for q in data["question"])


MONTH_DAYS = 30.44
SAME_LENGTH = 0.03  # days within this share of a whole number of months are that many months: "180 days" is six
                    # months to a negotiator (judged the same in round 13), "45 days" is not a month and a half


def value_key(q: Quantity) -> str:
    """The stance a number takes: equal durations are one ("12 months", "one year", "180 days" and "six months"),
    a month counted ("the first day of the seventh month") apart from a period, working days apart from days."""
    if q.dimension == "time":
        unit = q.unit.split()[-1].rstrip("s")
        qualifier = " ".join(q.unit.split()[:-1])  # working / business days
        if unit in ("month", "year"):
            return f"time:{q.value * (12 if unit == 'year' else 1):g} months"
        days = q.value * (7 if unit == "week" else 1)
        months = round(days / MONTH_DAYS)
        if not qualifier and months >= 1 and abs(days / MONTH_DAYS - months) <= SAME_LENGTH * months:
            return f"time:{months:g} months"
        return f"time:{days:g} {qualifier + ' ' if qualifier else ''}days"
    return f"{q.dimension}:{q.normalised:g} {q.unit}"


def _stretch(text: str, q: Quantity) -> str:
    """The words around number ``q`` up to the nearest breaks on either side (``_BREAK``)."""
    start = max(0, q.start - 200)
    before = max((b.end() for b in _BREAK.finditer(text, start, q.start)), default=start)
    return text[before:q.end] + _after(text, q)


def _after(text: str, q: Quantity) -> str:
    """The words after number ``q`` up to the next break: what the period is counted from."""
    after = _BREAK.search(text, q.end, q.end + 200)
    return text[q.end:after.start() if after else q.end + 200]


def _measured(m: Measure, c: Clause) -> list[Evidence]:
    """Each number ``m`` reads in clause ``c``, as evidence whose words run from the match to the number."""
    text = c.full_text
    numbers: list[Quantity] | None = None
    out = []
    extended: list[Quantity] = []
    if m.extension:
        numbers = [q for q in quantities(text) if q.dimension in m.dimensions]
        extended = [q for _, q in _inside(m.extension, text, numbers, m)]
    for hit in m.pattern.finditer(text):
        if numbers is None:
            numbers = [q for q in quantities(text) if q.dimension in m.dimensions]
        within = [q for q in numbers if hit.start() <= q.start < hit.end() and q not in extended]
        inside = [q for q in within if not (m.skip_near and m.skip_near.search(_stretch(text, q)))]
        if not inside and within:  # only the urgent case inside: the other case may follow ("..., or 60 days ...")
            inside = _alternative(text, within[-1], numbers, m)
        if not inside:
            continue
        q = next((q for q in inside if m.prefer and m.prefer.search(_after(text, q))), inside[0])
        sentence = sentence_around(text, hit.start(), q.end)
        lead_in = text.split("\n", 1)[0]
        if lead_in.rstrip().endswith(":") and lead_in not in sentence:  # a list item: read with its chapeau
            sentence = f"{lead_in}\n{sentence}"
        if (m.sentence and not m.sentence.search(sentence)) or (m.skip and m.skip.search(sentence)):
            continue
        # a condition opening the sentence governs its numbers: "In cases of urgency, ... within 15 days"
        opening = sentence[:max(0, sentence.find(text[hit.start():hit.end()]))]
        if m.skip_near and m.skip_near.search(opening):
            continue
        out.append(Evidence(value_key(q), c, hit.start(), q.end, q.shown))
    if not out and extended and m.initial and numbers is not None:
        start, first = next(((s, q) for s, q in _inside(m.initial, text, numbers, m)
                             if q not in extended and q.end <= extended[0].start), (0, None))
        if first is not None:
            out.append(Evidence(value_key(_sum(first, extended[0])), c, start, extended[0].end,
                                f"{first.shown} + {extended[0].shown}"))
    return out


def _inside(pattern: re.Pattern[str], text: str, numbers: list[Quantity], m: Measure) -> list[tuple[int, Quantity]]:
    """Where each match of ``pattern`` in ``text`` starts and the first of ``numbers`` (those of ``text``) inside
    it, for the matches whose sentence ``m.skip`` does not match."""
    out = []
    for hit in pattern.finditer(text):
        q = next((q for q in numbers if hit.start() <= q.start < hit.end()), None)
        if q is not None and not (m.skip and m.skip.search(sentence_around(text, hit.start(), q.end))):
            out.append((hit.start(), q))
    return out


def _sum(a: Quantity, b: Quantity) -> Quantity:
    """Two periods end to end: in months when both are whole months or years, else in days."""
    if all(q.unit.split()[-1].rstrip("s") in ("month", "year") for q in (a, b)):
        months = sum(q.value * (12 if q.unit.startswith("year") else 1) for q in (a, b))
        return replace(a, value=months, unit="months", end=b.end)
    return replace(a, value=a.normalised + b.normalised, unit="days", end=b.end)


_OR_NEXT = re.compile(r"(?:[^.;]|\.(?=\w)){0,200}?\bor\b(?:[^.;]|\.(?=\w)){0,40}?$", re.I)


def _alternative(text: str, passed: Quantity, numbers: list[Quantity], m: Measure) -> list[Quantity]:
    """The number of the other case after one passed over ("within 30 days ... in cases of urgency, or 60 days
    after the date of such receipt regarding all other matters"): the next number of the sentence, joined to it by
    "or", whose own stretch ``skip_near`` does not match."""
    for q in numbers:
        if q.start > passed.end:
            if _OR_NEXT.match(text, passed.end, q.start) and not (
                    m.skip_near and m.skip_near.search(_stretch(text, q))):
                return [q]
            return []
    return []


def _read(q: Question, c: Clause) -> list[Evidence]:
    text = c.full_text
    if q.types and c.clause_type not in q.types and c.secondary_type not in q.types and not (
            q.untyped and c.clause_type is None):
        return []
    if c.clause_type in q.exclude_types:
        return []
    if not q.subject.search(text) or (q.skip_chapter and q.skip_chapter.search(c.chapter or "")) or (
            q.skip_clause and q.skip_clause.search(text)):
        return []
    if q.measure is not None:
        return _measured(q.measure, c)
    found = [Evidence(s.id, c, m.start(), m.end()) for s in q.stances if s.pattern for m in s.pattern.finditer(text)
             if not (s.skip and s.skip.search(sentence_around(text, m.start(), m.end())))]
    if q.id == "priority":
        wanted = {s.id for s in q.stances}
        found += [Evidence(p.stance, c, p.start, p.end) for p in priority_claims(text) if p.stance in wanted]
    return found


# What each clause answers, kept for this process: a state report read again (the app, a warm command) reads no
# clause twice. Keyed by what the reading depends on (the text by its hash, so the memo holds no texts but those of
# clauses with evidence); emptied when it grows past ``READ_MEMO`` clauses.
_READ: dict[tuple[str, str | None, str | None, str, int], list[tuple[str, Evidence]]] = {}
READ_MEMO = 400_000


def read_positions(clauses: Iterable[Clause]) -> dict[str, dict[str, list[Evidence]]]:
    """For each question, each agreement's evidence of its stances (question id -> treaty id -> evidence)."""
    out: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    qs = questions()
    for c in clauses:
        key = (c.clause_id, c.clause_type, c.secondary_type, c.chapter, hash(c.full_text))
        found = _READ.get(key)
        if found is None:
            if len(_READ) >= READ_MEMO:
                _READ.clear()
            found = _READ[key] = [(q.id, e) for q in qs for e in _read(q, c)]
        for qid, e in found:
            out[qid][c.treaty_id].append(e)
    return out


# What marks a number as a special case's rather than the ordinary rule's, when one agreement gives several for one
# question: the urgent case, a later stage of the same procedure (a panel re-established on compliance or on the
# level of suspension), a procedure already run, a meeting that did not take place, a rule for named goods that
# applies "notwithstanding" the general one. A cue the question's own title carries is its subject, not a case.
_SPECIAL_CASE = tuple(re.compile(p, re.I) for p in (
    r"\burgen(?:t|cy)\b|\bperishable\b",
    r"\bre-?(?:established|convened|constituted)\b|\breconven|\boriginal\s+panel\b|\bcompliance\b|"
    r"\bcomply\s+with\s+(?:the\s+|its\s+)?(?:ruling|report|determination|recommendations?|findings|decision)\b|"
    r"\bsuspen(?:d|sion)\b|\blevel\s+of\s+(?:benefits|concessions)\b|\breasonable\s+period\s+of\s+time\b",
    r"\balready\b|\b(?:has|have|had)\s+not\s+(?:convened|met)\b|(?:was|were|been)\s*(?:utili[sz]ed|used|invoked)\b|"
    r"\bimplementing\s+party\b",
    r"\bnotwithstanding\b|\bproduct[- ]specific\b"))


def _special(e: Evidence, cues: tuple[re.Pattern[str], ...]) -> bool:
    """The number of ``e`` is a special case's: a cue in its own stretch of words ("or within 15 days in cases of
    urgency"), in the opening words of its paragraph ("In cases of urgency, ..."), or in its sentence when that
    sentence gives no other number ("Where the procedure ... has already been used, ... within 10 days")."""
    text = e.clause.full_text
    numbers = [q for q in quantities(text) if q.dimension == e.stance.partition(":")[0]]
    own = next((q for q in numbers if q.end == e.end), None)
    if own is None:
        return False
    if any(cue.search(_stretch(text, own)) for cue in cues):
        return True
    opening = text[:160].split(",", 1)[0]  # "In cases of urgency, ...": the paragraph is the special case's
    if any(cue.search(opening) for cue in cues):
        return True
    sentence = sentence_around(text, own.start, own.end)
    alone = sum(q.dimension == own.dimension for q in quantities(sentence)) == 1
    return alone and any(cue.search(sentence) for cue in cues)


def ordinary(q: Question, evidence: list[Evidence]) -> list[Evidence]:
    """One agreement's numbers for ``q`` without those of a special case, when it gives two or more and at least
    one is the ordinary rule's ("within 30 days", and "10 days" where the procedure of Article 140 was already
    used): the question asks for the ordinary rule, and the special case is no position of the agreement's."""
    if len({e.stance for e in evidence}) < 2:
        return evidence
    cues = tuple(c for c in _SPECIAL_CASE if not c.search(q.title))
    plain = [e for e in evidence if not _special(e, cues)]
    return plain or evidence


def positions(clauses: Iterable[Clause], treaties: Mapping[str, Treaty]) -> list[Position]:
    """The questions on which the agreements of ``treaties`` (those ``clauses`` come from) take two or more
    positions; an agreement silent on a question takes none (silence is not read as an answer)."""
    read = read_positions(c for c in clauses if c.treaty_id in treaties)
    out = []
    for q in questions():
        found = read.get(q.id, {})
        if q.measure is None:
            out += _position(q, found, treaties)
            continue
        # numbers of one dimension only are compared: "the first day of the seventh month" is no period of months
        by_dimension: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
        for tid, evidence in found.items():
            for e in ordinary(q, evidence):
                by_dimension[e.stance.partition(":")[0]][tid].append(e)
        for dimension, part in sorted(by_dimension.items(), key=lambda kv: kv[0] != "time"):
            asked = q if dimension != "ordinal" else replace(q, title=f"{q.title} (as the first day of a month)")
            out += _position(asked, part, treaties)
    return out


def _position(q: Question, found: Mapping[str, list[Evidence]], treaties: Mapping[str, Treaty]) -> list[Position]:
    """The position on ``q`` if the agreements' evidence ``found`` (treaty id -> evidence) gives two or more
    answers."""
    labels = {s.id: s.label for s in q.stances}
    written: dict[str, list[str]] = defaultdict(list)  # a measure's value as each agreement writes it
    for evidence in found.values():
        for e in evidence:
            if e.label and e.label not in written[e.stance]:
                written[e.stance].append(e.label)
    labels.update((key, " / ".join(forms)) for key, forms in written.items())  # "6 months / 180 days"
    by: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for tid, evidence in found.items():
        by[_answer(q, {e.stance for e in evidence})].append(tid)
    if len(by) < 2:
        return []
    answers = []
    for stances, tids in sorted(by.items(), key=lambda kv: (-len(kv[1]), [_magnitude(x) for x in kv[0]]
                                                              if q.measure else kv[0])):
        ordered = sorted(tids, key=lambda t: (str(treaties[t].date_signed or ""), t))
        shown = tuple(e for t in ordered for e in _first_per_stance(found[t]) if e.stance in stances)
        answers.append(Answer(stances, tuple(labels[s] for s in stances), tuple(treaties[t] for t in ordered), shown))
    return [Position(q, tuple(answers))]


def _answer(q: Question, read: set[str]) -> tuple[str, ...]:
    """An agreement's answer from the stances read in it: with what they imply, without what they make moot."""
    if q.measure is not None:  # each number read is the answer; two numbers (two cases) are one answer
        return tuple(sorted(read, key=_magnitude))
    stances = {s.id: s for s in q.stances}
    held = read | {x for s in read for x in stances[s].implies}
    held = {s for s in held if not set(stances[s].unless) & held}
    return tuple(s for s in stances if s in held)


def _magnitude(key: str) -> tuple[bool, str, float]:
    """A measure's answer in order: periods first, shortest first."""
    dimension, _, rest = key.partition(":")
    value = float(rest.split()[0])
    return dimension != "time", dimension, value * (MONTH_DAYS if rest.endswith("months") else 1)


def _first_per_stance(evidence: list[Evidence]) -> list[Evidence]:
    """One piece of evidence per stance of one agreement (the first in reading order)."""
    seen: dict[str, Evidence] = {}
    for e in sorted(evidence, key=lambda e: (e.clause.order, e.start)):
        seen.setdefault(e.stance, e)
    return list(seen.values())
