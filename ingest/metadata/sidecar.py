"""Metadata given beside a treaty file (a sidecar: NAME.meta.json, NAME.meta.yaml, NAME.yaml) or on the
command line (``--title``, ``--parties``, ``--signed``, ``--in-force``), checked at the boundary."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.errors import InputError, ReadError
from ingest.parties import parse_party

# Checked in this order; the first that exists is the sidecar. The ".meta." names come first because
# they cannot be mistaken for anything else; a bare "ceta.yaml" might be some other YAML file.
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml", ".yaml", ".yml")
SIDECAR_LIMIT = 1_000_000  # bytes
# The Treaty fields metadata may set, in the order provenance lists them.
FIELDS = ("title", "parties", "date_signed", "date_in_force", "date_inactive", "type", "status", "language")
# Sidecar key -> Treaty field. "id" renames the treaty.
_SIDECAR_KEYS = {
    "title": "title", "parties": "parties", "signed": "date_signed", "date_signed": "date_signed",
    "in_force": "date_in_force", "date_in_force": "date_in_force", "inactive": "date_inactive",
    "date_inactive": "date_inactive", "type": "type", "status": "status", "language": "language",
    "id": "treaty_id",
}
_DATE_FIELDS = ("date_signed", "date_in_force", "date_inactive")
_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]{0,99}$")
_MAX_TEXT = 300


def present(value: Any) -> bool:
    """True for a value that says something (not None, not empty)."""
    return value is not None and value != "" and value != ()


# -- sidecars -----------------------------------------------------------------------------------
def sidecar_path(path: Path) -> Path | None:
    """The sidecar of the treaty file ``path``, or None if it has none.

    The sidecar has the same name with the suffix replaced by, in this order
    of precedence, ``.meta.json``, ``.meta.yaml``, ``.meta.yml``, ``.yaml``,
    ``.yml``: for ``ceta.pdf`` the first of ``ceta.meta.json`` ...
    ``ceta.yml`` that exists is taken, the others are ignored.
    """
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.stem + suffix)
        if candidate != path and candidate.is_file():
            return candidate
    return None


def is_sidecar(path: Path) -> bool:
    """True for a file named like a sidecar (``*.meta.json``, ``*.yaml`` ...), which is no treaty itself."""
    return path.name.lower().endswith(SIDECAR_SUFFIXES)


def load_sidecar(path: Path) -> dict[str, Any]:
    """Read and check the sidecar at ``path`` (JSON or YAML by its suffix, at most 1 MB).

    Keys: ``title``, ``parties`` (a list of alpha-3 or alpha-2 codes or
    country names), ``signed``/``date_signed``, ``in_force``/``date_in_force``,
    ``inactive``/``date_inactive`` (YYYY-MM-DD), ``type``, ``status``,
    ``language``, ``id`` (lower-case letters, digits, dots and hyphens). A key
    whose value is null is ignored.

    Returns the values keyed by Treaty field name (``id`` as ``treaty_id``),
    dates as ``date``, parties as a tuple of alpha-3 codes:

    >>> load_sidecar(Path("ceta.meta.json"))  # doctest: +SKIP
    {'title': 'CETA', 'parties': ('CAN', 'EUU'), 'date_signed': datetime.date(2016, 10, 30)}

    Raises ReadError naming the sidecar when it is too large, unreadable,
    not a mapping, or has an unknown key, a bad date or an unknown party.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(SIDECAR_LIMIT + 1)
    except OSError as exc:
        raise ReadError(str(path), f"cannot read the sidecar ({exc.strerror or exc})") from None
    return parse_sidecar(str(path), data)


def parse_sidecar(name: str, data: bytes) -> dict[str, Any]:
    """``load_sidecar`` on bytes already read (a zip member, say); ``name`` is used in errors and picks the format."""
    if len(data) > SIDECAR_LIMIT:
        raise ReadError(name, f"the sidecar is larger than the {SIDECAR_LIMIT // 1_000_000} MB limit")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError(name, "the sidecar is not UTF-8 text") from None
    raw = _parse_json(name, text) if name.lower().endswith(".json") else _parse_yaml(name, text)
    if not isinstance(raw, dict):
        found = "nothing" if raw is None else f"a {type(raw).__name__}"
        raise ReadError(name, f"the sidecar must be a mapping of keys such as title and parties, not {found}")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        field = _SIDECAR_KEYS.get(key) if isinstance(key, str) else None
        if field is None:
            raise ReadError(name, f"unknown key '{key}' in the sidecar (allowed: {', '.join(sorted(_SIDECAR_KEYS))})")
        if field in out:
            raise ReadError(name, f"the sidecar gives {field} twice (as '{key}' and another name); keep one")
        if value is not None:
            out[field] = _sidecar_value(name, key, field, value)
    return out


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(name, f"the sidecar is not valid JSON ({exc.msg} at line {exc.lineno})") from None


