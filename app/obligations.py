"""The obligation register of an agreement: who must do what, by when, and whether it is a reporting duty."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.context import Context
from ingest.errors import InputError, NoSuchAgreement
from ingest.metadata.infer import countries_in
from ingest.parties import party_name
from ingest.records import Duty

DUTIES = ("obligation", "prohibition")
_GENERIC = re.compile(r"\b(each|every|any|a|either|both|all)\s+part(y|ies)\b|\bthe\s+parties\b|\bparty\b", re.I)
_DEMONYM_ENDINGS = r"e?an|ian|ese|n"  # Chilean, Mexican, Canadian, Japanese, Korean
CSV_FIELDS = ("citation", "bearer", "modality", "action", "deadline", "reporting", "plain", "clause_id", "text")


def _deadline(duty: Duty) -> str | None:
    parts = []
    for d in duty.deadlines:
        kind = {"within": "within", "at_least": "at least", "at_most": "at most", "after": "after", "periodic": "every",
                "notice": "notice of"}.get(d.kind, "")
        unit = d.unit[:-1] if d.value == 1 and d.unit.endswith("s") else d.unit
        parts.append(f"{kind} {d.value} {unit}".strip())
    return "; ".join(parts) or None


def plain_line(duty: Duty, text: str) -> str:
    """One plain-language sentence: "Each Party must notify the other Parties ... (within 60 days)."

    Where no bearer and action could be read, the clause's own first words stand in, ending in " …" when
    they are cut short (so a cut is never taken for the clause's end).
    """
    deadline = _deadline(duty)
    suffix = (f" ({deadline})" if deadline else "") + "."
    if not duty.bearer or not duty.action:
        words = textwrap.shorten(text.rstrip(" .;,"), 160, placeholder=" …")
        return words + (suffix if not words.endswith("…") else suffix[:-1])
    bearer = duty.bearer[0].upper() + duty.bearer[1:]
    verb = "must not" if duty.modality == "prohibition" else "must"
    return f"{bearer} {verb} {duty.action.rstrip(' .;,')}" + suffix


def binds(bearer: str | None, party: str) -> bool:
    """Whether a duty with this bearer binds ``party``: generic bearers bind every party, named ones their state.

    A state is named by whole words only: its code ("CAN"), a name of it ("Canada", "the Republic of Korea",
    "Turkey") or its adjective ("the Canadian authorities"), so "the Mexican authorities" never binds CAN
    nor "the operator" PER.
    """
    if not bearer or _GENERIC.search(bearer):
        return True
    if re.search(rf"\b{re.escape(party)}\b", bearer):  # the code as written: upper case, a word of its own
        return True
    if party in (countries_in(bearer) or ()):
        return True
    name = party_name(party)
    if name and re.search(rf"\b{re.escape(name)}\b", bearer, re.I):
        return True
    return any(_demonym_of(word) == party for word in re.findall(r"\b[A-Z][a-z]+\b", bearer))


@lru_cache(maxsize=1)
def _stems() -> dict[str, str]:
    """One-word country names less a final vowel ("canad", "mexic", "chil") -> alpha-3 code."""
    import pycountry

    stems: dict[str, str] = {}
    for country in pycountry.countries:
        name = str(getattr(country, "common_name", None) or country.name).lower()
        if name.isalpha():  # one final vowel only: "nigeri" (Nigeria) stays apart from "niger" (Niger)
            stems.setdefault(name[:-1] if name[-1] in "aeiou" else name, str(country.alpha_3))
    return stems


@lru_cache(maxsize=1024)
def _demonym_of(word: str) -> str | None:
    """The country whose adjective ``word`` is ("Canadian" -> CAN), by the longest name it is built on, so
    "Nigerian" is Nigeria's and not Niger's; None when it is none."""
    low = word.lower()
    for end in range(len(low) - 1, 2, -1):
        stem, ending = low[:end], low[end:]
        code = _stems().get(stem)
        if code and re.fullmatch(_DEMONYM_ENDINGS, ending):
            return code
    return None


def register(ctx: Context, treaty_id: str, parties: Sequence[str] = ()) -> dict[str, Any]:
    """The duties (obligations and prohibitions) an agreement creates, in reading order; with ``parties``, those
    that bind any of them."""
    treaty = ctx.graph.get_treaty(treaty_id)
    if treaty is None:
        raise NoSuchAgreement(treaty_id)
    if isinstance(parties, str):
        parties = (parties,)
    for party in parties:
        if party not in treaty.parties:
            raise InputError(f"{party} is not a party to {treaty.title} "
                             f"({', '.join(treaty.parties) or 'no parties'})")
    rows = []
    for c in ctx.graph.clauses(treaty_id):
        duty = c.duty
        if duty is None or duty.modality not in DUTIES or c.clause_type == "preamble" or (
                parties and not any(binds(duty.bearer, p) for p in parties)):
            continue
        rows.append({
            "clause_id": c.clause_id, "citation": c.citation, "heading": c.heading or None,
            "bearer": duty.bearer, "modality": duty.modality, "action": duty.action,
            "deadline": _deadline(duty), "deadlines": duty.as_json()["deadlines"],
            "reporting": duty.reporting, "conditions": list(duty.conditions),
            "plain": plain_line(duty, c.full_text), "text": c.full_text, "clause_type": c.clause_type,
        })
    return {"treaty_id": treaty_id, "treaty_name": treaty.title, "parties": list(parties), "obligations": rows}


def csv_text(doc: dict[str, Any]) -> str:
    """The register as CSV (the columns of ``CSV_FIELDS``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(doc["obligations"])
    return out.getvalue()


def write_csv(doc: dict[str, Any], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(csv_text(doc))
