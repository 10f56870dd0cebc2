"""One document in, one annotated treaty out: read -> metadata -> annotate, without storing anything.

Ingest runs this for every file it stores; the draft check runs it for a draft it never stores.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.annotate import annotate_treaty
from ingest.errors import ReadError
from ingest.metadata import MetadataOverrides, apply
from ingest.readers import XML_SUFFIXES, akn, read
from ingest.records import ParsedTreaty


def parse_document(path: Path, data: bytes | None = None, *, name: str | None = None, digest: str | None = None,
                   sidecar: dict[str, Any] | None = None,
                   overrides: MetadataOverrides | None = None) -> ParsedTreaty:
    """The treaty in ``data`` (read from ``path`` when None), its metadata merged and its clauses annotated.

    ``path``'s suffix chooses the reader (".txt", ".docx", ".pdf", ".html", ".xml", ...); ``name`` is what
    errors and ``Treaty.source_path`` call the document (default ``str(path)``); ``digest`` becomes
    ``Treaty.content_hash`` (default: SHA-256 of the bytes). Metadata precedence is ``overrides`` >
    ``sidecar`` > the document's own > what is inferred from the text (not for ToTA XML, which carries its own).

    Raises ReadError (naming the document) when it cannot be read; nothing else on bad input.

    >>> parse_document(Path("d.txt"), b"Article 1 - Scope\\n1. This Agreement applies to goods.").clauses[0].citation
    'Art. 1'
    """
    shown = name or str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(shown, f"cannot be read ({exc.strerror or exc})") from None
    digest = digest or hashlib.sha256(data).hexdigest()
    try:
        parsed = read(path, data, digest)
        parsed = ParsedTreaty(replace(parsed.treaty, source_path=shown), parsed.clauses)
        infer = path.suffix.lower() not in XML_SUFFIXES or akn.is_akoma_ntoso(data)  # ToTA's own metadata is whole
        parsed = apply(parsed, sidecar, overrides, infer_missing=infer)
        return annotate_treaty(parsed)
    except ReadError as exc:
        raise ReadError(shown, exc.problem) from None
    except RecursionError:
        raise ReadError(shown, "nested too deeply to read") from None
    except Exception as exc:  # a reader's bug on one odd file must not end a batch
        raise ReadError(shown, f"could not be read ({type(exc).__name__}: {exc}); please report this file") from None
