"""A state's negotiating positions as data (red lines, must-haves, limits) and the check of a draft against them.

The file (YAML) names each position and the draft clauses it reads::

    party: CAN
    red_lines:
      - name: no investor-state arbitration
        match: {type: isds}
    must_haves:
      - name: review within 5 years
        match: {type: review}
        at_most: 5 years
    limits:
      - name: withdrawal notice of at least 12 months
        match: {words: [withdraw]}
        at_least: 12 months

``match`` holds any of ``type`` (clause type ids), ``words`` (phrases, any of them) and ``modality``; a
clause matches when every key given holds. A red line is crossed by any matching clause (one that forbids
or carves out counts only where ``modality`` says so); a must-have is present when a matching clause is (and
keeps the bound, if one is given); a limit is broken by a matching clause whose number of the same kind
(time, percent, money) is beyond the bound.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.annotate import taxonomy
from ingest.annotate.quantities import Quantity, quantities
from ingest.errors import InputError
from ingest.records import MODALITIES, Clause

SECTIONS = ("red_lines", "must_haves", "limits")
_ENTRY_KEYS = {"name", "match", "at_least", "at_most", "note"}
_MATCH_KEYS = {"type", "words", "modality"}


@dataclass(frozen=True)
class Position:
    section: str
    name: str
    types: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    modalities: frozenset[str] = frozenset()
    at_least: Quantity | None = None
    at_most: Quantity | None = None
    note: str = ""


@dataclass(frozen=True)
class Hit:
    """A draft clause a position reads, what fired, and the spans of the words that did."""

    clause: Clause
    rule: str
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Outcome:
    position: Position
    # red line: "crossed" / "clear"; must-have: "present" / "missing"; limit: "broken" / "kept" / "not addressed"
    status: str
    hits: tuple[Hit, ...] = ()


@dataclass
class Positions:
    path: str
    party: str | None
    positions: list[Position] = field(default_factory=list)


def _list(value: Any, where: str, what: str) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise InputError(f"{where}: '{what}' must be a word or a list of words")
    return [v.strip() for v in values]


def _bound(value: Any, where: str, key: str) -> Quantity:
    found = quantities(str(value)) if isinstance(value, str | int | float) else ()
    if len(found) != 1:
        raise InputError(f"{where}: '{key}' must be one quantity such as '12 months', '40 percent' or 'USD 5 million' "
                         f"(got {value!r})")
    return found[0]


def parse_positions(doc: Any, path: str) -> Positions:
    """The positions in ``doc`` (the YAML file's content); InputError names the file, the entry and the problem."""
    if not isinstance(doc, dict):
        raise InputError(f"{path}: a positions file is a mapping with {', '.join(SECTIONS)}")
    unknown = set(doc) - {*SECTIONS, "party"}
    if unknown:
        raise InputError(f"{path}: unknown section '{sorted(unknown)[0]}' (allowed: party, {', '.join(SECTIONS)})")
    if not any(doc.get(s) for s in SECTIONS):
        raise InputError(f"{path}: no positions (give at least one of {', '.join(SECTIONS)})")
    types = taxonomy()
    out = Positions(path, str(doc["party"]) if doc.get("party") else None)
    for section in SECTIONS:
        entries = doc.get(section) or []
        if not isinstance(entries, list):
            raise InputError(f"{path}: '{section}' must be a list of entries")
        for n, entry in enumerate(entries, start=1):
            where = f"{path}: {section} entry {n}"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
                raise InputError(f"{where}: each entry needs a 'name'")
            where = f"{path}: {section} entry {n} ('{entry['name']}')"
            if set(entry) - _ENTRY_KEYS:
                raise InputError(f"{where}: unknown key '{sorted(set(entry) - _ENTRY_KEYS)[0]}' "
                                 f"(allowed: {', '.join(sorted(_ENTRY_KEYS))})")
            match = entry.get("match")
            if not isinstance(match, dict) or not match or set(match) - _MATCH_KEYS:
                raise InputError(f"{where}: 'match' must give at least one of type, words, modality")
            kinds = _list(match["type"], where, "type") if "type" in match else []
            bad = [k for k in kinds if k not in types]
            if bad:
                raise InputError(f"{where}: unknown clause type '{bad[0]}' (see ingest/annotate/clause_types.toml)")
            modalities = _list(match["modality"], where, "modality") if "modality" in match else []
            if any(m not in MODALITIES for m in modalities):
                raise InputError(f"{where}: modality must be one of {', '.join(MODALITIES)}")
            if section == "red_lines" and ("at_least" in entry or "at_most" in entry):
                raise InputError(f"{where}: a red line has no bound; write it under limits")
            if section == "limits" and "at_least" not in entry and "at_most" not in entry:
                raise InputError(f"{where}: a limit needs 'at_least' or 'at_most'")
            out.positions.append(Position(
                section, entry["name"].strip(), frozenset(kinds),
                tuple(w.lower() for w in _list(match["words"], where, "words")) if "words" in match else (),
                frozenset(modalities),
                _bound(entry["at_least"], where, "at_least") if "at_least" in entry else None,
                _bound(entry["at_most"], where, "at_most") if "at_most" in entry else None,
                str(entry.get("note") or "")))
    return out


def load_positions(path: Path, data: bytes | None = None) -> Positions:
    """The positions file at ``path`` (``data`` its bytes when it does not come from disk, an upload); InputError
    (one line naming the file) when it cannot be used."""
    import yaml

    try:
        text = data.decode("utf-8") if data is not None else path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the positions file ({exc.strerror or exc})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(f"{path}: not valid YAML{f' (line {line + 1})' if line is not None else ''}") from None
    return parse_positions(doc, str(path))


def _matches(p: Position, c: Clause) -> tuple[int, int] | None:
    """Offsets of the words that made ``c`` match ``p`` ((0, 0) when only type or modality did), or None."""
    text = c.full_text
    if p.types and c.clause_type not in p.types and c.secondary_type not in p.types:
        return None
    if p.modalities and (c.duty is None or c.duty.modality not in p.modalities):
        return None
    if p.words:
        low = f"{c.heading}\n{text}".lower()
        hit = next((w for w in p.words if w in low), None)
        if hit is None:
            return None
        m = re.search(re.escape(hit), text, re.I)
        return m.span() if m else (0, 0)
    return (0, 0)


def _beyond(q: Quantity, p: Position) -> str | None:
    for bound, worse in ((p.at_least, lambda a, b: a < b * 0.97), (p.at_most, lambda a, b: a > b * 1.03)):
        if bound is not None and q.dimension == bound.dimension and (q.dimension != "money" or q.unit == bound.unit) \
                and worse(q.normalised, bound.normalised):
            return f"{q.shown} is {'below' if bound is p.at_least else 'above'} the {bound.shown} the position allows"
    return None


def _within(q: Quantity, p: Position) -> bool:
    bound = p.at_least or p.at_most
    return bound is not None and q.dimension == bound.dimension and _beyond(q, p) is None


def check_positions(positions: Positions, clauses: Sequence[Clause]) -> list[Outcome]:
    """Each position against the draft's ``clauses``."""
    out = []
    for p in positions.positions:
        matching = [(c, span) for c in clauses if (span := _matches(p, c)) is not None]
        if p.section == "red_lines":
            hits = tuple(Hit(c, f"matches {_describe(p)}", (span,) if span != (0, 0) else ()) for c, span in matching)
            out.append(Outcome(p, "crossed" if hits else "clear", hits))
        elif p.section == "must_haves":
            kept = [(c, span) for c, span in matching if not (p.at_least or p.at_most) or any(
                _within(q, p) for q in quantities(c.full_text))]
            out.append(Outcome(p, "present" if kept else "missing",
                               tuple(Hit(c, f"matches {_describe(p)}", (span,) if span != (0, 0) else ())
                                     for c, span in kept)))
        else:
            broken = []
            measured = False
            for c, _ in matching:
                for q in quantities(c.full_text):
                    why = _beyond(q, p)
                    measured = measured or why is not None or _within(q, p)
                    if why:
                        broken.append(Hit(c, why, ((q.start, q.end),)))
            out.append(Outcome(p, "broken" if broken else "kept" if measured else "not addressed", tuple(broken)))
    return out


def _describe(p: Position) -> str:
    parts = []
    if p.types:
        parts.append("type " + "/".join(sorted(p.types)))
    if p.words:
        parts.append("words " + " / ".join(f"'{w}'" for w in p.words))
    if p.modalities:
        parts.append("modality " + "/".join(sorted(p.modalities)))
    return ", ".join(parts)
