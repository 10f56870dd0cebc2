"""What a check produces (findings, matches, the result) and the helpers that make a finding out of a clash:
the agreements searched and the clauses met (``Scope``), lowering for other partners, the priority note, the
way out, and which list a finding goes to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from graph.conflicts.compare import compare
from graph.conflicts.model import Clash, Kind, Severity, Span
from graph.conflicts.vclt import ConflictClause, PriorityNote, priority_note
from graph.store import GraphStore
from ingest.records import Clause, ParsedTreaty, Treaty
from search.index import RowHit

PRECEDENT_SIMILARITY = 0.75  # cosine to the draft clause at which another agreement's clause can show the way out
PER_KIND = 5             # findings of one kind kept for one draft clause (the closest existing clauses)


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
    # clashes of numbers, forums, definitions, scope or priority with agreements binding only one of the draft's
    # parties: they govern that other relation alone, so they are a divergence of practice, not a conflict
    divergences: list[Finding] = field(default_factory=list)
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
    """See ``Scope.lift``; ``parent_of`` finds a clause by id."""
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


class Scope:
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


# Kinds whose clash with an agreement binding one draft party only can still be breached by one measure that
# serves both relations (Art. 30(4)(b)), or that by nature reach third states.
ACROSS_PARTNERS = frozenset({Kind.MODALITY, Kind.MFN})


def report(result: CheckResult, f: Finding) -> None:
    """A finding where the existing agreement binds two or more of the draft's parties (or the kind reaches
    across partners); otherwise a divergence."""
    shared = sum(1 for p in f.treaty.parties if p in result.parties)
    (result.findings if shared >= 2 or f.kind in ACROSS_PARTNERS else result.divergences).append(f)


def _plainness(f: Finding) -> tuple[float, ...]:
    """How plainly the clash is with this clause: for forums, the clause naming more of them (the consent with
    its list of institutions, not the notice of intent); then the closer clause, then the more severe clash."""
    forums = f.details.get("existing_forums", ())
    named = len(forums) if f.kind is Kind.FORUM and isinstance(forums, list | tuple) else 0
    return (named, f.similarity or 0, f.severity.rank)


def keep(found: list[Finding]) -> list[Finding]:
    """For each kind, the existing clause of each agreement closest to the draft clause (the one the clash is
    most plainly with), then at most ``PER_KIND`` agreements, the most severe and closest first."""
    best: dict[tuple[Kind, str], Finding] = {}
    for f in found:
        key = (f.kind, f.treaty.treaty_id)
        held = best.get(key)
        if held is None or _plainness(f) > _plainness(held):
            best[key] = f
    kept: list[Finding] = []
    for f in sorted(best.values(), key=lambda f: (-f.severity.rank, -(f.similarity or 0))):
        if sum(1 for k in kept if k.kind is f.kind) < PER_KIND:
            kept.append(f)
    return kept


def make_finding(result: CheckResult, clause: Clause, existing: Clause, treaty: Treaty, clash: Clash,
             similarity: float | None, also: tuple[tuple[Clause, Treaty], ...],
             conflicts: list[ConflictClause], lifted: Scope | None = None) -> Finding | None:
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


def way_out(finding: Finding, hits: list[RowHit], scope: Scope) -> WayOut:
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
