"""Reader for plain-text and Markdown treaties: articles found by their heading lines.

Handles "Article 1", "Art. 1", "ARTICLE I", "Article premier", headings on
the number's line or the next one, headings glued to the number and body as
OCR leaves them ("Article 5Expropriation1. Each Party shall"), Chapter / Part
/ Section / Title lines, and annexes or protocols that restart numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.build import NUMBER_WORDS, ArticleInput, article_clauses, article_number, id_part
from ingest.errors import ReadError
from ingest.records import Clause, ParsedTreaty, Treaty

_MD = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*")
_WORDS = "|".join(w.upper() for w in NUMBER_WORDS)
_NUM = (
    r"(?:premier|first|[0-9]+(?:[.\-][0-9]+)*(?:[A-Z](?![a-z]))?(?:\s+(?:bis|ter|quater))?"
    rf"|[IVXLC]+(?![a-z])|[A-Z]-?[0-9]+|(?:{_WORDS})\b)"
)
_ARTICLE = re.compile(
    rf"^(?:ARTICLE|Article|ART\.|Art\.|ARTÍCULO|Artículo|ARTIKEL|Artikel)\s*(?P<num>{_NUM})(?P<rest>.*)$"
)
_DIVISION = re.compile(
    r"^(?P<kind>CHAPTER|Chapter|PART|Part|SECTION|Section|TITLE|Title)\s+(?P<num>[A-Za-z0-9.\-]+)\b(?P<rest>.*)$"
)
_ANNEX = re.compile(
    r"^(?P<kind>ANNEX|Annex|PROTOCOL|Protocol|APPENDIX|Appendix|SCHEDULE|Schedule)\b\s*"
    r"(?P<num>[A-Z0-9.\-]*)(?P<rest>.*)$"
)
# OCR glue between a heading and the body: "Expropriation1. Each" or "ExpropriationEach".
_GLUE = re.compile(r"(?<=[a-z)])(?=[0-9]{1,3}\.\s|\([0-9a-z]{1,3}\)\s|[A-Z][a-z])")
_SENTENCE_END = re.compile(r"[.;:]$")
_MAX_HEADING = 120


@dataclass
class _Article:
    num: str
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    chapter: str = ""
    annex: str = ""
    page: int = 0


def _split_rest(rest: str) -> tuple[str, str] | None:
    """Split what follows "Article N" on its line into (heading, body); None if it is a cross-reference."""
    rest = rest.strip()
    if not rest:
        return "", ""
    if rest[0] in "-–—:.":
        rest = rest.lstrip("-–—:. ")
    elif rest[0].islower() or rest[0] in ",;(":  # "Article 5 of the GATT ...": a reference, not a heading
        return None
    glue = _GLUE.search(rest)
    if glue and glue.start() <= _MAX_HEADING and not _SENTENCE_END.search(rest[: glue.start()]):
        return rest[: glue.start()].strip(), rest[glue.start() :].strip()
    if len(rest) <= _MAX_HEADING and not _SENTENCE_END.search(rest):
        return rest, ""
    return "", rest


def _articles(lines: list[str]) -> tuple[list[str], list[_Article]]:
    preamble: list[str] = []
    articles: list[_Article] = []
    chapter = annex = ""
    page = 1
    for raw in lines:
        if "\f" in raw:  # a page break, as PDF readers mark them
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        line = _MD.sub("", raw).rstrip().rstrip("*_").rstrip()
        m = _ARTICLE.match(line)
        split = _split_rest(m["rest"]) if m else None
        if m and split is not None:
            heading, body = split
            articles.append(_Article(article_number(m["num"]), heading, [body] if body else [], chapter, annex, page))
            continue
        d = _DIVISION.match(line)
        if d and len(line) <= _MAX_HEADING and not _SENTENCE_END.search(line):
            chapter = line.strip()
            continue
        a = _ANNEX.match(line)
        if a and len(line) <= _MAX_HEADING and not _SENTENCE_END.search(line) and (a["num"] or not a["rest"].strip()):
            annex = f"{a['kind'].title()} {a['num']}".strip()
            chapter = ""
            continue
        target = articles[-1].lines if articles else preamble
        # "Article 3" alone on its line: a short line without a full stop next is its heading.
        if (articles and not articles[-1].heading and not articles[-1].lines and line.strip()
                and len(line) <= _MAX_HEADING and not _SENTENCE_END.search(line)
                and not re.match(r"\s*(\d+\.|\()", line)):
            articles[-1].heading = line.strip()
            continue
        target.append(raw)
    return preamble, articles


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if b"\x00" in data[:4096]:
        raise ReadError(str(path), "binary content, not a text treaty")
    # Legacy single-byte files (Windows-1252) are common for older treaty texts.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReadError(str(path), "text is neither UTF-8 nor Windows-1252") from None


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read a plain-text or Markdown treaty. Raises ReadError when no article can be found."""
    return read_text(path, _decode(path, data), content_hash)


def read_text(path: Path, text: str, content_hash: str, paged: bool = False) -> ParsedTreaty:
    """Split a treaty's text into articles and clauses; the entry point for readers that extract text.

    With ``paged``, a form feed ("\\f") in ``text`` marks each page break and
    every article records the page it starts on (``source["page"]``), so
    citations can name it.

    Raises ReadError when no article can be found.
    """
    if "\x00" in text:
        raise ReadError(str(path), "binary content, not a text treaty")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    preamble, articles = _articles(lines)
    if not articles:
        raise ReadError(str(path), "no article headings found (expected lines such as 'Article 1')")
    title = next((_MD.sub("", ln).strip(" *_#\f") for ln in preamble if ln.strip(" \f")), path.stem)
    treaty_id = id_part(path.stem)
    clauses: list[Clause] = []
    pre_text = "\n".join(preamble).replace("\f", "").strip()
    if pre_text:
        clauses += article_clauses(
            treaty_id, ArticleInput("preamble", "Preamble", pre_text, heading="Preamble"), order=0
        )
    seen: dict[str, int] = {}
    for art in articles:
        prefix = f"{art.annex}, " if art.annex else ""
        key = (id_part(art.annex) + "-" if art.annex else "") + "art-" + id_part(art.num)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # numbering restarted without an annex line we recognised
            key += f"-{seen[key]}"
        source = {"file": path.name, "article": art.num, **({"annex": art.annex} if art.annex else {})}
        if paged:
            source["page"] = str(art.page)
        clauses += article_clauses(
            treaty_id,
            ArticleInput(
                key=key,
                citation=f"{prefix}Art. {art.num}",
                body="\n".join(art.lines),
                heading=art.heading,
                chapter=art.chapter,
                source=source,
            ),
            order=len(clauses),
        )
    treaty = Treaty(
        treaty_id=treaty_id,
        title=title[:300],
        parties=(),
        source_ids={"file": path.name},
        source_path=str(path),
        content_hash=content_hash,
    )
    return ParsedTreaty(treaty, clauses)
