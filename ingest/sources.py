"""Finding the treaty files in what the user names: files, folders (recursively) and .zip archives."""

from __future__ import annotations

import hashlib
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from ingest.errors import ReadError
from ingest.readers import SUFFIXES

# Bumped whenever reading, splitting or annotating stores something different for the same bytes,
# so that the next ingest reads every file again (texts already embedded are not embedded again).
PIPELINE_VERSION = "12"
# The largest treaty file or archive member read: the longest ToTA agreement is under 1 MB, a
# scanned-then-OCRed treaty with its schedules a few MB; 50 MB leaves room and bounds memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
# One archive: members (each costs zipfile a few hundred bytes before anything is read), bytes of
# table of contents, and bytes expanded in all (about 20,000 ToTA-sized agreements).
MAX_ARCHIVE_MEMBERS = 100_000
MAX_ARCHIVE_DIRECTORY_BYTES = MAX_ARCHIVE_MEMBERS * 1024
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024
# Treaty XML and text deflate 2 to 5 times; a deflate bomb expands about 1,000 times. Members
# under a megabyte are not judged by their ratio (tiny files compress oddly).
MAX_COMPRESSION_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024
# Only these are read: they stream with a cap on what one read may expand to. Python's bzip2 and
# LZMA readers expand a whole compressed chunk at once, so a bomb in them fills memory before any cap.
_READABLE_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_COMPRESSION_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}
_CHUNK = 1024 * 1024
_EXTRACT_ERRORS = (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError, EOFError,
                   zlib.error, lzma.LZMAError, struct.error)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters escaped, so that a hostile name stays on one line of a report."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


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
    name = printable(str(path))
    if not path.is_file():  # a device or a pipe named on the command line has no end to read to
        raise ReadError(name, "not a regular file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(name, f"file is {_mb(size)}, over the {MAX_FILE_BYTES // 2**20} MB limit")
    with path.open("rb") as fh:  # read with the cap, not the size: the file may grow meanwhile
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(name, f"file grew past the {MAX_FILE_BYTES // 2**20} MB limit while being read")
    return Source(name, path, data)


def _directory_size(path: Path) -> tuple[int, int] | None:
    """(members, bytes) the archive's end record declares for its table of contents, or None if not found.

    Read before zipfile builds a record for every member, so a table of
    contents with millions of entries is refused without being loaded.
    """
    with path.open("rb") as fh:
        end = fh.seek(0, 2)
        tail_start = max(0, end - 22 - 0xFFFF)
        fh.seek(tail_start)
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        members, size = struct.unpack("<HI", tail[at + 10 : at + 16])
        if members != 0xFFFF and size != 0xFFFFFFFF:
            return members, size
        # ZIP64: the real counts are in a record the locator just before the end record points to.
        if at < 20 or tail[at - 20 : at - 16] != b"PK\x06\x07":
            return None
        (record,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        fh.seek(record)
        zip64 = fh.read(56)
    if len(zip64) < 56 or zip64[:4] != b"PK\x06\x06":
        return None
    members, size = struct.unpack("<QQ", zip64[32:48])
    return members, size


def _archive_problem(path: Path, infos: list[zipfile.ZipInfo] | None = None) -> str | None:
    """Why the whole archive is refused before any member is expanded, if it is."""
    if infos is None:
        declared = _directory_size(path)
        if declared is None:
            return None  # zipfile will say what is wrong with it
        members, size = declared
    else:
        members, size = len(infos), 0
    if members > MAX_ARCHIVE_MEMBERS:
        return f"archive has {members} members, over the limit of {MAX_ARCHIVE_MEMBERS}"
    if size > MAX_ARCHIVE_DIRECTORY_BYTES:
        return f"archive's table of contents is {_mb(size)}, over the {MAX_ARCHIVE_DIRECTORY_BYTES // 2**20} MB limit"
    if infos is not None:
        total = sum(i.file_size for i in infos)
        if total > MAX_ARCHIVE_BYTES:
            return f"archive expands to {total / 1e9:.1f} GB, over the {MAX_ARCHIVE_BYTES / 1e9:.1f} GB limit"
    return None


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member is skipped without being expanded, if it is ("" to skip it silently)."""
    member = PurePosixPath(info.filename)
    windows = PureWindowsPath(info.filename)
    if member.is_absolute() or ".." in member.parts or "\\" in info.filename or windows.drive:
        return "archive member path escapes the archive folder; skipped"
    if info.is_dir() or member.suffix.lower() not in SUFFIXES:
        return ""
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "archive member is a symbolic link; skipped"
    if info.flag_bits & 0x1:
        return "archive member is encrypted; skipped"
    if info.compress_type not in _READABLE_COMPRESSION:
        method = _COMPRESSION_NAMES.get(info.compress_type, f"method {info.compress_type}")
        return f"archive member is compressed with {method}, which is not read (re-pack the archive with deflate)"
    if info.file_size > MAX_FILE_BYTES:
        return f"member expands to {_mb(info.file_size)}, over the {MAX_FILE_BYTES // 2**20} MB limit; skipped"
    if info.file_size > RATIO_FREE_BYTES and info.file_size > MAX_COMPRESSION_RATIO * info.compress_size:
        return (f"member would expand {info.file_size // max(info.compress_size, 1)} times its compressed size, "
                f"over the limit of {MAX_COMPRESSION_RATIO} (a zip bomb?); skipped")
    return None


class _Limit(Exception):
    """A member passed one of the expansion limits (the message says which)."""


def _expand(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, read a chunk at a time and stopped at the first limit it passes.

    zipfile already stops at the size the header declares; the caps here do
    not rely on that: the file limit, what is left of the archive's budget,
    and the compression ratio measured on what has really come out.
    """
    ratio_cap = max(RATIO_FREE_BYTES, MAX_COMPRESSION_RATIO * info.compress_size)
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise _Limit(f"member expands past the {MAX_FILE_BYTES // 2**20} MB limit; skipped")
            if size > budget:
                raise _Limit(f"archive expands past the {MAX_ARCHIVE_BYTES / 1e9:.1f} GB limit; skipped")
            if size > ratio_cap:
                raise _Limit(f"member expands more than {MAX_COMPRESSION_RATIO} times its compressed size "
                                 "(a zip bomb?); skipped")
            chunks.append(chunk)
    return b"".join(chunks)


def _zip_members(path: Path) -> Iterator[Source | ReadError]:
    shown = printable(str(path))
    try:
        problem = _archive_problem(path)
        archive = None if problem else zipfile.ZipFile(path)
    except _EXTRACT_ERRORS as exc:
        yield ReadError(shown, f"not a readable zip archive ({printable(str(exc))})")
        return
    if archive is None:
        yield ReadError(shown, str(problem))
        return
    with archive:
        infos = archive.infolist()
        problem = _archive_problem(path, infos)
        if problem:
            yield ReadError(shown, problem)
            return
        expanded = 0
        for info in infos:
            name = f"{shown}!{printable(info.filename)}"
            problem = _member_problem(info)
            if problem is not None:
                if problem:
                    yield ReadError(name, problem)
                continue
            try:
                data = _expand(archive, info, MAX_ARCHIVE_BYTES - expanded)
            except _Limit as exc:
                yield ReadError(name, str(exc))
                continue
            except _EXTRACT_ERRORS as exc:
                yield ReadError(name, f"cannot extract ({printable(str(exc))}); skipped")
                continue
            expanded += len(data)
            yield Source(name, Path(PurePosixPath(info.filename).name), data)


def iter_sources(paths: list[str]) -> Iterator[Source | ReadError]:
    """Each treaty file under ``paths``, in sorted order, or a ReadError for what cannot be read.

    Folders are walked recursively for the supported suffixes; a ``.zip`` is
    read in memory, member by member, never extracted to disk.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield ReadError(printable(raw), "no such file or folder")
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
                yield ReadError(printable(str(file)), f"cannot read ({exc.strerror or exc})")
            except ReadError as exc:
                yield exc
