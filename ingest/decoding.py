"""Turning a text file's bytes into text: byte-order marks, UTF-8, UTF-16 without a mark,
Windows-1252 for legacy files and for the stray legacy bytes of mixed files; binary refused."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import ReadError

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 4096
# Control characters other than tab, line ends and the form feed that marks pages: a text file
# has next to none, random bytes read as Windows-1252 give about one in eight.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.01
# A character above ASCII that is not a byte the "surrogateescape" handler kept aside.
_DECODED_NON_ASCII = re.compile(r"[\u0080-\udc7f\udd00-\U0010ffff]")
_LEGACY_ERRORS = "pacta-legacy-byte"


def _legacy_byte(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the one offending byte as Windows-1252 (Latin-1 where 1252 has a hole)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    byte = exc.object[exc.start : exc.start + 1]
    try:
        return byte.decode("cp1252"), exc.start + 1
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: the C1 control Latin-1 gives
        return byte.decode("latin-1"), exc.start + 1


codecs.register_error(_LEGACY_ERRORS, _legacy_byte)


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order whose zero bytes say this is UTF-16 text of a Latin script, or None.

    Text in UTF-16 has a zero high byte for every ASCII character, so one of
    the two byte positions is mostly zeros and the other almost never.
    """
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _utf8_or_legacy(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # No valid multi-byte UTF-8 character at all: a legacy single-byte file, decoded in one pass.
    if not _DECODED_NON_ASCII.search(data.decode("utf-8", errors="surrogateescape")):
        return data.decode("cp1252", errors=_LEGACY_ERRORS)
    # Mixed: UTF-8 text with bytes pasted from a Windows-1252 source. Keep every valid UTF-8
    # character and read each byte that is not part of one as Windows-1252.
    return data.decode("utf-8", errors=_LEGACY_ERRORS)


def _without_bom(data: bytes) -> str:
    # UTF-16 first: UTF-16 of ASCII text is valid UTF-8, zero bytes and all.
    if utf16 := _utf16_without_bom(data):
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass  # zero bytes that were not UTF-16 after all: judged as binary afterwards
    return _utf8_or_legacy(data)


def _refuse_binary(path: Path, text: str) -> None:
    if "\x00" in text:
        raise ReadError(str(path), "binary content (NUL bytes), not a text treaty")
    limit = 2 + _MAX_CONTROL_SHARE * len(text)  # a stray escape or two in a short file is not binary
    for count, _ in enumerate(_CONTROL.finditer(text), start=1):
        if count > limit:
            raise ReadError(str(path), "binary content (control characters), not a text treaty")


def decode_text(path: Path, data: bytes) -> str:
    """The text of a plain-text, Markdown or HTML file, whatever its usual encoding.

    Tried in order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without
    a mark, recognised by its zero bytes; UTF-8; Windows-1252, a superset of
    Latin-1 for the printable characters, for legacy files. A UTF-8 file with
    a few Windows-1252 bytes pasted in keeps its UTF-8 characters and has each
    stray byte read as Windows-1252. A byte-order mark is not part of the text.

    Raises ReadError naming ``path`` when the bytes are binary (NUL bytes or
    many control characters), when a marked UTF-16/32 file is corrupt, or
    when there is no text at all.

    >>> decode_text(Path("a.txt"), "Article 1 – café".encode("cp1252"))
    'Article 1 – café'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if encoding == "utf-8":
                text = _utf8_or_legacy(body)
            else:
                try:
                    text = body.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise ReadError(str(path), f"marked as {encoding.upper()} but not valid {encoding.upper()} "
                                               f"(byte {exc.start + len(bom)})") from None
            break
    else:
        text = _without_bom(data)
    _refuse_binary(path, text)
    if not text.strip():
        raise ReadError(str(path), "the file is empty")
    return text

