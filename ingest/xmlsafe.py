"""Hardened XML parsing: no DTD, no entity, no external resource is ever resolved, no absurd nesting."""

from __future__ import annotations

import io
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ingest.errors import ReadError

# Deepest element nesting accepted. ToTA nests 4 deep and Akoma Ntoso some 20; readers that look
# for descendants at every level cost depth squared, and recursive ones fail near 1,000.
MAX_DEPTH = 256


def parse_xml(path: str, data: bytes) -> Element:
    """Parse ``data`` into an element tree, refusing DTDs, entities, external references and deep nesting.

    The nesting is checked while parsing, so a file of a million nested
    elements is refused before its tree is built.

    Raises ReadError naming ``path`` and the problem (malformed, truncated,
    hostile or too deeply nested XML).
    """
    try:
        events = SafeET.iterparse(io.BytesIO(data), events=("start", "end"),
                                  forbid_dtd=True, forbid_entities=True, forbid_external=True)
        depth = 0
        for event, _ in events:
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                raise ReadError(path, f"XML elements nested more than {MAX_DEPTH} deep; not a treaty document")
        root: Element = events.root  # type: ignore[attr-defined]
        return root
    except DefusedXmlException as exc:
        raise ReadError(path, f"refused unsafe XML ({type(exc).__name__}: DTDs and entities are not allowed)") from None
    except ParseError as exc:
        raise ReadError(path, f"invalid XML ({exc})") from None
