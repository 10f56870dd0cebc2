"""Ingest: upload treaty files or a zip into the store, one plain result line per file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.ingesting import ingest
from app.web.shared import SAMPLE, call, context, store_counts
from ingest.readers import SUFFIXES

ctx = context()
st.title("Add agreements")
st.caption("ToTA XML, Akoma Ntoso XML, PDF, DOCX, HTML, plain text or Markdown, or a zip of them. A file already "
           "stored unchanged is skipped; a changed file replaces its agreement. A file that cannot be read is "
           "reported and the others go on.")
with st.form("ingest", clear_on_submit=True):
    files = st.file_uploader("Treaty files", type=sorted({s.lstrip(".") for s in SUFFIXES} | {"zip"}),
                             accept_multiple_files=True, key="files")
    go = st.form_submit_button("Add to the store", type="primary")
demo = not store_counts(ctx)["treaties"] and SAMPLE.is_dir() and st.button("Load the demo sample instead")
go = go or demo

if go:
    with tempfile.TemporaryDirectory(prefix="pacta-upload-") as folder:
        paths = []
        for f in [] if demo else files or []:
            target = Path(folder) / Path(f.name).name  # the name only: an upload cannot write elsewhere
            target.write_bytes(f.getvalue())
            paths.append(str(target))
        if demo:
            paths = [str(SAMPLE)]
        if not paths:
            st.warning("Choose one or more files first.")
            st.stop()
        with st.spinner(f"Reading, annotating and indexing {len(paths)} file{'s' if len(paths) > 1 else ''}…"):
            report = call("adding the files", ingest, ctx, paths, progress=False)
    t = report.totals()
    shown = st.success if not report.failed else (st.warning if t.get("ingested") or t.get("unchanged") else st.error)
    shown(
        f"{t.get('ingested', 0)} stored, {t.get('unchanged', 0)} unchanged, {t.get('error', 0)} could not be read.")
    st.dataframe([{"file": r.path if demo else Path(r.path).name, "result": r.status,
                   "agreement": r.treaty_id or "", "clauses": r.clauses or "", "problem": r.error or ""}
                  for r in report.files], hide_index=True, width="stretch")
