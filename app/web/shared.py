"""What every page of the app shares: the store opened once per server process, the choices the filters offer,
errors shown as one sentence, and small HTML pieces (marked text, word differences).

No business logic: pages call the services of ``app/`` (querying, checking, consistency, obligations,
ingesting) through ``context()`` and render what they return.
"""

from __future__ import annotations

import difflib
import html
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from app.check_report import marked as report_marked
from app.context import Context, Settings
from ingest.annotate import taxonomy
from ingest.annotate.duty import MODALITIES
from ingest.errors import PactaError
from ingest.parties import party_name

T = TypeVar("T")
# Date pickers reach back to the first treaties of the corpus (Streamlit's default is ten years around today).
DATE_RANGE: dict[str, Any] = {"min_value": date(1900, 1, 1), "max_value": date(2100, 12, 31), "format": "YYYY-MM-DD"}
LOG = logging.getLogger("pacta.app")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "tota"
# The app reads uploads in its own process: Streamlit runs each page as the module ``__main__``, which a spawned
# reading process would run again (and uploads are a few files, not a corpus).
INGEST_WORKERS = 1

# The pages, by url path; ``main.py`` registers them and links between pages use these names.
PAGES = {"search": "views/search.py", "clause": "views/clause.py", "agreement": "views/agreement.py",
         "state": "views/state.py", "check": "views/check.py", "ingest": "views/ingest.py"}

STYLE = """
<style>
mark.hit { background: #fde68a; padding: 0 1px; border-radius: 2px; }
mark.clash { background: #fecaca; padding: 0 1px; border-radius: 2px; }
.pacta-text { font-family: Georgia, 'Times New Roman', serif; font-size: 1.02rem; line-height: 1.55;
  white-space: pre-wrap; }
.pacta-cite { font-weight: 600; font-size: 1.05rem; }
.pacta-agreement { color: #333; margin: 2px 0 8px; }
.pacta-meta { color: #666; font-size: 0.85rem; margin-top: 8px; }
.pacta-diff del { background: #fecaca; text-decoration: line-through; }
.pacta-diff ins { background: #bbf7d0; text-decoration: none; }
</style>
"""


def settings_from_env() -> Settings:
    """The store the server was started on: ``pacta app`` passes it in the environment."""
    s = Settings(graph=os.environ.get("PACTA_GRAPH", "sqlite"), model=os.environ.get("PACTA_MODEL") or None)
    if os.environ.get("PACTA_HOME"):
        s.store = Path(os.environ["PACTA_HOME"])
    return s


@st.cache_resource(show_spinner="Opening the store…")
def _open(store: str, graph: str, neo4j_uri: str, model: str | None) -> Context:
    return Context(Settings(store=Path(store), graph=graph, model=model, neo4j_uri=neo4j_uri))


def context() -> Context:
    """The store, its index and the model, opened once per server process and shared by every session."""
    s = settings_from_env()
    return _open(str(s.store), s.graph, s.neo4j_uri, s.model)


def warm(ctx: Context) -> None:
    """Load the index and the query model now (once per process), so the first search is as quick as the rest."""
    if ctx.engine.current_generation() is not None:
        ctx.engine.index  # noqa: B018 - loads it
        ctx.engine.query_embedder.load()


@contextmanager
def plain_errors(doing: str) -> Iterator[None]:
    """Show a failure as one sentence in the page (``st.error``), never a traceback.

    A bad input or an unusable store says what is wrong; anything else is logged
    on the server with its traceback and shown as one line.
    """
    try:
        yield
    except PactaError as exc:
        st.error(str(exc))
        st.stop()
    except Exception as exc:  # noqa: BLE001 - the page must show a sentence whatever went wrong
        LOG.exception("while %s", doing)
        st.error(f"Something went wrong while {doing}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
                 if str(exc) else f"Something went wrong while {doing} ({type(exc).__name__}).")
        st.stop()


def call(doing: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with plain_errors(doing):
        return fn(*args, **kwargs)
    raise AssertionError("unreachable")  # st.stop() ends the run


# -- choices --------------------------------------------------------------------
def party_label(code: str) -> str:
    name = party_name(code)
    return f"{name} ({code})" if name else code


def stored_parties(ctx: Context) -> list[str]:
    """The alpha-3 codes of every stored party, sorted by country name."""
    codes = {p for t in ctx.graph.list_treaties(()) for p in t.parties}
    return sorted(codes, key=lambda c: (party_name(c) or c).lower())


def stored_treaties(ctx: Context) -> dict[str, str]:
    """treaty_id -> "Title (id)" for every stored agreement, by title."""
    rows = sorted(ctx.graph.list_treaties(()), key=lambda t: (t.title or "").lower())
    return {t.treaty_id: f"{t.title} ({t.treaty_id})" for t in rows}


def clause_types() -> dict[str, str]:
    return {t.id: t.label for t in taxonomy().values()}


MODALITY_LABELS = {"obligation": "oblige", "prohibition": "forbid", "permission": "permit", "exception": "carve out",
                   "definition": "define", "declaration": "declare", "institutional": "organise"}
assert set(MODALITY_LABELS) == set(MODALITIES)


def store_counts(ctx: Context) -> dict[str, int]:
    """The store's counts (``GraphStore.stats``), read again only when the stored data changed: counting a large
    store's clauses takes tens of milliseconds, on every rerun of every page otherwise."""
    return _counts(str(ctx.folder), ctx.settings.graph, ctx.graph.generation(), ctx)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={Context: lambda _: 0})