@lru_cache(maxsize=1)
def _yaml_loader() -> Any:
    """yaml.SafeLoader without timestamps: dates stay text and get one check (and one message) with JSON's."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _parse_yaml(name: str, text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ReadError(name, f"the sidecar is not valid YAML{where}") from None


def _sidecar_value(name: str, key: str, field: str, value: Any) -> Any:
    if field in _DATE_FIELDS:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ReadError(name, f"'{key}' in the sidecar is not a date: {value!r} (use YYYY-MM-DD)")
    if field == "parties":
        items = [p for p in value.split(",") if p.strip()] if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not items:
            raise ReadError(name, "'parties' in the sidecar must be a non-empty list such as [CAN, CHL]")
        codes = []
        for item in items:
            if not isinstance(item, str):  # YAML reads an unquoted NO (Norway) as false
                raise ReadError(name, f"party {item!r} in the sidecar is not text (quote codes such as 'NO' in YAML)")
            try:
                codes.append(parse_party(item))
            except InputError:
                raise ReadError(name, f"unknown party '{item}' in the sidecar (give ISO 3166-1 codes such as CAN "
                                      "or CA, or country names)") from None
        return tuple(dict.fromkeys(codes))
    if not isinstance(value, str) or not value.strip():
        raise ReadError(name, f"'{key}' in the sidecar must be non-empty text")
    text = " ".join(value.split())
    if field == "treaty_id" and not _ID.match(text):
        raise ReadError(name, f"'id' in the sidecar must be lower-case letters, digits, dots and hyphens "
                              f"such as 'eu-canada-ceta', not '{text}'")
    if len(text) > _MAX_TEXT:
        raise ReadError(name, f"'{key}' in the sidecar is longer than {_MAX_TEXT} characters")
    return text


# -- command-line overrides -----------------------------------------------------------------------
@dataclass(frozen=True)
class MetadataOverrides:
    """Metadata given on the command line (``--title``, ``--parties``, ``--signed``, ``--in-force``).

    A field left at None or () was not given. Build it with ``parse``, which
    checks the strings the user typed.
    """

    title: str | None = None
    parties: tuple[str, ...] = ()
    date_signed: date | None = None
    date_in_force: date | None = None

    @classmethod
    def parse(cls, title: str | None = None, parties: str | list[str] | tuple[str, ...] | None = None,
              signed: str | None = None, in_force: str | None = None) -> MetadataOverrides:
        """Check the flags' strings: ``parties`` as "CAN,CHL" (or repeated values), dates as YYYY-MM-DD.

        >>> MetadataOverrides.parse(parties="ca, Chile", signed="1996-12-05").parties
        ('CAN', 'CHL')

        Raises InputError naming the flag and the allowed format.
        """
        if title is not None and not title.strip():
            raise InputError("--title must not be empty")
        codes: tuple[str, ...] = ()
        if parties is not None:
            given = [parties] if isinstance(parties, str) else list(parties)
            names = [p for value in given for p in value.split(",") if p.strip()]
            if not names:
                raise InputError("--parties must name at least one party, such as --parties CAN,CHL")
            try:
                codes = tuple(dict.fromkeys(parse_party(p) for p in names))
            except InputError as exc:
                raise InputError(f"--parties: {exc} (several are separated by commas: CAN,CHL)") from None
        return cls(
            title=" ".join(title.split()) if title is not None else None,
            parties=codes,
            date_signed=_flag_date("--signed", signed),
            date_in_force=_flag_date("--in-force", in_force),
        )

    def values(self) -> dict[str, Any]:
        """The given overrides keyed by Treaty field name."""
        found = {"title": self.title, "parties": self.parties, "date_signed": self.date_signed,
                 "date_in_force": self.date_in_force}
        return {k: v for k, v in found.items() if present(v)}


def _flag_date(flag: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{flag} '{value}' is not a date; use YYYY-MM-DD, such as 1996-12-05") from None


