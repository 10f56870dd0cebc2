"""A conservative reading of an agreement's own metadata from its text: title and parties from the
preamble, the date and place of signature and the date of entry into force from the final clauses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ingest.records import Clause, ParsedTreaty

_MAX_TEXT = 300  # a longer "title" is running text


# -- dates written out in final clauses -----------------------------------------------------------
_MONTHS = {m: n for n, m in enumerate((
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december"), start=1)}
# The months in the other languages treaties are signed in (French, Spanish, Portuguese, Italian, German, Dutch).
_FOREIGN_MONTHS = {m: n for names in (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "januari februari maart april mei juni juli augustus september oktober november december",
) for n, m in enumerate(names.split(), start=1)} | {"setiembre": 9, "fevrier": 2, "aout": 8, "decembre": 12}
_ROMAN_MONTHS = {r: n for n, r in enumerate(("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"),
                                            start=1)}
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
_FOREIGN = "|".join(sorted(set(_FOREIGN_MONTHS) - set(_MONTHS), key=len, reverse=True))
_DATES = (
    # "the 5th day of December, 1996", "this seventh day of February in the year one thousand nine hundred ..."
    re.compile(rf"\b(?:(?P<dnum>\d{{1,2}})(?:\s?(?:st|nd|rd|th)\b)?|(?P<dword>{_DAY_WORD}))\s+day\s+of\s+"
               rf"(?P<month>{_MONTH})\b[\s,]*(?:in\s+)?(?:the\s+)?(?:year\s+)?(?:(?P<ynum>\d{{4}})\b|(?P<yword>{_YEAR_WORDS}))",
               re.I),
    re.compile(rf"\b(?P<dnum>\d{{1,2}})(?:\s?(?:st|nd|rd|th)\b)?\s+(?:of\s+)?(?P<month>{_MONTH})\b,?\s+(?P<ynum>\d{{4}})\b",
               re.I),
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<dnum>\d{{1,2}})(?:\s?(?:st|nd|rd|th)\b)?,?\s+(?P<ynum>\d{{4}})\b", re.I),
    # "le 5 mars 1998", "el 20 de mayo de 2010", "am 5. März 1998", "1er juillet 2003"
    re.compile(rf"\b(?P<dnum>\d{{1,2}})(?:er|º|°|\.)?\s+(?:de\s+)?(?P<month>{_FOREIGN})\s+(?:de\s+)?(?P<ynum>\d{{4}})\b",
               re.I),
)
# "11/12/96", "14.03.2002", "12.VI.2001", "2001-06-12": the order of day and month is settled below.
_NUMERIC = re.compile(
    r"(?<![\w./-])(?:(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2}|[IVX]{1,4})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"|(?P<iy>(?:1[89]|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d))(?![\w/-]|\.\d)")


@dataclass(frozen=True)
class DateFound:
    """A date written in a text: ``day`` when it reads one way, else None with the ``readings`` it allows
    ("11/12/96": 11 December or 12 November 1996) and the ``words`` as written."""

    day: date | None
    start: int
    end: int
    words: str
    readings: tuple[date, ...] = ()


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
    return found.day if found else None


def _year(raw: str) -> int:
    """ "96" -> 1996, "03" -> 2003: two digits are the latest year not after this one."""
    if len(raw) == 4:
        return int(raw)
    year = 2000 + int(raw)
    return year if year <= date.today().year else year - 100


def _try(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day) if 1800 <= year <= 2100 else None
    except ValueError:
        return None


def _numeric(m: re.Match[str], order: str | None) -> DateFound | None:
    """A numeric date; ``order`` ("dmy"/"mdy", the document's convention) settles "11/12/96" when both fit."""
    words = m[0]
    if m["iy"]:
        day = _try(int(m["iy"]), int(m["im"]), int(m["id"]))
        return DateFound(day, m.start(), m.end(), words) if day else None
    a, year = int(m["a"]), _year(m["y"])
    if m["b"] in _ROMAN_MONTHS:
        day = _try(year, _ROMAN_MONTHS[m["b"]], a)
        return DateFound(day, m.start(), m.end(), words) if day else None
    if not m["b"].isdigit():
        return None
    b = int(m["b"])
    dmy, mdy = _try(year, b, a), _try(year, a, b)
    if dmy and mdy and dmy != mdy:
        chosen = dmy if order == "dmy" else mdy if order == "mdy" else None
        return DateFound(chosen, m.start(), m.end(), words, () if chosen else (dmy, mdy))
    day = dmy or mdy
    return DateFound(day, m.start(), m.end(), words) if day else None


def date_order(texts: list[str]) -> str | None:
    """How the document writes day and month: "dmy" or "mdy" when its own dates say so and agree, else None.

    "14/03/2002" (no month 14) and "14 March 2002" count for day first; "03/14/2002" and "March 14, 2002"
    for month first."""
    votes: set[str] = set()
    for text in texts:
        for m in _NUMERIC.finditer(text):
            if m["a"] and m["b"].isdigit():
                a, b = int(m["a"]), int(m["b"])
                if a > 12 >= b:
                    votes.add("dmy")
                elif b > 12 >= a:
                    votes.add("mdy")
        if _DATES[1].search(text) or _DATES[3].search(text):
            votes.add("dmy")
        if _DATES[2].search(text):
            votes.add("mdy")
    return next(iter(votes)) if len(votes) == 1 else None


def _date_span(text: str, order: str | None = None) -> DateFound | None:
    """The first date in ``text`` (already through ``_clean_date_text``), written out or numeric."""
    found: list[DateFound] = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            day = int(m["dnum"]) if m["dnum"] else _words_value(m.groupdict().get("dword") or "")
            year = int(m["ynum"]) if m["ynum"] else _words_value(m.groupdict().get("yword") or "")
            if not day or not year or not 1800 <= year <= 2100 or re.match(r"\s+and\b|-", text[m.end():]):
                continue  # a year cut short: "one thousand nine hundred and seventy-..."
            month = _MONTHS.get(m["month"].lower()) or _FOREIGN_MONTHS[m["month"].lower()]
            if written := _try(year, month, day):
                found.append(DateFound(written, m.start(), m.end(), m[0]))
                break
    for m in _NUMERIC.finditer(text):
        if numeric := _numeric(m, order):
            found.append(numeric)
            break
    return min(found, key=lambda f: f.start) if found else None


# -- reading metadata from the text -----------------------------------------------------------------
_FINAL = re.compile(
    r"\b(?P<verb>done|signed|done\s+and\s+signed|fait|hecho|firmado|feito|fatto|geschehen|gedaan)\b[\s,]*"
    r"(?:in\s+(?:duplicate|triplicate|quadruplicate|(?:\w+\s+){1,2}(?:originals?|copies|copy))[\s,]*)?"
    r"(?:(?:at|in|à|a|en|em|zu|te)\s+(?:the\s+city\s+of\s+|la\s+ciudad\s+de\s+)?)?", re.I)
_PLACE = re.compile(r"[A-Z][^\W\d_]+(?:-[^\W\d_]+|\s(?:of|de|del|da|do|es|al)\s[A-Z][^\W\d_]+|\s[A-Z][^\W\d_]+)*")
_PLACE_STOP = {"On", "This", "The", "In", "At", "Done", "ON", "THIS", "THE", "IN", "AT", "Le", "El", "Am", "Op"}
_IN_FORCE = re.compile(
    r"\b(?:(?:this|the\s+present|the)\s+(?:agreement|treaty|convention|protocol|arrangement)\s+"
    r"(?:shall\s+)?(?:enter|enters|entered|come|comes|came)\s+into\s+force\s+on\s+(?:the\s+)?"
    r"|(?:date\s+of\s+)?entry\s+into\s+force\s*[:–—-]\s*)", re.I)
# A database's or a publisher's note, even above the preamble: "Date of entry into force: 1 October 2009".
_IN_FORCE_NOTE = re.compile(r"\b(?:date\s+of\s+)?entry\s+into\s+force\s*[:–—-]\s*", re.I)
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


def without_countries(text: str) -> str:
    """``text`` with the names of countries taken out ("the Republic of Chile and Japan"): what is left is what a
    clause says whoever its parties are."""
    pattern, _ = _country_matcher()
    return pattern.sub(lambda m: " " if m[0][0].isupper() else m[0], _fold(text))


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
    # a title line after a running header: "Turkey / Lithuania\nFREE TRADE AGREEMENT BETWEEN ... AND ..."
    if (m := re.match(r"\W*(?:[^\n]{0,200}\n)?[^\n]{0,200}?\bbetween\b([^\n]{0,300}(?:\n[^\n]{0,200})?)", body, re.I)):
        found = countries_in(re.split(r"[.;(]|\b(?:hereinafter|desiring|recogni[sz]ing)\b", m[1], flags=re.I)[0])
        if found and len(found) >= 2:
            return tuple(found)
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


def infer_signature(texts: list[str], order: str | None = None) -> tuple[date | None, str | None, DateFound | None]:
    """Date and place of signature from final clauses ("Done at Ottawa, this 5th day of December 1996"),
    and the date as written when it could be read two ways ("on 11/12/96" with no ``order`` to settle it).

    Only a clause starting a sentence with "Done"/"Signed" (or "Fait", "Hecho", ...) counts; the date
    must follow within 250 characters. Two final clauses giving different dates (or places) give None
    for that value.
    """
    dates: dict[date, None] = {}
    places: dict[str, None] = {}
    foreign_places: dict[str, None] = {}  # "Fait à Bruxelles" beside "Done at Brussels": the English name wins
    ambiguous: DateFound | None = None
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
                    english = m["verb"].lower().split()[0] in ("done", "signed")
                    (places if english else foreign_places)[name.title() if name.isupper() else name] = None
            if (found := _date_span(rest, order)) and found.start <= 250:
                if found.day:
                    dates[found.day] = None
                else:
                    ambiguous = ambiguous or found
    day = next(iter(dates)) if len(dates) == 1 else None
    places = places or foreign_places
    return day, (next(iter(places)) if len(places) == 1 else None), (ambiguous if not dates else None)


def infer_in_force(texts: list[str], order: str | None = None, notes: str = "") -> date | None:
    """The date of entry into force when the agreement states one outright.

    "This Agreement shall enter into force on 1 January 1997." counts; a date
    followed by a condition ("..., provided that", "on an exchange of notes")
    or a formula ("on the first day of the second month after ...") does not.
    ``notes`` (the text above the articles) is read only for a note of the
    form "Date of entry into force: 1 October 2009".
    """
    dates: dict[date, None] = {}
    for text, pattern in [*((t, _IN_FORCE) for t in texts), (notes, _IN_FORCE_NOTE)]:
        for m in pattern.finditer(text):
            sentence = re.split(r"[.;](?:\s|$)", _clean_date_text(text[m.end() : m.end() + 200]))[0]
            found = _date_span(sentence, order)
            note = pattern is _IN_FORCE_NOTE  # a note's date ends its line: what follows is the next line
            if found and found.day and found.start == 0 and (note or not sentence[found.end:].strip(" ,)")):
                dates[found.day] = None
    return next(iter(dates)) if len(dates) == 1 else None


def infer(parsed: ParsedTreaty) -> dict[str, Any]:
    """A best-effort reading of the metadata from the text; only what it is confident of.

    Keys (each present only when found): ``title`` (the heading opening the
    preamble), ``parties`` (tuple of alpha-3 codes from the title's "between
    ..." or the preamble's party list, never from the articles),
    ``date_signed`` and ``place_signed`` (from the final clause),
    ``date_in_force`` (only when stated as a date, and not before signature),
    ``date_signed_ambiguous`` (the signature date as written, with its two
    readings, when its day/month order is not settled by the document's own
    other dates: "11/12/96: 11 December 1996 or 12 November 1996").

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
    order = date_order([c.text for c in parsed.clauses])
    signed, place, ambiguous = infer_signature(texts, order)
    if signed:
        out["date_signed"] = signed
    elif ambiguous:
        readings = " or ".join(f"{d.day} {d.strftime('%B')} {d.year}" for d in ambiguous.readings)
        out["date_signed_ambiguous"] = f"{ambiguous.words}: {readings}"
    if place:
        out["place_signed"] = place
    in_force = infer_in_force(texts, order, notes=preamble)
    if in_force and not (signed and in_force < signed):
        out["date_in_force"] = in_force
    return out


