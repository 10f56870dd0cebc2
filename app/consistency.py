"""The state-report use case: bring the stored clashes up to date if an ingest left them stale, read the report of
one state and give it as a JSON document."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.checking import spans_json
from app.context import Context
from app.ingesting import ensure_conflicts
from app.querying import clause_json, treaty_json
from graph.consistency.definitions import Definition
from graph.consistency.positions import Position
from graph.consistency.report import Group, Pair, StateReport, state_report
from graph.consistency.variants import VariantGroup
from ingest.errors import InputError
from ingest.parties import party_name
from ingest.records import Clause


def _current(ctx: Context) -> None:
    """Bring CONFLICTS_WITH up to date (an ingest does it too, so this is usually nothing)."""
    if ctx.engine.current_generation() != str(ctx.graph.generation()):
        raise InputError("the search index is older than the stored agreements; run 'pacta ingest' again")
    ensure_conflicts(ctx)


def _pair_json(p: Pair) -> dict[str, Any]:
    return {
        "kind": p.link.kind, "severity": p.link.severity, "rule": p.link.rule, "explanation": p.link.explanation,
        "label": "legal conflict" if p.legal else "inconsistency",
        "priority": {"rule": p.note.rules[0], "rules": list(p.note.rules), "note": p.note.note}
        if p.note and p.note.rules else None,
        "later": clause_json(p.later, p.later_treaty) | {"spans": spans_json(p.link.source_spans)},
        "earlier": clause_json(p.earlier, p.earlier_treaty) | {"spans": spans_json(p.link.target_spans)},
        "also": [{"explanation": x.link.explanation, "severity": x.link.severity, "rule": x.link.rule,
                  "later": {"clause_id": x.later.clause_id, "citation": x.later.citation,
                            "spans": spans_json(x.link.source_spans)},
                  "earlier": {"clause_id": x.earlier.clause_id, "citation": x.earlier.citation,
                              "spans": spans_json(x.link.target_spans)}} for x in p.also],
    }


def _brief(c: Clause | None, **extra: Any) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"clause_id": c.clause_id, "citation": c.citation, "treaty_id": c.treaty_id, "text": c.full_text} | extra


def _definitions_json(found: dict[tuple[str, str | None], list[Definition]]) -> list[dict[str, Any]]:
    return [{"term": term, "subject": subject, "variants": [
        {"text": d.text, "spans": [list(s) for s in d.spans], "clause_ids": list(d.clause_ids), "why": d.why,
         "agreements": [{"treaty_id": t.treaty_id, "treaty_name": t.title} for t in d.treaties]}
        for d in variants]} for (term, subject), variants in found.items()]


def _group_json(g: Group) -> dict[str, Any]:
    return {"clause_type": g.clause_type, "kind": g.kind, "pairs": [_pair_json(p) for p in g.pairs],
            "most_common": _brief(g.most_common, agreements=g.most_common_count),
            "most_recent": _brief(g.most_recent)}


def _variant_json(g: VariantGroup) -> dict[str, Any]:
    return {"clause_type": g.clause_type, "agreements": g.agreements, "clashes": dict(g.clashes),
            "most_common": 0, "most_recent": g.most_recent,
            "wordings": [{"text": w.text, "spans": [list(s) for s in w.spans],
                          "clauses": [{"clause_id": c.clause_id, "citation": c.citation, "treaty_id": c.treaty_id,
                                       "treaty_name": t.title}
                                      for c in w.clauses for t in w.treaties if t.treaty_id == c.treaty_id]}
                         for w in g.wordings]}


def _position_json(p: Position) -> dict[str, Any]:
    """One question the state's agreements answer differently: each answer (most common first) with the agreements
    giving it and, for each, the clause and the words that gave it."""
    titles = {t.treaty_id: t for a in p.answers for t in a.treaties}
    return {"question": p.question.id, "kind": p.question.kind, "title": p.question.title, "answers": [
        {"stances": list(a.stances), "labels": list(a.labels),
         "agreements": [{"treaty_id": t.treaty_id, "treaty_name": t.title} for t in a.treaties],
         "evidence": [{"stance": e.stance, "words": e.clause.full_text[e.start:e.end]}
                      | clause_json(e.clause, titles[e.clause.treaty_id])
                      | {"spans": spans_json(((e.start, e.end),))} for e in a.evidence]}
        for a in p.answers]}


def document(r: StateReport) -> dict[str, Any]:
    """The report as ``pacta state --json`` gives it."""
    timeline = []
    for t in r.treaties:
        first = t.date_signed or t.date_in_force
        timeline.append(treaty_json(t) | {
            "partners": [p for p in t.parties if p != r.party], "in_force_on_date": t.treaty_id in r.in_force,
            "year": first.year if first else None})
    legal = sum(1 for p in r.conflicts if p.legal)
    return {
        "state": {"code": r.party, "name": party_name(r.party) or r.party}, "as_of": r.as_of.isoformat(),
        "summary": {"agreements": len(r.treaties), "in_force": len(r.in_force), "subjects": len(r.types),
                    "divergence_groups": len(r.groups), "divergences": sum(len(g.pairs) for g in r.groups),
                    "legal_conflicts": legal, "inconsistencies": len(r.conflicts) - legal,
                    "terms_defined_differently": len(r.definitions),
                    "terms_worded_differently": len(r.other_definitions),
                    "provisions_worded_differently": len(r.variants),
                    "positions_taken_differently": len(r.positions)},
        "timeline": timeline,
        "coverage": {"types": r.types, "agreements": {t: dict(c) for t, c in r.coverage.items()}, "never": r.never},
        "divergences": [_group_json(g) for g in r.groups],
        "definitions": _definitions_json(r.definitions),
        "other_definitions": _definitions_json(r.other_definitions),
        "conflicts": [_pair_json(p) for p in r.conflicts],
        "variants": [_variant_json(g) for g in r.variants],
        "positions": [_position_json(p) for p in r.positions],
    }


def state(ctx: Context, party: str, as_of: date, types: tuple[str, ...] = ()) -> dict[str, Any]:
    """The consistency report of ``party`` (alpha-3, checked) on ``as_of`` as a JSON document."""
    if not ctx.graph.list_treaties((party,)):
        raise InputError(f"no stored agreement has {party} as a party (see 'pacta list')")
    _current(ctx)
    return document(state_report(ctx.graph, ctx.engine.index, party, as_of, types))
