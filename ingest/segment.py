"""Split an article's body into paragraphs, sub-paragraphs and items.

Treaty drafting numbers its parts in sequences ("1.", "2." / "(a)", "(b)" /
"(i)", "(ii)"). A label is taken as a boundary only where it stands at the
start of a line or right after the end of a sentence or list item, and only
when it continues a sequence already open or opens a new one at its first
value. That sequence check is what keeps cross-references ("paragraph 2",
"subparagraphs (a) and (b)") and stray OCR digits from splitting a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import ReadError
from ingest.textclean import normalise, reflow

# The longest clause Pacta stores, in characters: about 150,000 words or 400 pages, some 35 times
# the longest clause of the 450 ToTA agreements (28,000). Anything longer is a file whose
# conversion lost its paragraphs, not a provision anyone could cite or read.
MAX_CLAUSE_CHARS = 1_000_000

_MARKER = re.compile(
    r"""(?:^|(?<=\n)|(?<=[.;:][ ])|(?<=[.;:][”"][ ])|(?<=;[ ]and[ ])|(?<=;[ ]or[ ])|(?<=;and[ ])|(?<=;or[ ]))
    [ ]?
    (?P<label>
        \((?P<pnum>\d{1,3})\)
      | (?P<dnum>\d{1,3})(?P<dsep>[.)])(?!\d)
      | \((?P<paren>[a-z]{1,2}|[ivxl]{1,6})\)
      | (?P<rparen>[a-z]{1,2}|[ivxl]{1,6})\)
      | \((?P<upper>[A-Z])\)
    )
    (?=[ \n]|$)""",
    re.X,
)
# A label right after one of these words, or after "(a) and", is a reference, not a boundary.
_REFERENCE_WORD = re.compile(
    r"(?:\b(?:article|articles|paragraph|paragraphs|subparagraph|subparagraphs|sub-paragraph|"
    r"sub-paragraphs|annex|chapter|section|rule|item|items|point|points)"
    r"|\b(?:art|arts|para|paras|no|nos)\."
    r"|\([a-z0-9]{1,4}\),?\s*(?:and|or|to|through))\s*$",
    re.I,
)
# A label set apart by a tab or several spaces is list layout even on one long
# line ("interests    (i) relating to ...", "(b)  manufactured goods"): treat it
# as if it began a line. The gap is matched only from the start of a blank run, as one
# run: nested quantifiers over the same spaces backtrack in O(n^4) on a long blank run.
_LABEL = r"(?:\(\d{1,3}\)|\d{1,3}[.)]|\([a-z]{1,2}\)|\([ivxl]{1,6}\)|[a-z]{1,2}\)|\([A-Z]\))"
_WIDE_BEFORE = re.compile(rf"(?<![ \t])(?:[ \t]{{2,}}+|\t)(?={_LABEL}[ \t])")
_WIDE_AFTER = re.compile(rf"(?<=[ \t])({_LABEL})(?:\t|[ ]{{2,}})[ \t]*")
# OCR reads a leading "1." as "l." or "I." surprisingly often.
_OCR_ONE = re.compile(r"^[lI]\.[ ](?=[A-Z])")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def roman_value(numeral: str) -> int | None:
    """The value of a lower-case roman numeral, or None when it is not a well-formed one."""
    if not numeral or any(c not in _ROMAN for c in numeral):
        return None
    total = 0
    for i, c in enumerate(numeral):
        v = _ROMAN[c]
        total += -v if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > v else v
    return total if to_roman(total) == numeral else None


def to_roman(value: int) -> str:
    """Lower-case roman numeral for 1..89."""
    out = []
    for v, s in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= v:
            out.append(s)
            value -= v
    return "".join(out)


def _alpha_value(letters: str) -> int | None:
    if len(letters) == 1:
        return ord(letters) - 96
    if len(letters) == 2 and letters[0] == letters[1]:  # (aa), (bb) follow (z)
        return 26 + ord(letters[0]) - 96
    return None


class ClauseTooLong(ReadError):
    """An article yields a clause over MAX_CLAUSE_CHARS; ``problem`` says how long, the caller names the file."""

    def __init__(self, chars: int, path: str = "") -> None:
        self.chars = chars
        super().__init__(path, f"a clause of {chars:,} characters with no paragraph or list break, over the limit "
                               f"of {MAX_CLAUSE_CHARS:,} (a conversion that lost the document's structure?)")

    def __reduce__(self) -> tuple[type[ClauseTooLong], tuple[int, str]]:  # crosses process boundaries
        return type(self), (self.chars, self.path)


@dataclass
class Segment:
    """A labelled part of an article: its label path from the top down and its own text."""

    path: tuple[str, ...]
    text: str
    chapeau: list[str] = field(default_factory=list)


@dataclass
class _Frame:
    style: str
    value: int


@dataclass
class _Reading:
    """One way to read a marker: its style family, its value and its normalised label."""

    style: str
    value: int
    label: str


def _readings(m: re.Match[str]) -> list[_Reading]:
    if m["pnum"]:
        return [_Reading("(1)", int(m["pnum"]), m["pnum"])]
    if m["dnum"]:
        return [_Reading("1" + m["dsep"], int(m["dnum"]), m["dnum"])]
    if m["upper"]:
        return [_Reading("(A)", ord(m["upper"]) - 64, m["upper"])]
    letters = m["paren"] or m["rparen"]
    wrap = "()" if m["paren"] else ")"
    out = []
    alpha = _alpha_value(letters)
    if alpha is not None:
        out.append(_Reading("a" + wrap, alpha, letters))
    if len(letters) == 2 and letters[0] == letters[1]:  # (aa), (bb) as a level of their own
        out.append(_Reading("aa" + wrap, ord(letters[0]) - 96, letters))
    roman = roman_value(letters)
    if roman is not None:
        out.append(_Reading("i" + wrap, roman, letters))
    return out


def _accept(stack: list[_Frame], readings: list[_Reading], line_start: bool,
            after_colon: bool) -> tuple[int, _Reading] | None:
    """Where in the stack the marker goes (depth) and how it reads, or None to reject it."""
    styles = [f.style for f in stack]
    # A continuation of an open sequence beats the opening of a new one, so
    # "(i)" after "(h)" is the letter and "(v)" after "(iv)" the numeral.
    for r in readings:
        if r.style in styles:
            d = styles.index(r.style)
            step = r.value - stack[d].value
            if step == 1 or (line_start and step == 2 and r.style[0] == "1"):
                return d, r
    for r in readings:
        if r.style not in styles and r.value == 1:
            return len(stack), r
    # A new chapeau ending in a colon may open a fresh list in a style already
    # used (definitions articles: one (a), (b) list per defined term).
    if line_start and after_colon:
        for r in readings:
            if r.style in styles and r.value == 1:
                return styles.index(r.style), r
    return None


def split_body(body: str) -> tuple[str, list[Segment]]:
    """Split an article body into its intro text and labelled segments in reading order.

    Returns ``(intro, segments)``: ``intro`` is the text before the first
    label (the article's own words, a chapeau when a list follows), and each
    segment's ``chapeau`` lists the own text of its labelled ancestors.

    Raises ClauseTooLong when one part comes out longer than MAX_CLAUSE_CHARS.

    >>> split_body("Each Party shall: (a) notify; and (b) publish.")[1][1].path
    ('b',)
    """
    intro, segments = _split(body)
    if len(body) > MAX_CLAUSE_CHARS:  # only a body this long can give a clause this long
        longest = max([len(intro), *(len(s.text) for s in segments)])
        if longest > MAX_CLAUSE_CHARS:
            raise ClauseTooLong(longest)
    return intro, segments


def _split(body: str) -> tuple[str, list[Segment]]:
    text = _OCR_ONE.sub("1. ", normalise(_WIDE_BEFORE.sub("\n", _WIDE_AFTER.sub(r"\n\1 ", body))), count=1)
    stack: list[_Frame] = []
    cuts: list[tuple[int, int, tuple[str, ...]]] = []  # (label start, text start, path)
    paths: list[str] = []
    for m in _MARKER.finditer(text):
        start = m.start("label")
        before = text[max(0, start - 40) : start].rstrip("\n ")
        if _REFERENCE_WORD.search(before):
            continue
        readings = _readings(m)
        if not readings:
            continue
        line_start = start == 0 or text[start - 1] == "\n" or text[max(0, start - 2) : start] == "\n "
        found = _accept(stack, readings, line_start, before.endswith(":"))
        if found is None:
            continue
        depth, reading = found
        del stack[depth:]
        del paths[depth:]
        stack.append(_Frame(reading.style, reading.value))
        paths.append(reading.label)
        cuts.append((start, m.end(), tuple(paths)))
    if not cuts:
        return reflow(text), []
    intro = reflow(text[: cuts[0][0]])
    segments: list[Segment] = []
    own: dict[tuple[str, ...], str] = {}
    for i, (_, text_start, path) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        body_text = reflow(text[text_start:end])
        own[path] = body_text
        chapeau = [own[path[:j]] for j in range(1, len(path)) if own.get(path[:j])]
        segments.append(Segment(path, body_text, chapeau))
    return intro, segments
