"""The check of a draft agreement against the agreements its parties carry: for each draft clause, the
stored clauses of the agreements in force for any of the parties on a date that it contradicts or strains
(``compare``), with the rule of priority that may settle each clash (``vclt``), a way out, the draft
clauses that restate existing ones, those with no counterpart, and the safeguards the draft lacks.

The draft is never stored: it arrives read and annotated (``ingest.pipeline.parse_document``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np

from graph.conflicts.compare import compare
from graph.conflicts.definitions import compare_definitions
from graph.conflicts.findings import (
    CheckResult,
    Finding,
    Match,
    Scope,
    draft_clauses,
    keep,
    make_finding,
    report,
    way_out,
)
from graph.conflicts.model import Kind, Severity
from graph.conflicts.reading import read
from graph.conflicts.spillover import spill_over
from graph.conflicts.vclt import ConflictClause
from graph.store import GraphStore
from ingest.errors import InputError
from ingest.records import Clause, ParsedTreaty
from search.engine import SearchEngine
from search.index import Filter, RowHit

__all__ = ["CheckResult", "Finding", "Match", "check_draft", "draft_clauses"]

CANDIDATES = 8           # nearest stored clauses compared with each draft clause
TARGETED = 12            # and, for clauses of a kind whose counterparts may be worded apart, of that kind
# Types searched on their own for draft clauses that carry the matching provision.
TARGET_TYPES = {"forum": frozenset({"isds", "state_dispute_settlement"}),
                "priority": frozenset({"relation_to_other_agreements", "final_provisions"}),
                "scope": frozenset({"scope"})}


def _hits(engine: SearchEngine, clauses: list[Clause], vectors: np.ndarray, scope: frozenset[str], k: int,
          types: frozenset[str] | None = None) -> list[list[RowHit]]:
    if not clauses:
        return []
    return engine.nearest([c.passage_text for c in clauses], k, Filter(treaty_ids=scope, clause_types=types),
                          lexical_texts=[c.index_text for c in clauses], vectors=vectors)


def _conflict_clauses(draft: list[Clause], scope: Scope, engine: SearchEngine) -> list[ConflictClause]:
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


def candidates(engine: SearchEngine, scope: Scope, clauses: list[Clause],
               parties: Sequence[str]) -> tuple[list[list[RowHit]], np.ndarray]:
    """For each draft clause, the stored clauses to compare it with: its nearest in all the agreements searched,
    its nearest in the agreements binding two or more of the parties, and its nearest of the clause types where
    its counterparts may be worded apart; and, for each clause that grants treatment, a deeper list to see which
    agreements already grant it."""
    ids = frozenset(scope.ids)
    vectors = engine.embed_passages([c.passage_text for c in clauses])
    hits = _hits(engine, clauses, vectors, ids, CANDIDATES)

    def add(n: int, extra: list[RowHit]) -> None:
        known = {x.clause_id for x in hits[n]}
        hits[n] = hits[n] + [h for h in extra if h.clause_id not in known]

    # The agreements binding two or more of the draft's parties are where a clash is a legal conflict
    # (Art. 30(3)); their closest clauses are always compared, however many other agreements word it closer.
    core = frozenset(t for t, treaty in scope.treaties.items() if len(set(treaty.parties) & set(parties)) >= 2)
    if core and core != ids:
        for n, extra in enumerate(_hits(engine, clauses, vectors, core, CANDIDATES)):
            add(n, extra)
    for kind, types in TARGET_TYPES.items():
        groups: dict[frozenset[str], list[int]] = {}
        for n in (n for n, c in enumerate(clauses) if _carries(c, kind)):
            # scope clauses of a chapter are typed by its subject: search that type too
            own = {clauses[n].clause_type, clauses[n].secondary_type} if kind == "scope" else set()
            groups.setdefault(types | frozenset(t for t in own if t), []).append(n)
        for group_types, members in groups.items():
            for n, extra in zip(members, _hits(engine, [clauses[n] for n in members], vectors[members], ids,
                                               TARGETED, group_types), strict=True):
                add(n, extra)
    # the conflict clauses of the agreements binding the parties, for a draft clause that claims to prevail
    for n, c in enumerate(clauses):
        if core and any(p.stance == "prevails" for p in read(c).priority):
            add(n, engine.search("in the event of any inconsistency between this Agreement and other agreements this "
                                 "Agreement shall prevail", TARGETED, Filter(treaty_ids=core), mode="lexical"))
    # what a scope clause brings in or leaves out is found by its words in the agreements binding the parties:
    # the exclusion it clashes with is typed by its chapter's subject, which may not be the draft clause's
    for n, c in enumerate(clauses):
        for x in read(c).scope if core else ():
            # the opposite verb with the subject: "shall not apply to financial services" for an inclusion
            verb = "does not apply to excluded" if x.polarity == "include" else "applies to including"
            words = f"{verb} {x.subject or ' '.join(c.full_text[x.start:x.end].split()[:14])}"
            add(n, engine.search(words, TARGETED, Filter(treaty_ids=core), mode="lexical"))
    return hits, vectors


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
    scope = Scope(graph, treaty_ids)
    result = CheckResult(draft, tuple(parties), as_of, agreements,
                         sorted(scope.treaties.values(), key=lambda t: (t.date_in_force or as_of, t.treaty_id)))
    result.warnings += [f"{p} has no agreement in force on {as_of.isoformat()} in the store: its existing "
                        "obligations are not checked" for p, n in agreements.items() if n == 0]
    clauses = draft_clauses(draft)
    hits, vectors = candidates(engine, scope, clauses, parties)
    result.seconds["retrieve"] = round(time.perf_counter() - began, 3)

    began = time.perf_counter()
    scope.fetch([cid for row in hits for h in row for cid in (h.clause_id, *h.also_in)])
    conflicts = _conflict_clauses(clauses, scope, engine)
    for n, clause in enumerate(clauses):
        _compare_clause(result, scope, clause, hits[n], conflicts)
    compare_definitions(result, scope, draft, conflicts)
    spill_over(result, scope, engine, clauses, vectors, conflicts)
    result.findings = [f for f in result.findings if f.severity.rank >= min_severity.rank]
    result.divergences = [f for f in result.divergences if f.severity.rank >= min_severity.rank]
    _verify(result, graph)
    for found in (result.findings, result.divergences):
        found.sort(key=lambda f: (-f.severity.rank, f.draft.order, f.kind.value, -(f.similarity or 0)))
    result.seconds["compare"] = round(time.perf_counter() - began, 3)
    return result


def _carries(clause: Clause, kind: str) -> bool:
    r = read(clause)
    return bool({"forum": r.forum, "priority": [p for p in r.priority if p.stance == "prevails"],
                 "scope": r.scope}[kind])


def _compare_clause(result: CheckResult, scope: Scope, clause: Clause, hits: list[RowHit],
                    conflicts: list[ConflictClause]) -> None:
    found: list[Finding] = []
    restated: list[Match] = []
    counterpart = False
    agreed: dict[str, dict[int, float]] = {}  # per agreement, the draft's numbers one of its clauses sets alike
    for hit in hits:
        existing = scope.clauses.get(hit.clause_id)
        treaty = scope.treaties.get(existing.treaty_id) if existing else None
        if existing is None or treaty is None:
            continue
        comparison = compare(clause, existing, hit.dense)
        counterpart = counterpart or comparison.same_subject
        held = agreed.setdefault(existing.treaty_id, {})
        for offset, sure in comparison.agreed_numbers:
            held[offset] = max(sure, held.get(offset, 0.0))
        also = tuple((c, scope.treaties[c.treaty_id]) for c in (scope.clauses.get(i) for i in hit.also_in)
                     if c is not None and c.treaty_id in scope.treaties)
        for clash in comparison.clashes:
            if clash.kind in (Kind.DEFINITION, Kind.MFN):
                continue  # compared on their own: definitions whole, MFN per agreement (``spillover``)
            finding = make_finding(result, clause, existing, treaty, clash, hit.dense, also, conflicts, scope)
            if finding is not None:
                found.append(finding)
        if comparison.restates:
            restated.append(Match(clause, existing, treaty, hit.dense, also))
    # a number one clause of an agreement sets alike is that agreement's counterpart: its other numbers near the
    # same words belong to other steps
    found = [f for f in found if not (f.kind is Kind.NUMERIC and f.draft_spans and agreed.get(
        f.treaty.treaty_id, {}).get(f.draft_spans[0][0], -1.0) >= float(str(f.details.get("step_match", 1))))]
    if found:
        for finding in keep(found):
            report(result, replace(finding, way_out=way_out(finding, hits, scope)))
    if restated:
        result.consistent.append(max(restated, key=lambda m: m.similarity or 0))
    elif not found and not counterpart:
        result.new_ground.append(clause)


def _verify(result: CheckResult, graph: GraphStore) -> None:
    """Keep only findings whose existing clause is stored with exactly the text cited (the index may be older)."""
    stored = graph.get_clauses({f.existing.clause_id for f in result.findings + result.divergences} |
                               {m.existing.clause_id for m in result.consistent})

    def ok(c: Clause) -> bool:
        s = stored.get(c.clause_id)
        return s is not None and c.full_text.startswith(s.full_text)
    before = len(result.findings) + len(result.divergences)
    result.findings = [f for f in result.findings if ok(f.existing)]
    result.divergences = [f for f in result.divergences if ok(f.existing)]
    result.consistent = [m for m in result.consistent if ok(m.existing)]
    result.unverified = before - len(result.findings) - len(result.divergences)
