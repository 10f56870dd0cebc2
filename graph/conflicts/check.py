"""The check of a draft agreement against the agreements its parties carry: for each draft clause, the
stored clauses of the agreements in force for any of the parties on a date that it contradicts or strains
(``compare``), with the rule of priority that may settle each clash (``vclt``), a way out, the draft
clauses that restate existing ones, those with no counterpart, and the safeguards the draft lacks.

The draft is never stored: it arrives read and annotated (``ingest.pipeline.parse_document``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from graph.conflicts.compare import compare
from graph.conflicts.model import Clash, Kind, Severity, Span
from graph.conflicts.provisions import integration_exception
from graph.conflicts.reading import read, term_key
from graph.conflicts.vclt import ConflictClause, PriorityNote, priority_note
from graph.store import GraphStore
from ingest.annotate.terms import defined_in
from ingest.errors import InputError
from ingest.records import Clause, ParsedTreaty, Treaty
from search.engine import SearchEngine
from search.index import Filter, RowHit

CANDIDATES = 8           # nearest stored clauses compared with each draft clause
TARGETED = 12            # and, for clauses of a kind whose counterparts may be worded apart, of that kind
MFN_DEPTH = 40           # nearest clauses looked through to see whether an agreement already grants the treatment
ALREADY_GRANTED = 0.8    # cosine at which an agreement's clause already gives what the draft clause gives
PRECEDENT_SIMILARITY = 0.75  # cosine to the draft clause at which another agreement's clause can show the way out
PER_KIND = 5             # findings of one kind kept for one draft clause (the closest existing clauses)
# Types searched on their own for draft clauses that carry the matching provision.
TARGET_TYPES = {"forum": frozenset({"isds", "state_dispute_settlement"}),
                "priority": frozenset({"relation_to_other_agreements", "final_provisions"}),
                "mfn": frozenset({"mfn", "investment_protection", "services", "national_treatment"}),
                "scope": frozenset({"scope"})}


@dataclass(frozen=True)
class WayOut:
    """How to keep the draft coherent: the existing wording, and a precedent of the parties that does not clash."""

    existing_wording: str
    precedent: Clause | None = None
    precedent_treaty: Treaty | None = None
    suggestion: str = ""


@dataclass(frozen=True)
class Finding:
    """One clash between a draft clause and a stored clause, with everything a lawyer needs to verify it."""

    kind: Kind
    severity: Severity
    rule: str
    explanation: str
    severity_reason: str
    draft: Clause
    draft_spans: tuple[Span, ...]
    existing: Clause
    treaty: Treaty
    existing_spans: tuple[Span, ...]
    similarity: float | None
    priority: PriorityNote | None
    way_out: WayOut
    also_in: tuple[tuple[Clause, Treaty], ...] = ()
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """A draft clause that restates a stored one."""

    draft: Clause
    existing: Clause
    treaty: Treaty
    similarity: float | None
    also_in: tuple[tuple[Clause, Treaty], ...] = ()


@dataclass
class CheckResult:
    """What ``check_draft`` found; ``agreements`` counts the agreements in force per party."""

    draft: ParsedTreaty
    parties: tuple[str, ...]
    as_of: date
    agreements: dict[str, int]
    searched: list[Treaty]
    findings: list[Finding] = field(default_factory=list)
    consistent: list[Match] = field(default_factory=list)
    new_ground: list[Clause] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    unverified: int = 0  # findings dropped because their citation no longer matches the store


def draft_clauses(draft: ParsedTreaty) -> list[Clause]:
    """The clauses of a draft that are checked: leaves with words of their own, the preamble left out."""
    return [c for c in draft.clauses if c.is_leaf and c.text.strip() and c.clause_type != "preamble"]


def with_items(clause: Clause, clauses: Sequence[Clause]) -> Clause:
    """``clause`` with the words of its sub-clauses appended: a definition whose items are listed below it."""
    below = [c for c in clauses if c.parent_id and (c.parent_id == clause.clause_id
                                                    or c.parent_id.startswith(clause.clause_id + "/"))]
    if not below:
        return clause
    return replace(clause, text="\n".join([clause.text, *(c.text for c in below)]))


def lift(clause: Clause, spans: Sequence[Span], parent_of: Callable[[str], Clause | None]) -> Clause:
    """See ``_Scope.lift``; ``parent_of`` finds a clause by id."""
    if not spans:
        return clause
    end = max(b for _, b in spans)
    while clause.parent_id:
        parent = parent_of(clause.parent_id)
        if parent is None or not parent.text.strip() or end > len(parent.full_text) or \
                not clause.full_text.startswith(parent.full_text):
            break
        clause = parent
    return clause


class _Scope:
    """The agreements searched and the clauses met, fetched once."""

    def __init__(self, graph: GraphStore, treaty_ids: set[str]) -> None:
        self.graph = graph
        self.ids = treaty_ids
        self.treaties = graph.get_treaties(treaty_ids)
        self.clauses: dict[str, Clause] = {}
        self._all: dict[str, list[Clause]] = {}

    def fetch(self, ids: Sequence[str]) -> None:
        missing = [i for i in ids if i not in self.clauses]
        if missing:
            self.clauses.update(self.graph.get_clauses(missing))

    def lift(self, clause: Clause, spans: Sequence[Span]) -> Clause:
        """The outermost ancestor of ``clause`` whose full text still holds all ``spans`` (offsets into the
        clause's full text, which begins with its ancestors'): a clash in a chapeau cites the chapeau."""
        return lift(clause, spans, lambda cid: self.get(cid))

    def get(self, clause_id: str) -> Clause | None:
        self.fetch([clause_id])
        return self.clauses.get(clause_id)

    def all_of(self, treaty_id: str) -> list[Clause]:
        if treaty_id not in self._all:
            self._all[treaty_id] = self.graph.clauses(treaty_id)
        return self._all[treaty_id]


def _hits(engine: SearchEngine, clauses: list[Clause], vectors: np.ndarray, scope: frozenset[str], k: int,
          types: frozenset[str] | None = None) -> list[list[RowHit]]:
    if not clauses:
        return []
    return engine.nearest([c.passage_text for c in clauses], k, Filter(treaty_ids=scope, clause_types=types),
                          lexical_texts=[c.index_text for c in clauses], vectors=vectors)


def _conflict_clauses(draft: list[Clause], scope: _Scope, engine: SearchEngine) -> list[ConflictClause]:
    """The explicit conflict clauses of the draft and of the agreements searched (rows typed as relations)."""
    out = [ConflictClause("draft", c, claim.stance, c.full_text[claim.start:claim.end])
           for c in draft for claim in read(c).priority]
    index = engine.index
    wanted = {i for i, t in enumerate(index.treaties) if t in scope.ids}
    rows = [cid for cid, code, kind in zip(index.clause_ids, index.row_treaty.tolist(), index.types, strict=True)
            if code in wanted and kind == "relation_to_other_agreements"]
    scope.fetch(rows)
    for cid in rows:
        c = scope.clauses.get(cid)
        if c is not None:
            out += [ConflictClause(c.treaty_id, c, claim.stance, c.full_text[claim.start:claim.end])
                    for claim in read(c).priority]
    return out


def check_draft(graph: GraphStore, engine: SearchEngine, draft: ParsedTreaty, parties: Sequence[str],
                as_of: date, min_severity: Severity = Severity.LOW) -> CheckResult:
    """Check ``draft`` against the agreements in force on ``as_of`` for any of ``parties`` (alpha-3 codes).

    Raises InputError when no party has an agreement in force in the store (there is nothing to check
    against, which is not the same as "no conflicts"); a party with none is named in ``warnings``.
    """
    began = time.perf_counter()
    agreements = {p: len(graph.treaty_ids((p,), False, as_of)) for p in parties}
    treaty_ids = graph.treaty_ids(tuple(parties), False, as_of)
    if not treaty_ids:
        raise InputError(f"no agreement in force on {as_of.isoformat()} for {', '.join(parties)} is stored; "
                         "there is nothing to check the draft against (see 'pacta list --party')")
    scope = _Scope(graph, treaty_ids)
    result = CheckResult(draft, tuple(parties), as_of, agreements,
                         sorted(scope.treaties.values(), key=lambda t: (t.date_in_force or as_of, t.treaty_id)))
    result.warnings += [f"{p} has no agreement in force on {as_of.isoformat()} in the store: its existing "
                        "obligations are not checked" for p, n in agreements.items() if n == 0]
    clauses = draft_clauses(draft)
    ids = frozenset(treaty_ids)
    vectors = engine.embed_passages([c.passage_text for c in clauses])
    hits = _hits(engine, clauses, vectors, ids, CANDIDATES)
    for kind, types in TARGET_TYPES.items():
        wanted = [n for n, c in enumerate(clauses) if _carries(c, kind)]
        groups: dict[frozenset[str], list[int]] = {}
        for n in wanted:  # scope clauses of a chapter are typed by its subject: search that type too
            own = {clauses[n].clause_type, clauses[n].secondary_type} - {None} if kind == "scope" else set()
            groups.setdefault(types | frozenset(t for t in own if t), []).append(n)
        for group_types, members in groups.items():
            extra_hits = _hits(engine, [clauses[n] for n in members], vectors[members], ids, TARGETED, group_types)
            for n, extra in zip(members, extra_hits, strict=True):
                hits[n] = hits[n] + [h for h in extra if h.clause_id not in {x.clause_id for x in hits[n]}]
    granting = [n for n, c in enumerate(clauses) if read(c).grant]
    mfn_context = _hits(engine, [clauses[n] for n in granting], vectors[granting], ids, MFN_DEPTH)
    result.seconds["retrieve"] = round(time.perf_counter() - began, 3)

    began = time.perf_counter()
    scope.fetch([cid for row in hits + mfn_context for h in row for cid in (h.clause_id, *h.also_in)])
    conflicts = _conflict_clauses(clauses, scope, engine)
    grants = iter(mfn_context)
    for n, clause in enumerate(clauses):
        context = next(grants) if read(clause).grant else []
        _compare_clause(result, scope, clause, hits[n], context, conflicts)
    _definitions(result, scope, draft, conflicts)
    result.findings = [f for f in result.findings if f.severity.rank >= min_severity.rank]
    _verify(result, graph)
    result.findings.sort(key=lambda f: (-f.severity.rank, f.draft.order, f.kind.value, -(f.similarity or 0)))
    result.seconds["compare"] = round(time.perf_counter() - began, 3)
    return result


def _carries(clause: Clause, kind: str) -> bool:
    r = read(clause)
    return bool({"forum": r.forum, "priority": [p for p in r.priority if p.stance == "prevails"],
                 "mfn": r.grant, "scope": r.scope}[kind])


def _compare_clause(result: CheckResult, scope: _Scope, clause: Clause, hits: list[RowHit],
                    mfn_context: list[RowHit], conflicts: list[ConflictClause]) -> None:
    found: list[Finding] = []
    restated: list[Match] = []
    counterpart = False
    for hit in hits:
        existing = scope.clauses.get(hit.clause_id)
        treaty = scope.treaties.get(existing.treaty_id) if existing else None
        if existing is None or treaty is None:
            continue
        comparison = compare(clause, existing, hit.dense)
        counterpart = counterpart or comparison.same_subject
        also = tuple((c, scope.treaties[c.treaty_id]) for c in (scope.clauses.get(i) for i in hit.also_in)
                     if c is not None and c.treaty_id in scope.treaties)
        for clash in comparison.clashes:
            if clash.kind is Kind.DEFINITION:
                continue  # definitions are compared whole, items included (``_definitions``)
            if clash.kind is Kind.MFN:
                finding = _mfn(result, scope, clause, existing, treaty, clash, hit, mfn_context, conflicts)
            else:
                finding = _finding(result, clause, existing, treaty, clash, hit.dense, also, conflicts, scope)
            if finding is not None:
                found.append(finding)
        if comparison.restates:
            restated.append(Match(clause, existing, treaty, hit.dense, also))
    if found:
        for finding in _keep(found):
            result.findings.append(replace(finding, way_out=_way_out(finding, hits, scope)))
    if restated:
        result.consistent.append(max(restated, key=lambda m: m.similarity or 0))
    elif not found and not counterpart:
        result.new_ground.append(clause)


def _keep(found: list[Finding]) -> list[Finding]:
    """At most ``PER_KIND`` findings per kind, one per existing agreement, the closest first."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (-f.severity.rank, -(f.similarity or 0))):
        same = [k for k in kept if k.kind is f.kind]
        if len(same) < PER_KIND and all(k.treaty.treaty_id != f.treaty.treaty_id for k in same):
            kept.append(f)
    return kept


