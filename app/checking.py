"""The draft-check use case: read a draft (never stored), check it against the parties' agreements in force,
its safeguards and the negotiating positions, and give the result as the JSON document README's "JSON" section names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.context import Context
from app.querying import clause_json, treaty_json
from graph.conflicts.check import CheckResult, Finding, Match, check_draft, draft_clauses
from graph.conflicts.model import Severity
from graph.conflicts.positions import Outcome, check_positions, load_positions
from graph.conflicts.safeguards import Safeguard, safeguards
from ingest.errors import InputError
from ingest.metadata import MetadataOverrides
from ingest.parties import party_name
from ingest.pipeline import parse_document
from ingest.readers import SUFFIXES
from ingest.records import Clause, Treaty

MAX_DRAFT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CheckRequest:
    """A draft file, the states that would be parties (alpha-3, checked) and the date their obligations are read."""

    draft: Path
    parties: tuple[str, ...]
    as_of: date
    positions: Path | None = None
    min_severity: Severity = Severity.LOW


def read_draft(path: Path, parties: tuple[str, ...], data: bytes | None = None) -> Any:
    """The draft read and annotated like any treaty (not stored); InputError for a file Pacta cannot read."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path}: unsupported file type '{path.suffix or '(none)'}' "
                         f"(supported: {', '.join(sorted(SUFFIXES))})")
    if data is not None and len(data) > MAX_DRAFT_BYTES:
        raise InputError(f"{path}: the draft is over the {MAX_DRAFT_BYTES // 2**20} MB limit")
    if data is None:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        if path.stat().st_size > MAX_DRAFT_BYTES:
            raise InputError(f"{path}: the draft is over the {MAX_DRAFT_BYTES // 2**20} MB limit")
    overrides = MetadataOverrides.parse(parties=list(parties))
    draft = parse_document(path, data, name=str(path), overrides=overrides)
    if not draft_clauses(draft):
        raise InputError(f"{path}: no clauses with text were found in the draft")
    return draft


def check(ctx: Context, req: CheckRequest, data: bytes | None = None,
          positions_data: bytes | None = None) -> dict[str, Any]:
    """The check of ``req.draft`` as a JSON document. ``data`` and ``positions_data`` are the draft's and the
    positions file's bytes when they do not come from disk (an upload): then nothing is written anywhere."""
    if len(req.parties) < 1:
        raise InputError("name the states that would be parties with --parties ISO3,ISO3")
    positions = load_positions(req.positions, positions_data) if req.positions else None
    draft = read_draft(req.draft, req.parties, data)
    result = check_draft(ctx.graph, ctx.engine, draft, req.parties, req.as_of, req.min_severity)
    scope = frozenset(t.treaty_id for t in result.searched)
    guards = safeguards(draft_clauses(draft), ctx.graph, ctx.engine, scope)
    outcomes = check_positions(positions, draft_clauses(draft)) if positions else None
    return document(result, guards, outcomes, positions.path if positions else None)


def spans_json(spans: Any) -> list[list[int]]:
    return [list(s) for s in sorted(set(spans))]


def draft_json(c: Clause, spans: Any = ()) -> dict[str, Any]:
    return {"clause_id": c.clause_id, "citation": c.citation, "order": c.order, "heading": c.heading or None,
            "text": c.full_text,
            "clause_type": c.clause_type, "duty": c.duty.as_json() if c.duty else None, "spans": spans_json(spans)}


def _also(pairs: Any) -> list[dict[str, Any]]:
    return [{"clause_id": c.clause_id, "treaty_id": t.treaty_id, "treaty_name": t.title, "citation": c.citation,
             "source": c.source} for c, t in pairs]


def finding_json(f: Finding) -> dict[str, Any]:
    way = f.way_out
    return {
        "kind": f.kind.value, "severity": f.severity.value, "explanation": f.explanation,
        "priority": {"rule": f.priority.rules[0], "rules": list(f.priority.rules), "note": f.priority.note}
        if f.priority and f.priority.rules else None,
        "rule": {"id": f.rule, "severity_reason": f.severity_reason},
        "similarity": None if f.similarity is None else round(f.similarity, 3),
        "draft_clause": draft_json(f.draft, f.draft_spans),
        "existing": clause_json(f.existing, f.treaty) | {"spans": spans_json(f.existing_spans),
                                                          "also_in": _also(f.also_in)},
        "way_out": {"existing_wording": way.existing_wording, "suggestion": way.suggestion,
                    "precedent": clause_json(way.precedent, way.precedent_treaty) if way.precedent else None},
        "details": f.details,
    }


def match_json(m: Match) -> dict[str, Any]:
    return {"draft_clause": draft_json(m.draft), "existing": clause_json(m.existing, m.treaty) | {
        "also_in": _also(m.also_in)}, "similarity": None if m.similarity is None else round(m.similarity, 3)}


def safeguard_json(s: Safeguard) -> dict[str, Any]:
    return {"safeguard": s.name, "present": s.present, "draft_clauses": [c.citation for c in s.draft_clauses],
            "precedents": [clause_json(c, t) for c, t in s.precedents]}


def outcome_json(o: Outcome) -> dict[str, Any]:
    p = o.position
    return {"section": p.section, "name": p.name, "status": o.status, "note": p.note or None,
            "clauses": [draft_json(h.clause, h.spans) | {"rule": h.rule} for h in o.hits]}


def _treaty_brief(t: Treaty) -> dict[str, Any]:
    full = treaty_json(t)
    return {k: full[k] for k in ("treaty_id", "treaty_name", "parties", "date_signed", "date_in_force", "status")}


def document(result: CheckResult, guards: list[Safeguard], outcomes: list[Outcome] | None,
             positions_path: str | None) -> dict[str, Any]:
    """The ``pacta check --json`` document (README, "JSON")."""
    d = result.draft.treaty
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    return {
        "draft": {"path": d.source_path, "title": d.title, "parties": list(result.parties),
                  "as_of": result.as_of.isoformat(), "clauses": len(draft_clauses(result.draft)),
                  "articles": sum(1 for c in result.draft.clauses if c.level == "article")},
        "parties": [{"code": p, "name": party_name(p) or p, "agreements_in_force": n}
                    for p, n in result.agreements.items()],
        "searched": [_treaty_brief(t) for t in result.searched],
        "summary": {"findings": len(result.findings), **{s.value: counts.get(s.value, 0) for s in Severity},
                    "divergences": len(result.divergences), "consistent": len(result.consistent),
                    "new_ground": len(result.new_ground),
                    "safeguards_missing": sum(1 for g in guards if not g.present)},
        "findings": [finding_json(f) for f in result.findings],
        "divergences": [finding_json(f) for f in result.divergences],
        "consistent": [match_json(m) for m in result.consistent],
        "new_ground": [draft_json(c) for c in result.new_ground],
        "safeguards": [safeguard_json(g) for g in guards],
        "positions": {"file": positions_path, "results": [outcome_json(o) for o in outcomes]}
        if outcomes is not None else None,
        "warnings": result.warnings,
        "seconds": result.seconds,
    }
