"""The ingest use case: files in, treaties stored, search index brought up to date."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.context import Context
from app.reading import Job, make_job, read_all
from graph.links import related_links, similar_links
from graph.store import GraphStore
from ingest.atomic import write_atomic
from ingest.choices import Choice
from ingest.errors import ReadError
from ingest.metadata import MetadataOverrides
from ingest.records import ParsedTreaty
from ingest.sametext import Text, same_text, text_of
from ingest.sources import iter_sources
from search.index import IndexRow
from search.vectors import IndexKind


class FileStatus(Choice):
    """What became of one file of an ingest."""

    INGESTED = "ingested"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # the same text as a stored agreement (or another file of the run): skipped
    ERROR = "error"


@dataclass
class FileResult:
    path: str
    status: FileStatus
    treaty_id: str | None = None  # for a duplicate: the agreement already holding its text
    clauses: int = 0
    error: str | None = None
    note: str | None = None  # for a duplicate: "same text as X, skipped"


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    index_rows: int = 0
    embedded: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    links: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(f.status == FileStatus.ERROR for f in self.files)

    def totals(self) -> dict[str, Any]:
        count: dict[str, int] = {s.value: sum(1 for f in self.files if f.status == s) for s in FileStatus}
        return {
            "files": len(self.files), **count,
            "clauses": sum(f.clauses for f in self.files if f.status == FileStatus.INGESTED),
            "index_rows": self.index_rows, "embedded": self.embedded,
        } | self.links | {f"seconds_{stage}": t for stage, t in self.seconds.items()}

    def as_json(self) -> dict[str, Any]:
        return {"files": [asdict(f) for f in self.files], "totals": self.totals()}


def _progress(total: int | None, desc: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="file" if desc == "reading" else "clause",
                file=sys.stderr, disable=not enabled, dynamic_ncols=True, leave=False)


def index_rows(ctx: Context) -> list[IndexRow]:
    """The rows of the search index: every leaf clause of the graph."""
    return [
        IndexRow(c.clause_id, c.treaty_id, c.text_key, c.clause_type, c.index_text, c.duty.modality if c.duty else None,
                 c.passage_text, c.other_version)
        for c in ctx.graph.iter_leaf_clauses()
    ]


# Texts to embed from which a BM25-only index is installed first, so that the store answers lexical searches while
# the vectors are computed (the whole ToTA corpus on a 2-core CPU: searchable after reading, embedded ~1 h later).
LEXICAL_FIRST = 2000


def give_back_memory() -> None:
    """Hand the heap memory freed so far back to the system: glibc keeps freed blocks for the process otherwise,
    and the next stage's small objects do not reuse them (0.7 GiB after embedding the corpus, measured). A no-op
    where there is no glibc."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def ensure_index(ctx: Context, report: IngestReport | None = None, progress: bool = False,
                 kind: str | None = None, began: float | None = None) -> bool:
    """Rebuild the search index if the graph, the model or the clause layout changed since it was
    built, or to change its vector index ``kind`` (``search.vectors.IndexKind``; None keeps the current one, and
    a first build chooses by size); True if rebuilt. Only texts the embedding cache lacks are embedded; when they
    are ``LEXICAL_FIRST`` or more, a BM25-only index over the new rows is installed before they are (searches
    answer lexically meanwhile, and say so), and the whole index replaces it once they are. The embedding cache
    keeps each chunk as it is done, so a stopped run resumes where it stopped. ``began``: when the run started
    (``perf_counter``), for the report's time to the first searchable index."""
    generation = str(ctx.graph.generation())
    built_kind = ctx.engine.current_kind()
    kind = kind or built_kind or IndexKind.AUTO.value
    if ctx.engine.index_is_current(generation, kind):
        return False
    rows = index_rows(ctx)
    if not rows:  # nothing searchable stored yet (every file failed): no index to build
        return False
    bar = _progress(None, "embedding", progress)
    todo = [0]

    def start(n: int) -> None:
        todo[0] = n
        if n >= LEXICAL_FIRST:  # BM25 now, the vectors when they are computed
            ctx.engine.install(rows, None, generation, kind)
            if report is not None and began is not None:
                report.seconds["searchable"] = round(time.perf_counter() - began, 2)
        bar.reset(total=n)

    embedding = time.perf_counter()
    vectors = ctx.engine.embed_rows(rows, progress=bar.update, on_start=start)
    bar.close()
    embedded = time.perf_counter()
    ctx.engine.install(rows, vectors, generation, kind)
    if report is not None:
        report.index_rows = len(rows)
        report.embedded = todo[0]
        report.seconds["embed"] = round(embedded - embedding, 2)
        report.seconds["index"] = round(time.perf_counter() - embedded, 2)
    return True


