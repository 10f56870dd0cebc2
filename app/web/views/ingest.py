"""Ingest: upload treaty files or a zip into the store, one plain result line per file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.ingesting import FileResult, FileStatus, ingest
from app.web.shared import INGEST_WORKERS, SAMPLE, call, context, store_counts
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

        def name_of(path: str) -> str:
            """What the user uploaded ("treaties.zip!inner/a.txt"), not where it was put for reading."""
            return path.removeprefix(folder + "/")

        def line(r: FileResult) -> None:
            said = f"{r.status}, {r.clauses} clauses" if r.clauses else r.status
            if r.status == FileStatus.DUPLICATE:
                said = f"{r.note} (agreement {r.treaty_id})"
            failed = r.status == FileStatus.ERROR
            st.write(f"✗ {name_of(r.path)}: {r.error}" if failed else f"✓ {name_of(r.path)}: {said}")

        with st.status(f"Reading {len(paths)} file{'s' if len(paths) > 1 else ''}…", expanded=True) as status:
            report = call("adding the files", ingest, ctx, paths, progress=False, workers=INGEST_WORKERS, on_file=line,
                          on_stage=lambda name: status.update(label=name[0].upper() + name[1:] + "…"))
            status.update(label=f"{len(report.files)} file{'s' if len(report.files) != 1 else ''} read",
                          state="error" if report.failed else "complete", expanded=False)
        rows = [{"file": name_of(r.path), "result": r.status, "agreement": r.treaty_id or "",
                 "clauses": r.clauses or "", "problem": r.error or r.note or ""} for r in report.files]
    t = report.totals()
    say = st.success if not report.failed else (st.warning if t.get("ingested") or t.get("unchanged") else st.error)
    say(f"{t.get('ingested', 0)} stored, {t.get('unchanged', 0)} unchanged, {t.get('error', 0)} could not be read.")
    st.dataframe(rows, hide_index=True, width="stretch")
