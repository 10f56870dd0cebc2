"""Clause annotation: the clause-type taxonomy, clause typing (clause_types.py), duty analysis (duty.py),
defined terms (terms.py) and cross-references (refs.py)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ingest.errors import InputError
from ingest.records import Clause, ParsedTreaty


@dataclass(frozen=True)
class ClauseType:
    id: str
    label: str
    description: str
    cues: tuple[str, ...]
    heading_only: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, ClauseType]:
    """The clause types of ``clause_types.toml``, by id, in file order."""
    raw = tomllib.loads(resources.files(__package__).joinpath("clause_types.toml").read_text(encoding="utf-8"))
    return {
        k: ClauseType(k, v["label"], v["description"], tuple(v["cues"]), frozenset(v.get("heading_only", ())))
        for k, v in raw.items()
    }


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


def annotate(clauses: list[Clause]) -> list[Clause]:
    """The clauses with their types and, where they have words of their own, their duty analysis.

    A sub-clause is analysed with its chapeau: "Each Party shall: (b) publish ..." obliges.
    """
    from dataclasses import replace

    from ingest.annotate.clause_types import with_types
    from ingest.annotate.duty import analyse

    return [replace(with_types(c), duty=analyse(c.full_text, c.heading) if c.text else None) for c in clauses]


def annotate_treaty(parsed: ParsedTreaty) -> ParsedTreaty:
    """The agreement with its clauses annotated, the terms it defines and the references its clauses make."""
    from ingest.annotate.refs import references
    from ingest.annotate.terms import defined_terms

    clauses = annotate(parsed.clauses)
    return ParsedTreaty(parsed.treaty, clauses, defined_terms(clauses), references(clauses))