def ensure_links(ctx: Context, report: IngestReport | None = None, progress: bool = False) -> bool:
    """Rebuild SIMILAR_TO and RELATED_TO if the graph changed since they were built; True if rebuilt.

    Expects the search index to match the graph (``ensure_index`` first).
    """
    graph = ctx.graph
    generation = graph.generation()
    if graph.links_generation() == generation or ctx.engine.current_generation() is None:
        return False
    began = time.perf_counter()
    index = ctx.engine.index
    bar = _progress(len(index), "linking", progress)
    similar = similar_links(index, progress=bar.update)
    bar.close()
    names = index.treaties
    treaty_of = {cid: names[code] for cid, code in zip(index.clause_ids, index.row_treaty.tolist(), strict=True)}
    leaf_counts = Counter(names[code] for code in index.row_treaty.tolist())
    treaties = {t.treaty_id: t for t in graph.list_treaties()}
    related = related_links(similar, treaty_of, treaties, leaf_counts)
    graph.replace_links(similar, related, generation)
    if report is not None:
        report.links = {"similar_to": len(similar), "related_to": len(related)}
        report.seconds["links"] = round(time.perf_counter() - began, 2)
    return True


def ensure_conflicts(ctx: Context, report: IngestReport | None = None) -> bool:
    """Compare again the agreements whose content changed since their clashes with the others were stored
    (CONFLICTS_WITH, for the state report); True if any was. Expects the search index to match the graph."""
    if ctx.engine.current_generation() != str(ctx.graph.generation()):
        return False
    from graph.consistency.edges import update_conflicts

    run = update_conflicts(ctx.graph, ctx.engine.index)
    if report is not None and run.compared:
        report.links["conflicts_compared"] = len(run.compared)
        report.links["conflicts_with"] = run.links
        report.links["variant_of"] = run.variants
        report.seconds["conflicts"] = run.seconds
    return bool(run.compared)


def _id_clash(graph: GraphStore, treaty_id: str, name: str, seen: dict[str, str]) -> str | None:
    """Why ``name`` may not take ``treaty_id``, if another file of this run or another existing file holds it.

    A changed version of the same file replaces its agreement; two different
    files that yield one id (same file name in two folders) would otherwise
    replace each other on every run.
    """
    other = seen.get(treaty_id)
    if other is None:
        stored = graph.get_treaty(treaty_id)
        if stored is not None and stored.source_path != name and Path(stored.source_path).is_file():
            other = stored.source_path
    if other is None or other == name:
        return None
    return f"agreement id '{treaty_id}' is already taken by {other}; rename one of the files"


class _Texts:
    """Which agreement, stored or read earlier in this run, already carries a document's text.

    Candidates are the agreement holding the same id (a .txt and a .pdf of one stem), the files read
    before in this run, and stored agreements with the same title; each is compared by ``ingest.sametext``.
    """

    def __init__(self, graph: GraphStore) -> None:
        self.graph = graph
        self.run: dict[str, tuple[str, Text]] = {}  # treaty id -> (file, words) of this run
        self.by_sketch: dict[int, list[str]] = {}  # a sketch value -> the treaty ids of this run carrying it
        self._titles: dict[str, list[str]] | None = None

    @staticmethod
    def _title(title: str) -> str:
        return " ".join(title.casefold().split())

    def _stored(self, title: str) -> list[str]:
        if self._titles is None:
            self._titles = {}
            for t in self.graph.list_treaties():
                self._titles.setdefault(self._title(t.title), []).append(t.treaty_id)
        return self._titles.get(self._title(title), []) if title.strip() else []

    def same_as(self, parsed: ParsedTreaty, name: str) -> tuple[str, str] | None:
        """(agreement id, its file) of an earlier document with the same text as ``parsed``, else None."""
        mine = text_of(parsed.clauses)
        tid = parsed.treaty.treaty_id
        shared = Counter(t for h in mine.sketch for t in self.by_sketch.get(h, ()))
        close = [t for t, n in shared.items() if n >= 32]  # one text shares nearly all 64 sketch values
        for other_id in dict.fromkeys([*([tid] if tid in self.run else []), *close]):
            other_name, theirs = self.run[other_id]
            if other_name != name and same_text(mine, theirs):
                return other_id, other_name
        for other_id in dict.fromkeys([tid, *self._stored(parsed.treaty.title)]):
            if other_id in self.run:
                continue
            stored = self.graph.get_treaty(other_id)
            if stored is None or stored.source_path == name:  # none, or an earlier version of this very file
                continue
            if same_text(mine, text_of(self.graph.clauses(other_id))):
                return other_id, stored.source_path
        return None

    def add(self, parsed: ParsedTreaty, name: str) -> None:
        words = text_of(parsed.clauses)
        self.run[parsed.treaty.treaty_id] = (name, words)
        for h in words.sketch:
            self.by_sketch.setdefault(h, []).append(parsed.treaty.treaty_id)


