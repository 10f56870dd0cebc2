"""The ``pacta`` command line: parse arguments, call one service, print, map errors to exit codes.

Exit codes: 0 success; 1 bad input, a failed file or an unusable store (one
plain sentence on standard error); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from app import render
from app.context import Context, GraphKind, Settings, default_store
from graph.conflicts.model import Severity
from ingest.annotate import parse_clause_type
from ingest.annotate.duty import MODALITIES
from ingest.choices import Choice
from ingest.errors import InputError, PactaError
from ingest.parties import parse_party
from search.embed import Device, Precision, resolve_device
from search.executors import ExecutorKind
from search.index import SearchMode
from search.vectors import IndexKind


class ServerAction(Choice):
    """What ``pacta neo4j`` does with the local Neo4j server."""

    START = "start"
    STOP = "stop"
    STATUS = "status"


def _party(value: str) -> str:
    try:
        return parse_party(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _clause_type(value: str) -> str:
    try:
        return parse_clause_type(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def _flag_value(flag: str) -> Callable[[str], str]:
    """An argparse ``type`` for one of ingest's metadata flags: the value checked as ``MetadataOverrides.parse``
    checks it (a date as YYYY-MM-DD, a title not empty), so a bad value is a usage error (exit 2)."""
    field = {"--title": "title", "--signed": "signed", "--in-force": "in_force"}[flag]

    def check(value: str) -> str:
        from ingest.metadata import MetadataOverrides

        try:
            MetadataOverrides.parse(**{field: value})
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    check.__name__ = flag.lstrip("-")  # argparse names the type in its "invalid ... value" fallback
    return check


def _parties(value: str) -> list[str]:
    """"CAN,CHL" or "Canada, Chile": alpha-3 codes, names or alpha-2 codes, comma-separated. Every party flag
    takes this form and may also be repeated (``_flat`` joins the repeats)."""
    codes = [_party(v) for v in value.split(",") if v.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("give at least one party, e.g. CAN,CHL")
    return codes


def _flat(groups: list[list[str]] | None) -> tuple[str, ...]:
    """The parties of a repeatable, comma-separated party flag, in order, each once."""
    return tuple(dict.fromkeys(p for group in groups or () for p in group))


def _minutes(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        n = 0.0
    if not n > 0:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of minutes above 0")
    return n


def _report_path(value: str) -> Path:
    path = Path(value)
    if path.suffix.lower() not in (".md", ".html", ".htm"):
        raise argparse.ArgumentTypeError(f"'{value}': the report is written as Markdown (.md) or HTML (.html)")
    return path


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of at least 1")
    return n


def _emit(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")


# -- commands ------------------------------------------------------------------
def cmd_ingest(ctx: Context, args: argparse.Namespace) -> int:
    from app.ingesting import FileStatus, ingest
    from ingest.metadata import MetadataOverrides
    from ingest.sources import printable  # imports every reader: only an ingest needs them

    parties = ",".join(_flat(args.parties)) or None
    overrides = MetadataOverrides.parse(title=args.title, parties=parties, signed=args.signed,
                                        in_force=args.in_force)
    if args.executor == ExecutorKind.RAY:
        from search.executors import RayExecutor

        ctx.engine.executor = RayExecutor(args.ray_address, model=ctx.model, precision=ctx.settings.precision)
    try:
        report = ingest(ctx, args.paths, progress=not args.quiet, index_kind=args.index,
                        overrides=overrides if overrides.values() else None, workers=args.workers)
    finally:
        if ctx.engine.executor is not None:
            ctx.engine.executor.close()
    for f in report.files:
        if f.status == FileStatus.ERROR:
            print(f"pacta: {f.path}: {printable(f.error or '')}", file=sys.stderr)
        elif f.status == FileStatus.DUPLICATE:
            print(f"{f.path}: {printable(f.note or '')} (agreement {f.treaty_id})", file=sys.stderr)  # not a failure
    if args.json:
        _emit(report.as_json())
    else:
        print(render.ingest_summary(report.totals()))
    return 1 if report.failed else 0


def cmd_tune(ctx: Context, args: argparse.Namespace) -> int:
    from app.tuning import revert, tune

    if args.revert:
        result = revert(ctx, progress=not args.quiet)
        totals = result.as_json()["reindex"]
        _emit(result.as_json()) if args.json else print(
            f"the store uses the packaged model again; {totals['index_rows']} clauses indexed, "
            f"{totals['embedded']} embedded")
        return 0
    result = tune(ctx, args.minutes, args.batch_size, args.activate, progress=not args.quiet,
                  hard_negatives=args.hard_negatives)
    if args.json:
        _emit(result.as_json())
    else:
        print(render.tune_summary(result.as_json()))
    return 0


def _search_request(args: argparse.Namespace, query: str) -> Any:
    from app.querying import SearchRequest

    return SearchRequest(
        query=query, parties=_flat(args.party), all_parties=args.all_parties, clause_type=args.type,
        modality=args.modality, in_force_on=args.in_force_on, treaty_ids=tuple(args.treaty or ()), k=args.k,
        collapse=not args.no_collapse, mode=args.mode, all_versions=args.all_versions,
        rerank=getattr(args, "rerank", None),
    )


def cmd_search(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import search

    if args.batch:
        return _search_batch(ctx, args)
    req = _search_request(args, args.query)
    hits = search(ctx, req)
    answered = _answered_by(ctx, req.mode)
    if args.json:
        _emit({"request": req.as_json(), "hits": hits, "answered_by": answered})
    else:
        print(render.hits(hits, color=sys.stdout.isatty()))
    return 0


def _search_batch(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import search_batch

    path = Path(args.batch)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the batch file ({exc})") from None
    failed = False
    answered = None
    for answer in search_batch(ctx, lines, _search_request(args, "")):
        if answer.error:
            failed = True
            print(f"pacta: {path}:{answer.line} (id {answer.id}): {answer.error}", file=sys.stderr)
        elif answered is None:
            answered = _answered_by(ctx, args.mode)
        _emit(answer.as_json() | ({} if answer.error else {"answered_by": answered}))
    return 1 if failed else 0


def _answered_by(ctx: Context, mode: str) -> str:
    """The mode that answered a search asked in ``mode``; a line on stderr when it is lexical only because the
    store's vectors are still being computed."""
    answered = str(ctx.engine.answering_mode(mode))
    if answered != str(mode):
        print("pacta: lexical search only: this store's clause vectors are still being computed; run 'pacta "
              "ingest' again to finish them (searches are hybrid from then on)", file=sys.stderr)
    return answered


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    from app.check_report import summary, write_report
    from app.checking import CheckRequest, check
    parties = _flat(args.parties)
    req = CheckRequest(args.draft, parties, args.as_of or date.today(), args.positions,
                       Severity.from_str(args.min_severity))
    doc = check(ctx, req)
    for warning in doc["warnings"]:
        print(f"pacta: {warning}", file=sys.stderr)
    return _report_out(doc, args, write_report, summary)


