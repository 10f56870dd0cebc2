"""Metadata for formats that carry none (plain text, PDF, DOCX, HTML): sidecar files, command-line
overrides (``sidecar.py``) and a conservative reading of the text (``infer.py``), merged with what the
reader found, each value keeping its provenance.

Precedence, highest first: flag > sidecar > source > inferred (see ``apply``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.metadata.infer import _fold, _preamble, find_date, infer
from ingest.metadata.sidecar import (
    FIELDS,
    SIDECAR_SUFFIXES,
    MetadataOverrides,
    is_sidecar,
    load_sidecar,
    parse_sidecar,
    present,
    sidecar_path,
)
from ingest.records import ParsedTreaty, Treaty

__all__ = ["FIELDS", "ORIGINS", "SIDECAR_SUFFIXES", "MetadataOverrides", "apply", "find_date", "infer",
           "is_sidecar", "load_sidecar", "parse_sidecar", "rename", "sidecar_path"]

ORIGINS = ("flag", "sidecar", "source", "inferred")
_RANK = {origin: len(ORIGINS) - n for n, origin in enumerate(ORIGINS)}

# -- merging --------------------------------------------------------------------------------------
def _reader_guessed_title(parsed: ParsedTreaty) -> bool:
    """True when the reader's title is the file name or the first words of the text, not document metadata."""
    t = parsed.treaty
    if not t.title or (t.source_path and t.title == Path(t.source_path).stem):
        return True
    if set(t.source_ids) - {"file"}:
        return False
    opening = re.sub(r"^[\s#*_>\-]+", "", _preamble(parsed))
    return bool(opening) and _fold(opening).lower().startswith(" ".join(_fold(t.title).lower().split()))


def apply(parsed: ParsedTreaty, sidecar: dict[str, Any] | None, overrides: MetadataOverrides | None,
          infer_missing: bool = True) -> ParsedTreaty:
    """The treaty with its metadata merged from every origin, and ``Treaty.provenance`` saying which won.

    Precedence per field, highest first: ``flag`` (``overrides``) >
    ``sidecar`` (as ``load_sidecar`` returns it) > ``source`` (what the
    reader set; a title that is only the file name or the text's first line
    counts as ``inferred``) > ``inferred`` (``infer``, run when
    ``infer_missing`` and a title, the parties or a date is still missing).
    An origin already in ``provenance`` is kept for a value the reader set.
    A sidecar ``id`` renames the treaty and every clause, term and reference
    id under it (``provenance["treaty_id"] = "sidecar"``). An inferred date
    that contradicts the other (in force before signature) is dropped. A
    signature date whose day/month order the document does not settle is
    left empty and flagged: ``provenance["date_signed"] = "ambiguous"``
    and ``provenance["date_signed_ambiguous"]`` gives it as written with
    both readings.
    """
    t = parsed.treaty
    chosen: dict[str, tuple[Any, str]] = {}

    def offer(field: str, value: Any, origin: str) -> None:
        if present(value) and (field not in chosen or _RANK[origin] >= _RANK[chosen[field][1]]):
            chosen[field] = (value, origin)

    for field in FIELDS:
        default = "inferred" if field == "title" and _reader_guessed_title(parsed) else "source"
        offer(field, getattr(t, field), t.provenance.get(field, default))
    for field, value in (sidecar or {}).items():
        if field in FIELDS:
            offer(field, value, "sidecar")
    for field, value in (overrides.values() if overrides else {}).items():
        offer(field, value, "flag")
    wanted = ("title", "parties", "date_signed", "date_in_force")
    ambiguous = None
    if infer_missing and any(f not in chosen or chosen[f][1] == "inferred" for f in wanted):
        for field, value in infer(parsed).items():
            if field in wanted:
                offer(field, value, "inferred")
            ambiguous = value if field == "date_signed_ambiguous" else ambiguous
    signed, in_force = chosen.get("date_signed"), chosen.get("date_in_force")
    if signed and in_force and in_force[0] < signed[0]:
        for field, held in (("date_in_force", in_force), ("date_signed", signed)):
            if held[1] == "inferred":
                del chosen[field]
                break
    provenance = dict(t.provenance)
    for field in FIELDS:
        if field in chosen:
            provenance[field] = chosen[field][1]
        else:
            provenance.pop(field, None)
    provenance.pop("date_signed_ambiguous", None)
    if ambiguous and "date_signed" not in chosen:  # flagged, not guessed: "11/12/96: 11 December ... or ..."
        provenance["date_signed"] = "ambiguous"
        provenance["date_signed_ambiguous"] = ambiguous
    empty: dict[str, Any] = {"title": "", "parties": ()}  # a field nothing gave, or an inferred date dropped
    values: dict[str, Any] = {f: chosen[f][0] if f in chosen else empty.get(f) for f in FIELDS}
    result = ParsedTreaty(replace(t, **values, provenance=provenance), parsed.clauses, parsed.terms,
                          parsed.references)
    new_id = (sidecar or {}).get("treaty_id")
    if new_id:
        result = rename(result, new_id)
        result = ParsedTreaty(replace(result.treaty, provenance={**result.treaty.provenance, "treaty_id": "sidecar"}),
                              result.clauses, result.terms, result.references)
    return result


def rename(parsed: ParsedTreaty, treaty_id: str) -> ParsedTreaty:
    """The treaty under a new id: every clause id "{old}/..." becomes "{new}/...", and so do parent ids,
    the ids of defined terms and their uses, and references' clause and target ids."""
    old = parsed.treaty.treaty_id
    if treaty_id == old:
        return parsed

    def move(clause_id: str) -> str:
        return treaty_id + clause_id[len(old):] if clause_id.startswith(old + "/") else clause_id

    clauses = [replace(c, clause_id=move(c.clause_id), treaty_id=treaty_id,
                       parent_id=move(c.parent_id) if c.parent_id else c.parent_id) for c in parsed.clauses]
    terms = [replace(d, clause_id=move(d.clause_id), used_in=tuple(move(u) for u in d.used_in))
             for d in parsed.terms]
    refs = [replace(r, clause_id=move(r.clause_id), target_id=move(r.target_id) if r.target_id else r.target_id)
            for r in parsed.references]
    treaty: Treaty = replace(parsed.treaty, treaty_id=treaty_id)
    return ParsedTreaty(treaty, clauses, terms, refs)

