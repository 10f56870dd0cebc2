"""Finding the treaty files in what the user names: files, folders (recursively) and .zip archives."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ingest.errors import ReadError
from ingest.readers import SUFFIXES

# Bumped whenever reading, splitting or annotating stores something different for the same bytes,
# so that the next ingest reads every file again (texts already embedded are not embedded again).
PIPELINE_VERSION = "7"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 100_000
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One treaty file's bytes and the name to report it by ("dir/a.xml" or "corpus.zip!a.xml")."""

    name: str
    path: Path
    data: bytes

    @property
    def content_hash(self) -> str:
        """SHA-256 of the pipeline version and the file's bytes: equal means nothing to redo."""
        return hashlib.sha256(PIPELINE_VERSION.encode() + b"\0" + self.data).hexdigest()


def _read_file(path: Path) -> Source:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(str(path), f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit")
    return Source(str(path), path, path.read_bytes())


def _zip_members(path: Path) -> Iterator[Source | ReadError]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield ReadError(str(path), f"not a readable zip archive ({exc})")
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            yield ReadError(str(path), f"archive has {len(infos)} members, over the limit of {MAX_ARCHIVE_MEMBERS}")
            return
        total = sum(i.file_size for i in infos)
        if total > MAX_ARCHIVE_BYTES:
            yield ReadError(str(path), f"archive expands to {total / 1e9:.1f} GB, over the limit")
            return
        for info in infos:
            name = f"{path}!{info.filename}"
            member = PurePosixPath(info.filename)
            if info.is_dir():
                continue
            if member.is_absolute() or ".." in member.parts or "\\" in info.filename:
                yield ReadError(name, "archive member path escapes the archive folder; skipped")
                continue
            if member.suffix.lower() not in SUFFIXES:
                continue
            if info.file_size > MAX_FILE_BYTES:
                yield ReadError(name, f"member expands to {info.file_size / 1e6:.0f} MB, over the limit")
                continue
            try:
                with archive.open(info) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                yield ReadError(name, f"cannot extract ({exc})")
                continue
            if len(data) > MAX_FILE_BYTES:
                yield ReadError(name, "member is larger than its header claims; skipped")
                continue
            yield Source(name, Path(member.name), data)


def iter_sources(paths: list[str]) -> Iterator[Source | ReadError]:
    """Each treaty file under ``paths``, in sorted order, or a ReadError for what cannot be read.

    Folders are walked recursively for the supported suffixes; a ``.zip`` is
    read in memory, member by member, never extracted to disk.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield ReadError(raw, "no such file or folder")
            continue
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES | {".zip"})
        else:
            found = [path]
        for file in found:
            try:
                if file.suffix.lower() == ".zip":
                    yield from _zip_members(file)
                else:
                    yield _read_file(file)
            except OSError as exc:
                yield ReadError(str(file), f"cannot read ({exc.strerror or exc})")
            except ReadError as exc:
                yield exc
