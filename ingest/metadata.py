"""Metadata for formats that carry none (plain text, PDF, DOCX, HTML): sidecar files, command-line
overrides and a conservative reading of the text, merged with what the reader found, each value
keeping its provenance.

Precedence, highest first: flag > sidecar > source > inferred (see ``apply``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.errors import InputError, ReadError
from ingest.parties import parse_party
from ingest.records import Clause, ParsedTreaty, Treaty

# Checked in this order; the first that exists is the sidecar. The ".meta." names come first because
# they cannot be mistaken for anything else; a bare "ceta.yaml" might be some other YAML file.
SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml", ".yaml", ".yml")
SIDECAR_LIMIT = 1_000_000  # bytes
ORIGINS = ("flag", "sidecar", "source", "inferred")
_RANK = {origin: len(ORIGINS) - n for n, origin in enumerate(ORIGINS)}
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
        return {k: v for k, v in found.items() if _present(v)}


def _flag_date(flag: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{flag} '{value}' is not a date; use YYYY-MM-DD, such as 1996-12-05") from None


# -- dates written out in final clauses -----------------------------------------------------------
_MONTHS = {m: n for n, m in enumerate((
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december"), start=1)}
_SMALL = {w: n for n, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = {w: n for n, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"),
    start=1)} | {"twentieth": 20, "thirtieth": 30}
_MONTH = "|".join(_MONTHS)
_NUMBER_WORD = r"\b(?:" + "|".join(sorted([*_SMALL, *_TENS, "hundred", "thousand"], key=len, reverse=True)) + r")\b"
_YEAR_WORDS = rf"{_NUMBER_WORD}(?:(?:[\s-]+and)?[\s-]+{_NUMBER_WORD})*"
_DAY_WORD = (r"(?:(?:twenty|thirty)[\s-]?(?:" + "|".join(list(_ORDINALS)[:9]) + r")|"
             + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")")
_DATES = (
    # "the 5th day of December, 1996", "this seventh day of February in the year one thousand nine hundred ..."
    re.compile(rf"\b(?:(?P<dnum>\d{{1,2}})(?:st|nd|rd|th)?|(?P<dword>{_DAY_WORD}))\s+day\s+of\s+"
               rf"(?P<month>{_MONTH})\b[\s,]*(?:in\s+)?(?:the\s+)?(?:year\s+)?(?:(?P<ynum>\d{{4}})\b|(?P<yword>{_YEAR_WORDS}))",
               re.I),
    re.compile(rf"\b(?P<dnum>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b,?\s+(?P<ynum>\d{{4}})\b",
               re.I),
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<dnum>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ynum>\d{{4}})\b", re.I),
)


def _words_value(words: str) -> int | None:
    """ "one thousand nine hundred and ninety-six" -> 1996; "twenty-fourth" -> 24."""
    total = current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("", "and"):
            continue
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _ORDINALS:
            current += _ORDINALS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return total + current


def _clean_date_text(text: str) -> str:
    text = re.sub(r"(?<=[A-Za-z])-\s+(?=[A-Za-z])", "-", text)  # "twenty- fourth" as OCR leaves it
    # "seventy-\nseven" joined across the line break into "seventyseven"
    text = re.sub(rf"\b({'|'.join(_TENS)})({'|'.join([*list(_SMALL)[1:10], *list(_ORDINALS)[:9]])})\b",
                  r"\1-\2", text, flags=re.I)
    return re.sub(r"\b(in\s*)?theyear\b", r"\1the year", text, flags=re.I)


def find_date(text: str) -> date | None:
    """The first date written out in ``text`` the way treaties write them; None if there is none.

    >>> find_date("this ELEVENTH day of APRIL One Thousand Nine Hundred Ninety Three")
    datetime.date(1993, 4, 11)
    """
    found = _date_span(_clean_date_text(text))
    return found[0] if found else None


def _date_span(text: str) -> tuple[date, int, int] | None:
    """``find_date`` with the date's span, on text already through ``_clean_date_text``."""
    found: list[tuple[int, int, date]] = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            day = int(m["dnum"]) if m["dnum"] else _words_value(m.groupdict().get("dword") or "")
            year = int(m["ynum"]) if m["ynum"] else _words_value(m.groupdict().get("yword") or "")
            if not day or not year or not 1800 <= year <= 2100 or re.match(r"\s+and\b|-", text[m.end():]):
                continue  # a year cut short: "one thousand nine hundred and seventy-..."
            try:
                found.append((m.start(), m.end(), date(year, _MONTHS[m["month"].lower()], day)))
                break
            except ValueError:
                continue
    if not found:
        return None
    start, end, day_found = min(found)
    return day_found, start, end


