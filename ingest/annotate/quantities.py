"""The numbers a clause sets: time limits, percentages, amounts of money and counts of arbitrators, each
with its unit normalised, what kind of limit it is and where it stands in the text.

"within sixty (60) days" -> 60 days, within; "the first day of the sixth month following" -> the 6th month, after;
"not less than six months' notice" -> 6 months, at_least;
"a regional value content of not less than 40 per cent" -> 40 percent, at_least; "SDR 5,000,000" -> 5e6 SDR.
Number words are read with text2num ("one hundred and twenty" -> 120).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORDS = (r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
          r"thousand)(?:[\s-]+(?:and\s+)?(?=(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
          r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
          r"seventy|eighty|ninety|hundred|thousand)\b))?)+")
_NUM = rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_WORDS}|an?|one)"
_DIGITS = r"(?:\s*\((?P<digits>\d[\d,.]*)\))?"
_TIME_UNIT = r"(?P<unit>(?:working\s+|business\s+|calendar\s+)?(?:hours?|days?|weeks?|months?|years?))(?P<poss>['’]s?)?"
_PERCENT_UNIT = r"(?P<unit>per\s*cent(?:um)?|percent|%)"
_CURRENCY = (r"(?P<cur>USD|US\s?\$|U\.S\.\s?dollars|\$|SDRs?|special\s+drawing\s+rights|EUR|€|euros?|ECUs?|"
             r"CHF|Swiss\s+francs|yen|JPY|dollars|units\s+of\s+account)")
_SCALE = r"(?:\s*(?P<scale>million|billion|thousand))?"
# "a contingent list of five individuals who are willing and able to serve as panelists"
_COUNTED = r"(?P<unit>arbitrators|panel(?:l)?ists|members|experts|individuals)"

# a number word glued by a scan to the verb before it counts: "by givingone year's advance notice"
_TIME = re.compile(rf"(?:\b|(?<=[a-z]ing)){_NUM}{_DIGITS}[\s-]*{_TIME_UNIT}", re.I)
_PERCENT = re.compile(rf"(?<![\w.]){_NUM}{_DIGITS}\s*{_PERCENT_UNIT}", re.I)
_MONEY_BEFORE = re.compile(rf"{_CURRENCY}\s*{_NUM}{_SCALE}", re.I)
_MONEY_AFTER = re.compile(rf"\b{_NUM}{_SCALE}\s*{_CURRENCY}", re.I)
_COUNT = re.compile(rf"\b{_NUM}{_DIGITS}\s+(?:(?:independent|qualified|individual)\s+)?{_COUNTED}\b", re.I)
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
             "twelfth")
# "on the first day of the sixth month following the date of notification": the sixth month after it
_ORDINAL_TIME = re.compile(rf"\b(?P<num>{'|'.join(ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+(?P<unit>months?|years?)\s+"
                           r"(?=following|after|from|of\s+the\s+date)", re.I)
_ANNUAL = re.compile(r"\b(?:annually|each\s+year|every\s+year)\b", re.I)  # "once a year": ``_FREQUENCY``
# How often: "at least once a year", "twice a year", "three times a year" (a meeting every year, every six months,
# every four months), read before "a year" is read as a period ("meet once a year" against "once every two years":
# CHE-08 of Switzerland's list)
_TIMES = {"once": 1, "twice": 2, "two times": 2, "three times": 3, "four times": 4}
_FREQUENCY = re.compile(r"\b(?P<times>once|twice|(?:two|three|four)\s+times)\s+(?:a|per|each|every|in\s+a)\s+"
                        r"(?P<unit>year|month|week)\b", re.I)

_KIND_BEFORE = [
    ("within", re.compile(r"\b(?:within|(?:no|not)\s+later\s+than|before\s+the\s+end\s+of|at\s+the\s+latest\s+"
                          r"(?:within|after)?|by\s+the\s+end\s+of)\s+(?:(?:a|the)\s+)?(?:(?:period|term|time)\s+of\s+)?"
                          r"(?:up\s+to\s+)?$", re.I)),
    ("at_least", re.compile(r"\b(?:(?:not|no)\s+less\s+than|at\s+least|a\s+minimum\s+of|minimum(?:\s+of)?|"
                            r"(?:not|no)\s+(?:fewer|shorter)\s+than|(?:at\s+least|more\s+than)\s+the)\s+"
                            r"(?:(?:a|the)\s+)?(?:(?:period|term)\s+of\s+)?$", re.I)),
    ("at_most", re.compile(r"\b(?:(?:not|no)\s+more\s+than|at\s+most|up\s+to|(?:not\s+)?exceed(?:ing)?|"
                           r"a\s+maximum\s+of|maximum(?:\s+of)?|less\s+than|(?:not|no)\s+longer\s+than)\s+"
                           r"(?:(?:a|the)\s+)?(?:(?:period|term)\s+of\s+)?$", re.I)),
    ("periodic", re.compile(r"\b(?:every|each)\s+$", re.I)),
]
_AFTER = re.compile(r"^\s*(?:after|following|from|of\s+the\s+(?:date|receipt)|have\s+elapsed|has\s+elapsed|"
                    r"(?:have|has)\s+passed|prior\s+to|before)\b", re.I)
_NOTICE = re.compile(r"^\s*(?:(?:prior|advance|written|formal)\s+){0,2}(?:notice|notification)\b", re.I)


@dataclass(frozen=True)
class Quantity:
    """One number a clause sets.

    ``dimension`` is "time" (``value`` in the ``unit`` written: "hours", "days", "working days", "months", "years"),
    "ordinal" (the month or year counted: "the first day of the sixth month following" is 6 months, a point that
    compares with another such month, not with a period of six months),
    "percent", "money" (``unit`` a currency as written, upper-cased: "USD", "SDR", "EUR") or "count"
    (``unit`` the thing counted: "arbitrators"). ``kind``: "within", "at_least", "at_most", "after",
    "periodic", "notice" (a notice period) or "exact". ``start``/``end`` are offsets in the text read.
    """

    value: float
    unit: str
    dimension: str
    kind: str
    words: str
    start: int
    end: int

    @property
    def normalised(self) -> float:
        """A value comparable across units: days for time, the amount for money, the value otherwise."""
        if self.dimension != "time":
            return self.value
        per = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
        return self.value * per.get(self.unit.split()[-1].rstrip("s"), 1.0)

    @property
    def shown(self) -> str:
        """"60 days", "40 percent", "USD 5,000,000"."""
        v = f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,}"
        if self.dimension == "money":
            return f"{self.unit} {v}"
        if self.dimension == "ordinal":  # "the 6th month": compared only with another such month, not with "six months"
            n = int(self.value)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            return f"the {n}{suffix} {self.unit.rstrip('s')}"
        unit = self.unit[:-1] if self.value == 1 and self.unit.endswith("s") else self.unit
        return f"{v} {unit}"


@lru_cache(maxsize=4096)
def _number(words: str) -> float | None:
    w = " ".join(words.lower().replace(",", "").split())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    if w in ("a", "an", "one"):
        return 1.0
    from text_to_num import text2num

    try:
        return float(text2num(w.replace(" and ", " "), "en"))
    except ValueError:
        return None


def _value(m: re.Match[str]) -> float | None:
    digits = m.groupdict().get("digits")
    if digits:
        v = _number(digits.rstrip(".,"))
        if v is not None:
            return v
    return _number(m["num"])


def _kind(text: str, m: re.Match[str]) -> str:
    before = text[max(0, m.start() - 60):m.start()]
    for kind, pattern in _KIND_BEFORE:
        if pattern.search(before):
            return kind
    after = text[m.end():m.end() + 40]
    if m.groupdict().get("poss") and _NOTICE.match(after) or _NOTICE.match(after):
        return "notice"
    if _AFTER.match(after):
        return "after"
    return "exact"


def _time_unit(raw: str) -> str:
    words = raw.lower().split()
    unit = words[-1].rstrip("s") + "s"
    return " ".join([*words[:-1], unit])


def quantities(text: str) -> tuple[Quantity, ...]:
    """Every number ``text`` sets, in the order they appear (a number is read once, by the first pattern
    that takes it: time, percent, money, count).

    >>> [(q.shown, q.kind) for q in quantities("within sixty (60) days; not less than 40 per cent")]
    [('60 days', 'within'), ('40 percent', 'at_least')]
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    def add(m: re.Match[str], value: float | None, unit: str, dimension: str, kind: str | None = None) -> None:
        if value is None or value == 0 or not free(m):  # "0 days" is an OCR slip or a table cell, no limit
            return
        taken.append((m.start(), m.end()))
        found.append(Quantity(value, unit, dimension, kind or _kind(text, m), " ".join(m.group(0).split()),
                              m.start(), m.end()))

    for m in _FREQUENCY.finditer(text):
        times, unit = _TIMES[" ".join(m["times"].lower().split())], m["unit"].lower()
        if times == 1:
            add(m, 1.0, f"{unit}s", "time", "periodic")
        elif unit == "year":  # every six months
            add(m, 12 / times, "months", "time", "periodic")
        else:  # every ten days
            add(m, round({"month": 30, "week": 7}[unit] / times), "days", "time", "periodic")
    for m in _TIME.finditer(text):
        if m["num"].lower() in ("a", "an") and not re.match(r"\s*(?:period|year|month)", m["unit"], re.I):
            continue
        add(m, _value(m), _time_unit(m["unit"]), "time")
    for m in _PERCENT.finditer(text):
        if m["num"].lower() in ("a", "an"):  # "a percentage", "expressed as a per cent": no rate
            continue
        add(m, _value(m), "percent", "percent")
    for pattern in (_MONEY_BEFORE, _MONEY_AFTER):
        for m in pattern.finditer(text):
            value = _number(m["num"])
            if value is not None and m["scale"]:
                value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9}[m["scale"].lower()]
            cur = re.sub(r"\W", "", m["cur"].upper())
            cur = {"US": "USD", "USDOLLARS": "USD", "DOLLARS": "USD", "SDRS": "SDR", "SPECIALDRAWINGRIGHTS": "SDR",
                   "EURO": "EUR", "EUROS": "EUR", "€": "EUR", "SWISSFRANCS": "CHF", "ECUS": "ECU"}.get(cur, cur)
            if cur and value:
                add(m, value, cur or "?", "money")
    for m in _COUNT.finditer(text):
        unit = m["unit"].lower().replace("panellists", "panelists")
        add(m, _value(m), unit, "count", "exact")
    for m in _ORDINAL_TIME.finditer(text):
        word = m["num"].lower()
        value = float(ORDINALS.index(word) + 2) if word in ORDINALS else float(word[:-2])
        add(m, value, _time_unit(m["unit"]), "ordinal", "after")
    for m in _ANNUAL.finditer(text):
        add(m, 1.0, "years", "time", "periodic")
    return tuple(sorted(found, key=lambda q: q.start))
