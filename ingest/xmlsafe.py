"""Hardened XML parsing: no DTD, no entity, no external resource is ever resolved."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ingest.errors import ReadError


def parse_xml(path: str, data: bytes) -> Element:
    """Parse ``data`` into an element tree, refusing DTDs, entities and external references.

    Raises ReadError naming ``path`` and the problem (malformed, truncated,
    or hostile XML).
    """
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReadError(path, f"refused unsafe XML ({type(exc).__name__}: DTDs and entities are not allowed)") from None
    except ParseError as exc:
        raise ReadError(path, f"invalid XML ({exc})") from None
