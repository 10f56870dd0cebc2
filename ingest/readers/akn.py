"""Reader for Akoma Ntoso XML (2.0 and 3.0): FRBR metadata, provisions with their numbered parts, and annexes.

Every document type reads: ``act``, ``bill``, ``doc``, ``documentCollection``
(its components: the first holding provisions is the main text, the others
are cited by their titles, like annexes), ``amendment`` and ``judgment``
(their body blocks, when they hold no provisions). A provision is the
document's own unit: ``<article>`` where there are articles, else
``<section>`` (cited "s. 4(2)(a)"), ``<rule>`` ("r. 3"), ``<regulation>``
("reg. 3"), or numbered ``<paragraph>``s at the top of the body ("para. 2").
The markup gives the hierarchy below it (paragraph / point, with ``<num>``),
so clauses follow it rather than regexes. Provisions quoted by an amending act
(``<quotedStructure>``, ``<embeddedStructure>``, ``<mod>``) are another act's
words: they stay in the enclosing clause's text and never become provisions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ingest.build import ArticleInput, article_clauses, article_number, id_part
from ingest.errors import InputError, ReadError
from ingest.metadata.infer import countries_in
from ingest.parties import parse_party
from ingest.records import LEVELS, Clause, ParsedTreaty, Treaty
from ingest.textclean import reflow
from ingest.xmlsafe import parse_xml

_SNIFF = re.compile(rb"akomantoso\.org/|legaldocml/ns/akn/|<(?:[\w.-]+:)?akomaNtoso[\s>/]")
# Numbered parts below an article; without a <num> they are transparent (their words go to the parent).
UNITS = frozenset({
    "paragraph", "subparagraph", "point", "item", "indent", "alinea", "list", "sublist", "clause", "subclause",
    "subsection", "level", "proviso", "rule", "subrule", "transitional",
})
# Groupings above articles: they give the chapter context.
DIVISIONS = frozenset({
    "book", "tome", "part", "subpart", "title", "subtitle", "chapter", "subchapter", "section", "division",
    "subdivision", "hcontainer",
})
QUOTED = frozenset({"quotedStructure", "embeddedStructure", "quotedText", "mod", "mmod", "rmod"})
ATTACHMENTS = frozenset({"attachment", "component"})
# A document's provisions are the first of these it holds (outside quotations and annexes); a document
# without any may have numbered top-level <paragraph>s instead.
PROVISIONS = ("article", "section", "rule", "regulation")
_CITE = {"article": "Art.", "section": "s.", "rule": "r.", "regulation": "reg.", "paragraph": "para."}
_KEY = {"article": "art", "section": "s", "rule": "rule", "regulation": "reg", "paragraph": "para"}
_PROVISION_WORD = re.compile(r"^(?:section|sec\.|s\.|rule|r\.|regulation|reg\.|paragraph|para\.)\s*", re.I)
DOCUMENTS = frozenset({
    "act", "bill", "doc", "statement", "portion", "amendment", "amendmentList", "judgment", "debate",
    "debateReport", "officialGazette", "documentCollection",
})
# Body blocks of the document types that carry no provisions: each becomes one clause, cited by its heading.
_BODY_BLOCKS = {
    "amendmentHeading": "Amendment heading", "amendmentContent": "Amendment", "amendmentReference": "Reference",
    "amendmentJustification": "Justification", "introduction": "Introduction", "background": "Background",
    "arguments": "Arguments", "remedies": "Remedies", "motivation": "Reasons", "decision": "Decision",
}
_SKIP = frozenset({"meta", "authorialNote", "noteRef", "eop", "marker"})
_BLOCKS = UNITS | DIVISIONS | {"quotedStructure", "embeddedStructure"} | {
    "article", "p", "block", "blockList", "blockContainer", "listIntroduction", "listWrapUp", "intro", "wrapUp",
    "wrap", "content", "heading", "subheading", "crossHeading", "longTitle", "formula", "recital", "recitals",
    "citation", "citations", "container", "tblock", "toc", "tocItem", "table", "tr", "caption", "ul", "ol", "li",
    "foreign", "preface", "preamble", "conclusions", "signature", "attachment", "component", "doc",
}
_SPACED = frozenset({"num", "td", "th"})  # inline, but never glued to the next word
KNOWN = frozenset(_BLOCKS | _SKIP | _SPACED | {"eol", "br", "docTitle", "shortTitle", "docNumber", "docType",
                                               "party", "date", "docDate", "ref", "attachments", "components"})
_DIVISION_WORDS = frozenset({
    "book", "tome", "part", "subpart", "title", "subtitle", "chapter", "subchapter", "section", "division",
    "subdivision", "chapitre", "capítulo", "capitulo", "parte", "partie", "titre", "título", "titulo", "kapitel",
    "teil", "abschnitt", "sección", "seccion",
})
_HEAD_NUM = re.compile(
    r"^(?:article|art\.?|artículo|articulo|artigo|artikel)\s+(?P<num>premier|first|[0-9]+[A-Za-z]?(?:[.\-][0-9]+)*"
    r"(?:\s+(?:bis|ter|quater))?|[IVXLC]+\b)\s*[-–—.:]?\s*(?P<rest>.*)$",
    re.I,
)
_ANNEX = re.compile(
    r"^(?P<kind>(?i:annex|annexe|appendix|schedule|protocol|attachment|exhibit))\b[\s.:–—-]*"
    r"(?P<num>[IVXLC]+\b|[0-9]+[A-Z]?(?:[.\-][0-9A-Z]+)*|[A-Z]\b)?"
)
_SIGN = re.compile(r"(?<![a-z])sign|Sign")  # "#signature", "dateOfSignature"; not "designation"
_FORCE = re.compile(r"(?<![a-z])force|Force")  # "entryIntoForce"; not "enforcement"
_EU = {"eu": "EUU", "european union": "EUU", "european community": "EUU", "european communities": "EUU"}
_GOVERNMENT = re.compile(r"^(?:the\s+)?(?:government\s+of\s+(?:the\s+)?)?", re.I)


def is_akoma_ntoso(data: bytes) -> bool:
    """True when the first few KB name an Akoma Ntoso namespace or open an ``<akomaNtoso>`` root."""
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return bool(_SNIFF.search(head))


def _text(el: Element | None, sep: str = " ") -> str:
    return sep.join(lines(el)) if el is not None else ""


def lines(el: Element, exclude: frozenset[str] = frozenset()) -> list[str]:
    """The element's words as lines: block elements start a line, inline ones run on; notes are dropped."""
    parts: list[str] = []

    def walk(e: Element, top: bool) -> None:
        name = e.tag
        if name not in _SKIP and (top or name not in exclude):
            block = name in _BLOCKS
            if block or name in ("eol", "br"):
                parts.append("\n")
            parts.append(e.text or "")
            for child in e:
                walk(child, False)
            parts.append("\n" if block else " " if name in _SPACED else "")
        if not top:
            parts.append(e.tail or "")

    walk(el, True)
    return [" ".join(ln.split()) for ln in "".join(parts).replace("\u00ad", "").split("\n") if ln.strip()]


