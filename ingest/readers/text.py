"""Reader for plain-text and Markdown treaties: articles found by their heading lines.

Handles "Article 1", "Art. 1", "ARTICLE I", "Article premier", headings on
the number's line or the next one, number, title and text on one line
("Article 3 - National Treatment. Each Party shall"), headings glued to the
number and body as OCR leaves them ("Article 5Expropriation1. Each Party shall"),
Chapter / Part / Section / Title lines, annexes or protocols that restart
numbering, bilingual files whose second language version restarts at
"Artikel 1", and memoranda made of numbered paragraphs without articles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.build import NUMBER_WORDS, ArticleInput, article_clauses, article_number, id_part
from ingest.decoding import decode_text
from ingest.errors import ReadError
from ingest.language import detect, language_name
from ingest.records import Clause, ParsedTreaty, Treaty

_MD = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*")
_WORDS = "|".join(w.upper() for w in NUMBER_WORDS)
_NUM = (
    r"(?:(?i:premier|primero|erste|first|1er|1st)\b|[0-9]+(?:[.\-][0-9]+)*(?:[A-Z](?![a-z]))?(?:\s+(?i:bis|ter|quater)\b)?"
    rf"|[IVXLC]+(?![a-z])|[A-Z]-?[0-9]+|(?:{_WORDS})\b)"
)
_ARTICLE = re.compile(
    r"^(?P<word>ARTICLE|Article|ART\.|Art\.|ARTÍCULO|Artículo|ARTICULO|Articulo|ARTIKEL|Artikel"
    rf"|ARTICOLO|Articolo|ARTIGO|Artigo)\s*(?:[-–—:]\s*)?(?P<num>{_NUM})(?P<rest>.*)$"
)
_DIVISION = re.compile(
    r"^(?P<kind>CHAPTER|Chapter|PART|Part|SECTION|Section|TITLE|Title)\s+(?P<num>[A-Za-z0-9.\-]+)\b(?P<rest>.*)$"
)
_ANNEX = re.compile(
    r"^(?P<kind>ANNEX|Annex|PROTOCOL|Protocol|APPENDIX|Appendix|SCHEDULE|Schedule)\b\s*"
    r"(?P<num>(?:[0-9][A-Z0-9.\-]*|(?:[IVXLC]+|[A-Z])(?:[.\-][A-Z0-9.\-]+)?)\b)?(?P<rest>.*)$"
)
# A top-level numbered paragraph of a memorandum or declaration: "1. The Parties agree", "(2) Each".
_PARA = re.compile(r"^\s*(?:(?P<dot>\d{1,3})(?P<sep>[.)])|\((?P<paren>\d{1,3})\))\s+(?P<rest>\S.*)$")
# OCR glue between a heading and the body: "Expropriation1. Each" or "ExpropriationEach".
_GLUE = re.compile(r"(?<=[a-z)])(?=[0-9]{1,3}\.\s|\([0-9a-z]{1,3}\)\s|[A-Z][a-z])")
_SENTENCE_END = re.compile(r"[.;:]$")
_MAX_HEADING = 120
# "National Treatment. Each Party", "Definitions: For the purposes", "Scope - This Agreement".
_TITLE_SEP = re.compile(
    r"^(?P<head>[^.:;]{1,120}?)\s*(?:(?<![0-9])\.|:|\s[-–—])\s+(?P<body>(?:[A-Z(\"“]|\d{1,3}[.)]\s).*)$"
)
_MINOR = frozenset(("a", "an", "and", "at", "between", "by", "for", "from", "in", "into", "of", "on", "or", "the",
                    "to", "under", "with"))
# Words that open the body when a title runs straight into it: "Definitions For the purposes".
_OPENERS = frozenset((
    "A", "All", "An", "Any", "Both", "Each", "Either", "For", "If", "In", "It", "Neither", "No", "Notwithstanding",
    "Nothing", "Pursuant", "Subject", "Such", "The", "These", "This", "Unless", "Upon", "When", "Where", "Within",
    "Without",
))
# "Protocol A", "Annex A": a letter after these words names a part, it does not open a sentence.
_NAMED_PARTS = frozenset((
    "Annex", "Annexes", "Appendix", "Appendices", "Article", "Articles", "Chapter", "Chapters", "List", "Lists", "Part",
    "Parts", "Protocol", "Protocols", "Schedule", "Schedules", "Section", "Sections",
))
_LABEL_WORD = re.compile(r"^(?:\d{1,3}[.)]|\((?:\d{1,3}|[a-z]{1,3})\))$")
_TITLE_WORD = re.compile(r"^[\"“(]?(?:[A-Z0-9][\w’'\-]*|[IVXLC]+)[,)”\"]?$")

# Function words of treaty languages: a fallback for a line too short for the language model.
_STOPWORDS = {
    "en": "the and of shall to this any with which be by is are that or for",
    "fr": "le les et des du une est sont aux dans pour qui ou cette au présent",
    "de": "der die das und den dem des ist sind wird werden mit von für nicht eine einer dieses diese",
    "es": "el los las y del que por una con para al se sus",
    "it": "il gli della delle dei che per con di è sono nel alla",
    "pt": "os do da dos das em não uma com para pelo pela",
    "nl": "het een en van op te voor zijn wordt worden dit deze",
}
_STOPSETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
# "Only the English text shall be authentic": that version alone is, whatever its place.
_SOLE_AUTHENTIC = re.compile(
    r"\b(?:only\s+)?the\s+(?P<lang>[A-Z][a-z]+)\s+(?:text|version)\s+(?:alone\s+)?(?:shall\s+be|is)\s+(?:the\s+)?"
    r"(?:only\s+|sole\s+)?authentic\b")
# "... in the English and Dutch languages, both texts being equally authentic": every version is authentic.
_ALL_AUTHENTIC = re.compile(
    r"equally\s+authentic|(?:both|all|each|the\s+two)\s+(?:of\s+the\s+)?(?:texts?|versions?)\s+(?:\w+\s+){0,3}"
    r"authentic|gelijkelijk\s+authentiek|gleichermaßen\s+verbindlich|igualmente\s+auténtic|également\s+foi"
    r"|ugualmente\s+autentic|igualmente\s+autêntic",
    re.I,
)
_WORD_FAMILY = {"artículo": "articulo", "art.": ""}
_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass
class _Article:
    num: str
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    chapter: str = ""
    annex: str = ""
    page: int = 0
    word: str = ""  # the article word as written, lower case ("artikel"); "" for numbered paragraphs


@dataclass
class _Version:
    """One language version of the text: the first is the agreement, later ones are cited with their language."""

    language: str
    preamble: list[str]
    articles: list[_Article]


def _language(text: str, min_hits: int = 3) -> str | None:
    """The language whose function words dominate ``text``, or None when the evidence is thin."""
    tokens = _TOKEN.findall(text.lower())
    hits = Counter(lang for tok in tokens for lang, words in _STOPSETS.items() if tok in words)
    ranked = hits.most_common(2)
    if not ranked or ranked[0][1] < min_hits or (len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]):
        return None
    return ranked[0][0]


def _title_split(rest: str) -> tuple[str, str] | None:
    """Split "National Treatment. Each Party shall ..." or "Definitions For the purposes ..." into title and body."""
    sep = _TITLE_SEP.match(rest)
    if sep and _is_title(sep["head"].split()):
        return sep["head"].strip(), sep["body"].strip()
    words = rest.split()
    if not _is_title(words[:1]):
        return None
    for i in range(1, min(len(words), 13)):
        if not (_TITLE_WORD.match(words[i - 1]) or words[i - 1] in _MINOR):
            return None
        if words[i - 1] in _MINOR or (len(words[i]) == 1 and words[i - 1] in _NAMED_PARTS):
            continue
        if words[i] in _OPENERS or _LABEL_WORD.match(words[i]):
            return " ".join(words[:i]), " ".join(words[i:])
    return None


def _is_title(words: list[str]) -> bool:
    """Capitalised words and the small words between them: "Entry into Force", "Rules of Origin"."""
    return (
        bool(words)
        and words[0].lstrip("\"“(")[:1].isalpha()
        and words[0] not in _OPENERS
        and words[-1] not in _MINOR
        and all(_TITLE_WORD.match(w) or w in _MINOR for w in words)
    )


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
    if titled := _title_split(rest):
        return titled
    if len(rest) <= _MAX_HEADING and not _SENTENCE_END.search(rest):
        return rest, ""
    return "", rest


def _articles(lines: list[str], paragraphs: bool = False) -> tuple[list[str], list[_Article]]:
    """The preamble lines and the articles; with ``paragraphs``, top-level numbered paragraphs stand for articles."""
    preamble: list[str] = []
    articles: list[_Article] = []
    chapter = annex = ""
    page = 1
    next_para, para_style = 1, ""
    for raw in lines:
        if "\f" in raw:  # a page break, as PDF readers mark them
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        line = _MD.sub("", raw).rstrip().rstrip("*_").rstrip()
        if paragraphs:
            p = _PARA.match(line)
            style = p and (p["sep"] or "()")
            if p and int(p["dot"] or p["paren"]) == next_para and (next_para == 1 or style == para_style):
                articles.append(_Article(str(next_para), "", [p["rest"]], chapter, annex, page))
                next_para, para_style = next_para + 1, style or ""
                continue
        else:
            m = _ARTICLE.match(line)
            split = _split_rest(m["rest"]) if m else None
            if m and split is not None:
                heading, body = split
                num = "1" if m["num"].lower() in ("1er", "1st", "erste") else article_number(m["num"])
                articles.append(_Article(num, heading, [body] if body else [], chapter, annex, page, m["word"].lower()))
                continue
        d = _DIVISION.match(line)
        if d and len(line) <= _MAX_HEADING and not _SENTENCE_END.search(line):
            chapter = line.strip()
            continue
        a = _ANNEX.match(line)
        if a and len(line) <= _MAX_HEADING and not _SENTENCE_END.search(line) and (a["num"] or not a["rest"].strip()):
            annex = f"{a['kind'].title()} {a['num'] or ''}".strip()
            chapter = ""
            next_para = 1
            continue
        target = articles[-1].lines if articles else preamble
        # "Article 3" alone on its line: a short line without a full stop next is its heading.
        if (not paragraphs and articles and not articles[-1].heading and not articles[-1].lines and line.strip()
                and len(line) <= _MAX_HEADING and not _SENTENCE_END.search(line)
                and not re.match(r"\s*(\d+\.|\()", line)):
            articles[-1].heading = line.strip()
            continue
        target.append(raw)
    return preamble, articles


def _number_value(num: str) -> int | None:
    if m := re.match(r"\d+", num):
        return int(m[0])
    if re.fullmatch(r"[IVXLC]+", num):
        values = [{"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}[c] for c in num]
        return sum(-v if i + 1 < len(values) and values[i + 1] > v else v for i, v in enumerate(values))
    return None


def _article_language(art: _Article) -> str | None:
    text = " ".join([art.heading, *art.lines[:20]])
    return detect(text) or _language(text)


def _version_language(version: _Version) -> str | None:
    """The language the version is written in, from its own words (never from the article word alone)."""
    text = "\n".join(line for art in version.articles for line in [art.heading, *art.lines])
    return detect(text) or _language(text)


def _versions(preamble: list[str], articles: list[_Article]) -> list[_Version]:
    """Split the articles where a second language version restarts at article 1 ("Artikel 1" after "Article 30")."""
    versions = [_Version("", preamble, [])]
    langs: Counter[str] = Counter()
    top = 0
    inherited: tuple[str, str] | None = None  # the (annex, chapter) the new version inherited from the old
    for art in articles:
        current = versions[-1]
        lang = _article_language(art)
        value = _number_value(art.num)
        if value == 1 and top >= 2 and art.word and current.articles:
            cur_lang = langs.most_common(1)[0][0] if langs else None
            family, cur_family = (_WORD_FAMILY.get(w, w) for w in (art.word, current.articles[-1].word))
            if (lang and cur_lang and lang != cur_lang) or (family and cur_family and family != cur_family):
                new_lang = lang or "other"
                moved = _trailing_lines(current.articles[-1].lines, new_lang, cur_lang)
                versions.append(_Version(new_lang, moved, []))
                inherited, langs, top = (art.annex, art.chapter), Counter(), 0
        if inherited and (art.annex, art.chapter) == inherited:
            art.annex = art.chapter = ""
        versions[-1].articles.append(art)
        if lang:
            langs[lang] += 1
        top = max(top, value or 0)
    return versions


def _trailing_lines(lines: list[str], new_lang: str, old_lang: str | None) -> list[str]:
    """Remove and return the end of ``lines`` that belongs to the next language version (its title, preamble)."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        lang = detect(lines[i]) or _language(lines[i], min_hits=2)
        if lang == new_lang:
            start = i
        elif lang is not None and (lang == old_lang or old_lang is None):
            break
    moved = lines[start:]
    del lines[start:]
    return moved


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read a plain-text or Markdown treaty. Raises ReadError when no article can be found."""
    return read_text(path, decode_text(path, data), content_hash)


def read_text(path: Path, text: str, content_hash: str, paged: bool = False) -> ParsedTreaty:
    """Split a treaty's text into articles and clauses; the entry point for readers that extract text.

    With ``paged``, a form feed ("\\f") in ``text`` marks each page break and
    every article records the page it starts on (``source["page"]``), so
    citations can name it. A text without article headings is split at its
    top-level numbered paragraphs ("1.", "2." ...), cited "Para. 1". A second
    language version that restarts at article 1 is kept, cited with its
    language ("Dutch text, Art. 1") and marked ``source["language"]``,
    ``source["version"]`` ("2", ...) and ``source["authentic"]`` ("yes" when
    the document says its texts are equally authentic, else "no"; when it
    says "only the French text is authentic", that version alone is, and the
    first is marked "no" if it is another). Each
    version's language is read from its words; the first's is the treaty's.

    Raises ReadError when neither articles nor numbered paragraphs can be found.
    """
    if "\x00" in text:
        raise ReadError(str(path), "binary content, not a text treaty")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    preamble, articles = _articles(lines)
    kind = "Art."
    if not articles:
        preamble, articles = _articles(lines, paragraphs=True)
        kind = "Para."
        if len(articles) < 2:
            raise ReadError(
                str(path),
                "no article headings or numbered paragraphs found (expected lines such as 'Article 1' or '1. ...')",
            )
    title = next((_MD.sub("", ln).strip(" *_#\f") for ln in preamble if ln.strip(" \f")), path.stem)
    treaty_id = id_part(path.stem)
    clauses: list[Clause] = []
    used: set[str] = set()
    versions = _versions(preamble, articles)
    languages = [_version_language(v) for v in versions]
    sole = _SOLE_AUTHENTIC.search(text)
    for n, version in enumerate(versions, start=1):
        lang = (languages[n - 1] or version.language or "other") if n > 1 else ""
        label = f"{language_name(lang) if lang != 'other' else 'Other language'} text, " if lang else ""
        if sole and len(versions) > 1:
            authentic = "yes" if languages[n - 1] and language_name(languages[n - 1]) == sole["lang"] else "no"
        else:
            authentic = "yes" if n == 1 or _ALL_AUTHENTIC.search(text) else "no"
        extra = {"language": lang, "version": str(n), "authentic": authentic} if n > 1 else {}
        extra |= {"authentic": "no"} if n == 1 and authentic == "no" else {}
        pre_text = "\n".join(version.preamble).replace("\f", "").strip()
        if pre_text:
            key = _unique(f"{lang}-preamble" if lang else "preamble", used)
            article = ArticleInput(key, f"{label}Preamble", pre_text, heading="Preamble", source=dict(extra))
            clauses += article_clauses(treaty_id, article, order=len(clauses))
        for art in version.articles:
            prefix = label + (f"{art.annex}, " if art.annex else "")
            annex_key = id_part(art.annex) + "-" if art.annex else ""
            key = (f"{lang}-" if lang else "") + annex_key + ("art-" if kind == "Art." else "para-") + id_part(art.num)
            source = {"file": path.name, ("article" if kind == "Art." else "paragraph"): art.num}
            source |= ({"annex": art.annex} if art.annex else {}) | extra
            if paged:
                source["page"] = str(art.page)
            clauses += article_clauses(
                treaty_id,
                ArticleInput(
                    key=_unique(key, used),
                    citation=f"{prefix}{kind} {art.num}",
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
        language=languages[0],
        provenance={"language": "inferred"} if languages[0] else {},  # read from the words, not a tag
        source_ids={"file": path.name},
        source_path=str(path),
        content_hash=content_hash,
    )
    return ParsedTreaty(treaty, clauses)


def _unique(key: str, used: set[str]) -> str:
    """``key``, or ``key-2``, ``key-3``... when numbering restarted without an annex line we recognised."""
    candidate, n = key, 1
    while candidate in used:
        n += 1
        candidate = f"{key}-{n}"
    used.add(candidate)
    return candidate
