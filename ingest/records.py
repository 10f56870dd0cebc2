"""The records every layer shares: a treaty and its clauses, defined once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# Levels of the clause hierarchy, from the outside in.
LEVELS = ("article", "paragraph", "subparagraph", "item")


@dataclass(frozen=True)
class Treaty:
    """One agreement as read from its source document.

    ``source_ids`` holds the identifiers the source document itself gives
    (for ToTA: ``treaty_identifier``, ``wto_rta_id``); ``content_hash`` is the
    SHA-256 of the source file's bytes and the ingest pipeline's version, so
    an unchanged file read by an unchanged pipeline is recognised.

    ``provenance`` says where each metadata value came from: it maps a field
    name ("title", "parties", "date_signed", "date_in_force", "date_inactive",
    "type", "status", "language", or "treaty_id" when a sidecar renamed the
    agreement) to "source" (the document's own metadata, such as ToTA's
    ``<meta>`` or Akoma Ntoso's FRBR block), "sidecar" (a ``.meta.json`` or
    ``.yaml`` file beside the document), "flag" (given on the command line)
    or "inferred" (read from the text by ``ingest.metadata.infer``, or the
    language a reader detected from the words). Readers leave it empty but
    for that; ``ingest.metadata.apply`` fills it. A field missing from
    it has no recorded origin.
    """

    treaty_id: str
    title: str
    type: str | None = None
    status: str | None = None
    date_signed: date | None = None
    date_in_force: date | None = None
    date_inactive: date | None = None
    parties: tuple[str, ...] = ()
    language: str | None = None
    source_ids: dict[str, str] = field(default_factory=dict)
    source_path: str = ""
    content_hash: str = ""
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    """A time limit: ``value`` ``unit`` ("days", "working days", "months", "years") of ``kind`` "within" /
    "at_least" / "after" / "periodic", and the words it was read from ("within sixty (60) days")."""

    value: int
    unit: str
    kind: str
    words: str

    @property
    def days(self) -> float:
        """The limit in days, for comparing limits written in different units (a month is 30.44 days)."""
        per = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
        return self.value * per.get(self.unit.split()[-1].rstrip("s"), 1.0)


@dataclass(frozen=True)
class Duty:
    """What a clause does in law (``ingest.annotate.duty`` reads it): its ``modality`` (one of
    ``MODALITIES``) and the words that decided it (``cue``), who bears it, the action, the conditions
    ("unless", "subject to", ...), its time limits, and whether it is a reporting duty."""

    modality: str
    cue: str
    bearer: str | None = None
    action: str | None = None
    conditions: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    reporting: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any] | None) -> Duty | None:
        """The duty ``as_json`` wrote (None for an empty or missing document)."""
        if not doc or not doc.get("modality"):
            return None
        return cls(doc["modality"], doc.get("cue", ""), doc.get("bearer"), doc.get("action"),
                   tuple(doc.get("conditions") or ()), tuple(Deadline(**d) for d in doc.get("deadlines") or ()),
                   bool(doc.get("reporting")))


MODALITIES = ("definition", "exception", "institutional", "prohibition", "obligation", "permission", "declaration")


@dataclass(frozen=True)
class Clause:
    """One unit of the hierarchy article -> paragraph -> sub-paragraph -> item.

    ``text`` is the clause's own words; ``context`` is the chapeau chain of its
    ancestors (empty for articles and top-level paragraphs), because a
    sub-paragraph read alone is meaningless. ``order`` is the position in
    reading order within the treaty. ``source`` holds the source document's own
    identifiers (for ToTA: treaty, chapter and article identifiers).
    ``clause_type`` (and ``secondary_type``) come from the clause-type
    taxonomy, with the confidence and the cue that decided them; ``duty`` is
    the duty analysis (None for a clause with no words of its own).
    """

    clause_id: str
    treaty_id: str
    level: str
    citation: str
    text: str
    order: int
    parent_id: str | None = None
    label: str = ""
    heading: str = ""
    chapter: str = ""
    context: str = ""
    source: dict[str, str] = field(default_factory=dict)
    clause_type: str | None = None
    is_leaf: bool = True
    secondary_type: str | None = None
    type_confidence: float | None = None
    type_cue: str = ""
    duty: Duty | None = None

    @property
    def full_text(self) -> str:
        """The clause as a reader needs it: chapeau chain, then its own words."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    @property
    def other_version(self) -> bool:
        """True for a clause of a further language version of its agreement ("Dutch text, Art. 1")."""
        return "version" in self.source

    @property
    def index_text(self) -> str:
        """What is embedded and indexed: article heading, chapeau, own words."""
        return f"{self.heading}. {self.full_text}" if self.heading else self.full_text

    @property
    def passage_text(self) -> str:
        """What is embedded: the clause's own words first, then its heading and chapeau.

        The model reads only its first 128 tokens; with the chapeau first, the
        items of a long list would embed almost alike.
        """
        return "\n".join(part for part in (self.text, self.heading, self.context) if part)

    @property
    def text_key(self) -> str:
        """Hash of the wording with numbering and spacing normalised.

        Clauses of different agreements with the same key carry identical
        text; search collapses them into one hit.
        """
        return text_key(self.full_text)


_LEADING_LABEL = re.compile(r"^\s*(?:\(?[0-9]{1,3}[a-z]?[.)]|\([a-z]{1,4}\)|[a-z]{1,2}\))\s*", re.I)
_SPACE = re.compile(r"\s+")


def article_of(clause_id: str) -> str:
    """The article a clause belongs to: the first two parts of its id, treaty and article ("tota-1/12/3" ->
    "tota-1/12"), as every reader builds clause ids."""
    return "/".join(clause_id.split("/")[:2])


def text_key(text: str) -> str:
    """Hash of ``text`` ignoring case, spacing and leading paragraph labels per line."""
    lines = (_LEADING_LABEL.sub("", line) for line in text.splitlines())
    norm = _SPACE.sub(" ", " ".join(lines)).strip().lower()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Reference:
    """A provision or instrument one clause points to.

    ``kind`` is "internal" (a provision of the same agreement: ``target`` is
    its citation, "Art. 10.4(2)", and ``target_id`` the clause id it resolves
    to, or None when it names a chapter, annex or provision Pacta cannot find)
    or "external" (another instrument: ``target`` is its name, "GATT 1994",
    and ``target_id`` its instrument id, "gatt-1994"). ``mention`` is the
    exact words of the clause.
    """

    clause_id: str
    kind: str
    mention: str
    target: str
    target_id: str | None = None


@dataclass(frozen=True)
class DefinedTerm:
    """A term an agreement defines ("investment"), the clause defining it and the clauses using it."""

    term: str
    clause_id: str
    definition: str
    used_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedTreaty:
    """A reader's output: the treaty and its clauses in reading order.

    ``terms`` and ``references`` are filled by annotation, which reads the
    agreement as a whole (a reference resolves against its other clauses).
    """

    treaty: Treaty
    clauses: list[Clause]
    terms: list[DefinedTerm] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