def _label(el: Element) -> str:
    """A part's label from its ``<num>``: "1." -> "1", "(a)" -> "a"; "" for bullets or no number."""
    num = el.find("num")
    raw = _text(num) if num is not None else ""
    return re.sub(r"^[\s(\[]+|[\s.)\]:]+$", "", raw).strip("–—-•· ")


def _holds_units(el: Element) -> bool:
    for child in el:
        if child.tag in QUOTED:
            continue
        if (child.tag in UNITS and _label(child)) or _holds_units(child):
            return True
    return False


def holds_article(el: Element) -> bool:
    """Whether an article sits somewhere under ``el`` outside quoted structures."""
    return _holds(el, "article", frozenset())


def _holds(el: Element, tag: str, outside: frozenset[str] = ATTACHMENTS) -> bool:
    return any(c.tag == tag or (c.tag not in QUOTED and c.tag not in outside and _holds(c, tag, outside)) for c in el)


def provision_tag(doc: Element) -> str | None:
    """The element this document's provisions are: "article", "section", "rule", "regulation", "paragraph"
    (numbered paragraphs at the top of the body, outside divisions' headings), or None."""
    for tag in PROVISIONS:
        if _holds(doc, tag):
            return tag

    def top_paragraphs(el: Element) -> bool:
        for child in el:
            if child.tag in QUOTED or child.tag in ATTACHMENTS or child.tag in _SKIP:
                continue
            if child.tag == "paragraph" and _label(child):
                return True
            if child.tag not in UNITS and top_paragraphs(child):
                return True
        return False

    return "paragraph" if top_paragraphs(doc) else None