def _counts(store: str, graph: str, generation: int, ctx: Context) -> dict[str, int]:
    return ctx.graph.stats()


def empty_store_notice(ctx: Context) -> bool:
    """On a store with no agreements: say how to ingest and offer the demo sample. True if the store is empty."""
    if store_counts(ctx)["treaties"]:
        return False
    st.info("No agreements are stored yet. Add some on the **Ingest** page (upload files or a zip), or from a "
            "terminal: `pacta ingest PATH` (ToTA XML, Akoma Ntoso, PDF, DOCX, HTML, text).")
    if SAMPLE.is_dir() and st.button("Load the demo sample (8 trade agreements)", type="primary"):
        from app.ingesting import ingest

        with st.spinner("Reading the demo sample…"):
            report = call("loading the demo sample", ingest, ctx, [str(SAMPLE)], progress=False,
                          workers=INGEST_WORKERS)
        st.success(f"Stored {report.totals().get('ingested', 0)} agreements.")
        st.rerun()
    return True


# -- html pieces ----------------------------------------------------------------
def marked(text: str, spans: list[list[int]] | list[tuple[int, int]], css: str = "hit") -> str:
    """``text`` escaped for HTML with ``spans`` ([start, end) characters) wrapped in <mark>."""
    return report_marked(text, [list(x) for x in spans], f'<mark class="{css}">', "</mark>", html.escape)


def text_block(body_html: str) -> None:
    st.html(f'<div class="pacta-text">{body_html}</div>')


_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Both texts as HTML with the words only in ``a`` struck (<del>) and those only in ``b`` marked (<ins>)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, [t.lower() for t in ta], [t.lower() for t in tb], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pa, pb = html.escape("".join(ta[i1:i2])), html.escape("".join(tb[j1:j2]))
        if op == "equal":
            left.append(pa)
            right.append(pb)
        else:
            if pa.strip():
                left.append(f"<del>{pa}</del>")
            if pb.strip():
                right.append(f"<ins>{pb}</ins>")
    return "".join(left), "".join(right)


def side_by_side(left_title: str, left_html: str, right_title: str, right_html: str, css: str = "") -> None:
    cols = st.columns(2)
    for col, title, body in ((cols[0], left_title, left_html), (cols[1], right_title, right_html)):
        with col:
            st.markdown(title)
            st.html(f'<div class="pacta-text {css}">{body}</div>')


def metrics(items: list[tuple[str, Any]]) -> None:
    """A row of figures ("High 2", "Medium 4", ...)."""
    for col, (label, value) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value)


def report_downloads(doc: dict[str, Any], stem: str, html_report: Callable[[dict[str, Any]], str],
                     markdown: Callable[[dict[str, Any]], str]) -> None:
    """The report of a check or a state as HTML, Markdown and the JSON document, to download."""
    import json

    d1, d2, d3, _ = st.columns([1, 1, 1, 3])
    d1.download_button("Report (HTML)", html_report(doc), f"{stem}.html", "text/html")
    d2.download_button("Report (Markdown)", markdown(doc), f"{stem}.md", "text/markdown")
    d3.download_button("Result (JSON)", json.dumps(doc, ensure_ascii=False, indent=1), f"{stem}.json",
                       "application/json")


def page_link(name: str, label: str, **params: str) -> None:
    st.page_link(PAGES[name], label=label, query_params=params or None)


def agreement_line(item: dict[str, Any]) -> str:
    """"Canada - Chile (tota-101) · Canada, Chile · signed 1996-12-05, in force 1997-07-05"."""
    parties = ", ".join(party_name(p) or p for p in item.get("parties") or [])
    dates = ", ".join(x for x in (f"signed {item['date_signed']}" if item.get("date_signed") else "",
                                  f"in force {item['date_in_force']}" if item.get("date_in_force") else "") if x)
    return " · ".join(x for x in (f"{item.get('treaty_name') or ''} ({item['treaty_id']})", parties, dates) if x)
