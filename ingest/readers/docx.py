"""Reader for Word (.docx) treaties: paragraphs and tables as lines, automatic numbering rendered into the text.

Drafts number their articles and paragraphs with Word's list numbering, so
"Article 1" or "(a)" is not in a paragraph's text but in numbering.xml. The
numbers are evaluated here as Word shows them, then the text goes through the
plain-text reader. python-docx opens the package (parts found through their
relationships, XML parsed without entity expansion); numbering is read from
its XML because python-docx has no numbering API.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from lxml import etree

from ingest.build import NUMBER_WORDS
from ingest.errors import ReadError
from ingest.readers.text import read_text
from ingest.records import ParsedTreaty
from ingest.segment import to_roman

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees whose text is not what a reader sees: deleted or moved-away revisions, duplicate fallbacks.
_SKIP = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr", _FALLBACK})
_LOAD_ERRORS = (OpcError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError, OSError, etree.LxmlError)
_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")


@dataclass(frozen=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never; None after any
    legal: bool = False  # w:isLgl: show every level's number as decimal
    style: str = ""  # w:pStyle: the paragraph style linked to this level


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read a .docx treaty. Raises ReadError for a damaged file or one that is not a Word 2007+ document."""
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document.part.numbering_part.element, document.styles.element)
        lines = list(_lines(document.element.body, numbering))
    except _LOAD_ERRORS:
        raise ReadError(str(path), "not a readable DOCX file (damaged, or not a Word 2007+ document)") from None
    return read_text(path, "\n".join(lines), content_hash)