def _report_out(doc: dict[str, Any], args: argparse.Namespace, write_report: Callable[[dict[str, Any], Path], None],
                summary: Callable[[dict[str, Any], Path | None], str]) -> int:
    """Write the report file if asked, then the JSON document or the summary."""
    if args.report:
        write_report(doc, args.report)
    if args.json:
        _emit(doc)
    else:
        print(summary(doc, args.report))
    return 0


def cmd_state(ctx: Context, args: argparse.Namespace) -> int:
    from app.consistency import state
    from app.state_report import summary, write_report

    doc = state(ctx, args.party, args.as_of or date.today(), tuple(args.type or ()))
    return _report_out(doc, args, write_report, summary)


def cmd_similar(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import similar

    hits = similar(ctx, args.clause_id, args.k, collapse=not args.no_collapse, all_versions=args.all_versions)
    if args.json:
        _emit({"request": {"clause_id": args.clause_id, "k": args.k, "collapse": not args.no_collapse,
                           "all_versions": args.all_versions}, "hits": hits})
    else:
        print(render.hits(hits, color=False))
    return 0


def cmd_related(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import related

    doc = related(ctx, args.treaty_id, args.k)
    if args.json:
        _emit(doc)
    else:
        print(render.related(doc))
    return 0


def cmd_obligations(ctx: Context, args: argparse.Namespace) -> int:
    from app.obligations import register, write_csv

    doc = register(ctx, args.treaty_id, _flat(args.party))
    if args.csv:
        write_csv(doc, args.csv)
    if args.json:
        _emit(doc)
    elif not args.csv:
        print(render.obligations(doc))
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import show

    doc = show(ctx, args.treaty_id)
    if args.json:
        _emit(doc)
    else:
        print(render.treaty(doc))
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import list_treaties

    rows = list_treaties(ctx, _flat(args.party))
    if args.json:
        _emit({"treaties": rows})
    else:
        print(render.treaty_list(rows))
    return 0


def cmd_stats(ctx: Context, args: argparse.Namespace) -> int:
    from app.querying import stats

    doc = stats(ctx)
    if args.json:
        _emit(doc)
    else:
        print("\n".join(f"{k:>18}: {v}" for k, v in doc.items()))
    return 0


def cmd_app(ctx: Context, args: argparse.Namespace) -> int:
    from app.serve import serve

    return serve(ctx.settings, args.port, args.address, print)


def cmd_neo4j(ctx: Context, args: argparse.Namespace) -> int:
    from graph.server import LocalNeo4j

    server = LocalNeo4j(ctx.folder / "neo4j-server")
    action = ServerAction.from_str(args.action)
    if action == ServerAction.START:
        uri = server.start(port=args.port)
        _emit(server.status()) if args.json else print(f"NEO4J_URI={uri}")
    elif action == ServerAction.STOP:
        stopped = server.stop()
        _emit(server.status() | {"stopped": stopped}) if args.json else print("stopped" if stopped else "not running")
    else:
        state = server.status()
        if args.json:
            _emit(state)
        else:
            print(f"running at {state['uri']} (pid {state['pid']})" if state["running"] else "not running")
        return 0 if state["running"] else 1
    return 0


# -- parser ----------------------------------------------------------------------
def _add_search_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", action="append", type=_parties, metavar="ISO3[,ISO3]",
                   help="only agreements with this party (several, comma-separated or repeated: any of them)")
    p.add_argument("--all-parties", action="store_true", help="with several --party: agreements with all of them")
    p.add_argument("--type", type=_clause_type, metavar="TYPE",
                   help="only clauses of this clause type (an id of ingest/annotate/clause_types.toml)")
    p.add_argument("--modality", choices=MODALITIES,
                   help="only clauses that do this: oblige, forbid, permit, carve out, define, declare, organise")
    p.add_argument("--in-force-on", type=_day, metavar="YYYY-MM-DD", help="only agreements in force on this date")
    p.add_argument("--treaty", action="append", metavar="ID", help="only this agreement (repeatable)")
    p.add_argument("-k", type=_positive, default=10, help="number of hits (default 10)")
    p.add_argument("--no-collapse", action="store_true", help="show every copy of identical clause texts")
    p.add_argument("--all-versions", action="store_true",
                   help="also search the further language versions of an agreement (left out by default, so an "
                        "article is not found twice in two languages)")
    p.add_argument("--mode", choices=SearchMode.values(), default=SearchMode.HYBRID.value,
                   help="ranking: hybrid fusion (default), vectors only, or BM25 only")


def _common(with_defaults: bool) -> argparse.ArgumentParser:
    def default(value: Any) -> Any:
        return value if with_defaults else argparse.SUPPRESS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", type=Path, default=default(None),
                        help=f"store folder (default $PACTA_HOME, else ./.pacta; now {default_store()})")
    common.add_argument("--graph", choices=GraphKind.values(), default=default(GraphKind.SQLITE.value),
                        help="graph store (default sqlite)")
    common.add_argument("--neo4j-uri", default=default(None),
                        help="Bolt URI of the Neo4j server for --graph neo4j (default $NEO4J_URI, else "
                        "bolt://127.0.0.1:7687); credentials from NEO4J_USER and NEO4J_PASSWORD")
    common.add_argument("--model", default=default(None),
                        help="embedding model: bge-small-en-v1.5 (fetched by scripts/setup.sh, checksum verified), "
                        "or a sentence-transformers model folder (default: packaged all-MiniLM-L6-v2)")
    common.add_argument("--precision", choices=Precision.values(), default=default(Precision.AUTO.value),
                        help="embedding precision: bf16 where the CPU supports it (auto), or forced")
    common.add_argument("--device", choices=Device.values(), default=default(Device.AUTO.value),
                        help="where ingest, re-indexing and tune embed: a GPU when torch sees one (auto), or "
                        "forced; queries run on the CPU")
    common.add_argument("--json", action="store_true", default=default(False),
                        help="print one JSON document on standard output")
    return common