# -- reading metadata from the text -----------------------------------------------------------------
_FINAL = re.compile(
    r"\b(?P<verb>done|signed|done\s+and\s+signed)\b[\s,]*"
    r"(?:in\s+(?:duplicate|triplicate|quadruplicate|(?:\w+\s+){1,2}(?:originals?|copies|copy))[\s,]*)?"
    r"(?:at|in)\s+(?:the\s+city\s+of\s+)?", re.I)
_PLACE = re.compile(r"[A-Z][^\W\d_]+(?:-[^\W\d_]+|\s(?:of|de|del|da|do|es|al)\s[A-Z][^\W\d_]+|\s[A-Z][^\W\d_]+)*")
_PLACE_STOP = {"On", "This", "The", "In", "At", "Done", "ON", "THIS", "THE", "IN", "AT"}
_IN_FORCE = re.compile(
    r"\b(?:this|the\s+present)\s+(?:agreement|treaty|convention|protocol|arrangement)\s+"
    r"(?:shall\s+)?(?:enter|enters|entered|come|comes|came)\s+into\s+force\s+on\s+(?:the\s+)?", re.I)
_TREATY_WORD = re.compile(
    r"\b(?:agreements?|treaty|convention|protocol|arrangement|accord|pact|charter|memorandum|partnership|"
    r"acuerdo|tratado|convenio|accord)\b", re.I)
# A sentence, a verb of the operative text, or OCR debris ("Mescolto2008-07-31MFERT"): no title.
_NOT_TITLE = re.compile(r"[.;:]\s|\b(?:hereby|shall|have\s+agreed)\b|[^\W\d_]\d|\d[^\W\d_]", re.I)
_CONNECTORS = {"between", "and", "of", "on", "with", "for", "to", "in", "among", "amongst", "by", "the", "a", "an",
               "establishing", "concerning", "amending", "relating", "regarding", "&"}
# Where the party list of a preamble ends: its first recital or the agreeing formula.
_RECITAL = re.compile(
    r"(?:^|[,;:.]\s*)\b(?:resolved|resolving|recogni[sz]ing|desiring|desirous|considering|convinced|aware|recalling|"
    r"bearing\s+in\s+mind|mindful|noting|affirming|reaffirming|wishing|determined|acknowledging|building|conscious|"
    r"emphasi[sz]ing|motivated|guided|inspired|taking|having|seeking|anxious|believing|striving|expressing|"
    r"committed|sharing|encouraged|welcoming|aiming|intending|stressing|underlining|confirming|have\s+agreed|"
    r"agree|hereby\s+agree|have\s+decided)\b", re.I)
# Groups whose members the text does not list: naming one means the party list is incomplete.
_GROUP = re.compile(
    r"\bmember\s+(?:states|countries)\b|\bstates\s+parties\b|\b(?:c?efta|mercosur|mercosul|asean|caricom|cariforum|"
    r"sacu|sadc|comesa|ecowas|gcc|andean|eurasian|customs\s+union|common\s+market|economic\s+community\s+of)\b", re.I)
# Names pycountry lacks or spells differently, and longer names that must win over a country inside them.
_ALIASES = {
    "european union": "EUU", "european community": "EUU", "european communities": "EUU",
    "european economic community": "EUU", "turkey": "TUR", "russia": "RUS", "macedonia": "MKD",
    "swaziland": "SWZ", "burma": "MMR", "cape verde": "CPV", "east timor": "TLS", "ivory coast": "CIV",
    "brunei": "BRN", "lao pdr": "LAO", "great britain": "GBR", "northern ireland": "GBR", "belgians": "BEL",
    "faeroe islands": "FRO", "faeroes": "FRO", "palestine": "PSE", "palestinian authority": "PSE",
    "republic of china": "TWN", "chinese taipei": "TWN", "kosovo": "XKX",
    "separate customs territory of taiwan, penghu, kinmen and matsu": "TWN",
    "hong kong, china": "HKG", "hong kong special administrative region of the people's republic of china": "HKG",
    "macao, china": "MAC", "macao special administrative region of the people's republic of china": "MAC",
    "yugoslavia": "YUG", "czechoslovakia": "CSK", "soviet union": "SUN",
    "union of soviet socialist republics": "SUN", "serbia and montenegro": "SCG", "german democratic republic": "DDR",
    "somali democratic republic": "SOM", "saint christopher and nevis": "KNA",
    # The Faroe agreements are made by "the Government of Denmark and the Home Government of the Faroe Islands".
    "government of denmark and the home government of the faroe islands": "FRO",
}


