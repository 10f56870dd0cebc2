"""Reader for the ToTA corpus XML (<treaty><meta/><body><chapter><article/></chapter></body>)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from ingest.build import ArticleInput, article_clauses, article_number, id_part
from ingest.errors import ReadError
from ingest.records import Clause, ParsedTreaty, Treaty
from ingest.xmlsafe import parse_xml

_PARTY = re.compile(r"^[A-Z]{3}$")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _parties(meta: Element) -> tuple[str, ...]:
    """Current signatories, else the original ones; empty or malformed codes are skipped."""
    for tag in ("parties", "parties_original"):
        node = meta.find(tag)
        if node is None:
            continue
        codes = [(p.text or "").strip().upper() for p in node]
        kept = tuple(dict.fromkeys(c for c in codes if _PARTY.match(c)))
        if kept:
            return kept
    return ()


def article_body(text: str, *labels: str | None) -> str:
    """The article's body without a heading or number that the source glued to its start."""
    body = text.lstrip()
    for label in labels:
        if label and body.lower().startswith(label.lower()):
            body = body[len(label) :].lstrip(" .:-–—\n")
    return body


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read one ToTA file. Raises ReadError for malformed XML or a file that is not ToTA."""
    root = parse_xml(str(path), data)
    meta, body = root.find("meta"), root.find("body")
    if root.tag != "treaty" or meta is None or body is None:
        raise ReadError(
            str(path), f"not a ToTA treaty file (root element <{root.tag}>, expected <treaty> with <meta> and <body>)"
        )
    ident = (meta.findtext("treaty_identifier") or "").strip() or path.stem
    treaty_id = f"tota-{id_part(ident)}"
    source_ids = {"treaty_identifier": ident}
    if rta := (meta.findtext("wto_rta_id") or "").strip():
        source_ids["wto_rta_id"] = rta
    treaty = Treaty(
        treaty_id=treaty_id,
        title=(meta.findtext("name") or "").strip() or path.stem,
        type=(meta.findtext("type") or "").strip() or None,
        status=(meta.findtext("status") or "").strip() or None,
        date_signed=_date(meta.findtext("date_signed")),
        date_in_force=_date(meta.findtext("date_into_force")),
        date_inactive=_date(meta.findtext("date_inactive")),
        parties=_parties(meta),
        language=(meta.findtext("language") or "").strip() or None,
        source_ids=source_ids,
        source_path=str(path),
        content_hash=content_hash,
    )
    clauses: list[Clause] = []
    for n_chapter, chapter in enumerate(body.iter("chapter"), start=1):
        chapter_name = (chapter.get("name") or "").strip()
        for n_article, article in enumerate(chapter.iter("article"), start=1):
            number = article_number(article.get("number"))
            heading = (article.get("name") or "").strip()
            art_ident = article.get("article_identifier") or f"{n_chapter}-{n_article}"
            if number:
                citation = f"Art. {number}"
            elif chapter_name:
                citation = chapter_name if n_article == 1 else f"{chapter_name} ({n_article})"
            else:
                citation = f"Unnumbered text {n_chapter}.{n_article}"
            source = {"treaty_identifier": ident, "article_identifier": art_ident}
            if chapter.get("chapter_identifier"):
                source["chapter_identifier"] = chapter.get("chapter_identifier", "")
            text = article_body(article.text or "", chapter_name if not number else None, heading or None)
            clauses += article_clauses(
                treaty_id,
                ArticleInput(
                    key=id_part(art_ident),
                    citation=citation,
                    body=text,
                    heading=heading or (chapter_name if not number else ""),
                    chapter=chapter_name,
                    source=source,
                ),
                order=len(clauses),
            )
    return ParsedTreaty(treaty, clauses)