def build_parser() -> argparse.ArgumentParser:
    # Global options are accepted before or after the command; the copy given to
    # the commands has no defaults, so it never overwrites a value given before.
    top, common = _common(with_defaults=True), _common(with_defaults=False)

    parser = argparse.ArgumentParser(
        prog="pacta", description="Treaty-clause knowledge graph and precedent search.", parents=[top])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("ingest", parents=[common], help="read treaty files, folders or .zip archives into the store",
                       description="Read treaty files (ToTA XML, Akoma Ntoso XML, PDF, DOCX, HTML, plain text, "
                       "Markdown), folders or .zip archives. "
                       "Idempotent: unchanged files are skipped, changed files replace their agreement.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--index", choices=IndexKind.values(), default=None,
                   help="vector index: auto (the default on a first build: exact below 30,000 clauses, ivf from "
                   "there), flat (exact), hnsw or ivf (approximate); "
                   "kept from the last build when not given")
    p.add_argument("--executor", choices=ExecutorKind.values(), default=ExecutorKind.LOCAL.value,
                   help="where embedding runs: in this process (default) or on a Ray cluster")
    p.add_argument("--ray-address", metavar="ADDR", default=None,
                   help="the Ray cluster for --executor ray (HOST:PORT or auto); a local Ray instance when not given")
    p.add_argument("--workers", type=_positive, default=None,
                   help="processes reading and annotating files (default: one per CPU)")
    meta = p.add_argument_group("metadata for files that carry none (a sidecar NAME.meta.json or NAME.yaml "
                                "beside the file wins over what is read from the text; these flags win over both "
                                "and apply to every file given)")
    meta.add_argument("--title", type=_flag_value("--title"), help="the agreement's title")
    meta.add_argument("--parties", action="append", type=_parties, metavar="ISO3[,ISO3]",
                      help="the parties, comma-separated or repeated (ISO3, alpha-2 or names)")
    meta.add_argument("--signed", type=_flag_value("--signed"), metavar="YYYY-MM-DD", help="date of signature")
    meta.add_argument("--in-force", type=_flag_value("--in-force"), metavar="YYYY-MM-DD",
                      help="date of entry into force")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", parents=[common], help="find precedent clauses for a query in words",
                       description="Rank stored clauses for a query by hybrid BM25 + vector search.")
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--batch", metavar="QUERIES.jsonl",
                   help="one JSON query per line; prints one JSON result per line")
    p.add_argument("--rerank", action=argparse.BooleanOptionalAction, default=None,
                   help="rerank the top 50 fused hits on numbers, subject, duty, heading, defined terms and "
                        "citation level, each hit's feature contributions in --json (default: "
                        "as search/rerank.json says, chosen by the held-out figures in benchmarks/RESULTS.md)")
    _add_search_filters(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("check", parents=[common], help="check a draft against the parties' existing obligations",
                       description="Split a draft agreement (any format Pacta reads) into clauses and, for each, "
                       "find the clauses of the agreements in force for any of the parties that it contradicts or "
                       "strains: opposite duties, different numbers for the same procedure, clashing forums, "
                       "diverging definitions, scope, competing priority clauses, MFN spill-over. The draft is "
                       "never stored.")
    p.add_argument("draft", type=Path, metavar="DRAFT_FILE")
    p.add_argument("--parties", type=_parties, action="append", required=True, metavar="ISO3,ISO3",
                   help="the states that would be parties (codes or names, comma-separated; repeatable)")
    p.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD",
                   help="read the obligations in force on this date (default today)")
    p.add_argument("--positions", type=Path, metavar="FILE.yaml",
                   help="negotiating positions (red lines, must-haves, limits) to check the draft against")
    p.add_argument("--min-severity", choices=Severity.values(), default=Severity.LOW.value,
                   help="report findings of at least this severity (default low: all)")
    p.add_argument("--report", type=_report_path, metavar="FILE.md|.html",
                   help="also write the report as Markdown or as a self-contained printable HTML page")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("state", parents=[common], help="one state's commitments side by side: divergences, conflicts",
                       description="The consistency report of one state: its agreements over time, the subjects "
                       "each covers, where its commitments diverge by subject (numbers, forums, duties, scope, "
                       "priority clauses, definitions), and the clashes between its agreements in force, labelled "
                       "legal conflict (same partner) or inconsistency (different partners).")
    p.add_argument("party", type=_party, metavar="ISO3", help="the state (code, alpha-2 or name)")
    p.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD", help="the agreements in force on this date "
                   "(default today)")
    p.add_argument("--type", action="append", type=_clause_type, metavar="TYPE",
                   help="only these subjects (clause types; repeatable)")
    p.add_argument("--report", type=_report_path, metavar="FILE.md|.html",
                   help="also write the report as Markdown or as a self-contained printable HTML page")
    p.set_defaults(func=cmd_state)

    p = sub.add_parser("similar", parents=[common], help="clauses like a stored clause (more like this)",
                       description="Clauses of other agreements closest in meaning to a stored clause.")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("-k", type=_positive, default=10, help="number of hits (default 10)")
    p.add_argument("--no-collapse", action="store_true", help="show every copy of identical clause texts")
    p.add_argument("--all-versions", action="store_true",
                   help="also search the further language versions of an agreement (left out by default, so an "
                        "article is not found twice in two languages)")
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("related", parents=[common], help="an agreement's closest agreements, and why",
                       description="The agreements closest to one agreement: how many of their clauses say the "
                       "same thing (nearest neighbours above a similarity threshold), the parties they share, "
                       "and the best pairs of clauses.")
    p.add_argument("treaty_id", metavar="TREATY_ID")
    p.add_argument("-k", type=_positive, default=10, help="number of agreements (default 10)")
    p.set_defaults(func=cmd_related)

    p = sub.add_parser("obligations", parents=[common], help="the register of duties an agreement creates",
                       description="Each obligation or prohibition of an agreement: bearer, action, deadline, "
                       "whether it is a reporting duty, citation and one plain-language line.")
    p.add_argument("treaty_id", metavar="TREATY_ID")
    p.add_argument("--party", action="append", type=_parties, metavar="ISO3[,ISO3]",
                   help="only duties that bind this party (several, comma-separated or repeated: any of them)")
    p.add_argument("--csv", type=Path, metavar="FILE", help="also write the register to a CSV file")
    p.set_defaults(func=cmd_obligations)

    p = sub.add_parser("show", parents=[common], help="an agreement's metadata and clauses in order",
                       description="Show an agreement's metadata and its clauses in reading order.")
    p.add_argument("treaty_id", metavar="TREATY_ID")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("list", parents=[common], help="the stored agreements",
                       description="List the stored agreements, optionally those of one party.")
    p.add_argument("--party", action="append", type=_parties, metavar="ISO3[,ISO3]",
                   help="only agreements with this party (several, comma-separated or repeated: any of them)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("app", parents=[common], help="start the app (Streamlit) on the store and print its URL",
                       description="Start the lawyers' app on the store (embedded default, or --graph neo4j): "
                       "search, clauses, agreements, draft check, a state's commitments, ingest. It listens on "
                       "127.0.0.1 unless --address says otherwise; Ctrl-C stops it.")
    p.add_argument("--port", type=_positive, default=None, help="port (default: 8501, or the next free one)")
    p.add_argument("--address", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; see README before opening "
                   "it to a network)")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("neo4j", parents=[common], help="start, stop or check a local Neo4j server",
                       description="A real local Neo4j 5 Community server for development and tests, fetched "
                       "once from Maven Central with mvn; data and logs in STORE/neo4j-server. 'start' returns "
                       "once Bolt answers and prints NEO4J_URI=bolt://127.0.0.1:PORT.")
    p.add_argument("action", choices=ServerAction.values())
    p.add_argument("--port", type=_positive, default=None, help="port for Bolt (default: a free one)")
    p.set_defaults(func=cmd_neo4j)

    p = sub.add_parser("tune", parents=[common], help="fine-tune the embedding model on the stored corpus",
                       description="Fine-tune the store's embedding model on pairs mined from the stored corpus "
                       "(article headings with their clauses; differently worded clauses of different agreements "
                       "that say the same thing), on the CPU within a time budget. The model is saved in "
                       "STORE/models/tuned, made the store's model and the index rebuilt with it "
                       "(--no-activate to only save it).")
    p.add_argument("--minutes", type=_minutes, default=25.0, help="training time budget in minutes (default 25)")
    p.add_argument("--batch-size", type=_positive, default=32, help="pairs per training step (default 32)")
    p.add_argument("--no-activate", dest="activate", action="store_false",
                   help="only save the tuned model; by default the store uses it from now on (re-indexes), "
                   "since it improved the held-out search figures (benchmarks/RESULTS.md)")
    p.add_argument("--hard-negatives", action=argparse.BooleanOptionalAction, default=True,
                   help="train each pair against a mined hard negative too: the clause of another article sharing "
                   "the most wording with it, preferring one with other numbers or another duty (default: on, as "
                   "the held-out figures chose; --no-hard-negatives for in-batch negatives only)")
    p.add_argument("--revert", action="store_true",
                   help="go back to the packaged model for this store (re-indexes); no training")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_tune)

    p = sub.add_parser("stats", parents=[common], help="counts and sizes of the store",
                       description="Counts of agreements, clauses and parties, and the store's size on disk.")
    p.set_defaults(func=cmd_stats)
    return parser