def _finding(result: CheckResult, clause: Clause, existing: Clause, treaty: Treaty, clash: Clash,
             similarity: float | None, also: tuple[tuple[Clause, Treaty], ...],
             conflicts: list[ConflictClause], lifted: _Scope | None = None) -> Finding | None:
    shared = [p for p in treaty.parties if p in result.parties]
    severity, reason = clash.severity, clash.severity_reason
    if clash.kind is Kind.FORUM and clash.details.get("disputes") == "state-state" and len(shared) < 2:
        return None  # disputes between different pairs of states never meet in one forum
    if clash.kind is Kind.PRIORITY and len(shared) < 2:
        return None  # two conflict clauses compete only between states bound by both
    if clash.kind is not Kind.PRIORITY and len(shared) < 2:
        severity = severity.lowered()
        reason += (f"; lowered because {treaty.title} binds only {', '.join(shared)} of the draft's parties, so "
                   "the two texts govern relations with different partners")
    note = priority_note(clash.kind, result.parties, treaty, result.as_of, clause, existing, conflicts)
    if lifted is not None:
        existing = lifted.lift(existing, clash.spans_b)
        by_id = {c.clause_id: c for c in result.draft.clauses}
        clause = lift(clause, clash.spans_a, by_id.get)
    return Finding(clash.kind, severity, clash.rule, clash.explanation, reason, clause, clash.spans_a, existing,
                   treaty, clash.spans_b, similarity, note, WayOut(existing.full_text), also, dict(clash.details))


