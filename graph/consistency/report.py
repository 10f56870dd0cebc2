"""The consistency report of one state: its agreements over time, the subjects each covers, where its commitments
diverge by subject (numbers, forums, duties, scope, priority clauses, definitions), the versions of each provision
across its agreements (``variants``), and the clashes between its
agreements in force, labelled legal conflict (the two bind the same partner) or inconsistency (different
partners). A read of the stored CONFLICTS_WITH links and terms (``edges`` keeps them current)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from graph.conflicts.model import Kind, Severity
from graph.conflicts.reading import read
from graph.conflicts.vclt import ConflictClause, PriorityNote, priority_note
from graph.consistency.definitions import Definition, claimed, definitions, subject_of, whole
from graph.consistency.positions import Position, positions
from graph.consistency.variants import VariantGroup, variant_groups
from graph.records import ConflictLink
from graph.store import GraphStore
from ingest.records import Clause, Treaty
from search.index import ClauseIndex

# How much a kind of divergence matters to a negotiator, most first.
WEIGHT = {"forum": 0, "modality": 1, "priority": 2, "scope": 3, "numeric": 4, "definition": 5}


@dataclass(frozen=True)
class Pair:
    """One stored clash between two of the state's agreements: ``later`` against ``earlier`` clause."""

    link: ConflictLink
    later: Clause
    later_treaty: Treaty
    earlier: Clause
    earlier_treaty: Treaty
    legal: bool  # the two agreements bind the same partner: a legal conflict, else an inconsistency
    note: PriorityNote | None
    also: tuple[Pair, ...] = ()  # the same kind of clash between other sub-paragraphs of the same two articles


@dataclass(frozen=True)
class Group:
    """The divergences of one kind within one subject (clause type), with the state's most common and most
    recent wording among the clauses involved."""

    clause_type: str
    kind: str
    pairs: tuple[Pair, ...]
    most_common: Clause | None
    most_common_count: int
    most_recent: Clause | None


@dataclass
class StateReport:
    party: str
    as_of: date
    treaties: list[Treaty]
    in_force: set[str]
    types: list[str]
    coverage: dict[str, Counter[str]]
    never: list[str]
    groups: list[Group] = field(default_factory=list)
    definitions: dict[tuple[str, str | None], list[Definition]] = field(default_factory=dict)  # (term, subject)
    other_definitions: dict[tuple[str, str | None], list[Definition]] = field(default_factory=dict)  # words only
    conflicts: list[Pair] = field(default_factory=list)
    variants: list[VariantGroup] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)


def _coverage(index: ClauseIndex, treaty_ids: Sequence[str]) -> dict[str, Counter[str]]:
    """Clause types per agreement, counted over its searchable clauses (read from the index, not the graph)."""
    codes = {t: n for n, t in enumerate(index.treaties)}
    out: dict[str, Counter[str]] = {}
    types = np.asarray(index.types, dtype=object)
    for t in treaty_ids:
        rows = np.flatnonzero(index.row_treaty == codes[t]) if t in codes else np.zeros(0, dtype=np.int64)
        out[t] = Counter(x for x in types[rows] if x)
    return out


def _conflict_clauses(graph: GraphStore, index: ClauseIndex, treaty_ids: set[str]) -> list[ConflictClause]:
    wanted = {n for n, t in enumerate(index.treaties) if t in treaty_ids}
    rows = [cid for cid, code, kind in zip(index.clause_ids, index.row_treaty.tolist(), index.types, strict=True)
            if code in wanted and kind == "relation_to_other_agreements"]
    out = []
    for c in graph.get_clauses(rows).values():
        out += [ConflictClause(c.treaty_id, c, claim.stance, c.full_text[claim.start:claim.end])
                for claim in read(c).priority]
    return out


def _pairs(graph: GraphStore, party: str, treaties: dict[str, Treaty], in_force: set[str], as_of: date,
           conflict_clauses: list[ConflictClause], types: set[str] | None) -> list[Pair]:
    links = [c for c in graph.conflicts(sorted(in_force)) if c.source.split("/")[0] in in_force
             and c.target.split("/")[0] in in_force]
    clauses = graph.get_clauses({x for c in links for x in (c.source, c.target)})
    out = []
    for link in links:
        a, b = clauses.get(link.source), clauses.get(link.target)
        if a is None or b is None:
            continue
        if types and not ({a.clause_type, b.clause_type} & types):
            continue
        ta, tb = treaties[a.treaty_id], treaties[b.treaty_id]
        partners = (set(ta.parties) & set(tb.parties)) - {party}
        note = None
        if partners:
            own = [ConflictClause("draft" if c.treaty_id == ta.treaty_id else c.treaty_id, c.clause, c.stance, c.words)
                   for c in conflict_clauses if c.treaty_id in (ta.treaty_id, tb.treaty_id)]
            raw = priority_note(Kind(link.kind), ta.parties, tb, as_of, a, b, own)
            note = PriorityNote(raw.rules, raw.note.replace("once in force, the draft would prevail",
                                                            f"{ta.title} prevails").replace("The draft", ta.title)
                                .replace("the draft", ta.title))
        out.append(Pair(link, a, ta, b, tb, bool(partners), note))
    return out


