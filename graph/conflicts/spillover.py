"""MFN spill-over: treatment a draft grants that a most-favoured-nation clause of one of its parties'
agreements with a third state may oblige that party to extend to the third state.

Per draft clause that grants treatment, per agreement with a third state whose MFN promise covers the same
field (investment, services, goods, procurement): a finding, unless that agreement already gives the same
treatment (a clause of it at cosine ``ALREADY_GRANTED`` or closer), lowered where it excepts free-trade areas."""

from __future__ import annotations

import numpy as np

from graph.conflicts.compare import compare
from graph.conflicts.findings import PER_KIND, CheckResult, Finding, Scope, WayOut, report
from graph.conflicts.model import Clash, Kind, Severity
from graph.conflicts.provisions import integration_exception
from graph.conflicts.reading import read
from graph.conflicts.vclt import ConflictClause, priority_note
from ingest.errors import InputError
from ingest.parties import parse_party
from ingest.records import Clause, Treaty
from search.engine import SearchEngine
from search.index import Filter

ALREADY_GRANTED = 0.8   # cosine at which an agreement's clause already gives what the draft clause gives
PROMISES = 400          # MFN clauses looked up (by their words) in the agreements with third states
QUERIES = ("treatment no less favourable than that it accords to investors services service suppliers goods of "
           "any non-Party third country most-favoured-nation treatment",
           "grants to a third party or third country shall extend the same treatment advantage recognition")


def _third_state_agreements(result: CheckResult, scope: Scope) -> dict[str, Treaty]:
    return {t: treaty for t, treaty in scope.treaties.items()
            if set(treaty.parties) & set(result.parties) and set(treaty.parties) - set(result.parties)}


def mfn_promises(engine: SearchEngine, scope: Scope, treaty_ids: frozenset[str]) -> dict[str, list[Clause]]:
    """The MFN promises of the agreements ``treaty_ids``, found by their words and kept if they read as one."""
    if not treaty_ids:
        return {}
    ids = list(dict.fromkeys(h.clause_id for q in QUERIES for h in engine.search(
        q, PROMISES, Filter(treaty_ids=treaty_ids), mode="lexical", collapse=False)))
    scope.fetch(ids)
    out: dict[str, list[Clause]] = {}
    for cid in ids:
        c = scope.clauses.get(cid)
        if c is not None and read(c).mfn is not None:
            out.setdefault(c.treaty_id, []).append(c)
    return out


def _closest_in(engine: SearchEngine, vector: np.ndarray, treaty_id: str) -> float:
    """The highest cosine between ``vector`` and the clauses of one agreement."""
    index = engine.index
    code = index.treaties.index(treaty_id) if treaty_id in index.treaties else -1
    rows = np.flatnonzero(index.row_treaty == code)
    return float(index.vectors.scores(vector, rows).max()) if len(rows) else 0.0


def spill_over(result: CheckResult, scope: Scope, engine: SearchEngine, clauses: list[Clause], vectors: np.ndarray,
               conflicts: list[ConflictClause]) -> None:
    """Add an MFN finding for each draft clause granting treatment and each agreement with a third state whose
    MFN promise may extend it (at most ``PER_KIND`` per draft clause, unexcepted ones first)."""
    # a clause that restates what the parties already owe each other gives nothing new to spill over
    restated = {m.draft.clause_id for m in result.consistent}
    granting = [n for n, c in enumerate(clauses) if read(c).grant and c.clause_id not in restated]
    if not granting:
        return
    agreements = _third_state_agreements(result, scope)
    promises = mfn_promises(engine, scope, frozenset(agreements))
    for n in granting:
        clause = clauses[n]
        found: list[Finding] = []
        grantors = _grantors(clause, result.parties)
        for treaty_id, mfns in promises.items():
            if not grantors & set(agreements[treaty_id].parties):
                continue  # the MFN promises bind states other than the one granting
            matched = next(((m, x) for m in mfns for x in compare(clause, m).clashes if x.kind is Kind.MFN), None)
            if matched is None:
                continue
            existing, clash = matched
            if _closest_in(engine, vectors[n], treaty_id) >= ALREADY_GRANTED:
                continue  # the third states already have this treatment under that agreement
            found.append(_finding(result, scope, clause, existing, agreements[treaty_id], clash, conflicts))
        found.sort(key=lambda f: -f.severity.rank)
        for f in found[:PER_KIND]:
            report(result, f)


def _grantors(clause: Clause, parties: tuple[str, ...]) -> set[str]:
    """The draft parties that give the clause's treatment: the state it names as bearer ("Korea shall"), else all."""
    bearer = clause.duty.bearer if clause.duty else None
    if bearer:
        try:
            code = parse_party(bearer.removeprefix("the ").removeprefix("The "))
        except InputError:
            code = None
        if code in parties:
            return {code}
    return set(parties)


def _finding(result: CheckResult, scope: Scope, clause: Clause, existing: Clause, treaty: Treaty, clash: Clash,
             conflicts: list[ConflictClause]) -> Finding:
    third = [p for p in treaty.parties if p not in result.parties]
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
                   clash.spans_b, None, note, WayOut(existing.full_text, suggestion=(
                       f"Check the reservations of {treaty.title} for this treatment, or add an exception to its "
                       "MFN clause's reach (a free-trade-area or future-agreements carve-out).")), (), details)