def _mfn(result: CheckResult, scope: _Scope, clause: Clause, existing: Clause, treaty: Treaty, clash: Clash,
         hit: RowHit, context: list[RowHit], conflicts: list[ConflictClause]) -> Finding | None:
    """An MFN spill-over finding, when the MFN clause's agreement binds third states that do not already have
    what the draft grants; lowered where that agreement excepts free-trade areas from MFN."""
    third = [p for p in treaty.parties if p not in result.parties]
    if not third or not any(p in result.parties for p in treaty.parties):
        return None
    for h in context:
        ids = [h.clause_id, *h.also_in]
        if (h.dense or 0) >= ALREADY_GRANTED and any(
                (c := scope.clauses.get(i)) is not None and c.treaty_id == treaty.treaty_id for i in ids):
            return None  # the third states already have this treatment under that agreement
    severity, reason = clash.severity, clash.severity_reason
    details = dict(clash.details) | {"third_states": third}
    exception = next(((c, span) for c in scope.all_of(treaty.treaty_id)
                      if (span := integration_exception(c.full_text)) is not None), None)
    if exception is not None:
        severity = Severity.LOW
        reason = (f"lowered: {treaty.title} {exception[0].citation} excepts treatment under free-trade areas or "
                  "customs unions, which may cover the draft")
        details["integration_exception"] = exception[0].citation
    explanation = clash.explanation + f" Third states that may claim it: {', '.join(third)}."
    note = priority_note(Kind.MFN, result.parties, treaty, result.as_of, clause, existing, conflicts)
    return Finding(Kind.MFN, severity, clash.rule, explanation, reason, clause, clash.spans_a, existing, treaty,
                   clash.spans_b, hit.dense, note, WayOut(existing.full_text), (), details)


