"""Reader for HTML treaties: the page's text split by the text reader, or its markup when it renders Akoma Ntoso.

A page whose elements carry Akoma Ntoso names (class="akn-article", as the
Laws.Africa/Indigo renderer writes them, or data-name="article") is rebuilt
as an AKN tree and read by the AKN reader, so articles, numbered parts and
quoted structures follow the markup. Any other page becomes lines of text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import lxml.html
from lxml import etree

from ingest.decoding import decode_text
from ingest.errors import ReadError
from ingest.readers import akn
from ingest.readers.text import read_text
from ingest.records import ParsedTreaty

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Page furniture and code, never treaty text; a table of contents in <nav> would repeat every heading.
_DROP = ("script", "style", "noscript", "template", "nav", "iframe", "object", "embed", "svg", "select", "button")
_BLOCK_TAGS = frozenset({
    "html", "body", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr",
    "table", "thead", "tbody", "tfoot", "caption", "blockquote", "pre", "section", "article", "aside", "header",
    "footer", "main", "address", "figure", "figcaption", "hr", "center", "form", "fieldset", "legend", "details",
    "summary",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_AKN_NAMES = {n.lower(): n for n in akn.KNOWN | akn.UNITS | akn.DIVISIONS | akn.QUOTED | akn.ATTACHMENTS}
# What the LIME editor and other renderers use besides class="akn-..." to name the AKN element.
_NAME_ATTRS = ("internalid", "data-akn-name", "data-name")
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, default_doctype=False)


def _codec(name: bytes) -> str | None:
    try:
        found = codecs.lookup(name.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if found in ("ascii", "iso8859-1", "latin-1"):  # browsers read these labels as Windows-1252
        return "cp1252"
    return "utf-8" if found.startswith("utf-16") else found  # a page that says utf-16 in ASCII is not


def _decode(path: Path, data: bytes) -> str:
    """The page's text: a byte-order mark, else its <meta charset>, else as ``decode_text`` reads any text."""
    declared = _CHARSET.search(data[:4096])
    if declared and not any(data.startswith(bom) for bom, _ in _BOMS) and (codec := _codec(declared[1])):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass  # the declaration is wrong; read the bytes as they are
    return decode_text(path, data)


def _parse(path: Path, text: str) -> Any:
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses a str that declares an encoding
    if not text.strip():
        raise ReadError(str(path), "the file is empty")
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.LxmlError, ValueError) as exc:
        raise ReadError(str(path), f"unreadable HTML ({exc})") from None
    for el in [*root.iter(*_DROP), *root.xpath("//*[@hidden]")]:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that follows the element
    return root


def _words(text: str | None) -> str:
    return re.sub(r"\s+", " ", text) if text else ""


def _lines(body: Any) -> list[str]:
    """Block elements and <br> become line breaks; cells are separated by a space; <pre> keeps its lines."""
    parts: list[str] = []

    def walk(el: Any, pre: bool, top: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        pre = pre or tag == "pre"
        if tag:
            block = tag in _BLOCK_TAGS
            if block or tag == "br":
                parts.append("\n")
            parts.append(el.text or "" if pre else _words(el.text))
            for child in el:
                walk(child, pre, False)
            parts.append("\n" if block else " " if tag in ("td", "th") else "")
        if not top:
            parts.append(el.tail or "" if pre else _words(el.tail))

    walk(body, False, True)
    return [" ".join(ln.split()) for ln in "".join(parts).split("\n") if ln.strip()]


def _akn_name(el: Any) -> str | None:
    """The Akoma Ntoso element an HTML element renders: class="akn-article", internalid= or data-name=."""
    names = [t[4:] for t in (el.get("class") or "").split() if t.startswith("akn-") and "--" not in t]
    names += [el.get(attr) for attr in _NAME_ATTRS if el.get(attr)]
    for name in names:
        if name and name.lower() in _AKN_NAMES:
            return _AKN_NAMES[name.lower()]
    return None


def _to_akn(el: Any) -> Element:
    """An AKN-named tree from rendered HTML; unnamed headings become <heading>, other blocks <p>."""
    tag = el.tag if isinstance(el.tag, str) else ""
    name = _akn_name(el) or (
        "heading" if tag in _HEADINGS else "eol" if tag == "br" else "td" if tag in ("td", "th")
        else "p" if tag in _BLOCK_TAGS else "span"
    )
    out = Element(name)
    eid = el.get("data-eid") or el.get("data-id") or el.get("id")
    if eid:
        out.set("eId", eid)
    for attr in ("refersto", "showas", "href", "date"):
        value = el.get(f"data-{attr}") or (el.get(attr) if attr in ("href", "date") else None)
        if value:
            out.set({"refersto": "refersTo", "showas": "showAs"}.get(attr, attr), value)
    out.text = el.text
    for child in el:
        if isinstance(child.tag, str):
            out.append(_to_akn(child))
            out[-1].tail = child.tail
        elif child.tail:  # a comment or entity node: keep only the words after it
            if len(out):
                out[-1].tail = (out[-1].tail or "") + child.tail
            else:
                out.text = (out.text or "") + child.tail
    return out


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read an HTML treaty. Raises ReadError for an undecodable or empty page, or one without articles."""
    root = _parse(path, _decode(path, data))
    body = root.find("body")
    body = body if body is not None else root
    tree = _to_akn(body)
    if akn.holds_article(tree):
        parsed = akn.read_tree(path, tree, content_hash)
    else:
        parsed = read_text(path, "\n".join(_lines(body)), content_hash)
    heads = [root.find(".//title"), root.find(".//h1")]
    title = next((" ".join(h.text_content().split()) for h in heads if h is not None and h.text_content().strip()), "")
    lang = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").split("-")[0].lower()
    treaty = replace(
        parsed.treaty,
        title=title[:300] or parsed.treaty.title,
        language=parsed.treaty.language or (lang if 2 <= len(lang) <= 3 and lang.isalpha() else None),
    )
    return ParsedTreaty(treaty, parsed.clauses)
