"""What a clause does in law: its modality, who bears it, the action, its conditions and time limits.

Rules over the clause's main sentence, deterministic and explained: each
result keeps the words that decided it. Time limits are normalised
("within sixty (60) days" -> 60 days, within; "not less than six months'
notice" -> 6 months, at least).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.build import NUMBER_WORDS

MODALITIES = ("definition", "exception", "institutional", "prohibition", "obligation", "permission", "declaration")

_NUMBERS = {w: i for i, w in enumerate(NUMBER_WORDS, start=1)} | {
    "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "one hundred": 100, "one hundred and twenty": 120, "one hundred and eighty": 180,
    "a": 1, "an": 1,
}
_NUM = r"(?:\d{1,4}|" + "|".join(sorted((re.escape(w) for w in _NUMBERS), key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>(?:working |business |calendar )?days?|weeks?|months?|years?)"
_AMOUNT = rf"(?P<num>{_NUM})(?:\s*\((?P<digits>\d{{1,4}})\))?\s*{_UNIT}"
_DEADLINES = [
    ("within", re.compile(rf"\bwithin\s+(?:a\s+period\s+of\s+)?{_AMOUNT}", re.I)),
    ("at_least", re.compile(rf"\b(?:not\s+less\s+than|at\s+least|no\s+less\s+than)\s+{_AMOUNT}", re.I)),
    ("within", re.compile(rf"\b(?:no|not)\s+later\s+than\s+{_AMOUNT}", re.I)),
    ("periodic", re.compile(rf"\bevery\s+{_AMOUNT}", re.I)),
    ("after", re.compile(rf"\b{_AMOUNT}\s+(?:after|following|from)\b", re.I)),
]
_ANNUAL = re.compile(r"\b(?:once\s+a\s+year|annually|each\s+year|every\s+year)\b", re.I)

_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("definition", re.compile(r"[\"“'‘][^\"”’]{1,60}[\"”’]\s+(?:means|shall\s+mean|includes|refers\s+to)\b|"
                              r"^(?:[a-z][\w\s-]{0,60}?\s)?(?:means|shall\s+mean)\b|\bfor\s+the\s+purposes?\s+of\s+this\b.{0,80}"
                              r"\b(?:means|shall\s+mean)\b", re.I | re.S)),
    ("exception", re.compile(r"\bnothing\s+in\s+this\s+(?:agreement|chapter|article|section|protocol)\b|"
                             r"\b(?:shall|does|do)\s+not\s+apply\s+to\b|^notwithstanding\b|"
                             r"\bshall\s+not\s+be\s+construed\s+to\b|\bis\s+(?:excluded|exempt)\b", re.I)),
    ("institutional", re.compile(r"\b(?:hereby\s+)?establish(?:es|ed)?\s+(?:a|an|the)\s+(?:joint\s+)?"
                                 r"(?:committee|council|commission|sub-committee|subcommittee|secretariat|"
                                 r"working\s+group|body)\b|\b(?:committee|council|commission|sub-committee|"
                                 r"subcommittee|secretariat|working\s+group)\s+shall\s+(?:meet|be\s+composed|consist|"
                                 r"comprise|be\s+co-chaired|adopt\s+its|establish\s+its|act\s+by|take\s+decisions)\b|"
                                 r"\bshall\s+be\s+composed\s+of\s+representatives\b", re.I)),
    ("prohibition", re.compile(r"\b(?:no|neither)\s+(?:\w+\s+){0,3}?(?:shall|may)\b|\bshall\s+not\b|\bmay\s+not\b|"
                               r"\bmust\s+not\b|\bshall\s+refrain\s+from\b|\bare\s+prohibited\b|\bis\s+prohibited\b",
                               re.I)),
    ("obligation", re.compile(r"\bshall\b|\bmust\b|\bundertakes?\s+to\b|\bare\s+required\s+to\b|"
                              r"\bis\s+required\s+to\b|\bagrees?\s+to\b", re.I)),
    ("permission", re.compile(r"\bmay\b|\bis\s+entitled\s+to\b|\bhas\s+the\s+right\s+to\b|\bshall\s+be\s+free\s+to\b",
                              re.I)),
    ("declaration", re.compile(r"\b(?:recogni[sz]e|affirm|reaffirm|acknowledge|confirm|agree\s+that|share\s+the|"
                               r"note|consider|desire|aim|seek)s?\b|\bobjectives?\b", re.I)),
]
# "shall" inside "shall not apply", "nothing ... shall" etc. is decided above; a permission phrased
# "shall be free to" is permission, not obligation.
_PERMISSION_FIRST = re.compile(r"\bshall\s+be\s+(?:free|entitled)\s+to\b|\bshall\s+have\s+the\s+right\s+to\b", re.I)
_BEARER = re.compile(
    r"(?P<bearer>\b(?:each|a|an|the|any|no|neither|either|both|all)\s+(?:[\w-]+\s+){0,4}?)"
    r"(?:shall|may|must|undertakes?|agrees?|is\s+entitled|has\s+the\s+right)\b", re.I)
# A duty borne by a treaty body organises that body: institutional, not a state's obligation.
_BODY = re.compile(r"\b(committee|council|commission|sub-committee|subcommittee|secretariat|working\s+group|"
                   r"association\s+council|joint\s+body)\b", re.I)
_CONDITION = re.compile(r"\b(unless|provided\s+that|except|subject\s+to|notwithstanding|in\s+accordance\s+with|"
                        r"where|if|in\s+the\s+event\s+(?:of|that)|to\s+the\s+extent)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=[A-Z(])")
_REPORTING = re.compile(r"\b(notify|notification|inform|report|publish|make\s+publicly\s+available|provide\s+"
                        r"(?:the\s+other\s+part(?:y|ies)\s+with\s+)?information|submit|communicate)\b", re.I)


@dataclass(frozen=True)
class Deadline:
    """A time limit: ``value`` ``unit`` of ``kind`` within / at_least / after / periodic, and the words found."""

    value: int
    unit: str
    kind: str
    words: str


@dataclass(frozen=True)
class Duty:
    """What a clause does: modality and the words that decided it, bearer, action, conditions, time limits."""

    modality: str
    cue: str
    bearer: str | None = None
    action: str | None = None
    conditions: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = field(default_factory=tuple)
    reporting: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _number(words: str, digits: str | None) -> int | None:
    if digits:
        return int(digits)
    w = words.lower()
    return int(w) if w.isdigit() else _NUMBERS.get(w)


def deadlines(text: str) -> tuple[Deadline, ...]:
    """Every time limit in ``text``, normalised, in the order they appear."""
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DEADLINES:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            value = _number(m["num"], m["digits"])
            if value is None:
                continue
            unit = m["unit"].lower().split()[-1].rstrip("s") + "s"
            prefix = " ".join(m["unit"].lower().split()[:-1])
            unit = f"{prefix} {unit}".strip()
            taken.append((m.start(), m.end()))
            found.append((m.start(), Deadline(value, unit, kind, " ".join(m.group(0).split()))))
    for m in _ANNUAL.finditer(text):
        found.append((m.start(), Deadline(1, "years", "periodic", m.group(0))))
    return tuple(d for _, d in sorted(found, key=lambda item: item[0]))


def analyse(text: str, heading: str = "") -> Duty:
    """The duty a clause expresses, read from its main sentence (the first one with a modal verb).

    >>> analyse("Each Party shall notify the other Party within sixty (60) days.").deadlines[0].value
    60
    """
    sentences = [s for s in _SENTENCE.split(" ".join(text.split())) if s]
    main = next((s for s in sentences if re.search(r"\b(shall|may|must|means)\b", s, re.I)), sentences[0] if
                sentences else "")
    modality, cue = "declaration", ""
    if heading.lower().strip() in ("definitions", "definition") and re.search(r"\bmeans?\b", main, re.I):
        modality, cue = "definition", f"heading: '{heading}'"
    elif (m := _PERMISSION_FIRST.search(main)) and not re.search(r"\bshall\s+not\b", main, re.I):
        modality, cue = "permission", m.group(0)
    else:
        for name, pattern in _CUES:
            m = pattern.search(main)
            if m:
                modality, cue = name, " ".join(m.group(0).split())[:60]
                break
    bearer = action = None
    b = _BEARER.search(main)
    if b and modality not in ("definition", "declaration"):
        bearer = " ".join(b["bearer"].split())
        if re.match(r"(?i)(no|neither)\b", bearer):
            bearer = re.sub(r"(?i)^(no|neither)\b", "each", bearer)
        rest = re.sub(r"^\s*,[^,]{0,120},\s*", " ", main[b.end():])  # "shall, in accordance with its law, adopt"
        action = " ".join(re.split(r"[;:]|,\s*(?:unless|provided|except|if|where)\b", rest)[0].split()[:25]) or None
    if modality in ("obligation", "permission") and bearer and _BODY.search(bearer):
        modality, cue = "institutional", f"bearer: '{bearer}'"
    conditions = tuple(dict.fromkeys(m.group(1).lower() for m in _CONDITION.finditer(text)))
    return Duty(modality, cue, bearer, action, conditions, deadlines(text),
                bool(_REPORTING.search(main)) and modality in ("obligation", "institutional"))
