"""Clause annotation: the clause-type taxonomy (typing itself arrives with the annotation issue)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ingest.errors import InputError


@dataclass(frozen=True)
class ClauseType:
    id: str
    label: str
    description: str
    cues: tuple[str, ...]


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, ClauseType]:
    """The clause types of ``clause_types.toml``, by id, in file order."""
    raw = tomllib.loads(resources.files(__package__).joinpath("clause_types.toml").read_text(encoding="utf-8"))
    return {k: ClauseType(k, v["label"], v["description"], tuple(v["cues"])) for k, v in raw.items()}


def parse_clause_type(value: str) -> str:
    """A taxonomy id from an id or a label, any case ("expropriation", "Rules of origin").

    Raises InputError listing the allowed ids.
    """
    wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
    types = taxonomy()
    for t in types.values():
        if wanted in (t.id, t.label.lower().replace(" ", "_").replace("-", "_")):
            return t.id
    raise InputError(f"unknown clause type '{value}' (choose one of: {', '.join(types)})")
