"""Reading files into annotated treaties, in parallel worker processes, results in the order found.

Each file becomes a ``Job`` (its bytes, its sidecar, the metadata flags and a
digest of all three); a worker reads it with the reader its format calls for,
merges its metadata and annotates its clauses. Only a bounded number of jobs
is in flight, so memory stays flat however large the corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import types
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from ingest.errors import ReadError, StoreError
from ingest.metadata import MetadataOverrides, load_sidecar, sidecar_path
from ingest.pipeline import parse_document
from ingest.records import ParsedTreaty
from ingest.sources import Source

IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class Job:
    """One file to read: its source, its sidecar's values, the flags, and the digest naming all three."""

    source: Source
    digest: str
    sidecar: dict[str, Any] | None = None
    overrides: MetadataOverrides | None = None


@dataclass(frozen=True)
class Outcome:
    """What reading one job gave: the annotated treaty, or the ReadError that stopped it."""

    name: str
    result: ParsedTreaty | ReadError


def make_job(source: Source, overrides: MetadataOverrides | None) -> Job:
    """The job for ``source``; its sidecar (a file beside it on disk) is read here.

    Raises ReadError naming the sidecar when it cannot be used.
    """
    sidecar, sidecar_bytes = None, b""
    on_disk = "!" not in source.name  # zip members have no sidecar
    found = sidecar_path(source.path) if on_disk else None
    if found is not None:
        sidecar = load_sidecar(found)
        sidecar_bytes = found.read_bytes()
    flags = json.dumps(overrides.values() if overrides else {}, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(source.content_hash.encode() + b"\0" + sidecar_bytes + b"\0" + flags).hexdigest()
    return Job(source, digest, sidecar, overrides)


def prepare(job: Job) -> Outcome:
    """Read, merge metadata and annotate one file (``ingest.pipeline.parse_document``); runs in a worker."""
    src = job.source
    try:
        return Outcome(src.name, parse_document(src.path, src.data, name=src.name, digest=job.digest,
                                                sidecar=job.sidecar, overrides=job.overrides))
    except ReadError as exc:
        return Outcome(src.name, exc)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def read_all(items: Iterable[Job | Any], workers: int | None = None) -> Iterator[Outcome | Any]:
    """``prepare`` applied to each Job of ``items`` (other items pass through), in the order given.

    With more than one worker, jobs run in a pool of processes, at most
    ``IN_FLIGHT_PER_WORKER`` per worker at a time.
    """
    workers = workers or default_workers()
    if workers == 1:
        for item in items:
            yield prepare(item) if isinstance(item, Job) else item
        return
    window: deque[Future[Outcome] | Any] = deque()
    # "spawn": workers start clean, without the parent's threads or open store connections.
    with _main_left_out(), ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for item in items:
            window.append(pool.submit(prepare, item) if isinstance(item, Job) else item)
            while len(window) > workers * IN_FLIGHT_PER_WORKER:
                yield _done(window.popleft())
        while window:
            yield _done(window.popleft())


@contextmanager
def _main_left_out() -> Iterator[None]:
    """While workers are started, a ``__main__`` that is a script file (no module name) is set aside.

    A spawned worker runs its parent's ``__main__`` script again before it takes a job. Where a host runs scripts
    as ``__main__`` (Streamlit's pages, its AppTest, a notebook), that script would run in every worker (and fail
    there); the workers need nothing from it, only ``prepare`` from this module."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None or not getattr(main, "__file__", None):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _done(entry: Future[Outcome] | Any) -> Outcome | Any:
    if not isinstance(entry, Future):
        return entry
    try:
        return entry.result()
    except BrokenProcessPool as exc:  # a worker died (out of memory?): the pool cannot go on
        raise StoreError(f"a reading process died ({exc}); what was stored stays stored, run the command "
                         "again (with --workers 1 to read in one process)") from None