def _article(c: Clause) -> str:
    """The article a clause belongs to, by its citation ("Art. 71(2)(b)": "Art. 71")."""
    return c.citation.split("(")[0].strip()


def _by_article(items: list[Pair]) -> tuple[Pair, ...]:
    """One entry per two articles: a clash repeated through the sub-paragraphs of the same two articles (a chapeau
    each of its items repeats, one list against another) is shown once, the others listed with it."""
    at: dict[tuple[str, str, str, str], int] = {}
    out: list[Pair] = []
    for p in items:
        key = (p.later.treaty_id, _article(p.later), p.earlier.treaty_id, _article(p.earlier))
        if key in at:
            out[at[key]] = replace(out[at[key]], also=(*out[at[key]].also, p))
        else:
            at[key] = len(out)
            out.append(p)
    return tuple(out)


def _groups(pairs: list[Pair], index: ClauseIndex) -> list[Group]:
    by: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        by[(p.later.clause_type or p.earlier.clause_type or "other", p.link.kind)].append(p)
    copies = Counter(index.text_keys)  # how many agreements carry each wording (identical template texts)
    out = []
    for (ctype, kind), items in by.items():
        involved = {c.clause_id: (c, t) for p in items for c, t in ((p.later, p.later_treaty),
                                                                       (p.earlier, p.earlier_treaty))}
        common = max(involved.values(), key=lambda ct: copies.get(ct[0].text_key, 1), default=None)
        recent = max(involved.values(), key=lambda ct: (ct[1].date_signed or date.min, ct[1].treaty_id), default=None)
        items.sort(key=lambda p: (not p.legal, p.link.severity != "high", p.later.clause_id))
        out.append(Group(ctype, kind, _by_article(items), common[0] if common else None,
                         copies.get(common[0].text_key, 1) if common else 0, recent[0] if recent else None))
    out.sort(key=lambda g: (WEIGHT.get(g.kind, 9), -sum(p.legal for p in g.pairs), -len(g.pairs)))
    return out


def state_report(graph: GraphStore, index: ClauseIndex, party: str, as_of: date,
                 types: Sequence[str] = ()) -> StateReport:
    """The consistency report of ``party`` on ``as_of`` (its agreements in force that day), optionally limited to
    clause ``types``; CONFLICTS_WITH must be current (``edges.update_conflicts``)."""
    treaties = {t.treaty_id: t for t in graph.list_treaties((party,))}
    in_force = graph.treaty_ids((party,), False, as_of) & set(treaties)
    ordered = sorted(treaties.values(), key=lambda t: (t.date_signed or t.date_in_force or date.min, t.treaty_id))
    coverage = _coverage(index, [t.treaty_id for t in ordered])
    wanted = set(types) or None
    seen = sorted({x for c in coverage.values() for x in c if not wanted or x in wanted})
    from ingest.annotate import taxonomy

    never = [t for t in taxonomy() if t not in seen and (not wanted or t in wanted)]
    report = StateReport(party, as_of, ordered, in_force, seen, coverage, never)
    conflict_clauses = _conflict_clauses(graph, index, in_force)
    pairs = _pairs(graph, party, treaties, in_force, as_of, conflict_clauses, wanted)
    report.groups = _groups(pairs, index)
    # A clash of obligations, not a divergence of practice: two limits on one step of a shared procedure (the parties
    # keep both only by keeping the stricter one), not each agreement's period for its own entry into force or
    # withdrawal (those links are of low severity).
    report.conflicts = [p for p in pairs if p.link.severity != Severity.LOW.value]
    report.variants = variant_groups(graph, {t: treaties[t] for t in in_force}, [p.link for p in pairs], wanted)
    read: dict[str, list[Clause]] = {}

    def clauses_of(treaty_id: str) -> list[Clause]:
        if treaty_id not in read:
            read[treaty_id] = graph.clauses(treaty_id)
        return read[treaty_id]

    if not wanted or "definitions" in wanted:
        terms = whole(clauses_of, graph.definitions(sorted(in_force)))
        # the defining clauses are among those read (for the items and the positions): no second read
        by_id = {c.clause_id: c for t in sorted(in_force) for c in clauses_of(t)}
        every = definitions(terms, treaties, {d.clause_id: subject_of(by_id.get(d.clause_id)) for d in terms})
        report.definitions = {k: v for k, v in every.items() if claimed(v)}
        report.other_definitions = {k: v for k, v in every.items() if not claimed(v)}
    report.positions = positions((c for t in sorted(in_force) for c in clauses_of(t)),
                                 {t: treaties[t] for t in in_force})
    return report
