"""Turn one article (number, heading, body) into its clause records with citations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.records import LEVELS, Clause
from ingest.segment import split_body

NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)
_WORD_NUMBERS = {w: i for i, w in enumerate(NUMBER_WORDS, start=1)}
_ARTICLE_WORD = re.compile(r"^\s*(?:article|artículo|articulo|artikel|art\.?)\s*[-–—:]?\s*", re.I)
_ID_SAFE = re.compile(r"[^a-z0-9.\-]+")


def article_number(raw: str | None) -> str:
    """Normalise an article number as written ("ARTICLE 10.3", "Art. V", "premier", "ONE") to "10.3", "V", "1"."""
    if not raw:
        return ""
    num = _ARTICLE_WORD.sub("", raw).strip(" .:-–—")
    low = num.lower()
    if low in ("premier", "first", "primero"):
        return "1"
    if low in _WORD_NUMBERS:
        return str(_WORD_NUMBERS[low])
    num = re.sub(r"\s*-\s*", "-", num)
    return re.sub(r"\s+(bis|ter|quater)$", lambda m: " " + m[1].lower(), num, flags=re.I)


def id_part(text: str) -> str:
    """A fragment safe for a clause id: lower case, no spaces or slashes."""
    return _ID_SAFE.sub("-", text.lower()).strip("-") or "x"


@dataclass
class ArticleInput:
    """An article as a reader found it, before clause splitting."""

    key: str  # unique within the treaty, stable across re-ingests of the same file
    citation: str  # "Art. 10.3", "Annex I, Art. 2", "Preamble"
    body: str
    heading: str = ""
    chapter: str = ""
    source: dict[str, str] = field(default_factory=dict)


def article_clauses(treaty_id: str, article: ArticleInput, order: int) -> list[Clause]:
    """The article clause followed by its paragraphs, sub-paragraphs and items in reading order.

    Clause ids are ``{treaty_id}/{article key}/{label}/{label}...``, so they
    survive re-ingesting the same file. ``order`` is the position of the
    article clause; its descendants follow it.
    """
    intro, segments = split_body(article.body)
    art_id = f"{treaty_id}/{article.key}"
    out = [
        Clause(
            clause_id=art_id,
            treaty_id=treaty_id,
            level=LEVELS[0],
            citation=article.citation,
            text=intro,
            order=order,
            heading=article.heading,
            chapter=article.chapter,
            source=dict(article.source),
            is_leaf=not segments,
        )
    ]
    parents = {segments[i].path for i in range(len(segments))}
    has_child = {p[:-1] for p in parents if len(p) > 1}
    seen: set[str] = set()
    for seg in segments:
        clause_id = art_id + "/" + "/".join(id_part(p) for p in seg.path)
        if clause_id in seen:  # a label repeated in one article: keep both, distinctly
            clause_id += f"~{len(seen)}"
        seen.add(clause_id)
        parent = art_id + ("/" + "/".join(id_part(p) for p in seg.path[:-1]) if len(seg.path) > 1 else "")
        context = [intro] if intro else []
        out.append(
            Clause(
                clause_id=clause_id,
                treaty_id=treaty_id,
                level=LEVELS[min(len(seg.path), len(LEVELS) - 1)],
                citation=article.citation + "".join(f"({p})" for p in seg.path),
                text=seg.text,
                order=order + len(out),
                parent_id=parent,
                label=seg.path[-1],
                heading=article.heading,
                chapter=article.chapter,
                context="\n".join(context + seg.chapeau),
                source=dict(article.source),
                is_leaf=seg.path not in has_child,
            )
        )
    return out