@dataclass
class _Node:
    """A numbered part (or the article itself): its label, own lines and numbered children."""

    label: str = ""
    eid: str = ""
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def _fill(node: _Node, el: Element, skip: frozenset[str]) -> None:
    """Numbered parts of ``el`` become children of ``node``; all other words become its own lines."""
    if el.text and el.text.strip():
        node.lines.append(" ".join(el.text.split()))
    for child in el:
        if child.tag in skip or child.tag in _SKIP:
            pass
        elif child.tag in UNITS and _label(child):
            part = _Node(_label(child), child.get("eId") or child.get("id") or "")
            _fill(part, child, frozenset({"num"}))
            node.children.append(part)
        elif child.tag not in QUOTED and _holds_units(child):
            _fill(node, child, frozenset())  # an unnumbered list, paragraph or content: transparent
        else:
            node.lines += lines(child)
        if child.tail and child.tail.strip():
            node.lines.append(" ".join(child.tail.split()))


@dataclass
class _Item:
    key: str
    citation: str
    heading: str
    chapter: str
    source: dict[str, str]
    node: _Node
    is_article: bool = True


def _structured(treaty_id: str, item: _Item, order: int) -> list[Clause]:
    """Clauses straight from the markup: ids ``{treaty}/{key}/{label}/...``, citations "Art. 5(2)(a)"."""
    art_id = f"{treaty_id}/{item.key}"
    intro = reflow("\n\n".join(item.node.lines))
    out = [Clause(clause_id=art_id, treaty_id=treaty_id, level=LEVELS[0], citation=item.citation, text=intro,
                  order=order, heading=item.heading, chapter=item.chapter, source=dict(item.source),
                  is_leaf=not item.node.children)]
    seen: set[str] = set()

    def add(node: _Node, parent_id: str, citation: str, chapeau: list[str], depth: int) -> None:
        for child in node.children:
            child.eid = child.eid or node.eid  # the innermost part the source identifies
            clause_id = f"{parent_id}/{id_part(child.label)}"
            if clause_id in seen:  # a label repeated under one parent: keep both, distinctly
                clause_id += f"~{len(seen)}"
            seen.add(clause_id)
            text = reflow("\n\n".join(child.lines))
            cite = f"{citation}({child.label})"
            out.append(Clause(
                clause_id=clause_id, treaty_id=treaty_id, level=LEVELS[min(depth, len(LEVELS) - 1)], citation=cite,
                text=text, order=order + len(out), parent_id=parent_id, label=child.label, heading=item.heading,
                chapter=item.chapter, context="\n".join(chapeau),
                source={**item.source, **({"eId": child.eid} if child.eid else {})}, is_leaf=not child.children,
            ))
            add(child, clause_id, cite, chapeau + [text] if text else chapeau, depth + 1)

    add(item.node, art_id, item.citation, [intro] if intro else [], 1)
    return out


