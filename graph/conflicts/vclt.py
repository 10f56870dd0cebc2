"""Which rule of priority may settle a clash between two treaties: Art. 30 of the Vienna Convention on
the Law of Treaties (later in time between the same parties, 30(3) and 30(4)(a); a state bound towards
different partners stays bound to each, 30(4)(b); a treaty's own conflict clause, 30(2)) and special law."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graph.conflicts.model import Kind
from ingest.parties import party_name
from ingest.records import Clause, Treaty

# Clause types that state general rules; a clause of a subject type is the more special one beside them.
GENERAL_TYPES = frozenset({"general_exceptions", "security_exceptions", "objectives", "cooperation"})


@dataclass(frozen=True)
class ConflictClause:
    """A conflict clause of one agreement: ``stance`` "prevails" or "yields", its clause and words."""

    treaty_id: str
    clause: Clause
    stance: str
    words: str


@dataclass(frozen=True)
class PriorityNote:
    """The rules (``rules``: "VCLT 30(3)", "VCLT 30(4)(b)", "VCLT 30(2)", "lex specialis") and one note."""

    rules: tuple[str, ...]
    note: str


def _names(codes: Sequence[str]) -> str:
    names = [party_name(c) or c for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def priority_note(kind: Kind, draft_parties: Sequence[str], existing: Treaty, as_of: date,
                  draft_clause: Clause | None = None, existing_clause: Clause | None = None,
                  conflict_clauses: Sequence[ConflictClause] = ()) -> PriorityNote:
    """The priority note for a clash between the draft (to be concluded after ``as_of``) and ``existing``.

    ``conflict_clauses`` are the explicit conflict clauses of the draft (treaty id "draft") and of
    ``existing`` (30(2)); which of them to cite is decided here.
    """
    shared = [p for p in existing.parties if p in draft_parties]
    third = [p for p in existing.parties if p not in draft_parties]
    absent = [p for p in draft_parties if p not in existing.parties]
    rules: list[str] = []
    notes: list[str] = []
    title = existing.title
    if kind is Kind.MFN:
        rules.append("VCLT 30(4)(b)")
        notes.append(f"{_names(shared)} owe{'s' if len(shared) == 1 else ''} most-favoured-nation treatment to "
                     f"{_names(third)} under {title}; the draft cannot take that away from states not party to it "
                     "(Art. 30(4)(b), Art. 34).")
        return PriorityNote(tuple(rules), " ".join(notes))
    since = f" (in force since {existing.date_in_force.isoformat()})" if existing.date_in_force else ""
    if len(shared) >= 2:
        rules.append("VCLT 30(3)" if not absent and not third else "VCLT 30(4)(a)")
        notes.append(f"Between {_names(shared)}, parties to both, the later treaty applies to the extent of the "
                     f"inconsistency (Art. 30(3){', 30(4)(a)' if absent or third else ''}): once in force, the draft "
                     f"would prevail over {title}{since}.")
    if third or (len(shared) < 2 and absent):
        rules.append("VCLT 30(4)(b)")
        others = _names(third) if third else "its other partners"
        notes.append(f"{_names(shared)} stay{'s' if len(shared) == 1 else ''} bound by {title} towards {others}, "
                     f"not parties to the draft (Art. 30(4)(b)): the clash is a real risk of breach where one measure "
                     "serves both relations, not a question of which text wins.")
    explicit = [c for c in conflict_clauses if c.treaty_id in ("draft", existing.treaty_id)]
    yielding = [c for c in explicit if c.stance == "yields"][:2]
    claiming = [c for c in explicit if c.stance == "prevails"][:2]
    for c in yielding:
        rules.append("VCLT 30(2)")
        whose, other = ("The draft", title) if c.treaty_id == "draft" else (title, "the draft")
        notes.append(f"{whose} {c.clause.citation} says it is subject to, or not incompatible with, other agreements "
                     f"('{c.words}'): where that reaches {other}, the other agreement prevails (Art. 30(2)).")
    if claiming:
        said = "; ".join(f"{'the draft' if c.treaty_id == 'draft' else title} {c.clause.citation} ('{c.words}')"
                         for c in claiming)
        notes.append(f"Priority claimed by {said}: a claim to prevail is not an Art. 30(2) clause, and between the "
                     "same parties the later treaty prevails unless it yields.")
    if draft_clause and existing_clause and draft_clause.clause_type != existing_clause.clause_type:
        general = {draft_clause.clause_type, existing_clause.clause_type} & GENERAL_TYPES
        if len(general) == 1 and None not in (draft_clause.clause_type, existing_clause.clause_type):
            special = "the draft's" if existing_clause.clause_type in GENERAL_TYPES else "the existing"
            rules.append("lex specialis")
            notes.append(f"Special law may also apply: {special} provision is the more specific one.")
    return PriorityNote(tuple(dict.fromkeys(rules)), " ".join(notes))