def _fold(text: str) -> str:
    """Accents dropped and quotes made plain, so "Côte d’Ivoire" matches "Cote d'Ivoire"."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _country_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            raw = getattr(country, attr, None)
            if not raw:
                continue
            key = re.sub(r"\s*\([^)]*\)", "", _fold(raw).lower()).strip()
            if ", " in key:  # "Korea, Republic of" -> "republic of korea"; "Virgin Islands, British" is left out
                head, _, tail = key.partition(", ")
                if not tail.endswith((" of", " of the")) or "province" in tail:
                    continue
                key = f"{tail} {head}"
            key = key.removeprefix("the ")
            for variant in (key, key.replace(" of the ", " of "), re.sub(r"^saint ", "st. ", key)):
                names.setdefault(variant, str(country.alpha_3))  # "Democratic Republic of Congo", "St. Lucia"
    names.update(_ALIASES)
    alternatives = sorted(names, key=len, reverse=True)
    pattern = r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in alternatives) + r")\b"
    return re.compile(pattern, re.I), names


def countries_in(text: str) -> list[str] | None:
    """Alpha-3 codes of the countries ``text`` names, in order of first mention; None if it names a group
    (Member States, EFTA States, MERCOSUR ...) whose members it may not list."""
    text = _fold(text)
    if _GROUP.search(text):
        return None
    pattern, names = _country_matcher()
    found: list[str] = []
    for m in pattern.finditer(text):
        if m[0][0].isupper():  # a proper name, not "turkey" or "chad" as words
            found.append(names[" ".join(m[0].lower().split())])
    return list(dict.fromkeys(found))


def _preamble(parsed: ParsedTreaty) -> str:
    """The running text of the preamble clause and its parts, or "" when the reader found none."""
    top = next((c for c in parsed.clauses if c.parent_id is None and (
        c.citation.lower().startswith("preamble") or c.clause_id.endswith("/preamble"))), None)
    if top is None:
        return ""
    parts = [c.text for c in parsed.clauses if c.clause_id == top.clause_id
             or c.clause_id.startswith(top.clause_id + "/")]
    return " ".join(" ".join(parts).split())


def _is_caps(word: str) -> bool:
    return not any(ch.islower() for ch in word)


def infer_title(preamble: str) -> str | None:
    """The heading that opens a preamble ("FREE TRADE AGREEMENT BETWEEN CANADA AND CHILE"), or None.

    It ends where the preamble proper begins: "Preamble", the first
    mixed-case word after an all-capitals title, a run of capitals after a
    mixed-case one, or "The Government ..." after a word that does not join
    it to the title. It must name an instrument ("Agreement", "Treaty" ...).
    """
    words = re.sub(r"^[\s#*_>\-]+", "", preamble).split()
    letters = [w for w in words[:3] if any(ch.isalpha() for ch in w)]
    caps = bool(letters) and all(_is_caps(w) for w in letters)
    out: list[str] = []
    for i, word in enumerate(words):
        bare = word.strip(".,:;()[]\"'")
        previous = out[-1].lower() if out else ""
        joined = previous.endswith(",") or previous.strip(",") in _CONNECTORS
        if bare.lower() == "preamble" or (caps and not _is_caps(word)):
            break
        if out and not joined and bare.lower() == "the" and i + 1 < len(words) and words[i + 1][:1].isupper():
            break  # "... AND CHILE The Government of Canada"
        if (not caps and out and not _is_caps(out[-1]) and _is_caps(word) and len(bare) > 1 and bare.isalpha()
                and i + 1 < len(words) and _is_caps(words[i + 1]) and words[i + 1].strip(",.").isalpha()):
            break  # "... of the other part THE EUROPEAN COMMUNITY"
        if len(out) >= 3 and words[i : i + 3] == out[:3]:
            break  # the title again, as a cover page and a heading (or in another order of the parties)
        out.append(word)
        if len(out) > 60:
            return None
    title = " ".join(out).strip(" ,;:")
    if title.count("(") > title.count(")"):
        title = title[: title.rfind("(")].rstrip(" ,;:")  # "... AREA (OJ No L 1, ...": a citation cut off
    if (len(out) < 2 or len(title) > _MAX_TEXT or not _TREATY_WORD.search(title) or _NOT_TITLE.search(title)
            or not title[0].isalpha()):
        return None
    return title


def infer_parties(title: str | None, preamble: str) -> tuple[str, ...]:
    """The parties a title ("... between Canada and Chile") or a preamble's opening list names; () if unsure.

    The title's "between ..." is read first; else the preamble up to its
    first recital ("Desiring", "Recognizing" ...), its definitions in
    brackets and quotes set aside. Fewer than two countries, a named group
    of states, or no recital to end the list within 2,500 characters gives ().
    """
    if title and (m := re.search(r"\bbetween\b(.+)", title, re.I)):
        found = countries_in(m[1])
        if found and len(found) >= 2:
            return tuple(found)
    body = preamble[len(title):] if title and preamble.startswith(title) else preamble
    body = re.sub(r"^\W*preamble\b", "", body, flags=re.I)
    end = _RECITAL.search(body)
    if end is None or end.start() > 2500:
        return ()
    block = re.sub(r"\([^()]{0,200}\)|\"[^\"]{0,80}\"|[“][^”]{0,80}[”]", " ", body[: end.start()])
    block = re.sub(r"\bhereinafter\b[^,;]*", " ", block, flags=re.I)
    found = countries_in(block)
    return tuple(found) if found and len(found) >= 2 else ()


def _body_clauses(parsed: ParsedTreaty, preamble_ids: set[str]) -> list[Clause]:
    """The clauses of the agreement proper: no preamble, no annex (annexes cite other instruments' dates)."""
    return [c for c in parsed.clauses if c.clause_id not in preamble_ids and not c.source.get("annex")]


def infer_signature(texts: list[str]) -> tuple[date | None, str | None]:
    """Date and place of signature from final clauses ("Done at Ottawa, this 5th day of December 1996").

    Only a clause starting a sentence with "Done"/"Signed" counts; the date
    must follow within 250 characters. Two final clauses giving different
    dates (or places) give None for that value.
    """
    dates: dict[date, None] = {}
    places: dict[str, None] = {}
    for text in texts:
        for m in _FINAL.finditer(text):
            before = text[: m.start()].rstrip()
            if not m["verb"][0].isupper() or (before and before[-1] not in ".:;)]\"'”"):
                continue  # "the Charter signed at Turin on ...": not a final clause
            rest = _clean_date_text(text[m.end() : m.end() + 300])
            if place := _PLACE.match(rest):
                words = place[0].split()
                while words and words[-1] in _PLACE_STOP:
                    words.pop()
                if words:
                    name = " ".join(words)
                    places[name.title() if name.isupper() else name] = None
            if (found := _date_span(rest)) and found[1] <= 250:
                dates[found[0]] = None
    return (next(iter(dates)) if len(dates) == 1 else None), (next(iter(places)) if len(places) == 1 else None)


def infer_in_force(texts: list[str]) -> date | None:
    """The date of entry into force when the agreement states one outright.

    "This Agreement shall enter into force on 1 January 1997." counts; a date
    followed by a condition ("..., provided that", "on an exchange of notes")
    or a formula ("on the first day of the second month after ...") does not.
    """
    dates: dict[date, None] = {}
    for text in texts:
        for m in _IN_FORCE.finditer(text):
            sentence = re.split(r"[.;](?:\s|$)", _clean_date_text(text[m.end() : m.end() + 200]))[0]
            found = _date_span(sentence)
            if found and found[1] == 0 and not sentence[found[2]:].strip(" ,)"):
                dates[found[0]] = None
    return next(iter(dates)) if len(dates) == 1 else None


def infer(parsed: ParsedTreaty) -> dict[str, Any]:
    """A best-effort reading of the metadata from the text; only what it is confident of.

    Keys (each present only when found): ``title`` (the heading opening the
    preamble), ``parties`` (tuple of alpha-3 codes from the title's "between
    ..." or the preamble's party list, never from the articles),
    ``date_signed`` and ``place_signed`` (from the final clause),
    ``date_in_force`` (only when stated as a date, and not before signature).

    >>> infer(parsed)  # doctest: +SKIP
    {'title': 'FREE TRADE AGREEMENT BETWEEN CANADA AND CHILE', 'parties': ('CAN', 'CHL'), ...}
    """
    out: dict[str, Any] = {}
    preamble = _preamble(parsed)
    if title := infer_title(preamble):
        out["title"] = title
    if parties := infer_parties(title, preamble):
        out["parties"] = parties
    tid = parsed.treaty.treaty_id
    preamble_ids = {c.clause_id for c in parsed.clauses if c.clause_id.startswith(f"{tid}/preamble")}
    texts = [c.text for c in _body_clauses(parsed, preamble_ids)]
    signed, place = infer_signature(texts)
    if signed:
        out["date_signed"] = signed
    if place:
        out["place_signed"] = place
    in_force = infer_in_force(texts)
    if in_force and not (signed and in_force < signed):
        out["date_in_force"] = in_force
    return out


# -- merging --------------------------------------------------------------------------------------
def _present(value: Any) -> bool:
    return value is not None and value != "" and value != ()


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
    that contradicts the other (in force before signature) is dropped.
    """
    t = parsed.treaty
    chosen: dict[str, tuple[Any, str]] = {}

    def offer(field: str, value: Any, origin: str) -> None:
        if _present(value) and (field not in chosen or _RANK[origin] >= _RANK[chosen[field][1]]):
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
    if infer_missing and any(f not in chosen or chosen[f][1] == "inferred" for f in wanted):
        for field, value in infer(parsed).items():
            if field in wanted:
                offer(field, value, "inferred")
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