def _annex_label(att: Element, n: int) -> str:
    """"Annex I" from the attachment's heading, its document's preface or metadata; else "Annex {n}"."""
    doc = next((c for c in att if c.tag not in ("heading", "subheading", "num", "meta")), att)
    texts = [_text(att.find("heading")), _text(doc.find("heading"))]
    preface = doc.find("preface")
    if preface is not None:
        doc_number = preface.find(".//docNumber")
        if doc_number is not None:
            texts.append(f"{_text(preface.find('.//docType')) or doc.get('name', 'Annex')} {_text(doc_number)}")
        texts += lines(preface)[:2]
    work = doc.find("meta/identification/FRBRWork")
    if work is not None:
        texts += [e.get("value", "") for e in work if e.tag in ("FRBRname", "FRBRalias")]
    texts.append(att.get("showAs", ""))
    kind_only = ""
    for text in texts:
        m = _ANNEX.match(text.strip())
        if m and m["num"]:
            return f"{m['kind'].title()} {m['num']}"
        kind_only = kind_only or (m["kind"].title() if m else "")
    number_el = work.find("FRBRnumber") if work is not None else None
    number = number_el.get("value", "") if number_el is not None else ""
    return f"{kind_only or (doc.get('name') or 'Annex').title()} {number or n}"


def _division_label(el: Element) -> str:
    num, heading = _text(el.find("num")), _text(el.find("heading"), ": ")
    first = num.split()[0].lower() if num else ""
    if num and first not in _DIVISION_WORDS and el.tag not in ("hcontainer", "division", "subdivision"):
        num = f"{el.tag.title()} {num}"  # "<chapter><num>III</num>" -> "Chapter III"
    return ": ".join(x for x in (num, heading) if x)


class _Walker:
    """One pass over a document in reading order, collecting the preamble, provisions and annexes."""

    def __init__(self, source: dict[str, str]) -> None:
        self.source = source
        self.preamble: list[str] = []
        self.items: list[_Item] = []
        self.keys: dict[str, int] = {}
        self.annexes = 0

    def document(self, doc: Element, annex: str) -> None:
        """Walk one document (the main one, an annex's or a collection's component) with its own provisions."""
        tag = provision_tag(doc)
        before = len(self.items)
        self.walk(doc, "", annex, tag)
        if tag is None and not any(i.is_article for i in self.items[before:]):
            self.blocks(doc, annex)

    def walk(self, el: Element, chapter: str, annex: str, provision: str | None) -> None:
        for child in el:
            tag = child.tag
            if tag in QUOTED or tag in _SKIP or tag == "conclusions":
                continue
            if tag == provision:
                self.provision(child, tag, chapter, annex)
            elif tag in ("preface", "preamble"):
                if not annex:  # an annex's preface only names it
                    self.preamble += lines(child)
            elif tag == "collectionBody":
                self.collection(child, annex)
            elif tag in ATTACHMENTS:
                self.attachment(child, annex)
            elif tag in DIVISIONS:
                self.walk(child, _division_label(child) or chapter, annex, provision)
            elif tag in DOCUMENTS:
                self.document(child, annex)
            else:
                self.walk(child, chapter, annex, provision)

    def _key(self, key: str) -> str:
        self.keys[key] = self.keys.get(key, 0) + 1
        return key if self.keys[key] == 1 else f"{key}-{self.keys[key]}"

    def provision(self, el: Element, tag: str, chapter: str, annex: str) -> None:
        raw_num = _text(el.find("num"))
        number, heading = article_number(_PROVISION_WORD.sub("", raw_num)), _text(el.find("heading"))
        if not number and tag == "article" and (m := _HEAD_NUM.match(heading)):  # "Article 5 – Expropriation"
            number, heading = article_number(m["num"]), m["rest"]
        n = sum(1 for i in self.items if i.is_article) + 1
        eid = el.get("eId") or el.get("id") or ""
        prefix = f"{annex}, " if annex else ""
        key = self._key((id_part(annex) + "-" if annex else "") + f"{_KEY[tag]}-" + id_part(number or eid or str(n)))
        source = {**self.source, **({tag: number} if number else {}), **({"eId": eid} if eid else {}),
                  **({"annex": annex} if annex else {})}
        node = _Node(eid=eid)
        _fill(node, el, frozenset({"num", "heading"}))
        citation = f"{prefix}{_CITE[tag]} {number}" if number else f"{prefix}{heading or f'Unnumbered {tag} {n}'}"
        self.items.append(_Item(key, citation, heading, chapter, source, node))

    def attachment(self, att: Element, outer: str, label: str | None = None) -> None:
        self.annexes += 1
        label = label or _annex_label(att, self.annexes)
        annex = f"{outer}, {label}" if outer else label
        before = len(self.items)
        docs = [c for c in att if c.tag in DOCUMENTS]
        for doc in docs or [att]:
            self.document(doc, annex)
        if not any(i.source.get("annex") == annex for i in self.items[before:]):
            self._block(annex, lines(att, exclude=ATTACHMENTS | {"attachments", "components"}), before, annex)

    def collection(self, body: Element, annex: str) -> None:
        """A collection's components: the first holding provisions is the main text, the rest are cited by title."""
        components = [c for c in body if c.tag in ATTACHMENTS]
        main = next((c for c in components if any(provision_tag(d) for d in c if d.tag in DOCUMENTS)), None)
        for n, component in enumerate(components, start=1):
            if component is main and not annex:
                for doc in (d for d in component if d.tag in DOCUMENTS):
                    self.document(doc, "")
            else:
                self.attachment(component, annex, _component_label(component, n))

    def blocks(self, doc: Element, annex: str) -> None:
        """An amendment's or judgment's body blocks, one clause each, when the document has no provisions."""
        for body in doc:
            for el in body if body.tag in ("judgmentBody", "amendmentBody") else ():
                if el.tag in _BODY_BLOCKS and (text := lines(el)):
                    name = _text(el.find("heading")) or _BODY_BLOCKS[el.tag]
                    self._block(f"{annex}, {name}" if annex else name, text, len(self.items), annex)

    def _block(self, citation: str, text: list[str], at: int, annex: str) -> None:
        if text:  # an annex without articles (a schedule, a list) is one clause
            source = {**self.source, **({"annex": annex} if annex else {})}
            self.items.insert(at, _Item(self._key(id_part(citation)), citation, "", "", source, _Node(lines=text),
                                        is_article=not annex))


