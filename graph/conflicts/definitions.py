"""Definitions compared whole: each term the draft defines (with its listed items) against every definition of
the same term in the agreements searched."""

from __future__ import annotations

from collections import Counter

from graph.conflicts.compare import compare
from graph.conflicts.findings import PER_KIND, CheckResult, Finding, Match, Scope, make_finding, report, with_items
from graph.conflicts.model import Kind
from graph.conflicts.reading import read, term_key
from graph.conflicts.vclt import ConflictClause
from ingest.annotate.terms import defined_in
from ingest.records import Clause, ParsedTreaty


def compare_definitions(result: CheckResult, scope: Scope, draft: ParsedTreaty,
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
            f = make_finding(result, draft_clause, existing_full, treaty, clash, None, (), conflicts)
            if f is not None:
                found.setdefault((draft_clause.clause_id, treaty_id), f)
        if not clashes and key in read(existing_full).definitions:
            agreeing.setdefault(draft_clause.clause_id, Match(draft_clause, existing_full, treaty, None))
    per_clause: Counter[str] = Counter()
    shared = {t: len(set(scope.treaties[t].parties) & set(result.parties)) for _, t in found}
    for (clause_id, _), f in sorted(found.items(), key=lambda i: (-shared[i[0][1]], -i[1].severity.rank)):
        if per_clause[clause_id] < PER_KIND:
            per_clause[clause_id] += 1
            report(result, f)
    restated = {m.draft.clause_id for m in result.consistent}
    result.consistent += [m for cid, m in agreeing.items() if cid not in per_clause and cid not in restated]