def iter_jobs(ctx: Context, paths: list[str], overrides: MetadataOverrides | None) -> Iterator[Job | FileResult]:
    """A Job for each file to read, or its FileResult when it is unchanged or cannot even be opened."""
    graph = ctx.graph
    for item in iter_sources(paths):
        if isinstance(item, ReadError):
            yield FileResult(item.path, FileStatus.ERROR, error=item.problem)
            continue
        try:
            job = make_job(item, overrides)
        except ReadError as exc:
            yield FileResult(item.name, FileStatus.ERROR, error=f"its metadata file {exc.path}: {exc.problem}")
            continue
        known = graph.treaty_id_for_hash(job.digest)
        if known is not None:
            yield FileResult(item.name, FileStatus.UNCHANGED, known, len(graph.clauses(known)))
        else:
            yield job


def write_manifest(ctx: Context) -> None:
    """``STORE/manifest.json``: each stored agreement's id, source file, content digest and clause count,
    written to a temporary name then renamed."""
    graph = ctx.graph
    rows = [{"treaty_id": t.treaty_id, "source": t.source_path, "content_hash": t.content_hash}
            for t in graph.list_treaties()]
    manifest = {"graph_generation": graph.generation(), "index_generation": ctx.engine.current_generation(),
                "treaties": sorted(rows, key=lambda r: r["treaty_id"])}
    write_atomic(ctx.folder / "manifest.json", json.dumps(manifest, indent=1))


def ingest(ctx: Context, paths: list[str], progress: bool = True, index_kind: str | None = None,
           overrides: MetadataOverrides | None = None, workers: int | None = None,
           on_file: Callable[[FileResult], None] | None = None,
           on_stage: Callable[[str], None] | None = None) -> IngestReport:
    """Store every treaty file under ``paths`` and bring the index up to date.

    ``on_file`` hears each file's result as it is known and ``on_stage`` each
    later stage ("indexing", ...), for a front end's progress (the command line
    has its progress bars, ``progress``).

    Idempotent: a file whose bytes (with its sidecar and ``overrides``) are
    already stored is "unchanged"; a changed file replaces its treaty, in one
    transaction. Files are read and annotated by ``workers`` processes
    (default: one per CPU; 1 reads in this process) and stored in the order
    found. A bad file is reported and skipped; the rest of the batch goes on.
    """
    report = IngestReport()
    began = time.perf_counter()
    graph = ctx.graph
    bar = _progress(None, "reading", progress)
    seen: dict[str, str] = {}
    texts = _Texts(graph)

    def done(result: FileResult) -> None:
        report.files.append(result)
        if on_file:
            on_file(result)

    def stage(name: str) -> None:
        if on_stage:
            on_stage(name)

    for outcome in read_all(iter_jobs(ctx, paths, overrides), workers):
        bar.update(1)
        if isinstance(outcome, FileResult):  # unchanged, or failed before reading
            done(outcome)
            continue
        if isinstance(outcome.result, ReadError):
            done(FileResult(outcome.name, FileStatus.ERROR, error=outcome.result.problem))
            continue
        parsed = outcome.result
        if same := texts.same_as(parsed, outcome.name):
            done(FileResult(outcome.name, FileStatus.DUPLICATE, same[0], note=f"same text as {same[1]}, skipped"))
            continue
        clash = _id_clash(graph, parsed.treaty.treaty_id, outcome.name, seen)
        if clash:
            done(FileResult(outcome.name, FileStatus.ERROR, error=clash))
            continue
        seen[parsed.treaty.treaty_id] = outcome.name
        texts.add(parsed, outcome.name)
        graph.upsert_treaty(parsed)
        done(FileResult(outcome.name, FileStatus.INGESTED, parsed.treaty.treaty_id, len(parsed.clauses)))
    bar.close()
    report.seconds["read_store"] = round(time.perf_counter() - began, 2)
    stage("indexing: embedding the new clauses")
    ensure_index(ctx, report, progress, index_kind, began)
    give_back_memory()  # what embedding and building the index freed, before linking allocates anew
    stage("linking agreements that share clauses")
    ensure_links(ctx, report, progress)
    give_back_memory()
    stage("comparing the agreements for clashes")
    ensure_conflicts(ctx, report)
    write_manifest(ctx)
    return report