def number_text(value: int, fmt: str) -> str:
    """A counter as Word shows it in format ``fmt`` (w:numFmt): 28 as "bb" in lowerLetter, 14 as "XIV" in upperRoman."""
    if fmt in ("lowerLetter", "upperLetter"):
        letters = chr(97 + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 90:
        return to_roman(value).upper() if fmt == "upperRoman" else to_roman(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    if fmt == "cardinalText" and 0 < value <= len(NUMBER_WORDS):
        return NUMBER_WORDS[value - 1].title()
    if fmt == "ordinalText" and 0 < value <= len(_ORDINALS):
        return _ORDINALS[value - 1]
    if fmt in ("none", "bullet"):
        return ""
    return str(value)


class _Numbering:
    """Word's list counters, advanced paragraph by paragraph in document order."""

    def __init__(self, numbering: etree._Element, styles: etree._Element) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum id -> numbering style it takes its levels from
        for node in numbering.iter(f"{_W}abstractNum"):
            aid = _val(node, "abstractNumId")
            self.abstract[aid] = {_int(lvl.get(f"{_W}ilvl"), 0): _level(lvl) for lvl in node.findall(f"{_W}lvl")}
            if link := _val(node.find(f"{_W}numStyleLink")):
                self.links[aid] = link
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        for node in numbering.iter(f"{_W}num"):
            starts, levels = {}, {}
            for over in node.findall(f"{_W}lvlOverride"):
                ilvl = _int(over.get(f"{_W}ilvl"), 0)
                if (start := over.find(f"{_W}startOverride")) is not None:
                    starts[ilvl] = _int(_val(start), 1)
                if (lvl := over.find(f"{_W}lvl")) is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[_val(node, "numId")] = (_val(node.find(f"{_W}abstractNumId")), starts, levels)
        # style id -> (numId, ilvl, basedOn) for paragraph and numbering styles
        self.styles: dict[str, tuple[str, int | None, str]] = {}
        self.default_style = ""
        for style in styles.iter(f"{_W}style"):
            sid = style.get(f"{_W}styleId", "")
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            num_id = _val(num_pr.find(f"{_W}numId")) if num_pr is not None else ""
            raw_ilvl = _val(num_pr.find(f"{_W}ilvl")) if num_pr is not None else ""
            self.styles[sid] = (num_id, _int(raw_ilvl, 0) if raw_ilvl else None, _val(style.find(f"{_W}basedOn")))
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true"):
                self.default_style = sid
        self.counters: dict[str, dict[int, int]] = {}  # per abstractNum: Word continues a list across its nums
        self.started: set[str] = set()

    def label(self, p: etree._Element) -> str:
        """The number Word shows before paragraph ``p`` ("Article 3", "(b)"), advancing the counters; "" if none."""
        style = _val(p.find(f"{_W}pPr/{_W}pStyle")) or self.default_style
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        num_id = _val(num_pr.find(f"{_W}numId")) if num_pr is not None else ""
        raw_ilvl = _val(num_pr.find(f"{_W}ilvl")) if num_pr is not None else ""
        ilvl = _int(raw_ilvl, 0) if raw_ilvl else None
        if not num_id:
            num_id, ilvl = self._style_numbering(style, ilvl)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        aid, starts, overrides = self.nums[num_id]
        aid = self._resolve(aid)
        levels = {**self.abstract.get(aid, {}), **overrides}
        if ilvl is None:  # numbering came from a style: the level that names the style, else the first
            ilvl = next((i for i, lvl in levels.items() if lvl.style and lvl.style == style), 0)
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for i, start in starts.items():
                counters[i] = start - 1
                levels[i] = replace(levels.get(i, _Level()), start=start)
        level = levels.get(ilvl, _Level())
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [i for i in counters if i > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart and ilvl < restart):
                del counters[deeper]

        def shown(m: re.Match[str]) -> str:
            i = int(m[1]) - 1
            lvl = levels.get(i, _Level())
            fmt = "decimal" if level.legal and lvl.fmt != "none" else lvl.fmt
            return number_text(counters.get(i, lvl.start), fmt)

        if level.fmt == "bullet":
            return ""
        return re.sub(r"%([1-9])", shown, level.text).strip()

    def _style_numbering(self, style: str, ilvl: int | None) -> tuple[str, int | None]:
        seen: set[str] = set()
        while style and style not in seen and style in self.styles:
            seen.add(style)
            num_id, style_ilvl, based_on = self.styles[style]
            if num_id:
                return num_id, ilvl if ilvl is not None else style_ilvl
            style = based_on
        return "", ilvl

    def _resolve(self, aid: str) -> str:
        """Follow a numStyleLink to the abstractNum that really defines the levels."""
        for _ in range(3):
            link = self.links.get(aid)
            num_id = self.styles.get(link, ("", None, ""))[0] if link else ""
            if not num_id or num_id not in self.nums:
                break
            aid = self.nums[num_id][0]
        return aid


def _lines(parent: etree._Element, numbering: _Numbering) -> Iterator[str]:
    """Paragraphs as lines, in document order; a table row by row, its cells joined by " | "."""
    for child in parent:
        if child.tag == f"{_W}p":
            label, text = numbering.label(child), _text(child)
            yield f"{label} {text}".strip() if label else text
        elif child.tag == f"{_W}tbl":
            for row in child.findall(f"{_W}tr"):  # a nested table's rows come through their cell
                cells = [[ln for ln in _lines(cell, numbering) if ln.strip()] for cell in row.findall(f"{_W}tc")]
                filled = [c for c in cells if c]
                if len(filled) == 1:  # a layout table: one column of paragraphs keeps its lines
                    yield from filled[0]
                elif filled:
                    yield " | ".join(" ".join(c) for c in filled)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            yield from _lines(child, numbering)


def _text(node: etree._Element) -> str:
    parts: list[str] = []
    for child in node:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}p":  # a text box's paragraph inside this one
            parts.append(" " + _text(child))
        else:
            parts.append(_text(child))
    return "".join(parts)


def _level(lvl: etree._Element) -> _Level:
    restart = lvl.find(f"{_W}lvlRestart")
    return _Level(
        fmt=_val(lvl.find(f"{_W}numFmt")) or "decimal",
        text=_val(lvl.find(f"{_W}lvlText")),
        start=_int(_val(lvl.find(f"{_W}start")), 1),
        restart=_int(_val(restart), 0) if restart is not None else None,
        legal=lvl.find(f"{_W}isLgl") is not None and _val(lvl.find(f"{_W}isLgl")) not in ("0", "false"),
        style=_val(lvl.find(f"{_W}pStyle")),
    )


def _val(node: etree._Element | None, name: str = "val") -> str:
    """The w:val attribute of ``node`` (or its attribute ``name``), "" when absent."""
    return "" if node is None else node.get(f"{_W}{name}", "")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default
