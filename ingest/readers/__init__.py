"""Readers: one source format per module, each turning a file's bytes into a ParsedTreaty."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import ReadError
from ingest.readers import akn, docx, html, pdf, text, tota_xml
from ingest.records import ParsedTreaty

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
XML_SUFFIXES = frozenset({".xml", ".akn"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
DOCX_SUFFIXES = frozenset({".docx"})
SUFFIXES = TEXT_SUFFIXES | XML_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read one treaty file with the reader its format calls for.

    XML is Akoma Ntoso (2.0 or 3.0) when its namespace says so, else ToTA.
    Raises ReadError (naming the file) for an unsupported, empty or malformed file.
    """
    suffix = path.suffix.lower()
    if not data.strip():
        raise ReadError(str(path), "the file is empty")
    if suffix in XML_SUFFIXES:
        reader = akn if akn.is_akoma_ntoso(data) else tota_xml
        return reader.read(path, data, content_hash)
    if suffix in HTML_SUFFIXES:
        return html.read(path, data, content_hash)
    if suffix in PDF_SUFFIXES:
        return pdf.read(path, data, content_hash)
    if suffix in DOCX_SUFFIXES:
        return docx.read(path, data, content_hash)
    if suffix in TEXT_SUFFIXES:
        return text.read(path, data, content_hash)
    allowed = ", ".join(sorted(SUFFIXES))
    raise ReadError(str(path), f"unsupported file type '{suffix or '(none)'}' (supported: {allowed})")