def _component_label(component: Element, n: int) -> str:
    """A collection component's name: "Annex I" when it says so, else its title ("Explanatory Memorandum")."""
    label = _annex_label(component, n)
    if not label.endswith(f" {n}") and not label.startswith(("Component", "Doc")):
        return label
    doc = next((c for c in component if c.tag in DOCUMENTS), component)
    titles = [_text(e) for e in _own(doc, frozenset({"docTitle", "shortTitle"}))]
    work = doc.find("meta/identification/FRBRWork")
    if work is not None:
        titles += [e.get("value", "") for e in work if e.tag in ("FRBRname", "FRBRalias")]
    titles += [component.get("showAs", ""), " ".join(re.findall(r"[A-Z]?[a-z]+", doc.get("name", ""))).title()]
    return next((" ".join(t.split())[:80] for t in titles if t.strip()), label)


def _main_document(doc: Element) -> Element:
    """The document a collection is about: its first component holding provisions (else its first); or ``doc``."""
    if doc.tag != "documentCollection":
        return doc
    body = doc.find("collectionBody")
    docs = [d for c in (body if body is not None else ()) if c.tag in ATTACHMENTS for d in c if d.tag in DOCUMENTS]
    return next((d for d in docs if provision_tag(d)), docs[0] if docs else doc)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _own(el: Element, tags: frozenset[str]) -> list[Element]:
    """Elements named ``tags`` under ``el``, outside metadata, annexes and quoted structures."""
    found: list[Element] = []
    for child in el:
        if child.tag in tags:
            found.append(child)
        if child.tag not in QUOTED | ATTACHMENTS | {"meta"}:
            found += _own(child, tags)
    return found


def _country(value: str) -> str | None:
    """The alpha-3 code a party's name gives: "Canada", "the Government of the Republic of Chile", or one
    country named inside a longer name ("the Government of Denmark and the Home Government of the Faroe
    Islands" is the Faroe Islands, as the text reading has it)."""
    text = _GOVERNMENT.sub("", " ".join(value.split())).strip(" .,;")
    if text.lower() in _EU:
        return _EU[text.lower()]
    if not text or len(text) > 120:
        return None
    try:
        return parse_party(text)
    except InputError:
        found = countries_in(value)
        return found[0] if found and len(found) == 1 else None


