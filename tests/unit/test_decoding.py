import codecs
import random
from pathlib import Path

import pytest

from ingest import decoding
from ingest.decoding import decode_text
from ingest.errors import ReadError

PATH = Path("dir/treaty.txt")
TEXT = "Article 1\nLes Parties coopèrent – “in good faith” – à l’égard de l’Accord (€ 5).\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its byte-order mark
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf32-bom", "cp1252"],
)
def test_usual_encodings_give_the_same_text(data: bytes):
    assert decode_text(PATH, data) == TEXT


def test_latin1_file_is_read():
    text = "Article 2\nÉtats parties, « traité » signé à Genève; año, Señor.\n"
    assert decode_text(PATH, text.encode("latin-1")) == text


def test_mixed_utf8_with_stray_cp1252_bytes_keeps_both():
    data = "Article 3 – café naïve ".encode() + "“quoted” – ".encode("cp1252") + "Genève".encode()
    assert decode_text(PATH, data) == "Article 3 – café naïve “quoted” – Genève"


def test_cp1252_holes_do_not_fail():
    assert decode_text(PATH, b"Article 1 caf\xe9 \x81ok") == "Article 1 café \x81ok"


@pytest.mark.parametrize(
    "data, problem",
    [
        (random.Random(7).randbytes(20_000), "binary content"),
        (b"Article 1\nThe Parties\x00\x00 shall\n" * 10, "binary content (NUL bytes)"),
        (bytes(range(1, 32)) * 50, "binary content (control characters)"),
        (b"", "the file is empty"),
        (b" \n\t\r\n  ", "the file is empty"),
        ("  \n ".encode("utf-16"), "the file is empty"),
        (codecs.BOM_UTF16_LE + b"A\x00r", "marked as UTF-16-LE but not valid UTF-16-LE"),
    ],
    ids=["random", "nul", "controls", "zero-bytes", "whitespace", "utf16-whitespace", "odd-utf16"],
)
def test_unreadable_bytes_are_one_read_error_naming_the_file(data: bytes, problem: str):
    with pytest.raises(ReadError) as err:
        decode_text(PATH, data)
    assert err.value.path == str(PATH) and err.value.problem.startswith(problem)
    assert str(err.value).startswith(f"{PATH}: ")


def test_a_few_controls_in_a_long_text_are_kept():
    text = "Article 1\x1b The Parties shall cooperate. " * 5 + "More text. " * 100
    assert decode_text(PATH, text.encode()) == text


def test_large_legacy_and_mixed_files_decode_in_one_pass():
    # How long this takes is a benchmark's business; here: all of it decoded, and the Windows-1252 fallback
    # called once per stray byte of the mixed file (a decoder that retried from the start would call it more).
    calls = 0

    def counting(exc: UnicodeError) -> tuple[str, int]:
        nonlocal calls
        calls += 1
        return decoding._legacy_byte(exc)

    codecs.register_error(decoding._LEGACY_ERRORS, counting)
    try:
        line = "Article 1 Les États coopèrent à l’égard de l’Accord. "
        legacy = (line * 200_000).encode("cp1252")  # ~10 MB
        half = len(legacy) // 2
        assert decode_text(PATH, legacy) == line * 200_000 and calls == 0  # one cp1252 pass, no fallback
        mixed = legacy[:half].decode("cp1252").encode() + legacy[half:]
        assert decode_text(PATH, mixed) == legacy.decode("cp1252")
        assert calls == sum(b >= 0x80 for b in legacy[half:])  # each stray byte once
    finally:
        codecs.register_error(decoding._LEGACY_ERRORS, decoding._legacy_byte)
