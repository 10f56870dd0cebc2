"""Readers: one source format per module, each turning a file's bytes into a ParsedTreaty."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import ReadError
from ingest.readers import text, tota_xml
from ingest.records import ParsedTreaty

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
XML_SUFFIXES = frozenset({".xml"})
SUFFIXES = TEXT_SUFFIXES | XML_SUFFIXES


def read(path: Path, data: bytes, content_hash: str) -> ParsedTreaty:
    """Read one treaty file with the reader its format calls for.

    Raises ReadError (naming the file) for an unsupported, empty or malformed file.
    """
    suffix = path.suffix.lower()
    if not data.strip():
        raise ReadError(str(path), "the file is empty")
    if suffix in XML_SUFFIXES:
        return tota_xml.read(path, data, content_hash)
    if suffix in TEXT_SUFFIXES:
        return text.read(path, data, content_hash)
    allowed = ", ".join(sorted(SUFFIXES))
    raise ReadError(str(path), f"unsupported file type '{suffix or '(none)'}' (supported: {allowed})")