def _language(code: str) -> str | None:
    import pycountry

    code = code.strip().lower()
    if len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
        if lang is not None and getattr(lang, "alpha_2", None):
            return str(lang.alpha_2)
    return code or None


class _Meta:
    """What the document says about itself: FRBR identification, lifecycle events, TLC references."""

    def __init__(self, doc: Element) -> None:
        meta = doc.find("meta")
        self.meta = meta if meta is not None else Element("meta")
        ident = self.meta.find("identification")
        self.work = ident.find("FRBRWork") if ident is not None else None
        self.expr = ident.find("FRBRExpression") if ident is not None else None
        self.tlc = {
            (e.get("eId") or e.get("id") or ""): e for e in self.meta.iter() if e.tag.startswith("TLC")
        }

    def value(self, part: Element | None, tag: str, attr: str = "value") -> str:
        el = part.find(tag) if part is not None else None
        return (el.get(attr) or "").strip() if el is not None else ""

    def refers(self, el: Element) -> str:
        """An element's refersTo/source with the TLC entries they point to, for word matching."""
        out = []
        for attr in ("refersTo", "name"):
            ref = (el.get(attr) or "").lstrip("#")
            out.append(ref)
            tlc = self.tlc.get(ref)
            if tlc is not None:
                out += [tlc.get("showAs", ""), tlc.get("href", ""), ref]
        return " ".join(out)

    def dated(self, doc: Element, word: re.Pattern[str]) -> date | None:
        """The first date the metadata or the text ties to ``word`` (signature, entry into force).

        FRBRdate counts by its name; lifecycle events (generation, amendment)
        and ``<date>`` elements in the text by the event they refer to.
        """
        for part in (self.work, self.expr):
            for d in part.findall("FRBRdate") if part is not None else []:
                if word.search(d.get("name", "")) and _date(d.get("date")):
                    return _date(d.get("date"))
        for ev in [*self.meta.iter("eventRef"), *_own(doc, frozenset({"date", "docDate"}))]:
            if word.search(self.refers(ev)) and _date(ev.get("date")):
                return _date(ev.get("date"))
        return None

    def parties(self, doc: Element, marked_only: bool = False) -> tuple[str, ...]:
        """Alpha-3 codes of the ``<party>`` elements, else (unless ``marked_only``) of the TLC people and
        organisations."""
        marked = _own(doc, frozenset({"party"}))
        candidates: list[list[str]] = []
        for p in marked:
            ref = self.tlc.get((p.get("refersTo") or "").lstrip("#"))
            candidates.append([_text(p)] + ([ref.get("showAs", ""), ref.get("href", "")] if ref is not None else []))
        if not marked and not marked_only:
            candidates = [[t.get("showAs", ""), t.get("href", "")] for t in self.tlc.values()
                          if t.tag in ("TLCPerson", "TLCOrganization")]
        codes = []
        for names in candidates:
            names = [n.rstrip("/").rsplit("/", 1)[-1] if n.startswith("/") else n for n in names]
            code = next((c for c in map(_country, names) if c), None)
            if code:
                codes.append(code)
        return tuple(dict.fromkeys(codes))


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read one Akoma Ntoso file. Raises ReadError for malformed XML, a file that is not AKN, or no articles."""
    root = parse_xml(str(path), data)
    for el in root.iter():  # 2.0, 3.0 and draft namespaces alike: match on local names
        if isinstance(el.tag, str):
            el.tag = el.tag.rsplit("}", 1)[-1]
            if el.tag == "hcontainer" and el.get("name") == "regulation":  # AKN 3.0 has no <regulation>
                el.tag = "regulation"
    if root.tag != "akomaNtoso":
        raise ReadError(str(path), f"not an Akoma Ntoso document (root element <{root.tag}>, expected <akomaNtoso>)")
    doc = next(iter(root), None)
    if doc is None:
        raise ReadError(str(path), "the <akomaNtoso> element holds no document (expected <act>, <bill>, <doc>, ...)")
    return read_tree(path, doc, content_hash)


def read_tree(path: Path, doc: Element, content_hash: str) -> ParsedTreaty:
    """Read an Akoma Ntoso document element whose tags are local names (no namespace).

    The entry point for readers that rebuild AKN structure from another format
    (HTML rendered from AKN). Without FRBR identifiers the treaty id is the
    file name's stem. Raises ReadError when no article is found.
    """
    try:
        main = _main_document(doc)
        metas = [(_Meta(doc), doc)] + ([(_Meta(main), main)] if main is not doc else [])

        def first(get: Callable[[_Meta, Element], Any]) -> Any:
            return next((v for v in (get(m, d) for m, d in metas) if v), None)

        work = first(lambda m, d: m.work if m.value(m.work, "FRBRuri") or m.value(m.work, "FRBRthis") else None)
        meta = next((m for m, _ in metas if m.work is work), metas[0][0])
        work_uri = meta.value(meta.work, "FRBRuri") or meta.value(meta.work, "FRBRthis")
        language = first(lambda m, d: _language(m.value(m.expr, "FRBRlanguage", "language")))
        if work_uri:
            treaty_id = id_part(f"{work_uri}-{language or ''}")
            treaty_id = treaty_id if treaty_id.startswith("akn-") else f"akn-{treaty_id}"
            source_ids = {"FRBRthis": meta.value(meta.work, "FRBRthis") or work_uri, "FRBRuri": work_uri}
            for key, value in (("FRBRExpression", meta.value(meta.expr, "FRBRthis")),
                               ("FRBRcountry", meta.value(meta.work, "FRBRcountry"))):
                if value:
                    source_ids[key] = value
        else:
            treaty_id, source_ids = id_part(path.stem), {"file": path.name}
        walker = _Walker({k: v for k, v in source_ids.items() if k in ("FRBRthis", "file")})
        walker.document(doc, "")
        title = first(lambda m, d: next((t for t in [_text(e) for e in _own(d, frozenset({"docTitle"}))]
                                         + [m.value(m.work, "FRBRname")]
                                         + [_text(e) for e in _own(d, frozenset({"shortTitle", "longTitle"}))]
                                         if t), None)) or path.stem
        treaty = Treaty(
            treaty_id=treaty_id,
            title=title[:300],
            type=first(lambda m, d: m.value(m.work, "FRBRsubtype")) or doc.get("name") or None,
            date_signed=first(lambda m, d: m.dated(d, _SIGN)),
            date_in_force=first(lambda m, d: m.dated(d, _FORCE)),
            parties=first(lambda m, d: m.parties(d, marked_only=True)) or first(lambda m, d: m.parties(d)) or (),
            language=language,
            source_ids=source_ids,
            source_path=str(path),
            content_hash=content_hash,
        )
    except RecursionError:
        raise ReadError(str(path), "elements are nested too deeply to read") from None
    if not any(i.is_article for i in walker.items):
        raise ReadError(str(path), "no provisions found in the body or its annexes (no <article>, <section>, <rule>, "
                                   "<regulation> or numbered <paragraph>)")
    clauses: list[Clause] = []
    if walker.preamble:
        clauses += article_clauses(
            treaty_id,
            ArticleInput("preamble", "Preamble", "\n".join(walker.preamble), heading="Preamble", source=walker.source),
            order=0,
        )
    for item in walker.items:
        if item.node.children:
            clauses += _structured(treaty_id, item, order=len(clauses))
        else:  # no numbered parts in the markup: let the text splitter find "1.", "(a)" in the words
            article = ArticleInput(item.key, item.citation, "\n".join(item.node.lines), item.heading, item.chapter,
                                   item.source)
            clauses += article_clauses(treaty_id, article, order=len(clauses))
    return ParsedTreaty(treaty, clauses)
