"""Reader for PDF treaties: the text layer, page by page, with running headers and page numbers removed.

Text is extracted with pypdfium2 (Chrome's PDFium engine): about four times
faster than pure-Python pypdf on a 100-page treaty and tolerant of the
damaged files real archives hold. The text then goes through the plain-text
reader with form feeds as page breaks, so each article knows its start page.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.errors import ReadError
from ingest.readers.text import read_text
from ingest.records import ParsedTreaty

# The library reports through its own loggers; a bad file is reported once, as a ReadError.
logging.getLogger("pypdfium2").setLevel(logging.CRITICAL + 1)

_EDGE = 3  # lines at the top and at the bottom of a page where headers and footers live
_MIN_PAGES = 3
_MIN_CHARS_PER_PAGE = 20  # fewer letters or digits than this per page: no real text layer
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# Lines that open an article or a numbered paragraph are content, even when they repeat or follow the page number.
_OPENS_CLAUSE = re.compile(r"^\s*(?:art(?:icle|ículo|iculo|ikel|\.)|\(?\d{1,3}[.)]\s)", re.I)


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read a PDF treaty's text layer.

    Raises ReadError for an encrypted PDF that needs a password, a PDF without
    a text layer (a scan: run OCR first) and a damaged or truncated file.
    """
    pages = _page_texts(path, data)
    if sum(len(re.findall(r"\w", p)) for p in pages) < _MIN_CHARS_PER_PAGE * len(pages):
        raise ReadError(
            str(path), "the PDF has no text layer (a scanned document?); run OCR on it first, e.g. ocrmypdf"
        )
    page_lines = [p.replace("\r\n", "\n").replace("\r", "\n").split("\n") for p in pages]
    # Each page starts a line: the text reader counts the form feeds that open lines.
    text = "\n\f".join("\n".join(lines) for lines in strip_running_lines(page_lines))
    return read_text(path, text, content_hash, paged=True)


def _page_texts(path: Path, data: bytes) -> list[str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = pdfium.PdfDocument(data)
            try:
                texts = []
                for i in range(len(doc)):
                    page = doc[i]
                    textpage = page.get_textpage()
                    texts.append(textpage.get_text_bounded())
                    textpage.close()
                    page.close()
            finally:
                doc.close()
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(
                str(path), "the PDF is encrypted; open it with its password and save an unprotected copy first"
            ) from None
        if err.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(str(path), "the PDF is encrypted with an unsupported security scheme") from None
        raise ReadError(str(path), "the PDF is damaged or truncated and cannot be read") from None
    if not texts:
        raise ReadError(str(path), "the PDF has no pages")
    # PDFium marks a hyphen it found at a line end with \x02; NULs would read as binary junk.
    return [t.replace("\x02", "-").replace("\ufffe", "").replace("\x00", "") for t in texts]


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers, footers and page numbers: lines repeated at the top or bottom of most pages.

    A line counts as repeated when it is identical on most pages, or identical
    once digits are removed and its number follows the page number ("Page 3
    of 40", "- 3 -", "L 123/3"), so article headings that happen to open
    several pages are never taken for a header.
    """
    if len(pages) < _MIN_PAGES:
        return pages
    edges = [_edge_lines(lines) for lines in pages]
    exact: Counter[str] = Counter()
    shapes: dict[str, list[tuple[int, list[int]]]] = {}
    for n, edge in enumerate(edges):
        for key in {_norm(line) for _, line in edge}:
            exact[key] += 1
        numbered = {_shape(line): _numbers(line) for _, line in edge if _DIGITS.search(line)}
        for shape, nums in numbered.items():
            shapes.setdefault(shape, []).append((n, nums))
    running = {key for key, count in exact.items() if key and _most(count, len(pages))}
    paged_shapes = {shape for shape, seen in shapes.items() if _most(len(seen), len(pages)) and _tracks_page(seen)}
    out = []
    for lines, edge in zip(pages, edges, strict=True):
        drop = set()
        for i, line in edge:
            if not _OPENS_CLAUSE.match(line) and (_norm(line) in running or _shape(line) in paged_shapes):
                drop.add(i)
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _edge_lines(lines: list[str]) -> list[tuple[int, str]]:
    """The first and last few non-blank lines of a page, with their positions."""
    filled = [(i, line) for i, line in enumerate(lines) if line.strip()]
    return filled[:_EDGE] + filled[max(_EDGE, len(filled) - _EDGE) :]


def _norm(line: str) -> str:
    return _SPACE.sub(" ", line).strip().lower()


def _shape(line: str) -> str:
    return _DIGITS.sub("#", _norm(line))


def _numbers(line: str) -> list[int]:
    return [int(d) for d in _DIGITS.findall(line)]


def _most(count: int, pages: int) -> bool:
    return count * 2 > pages


def _tracks_page(seen: list[tuple[int, list[int]]]) -> bool:
    """True when one of the numbers in the line rises with the page (printed page = PDF page + offset)."""
    for pos in range(min(len(nums) for _, nums in seen)):
        offsets = Counter(nums[pos] - n for n, nums in seen)
        if offsets.most_common(1)[0][1] * 5 >= len(seen) * 4:
            return True
    return False
