import zipfile
from pathlib import Path

import pytest

from ingest import sources
from ingest.errors import ReadError
from ingest.sources import Source, iter_sources


def names(items) -> list[tuple[str, str]]:
    return [(i.name, "ok") if isinstance(i, Source) else (i.path, i.problem) for i in items]


def test_folders_are_walked_and_unknown_suffixes_skipped(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Article 1\nText.")
    (tmp_path / "a.xml").write_text("<treaty/>")
    (tmp_path / "notes.docx.tmp").write_text("x")
    got = names(iter_sources([str(tmp_path)]))
    assert got == [(str(tmp_path / "a.xml"), "ok"), (str(tmp_path / "sub" / "b.txt"), "ok")]


def test_missing_path_is_one_error(tmp_path: Path):
    got = names(iter_sources([str(tmp_path / "nope.xml")]))
    assert got == [(str(tmp_path / "nope.xml"), "no such file or folder")]


def test_zip_members_read_in_memory_and_escapes_refused(tmp_path: Path):
    archive = tmp_path / "corpus.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("good/a.txt", "Article 1\nText.")
        z.writestr("../evil.txt", "Article 1\nText.")
        z.writestr("/abs.txt", "Article 1\nText.")
    got = names(iter_sources([str(archive)]))
    assert got[0] == (f"{archive}!good/a.txt", "ok")
    assert {problem for _, problem in got[1:]} == {"archive member path escapes the archive folder; skipped"}
    assert not (tmp_path.parent / "evil.txt").exists()


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_text("Article 1\n" + "x" * 100)
    [item] = list(iter_sources([str(big)]))
    assert isinstance(item, ReadError) and "over the 0 MB limit" in item.problem


def test_broken_zip_is_one_error(tmp_path: Path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 junk")
    [item] = list(iter_sources([str(bad)]))
    assert isinstance(item, ReadError) and "not a readable zip archive" in item.problem