def _misuse(args: argparse.Namespace) -> str | None:
    """A combination of flags that cannot be used together (argparse checks each flag alone)."""
    if getattr(args, "ray_address", None) and args.executor != ExecutorKind.RAY:
        return "--ray-address needs --executor ray"
    if args.command == "search" and not args.batch and not (args.query or "").strip():
        return "give a QUERY or --batch FILE.jsonl"
    if args.command == "search" and args.batch and args.query:
        return "give a QUERY or --batch FILE.jsonl, not both"
    return None


# The commands that embed passages with the model (on --device); the others embed at most a query, on the CPU.
EMBEDDING_COMMANDS = frozenset({"ingest", "tune"})


def main(argv: Sequence[str] | None = None) -> int:
    # Driver failures reach the user as one line of ours; the driver's own retry chatter would not be one line.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    parser = build_parser()
    args = parser.parse_args(argv)
    misuse = _misuse(args)
    if misuse:
        parser.error(misuse)  # exit 2, as every usage error
    settings = Settings(graph=args.graph, model=args.model, precision=args.precision, device=args.device,
                        map_index=args.command in ("search", "similar") and not getattr(args, "batch", None))
    if args.store is not None:
        settings.store = args.store
    if args.neo4j_uri:
        settings.neo4j_uri = args.neo4j_uri
    func: Callable[[Context, argparse.Namespace], int] = args.func
    try:
        if args.command in EMBEDDING_COMMANDS and args.device not in (Device.AUTO, Device.CPU):
            resolve_device(args.device)  # a forced GPU that is missing: one line before anything is read or stored
        with Context(settings) as ctx:
            return func(ctx, args)
    except PactaError as exc:
        print(f"pacta: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away ("pacta show X | head"); nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("pacta: interrupted; what was stored stays stored, run the command again to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