def _way_out(finding: Finding, hits: list[RowHit], scope: _Scope) -> WayOut:
    """The existing wording, and the closest clause of another of the parties' agreements that treats the same
    subject and agrees with the existing clause (no clash of the finding's kind with it)."""
    for hit in hits:
        other = scope.clauses.get(hit.clause_id)
        if other is None or other.treaty_id == finding.treaty.treaty_id or other.treaty_id not in scope.treaties \
                or (hit.dense or 0) < PRECEDENT_SIMILARITY:
            continue
        comparison = compare(other, finding.existing, None)
        if comparison.same_subject and compare(finding.draft, other, hit.dense).same_subject and not any(
                c.kind is finding.kind for c in comparison.clashes):
            treaty = scope.treaties[other.treaty_id]
            return WayOut(finding.existing.full_text, other, treaty,
                          f"Keep to the existing wording of {finding.treaty.title} {finding.existing.citation}, "
                          f"as {treaty.title} {other.citation} does.")
    return WayOut(finding.existing.full_text, None, None,
                  f"Align the draft with {finding.treaty.title} {finding.existing.citation}, or say in the draft "
                  "which of the two prevails.")


def _definitions(result: CheckResult, scope: _Scope, draft: ParsedTreaty,
                 conflicts: list[ConflictClause]) -> None:
    """Each term the draft defines against the definitions of the same term in the agreements searched: one
    finding per agreement (at most ``PER_KIND`` per draft definition), or a match where they agree."""
    defining: dict[str, Clause] = {}
    for c in draft.clauses:
        for term, _ in defined_in(c):
            defining.setdefault(term_key(term), c)
    if not defining:
        return
    found: dict[tuple[str, str], Finding] = {}
    agreeing: dict[str, Match] = {}
    for d in scope.graph.definitions(scope.ids):
        key = term_key(d.term)
        treaty_id = d.clause_id.split("/")[0]
        if key not in defining or treaty_id not in scope.treaties:
            continue
        stored = scope.all_of(treaty_id)
        existing = next((c for c in stored if c.clause_id == d.clause_id), None)
        if existing is None:
            continue
        treaty = scope.treaties[treaty_id]
        draft_clause = with_items(defining[key], draft.clauses)
        existing_full = with_items(existing, stored)
        clashes = [c for c in compare(draft_clause, existing_full, None).clashes
                   if c.kind is Kind.DEFINITION and c.details.get("term") == key]
        for clash in clashes:
            f = _finding(result, draft_clause, existing_full, treaty, clash, None, (), conflicts)
            if f is not None:
                found.setdefault((draft_clause.clause_id, treaty_id), f)
        if not clashes and key in read(existing_full).definitions:
            agreeing.setdefault(draft_clause.clause_id, Match(draft_clause, existing_full, treaty, None))
    per_clause: Counter[str] = Counter()
    for (clause_id, _), f in found.items():
        if per_clause[clause_id] < PER_KIND:
            per_clause[clause_id] += 1
            result.findings.append(f)
    restated = {m.draft.clause_id for m in result.consistent}
    result.consistent += [m for cid, m in agreeing.items() if cid not in per_clause and cid not in restated]


def _verify(result: CheckResult, graph: GraphStore) -> None:
    """Keep only findings whose existing clause is stored with exactly the text cited (the index may be older)."""
    stored = graph.get_clauses({f.existing.clause_id for f in result.findings} |
                               {m.existing.clause_id for m in result.consistent})

    def ok(c: Clause) -> bool:
        s = stored.get(c.clause_id)
        return s is not None and c.full_text.startswith(s.full_text)
    before = len(result.findings)
    result.findings = [f for f in result.findings if ok(f.existing)]
    result.consistent = [m for m in result.consistent if ok(m.existing)]
    result.unverified = before - len(result.findings)
