"""Draft check: a draft against the obligations its parties already carry. The draft stays in memory: it is
never written to the store or to disk (unless the user ingests it on the Ingest page)."""

from __future__ import annotations

import html
import time
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from app.check_report import SEVERITIES, html_report, markdown
from app.checking import CheckRequest, check
from app.web.shared import (
    DATE_RANGE,
    call,
    context,
    empty_store_notice,
    marked,
    metrics,
    party_label,
    report_downloads,
    side_by_side,
    stored_parties,
)
from graph.conflicts.model import Severity
from ingest.readers import SUFFIXES

ctx = context()
st.title("Draft check")
st.caption("Which obligations the parties already carry would the draft contradict? Each finding shows both "
           "texts, the words that clash and the rule that fired. The draft is kept in memory only.")
if empty_store_notice(ctx):
    st.stop()

with st.form("check"):
    pasted, uploaded = st.tabs(["Paste the text", "Upload a file"])
    text = pasted.text_area("Draft text", height=220, key="draft_text",
                            placeholder="Article 1\nThe Parties shall …")
    upload = uploaded.file_uploader("Draft file (TXT, DOCX, PDF, HTML, Markdown, XML)",
                                    type=sorted(s.lstrip(".") for s in SUFFIXES), key="draft_file")
    c1, c2, c3 = st.columns([3, 1, 1])
    parties = c1.multiselect("Parties to the draft", stored_parties(ctx), format_func=party_label, key="parties",
                             filter_mode="contains",
                             placeholder="the states that would be parties")
    as_of = c2.date_input("Obligations in force on", value=date.today(), key="as_of", **DATE_RANGE)
    floor = c3.selectbox("Show findings from", ["low", "medium", "high"], key="min_severity",
                         format_func=lambda s: f"{s} severity up")
    positions = st.file_uploader("Negotiating positions (optional YAML: red lines, must-haves, limits)",
                                 type=["yaml", "yml"], key="positions")
    go = st.form_submit_button("Check the draft", type="primary")

if go:
    if upload is not None:
        name, data = upload.name, upload.getvalue()
    elif text.strip():
        name, data = "pasted draft.txt", text.encode("utf-8")
    else:
        st.warning("Paste the draft's text or upload its file, then press Check.")
        st.stop()
    if not parties:
        st.warning("Choose the states that would be parties to the draft.")
        st.stop()
    req = CheckRequest(Path(name), tuple(parties), as_of, Path(positions.name) if positions else None,
                       Severity.from_str(floor))
    with st.status("Checking the draft…", expanded=False) as status:
        st.write("Reading the draft, finding the parties' agreements in force, comparing each clause with its "
                 "nearest stored clauses…")
        t0 = time.perf_counter()
        result = call("checking the draft", check, ctx, req, data, positions.getvalue() if positions else None)
        status.update(label=f"Checked in {time.perf_counter() - t0:.1f} s", state="complete")
    st.session_state["check_doc"] = result

doc: dict[str, Any] | None = st.session_state.get("check_doc")
if doc is None:
    st.stop()

d, s = doc["draft"], doc["summary"]
st.subheader(f"{d['title']}")
st.markdown(f"{d['clauses']} clauses checked against {len(doc['searched'])} agreements in force on {d['as_of']} for "
            + ", ".join(f"{p['name']} ({p['agreements_in_force']} in force)" for p in doc["parties"]) + ".")
for w in doc["warnings"]:
    st.warning(w)
metrics([("High", s["high"]), ("Medium", s["medium"]), ("Low", s["low"]), ("Consistent", s["consistent"]),
         ("New ground", s["new_ground"]), ("Safeguards missing", s["safeguards_missing"])])
report_downloads(doc, f"{Path(d['path'] or 'draft').stem or 'draft'}-check", html_report, markdown)


def _finding(f: dict[str, Any]) -> None:
    e, dc = f["existing"], f["draft_clause"]
    with st.container(border=True):
        st.markdown(f"**{f['severity'].upper()} · {f['kind']}** — draft **{dc['citation']}** against "
                    f"**{e['citation']}** of *{e['treaty_name']}* ({e['treaty_id']})")
        st.markdown(f["explanation"])
        side_by_side(f"Draft, {dc['citation']}", marked(dc["text"], dc["spans"], "clash"),
                     f"{html.escape(e['treaty_name'] or '')}, {e['citation']}"
                     + (f" (and {len(e['also_in'])} more with this text)" if e.get("also_in") else ""),
                     marked(e["text"], e["spans"], "clash"))
        st.caption(f"Rule: {f['rule']['id']} — {f['rule']['severity_reason']}")
        st.markdown(f"**Priority:** {f['priority']['note'] if f['priority'] else 'No rule of priority applies.'}")
        way = f["way_out"]
        if way.get("suggestion"):
            st.markdown(f"**Way out:** {way['suggestion']}")
        if way.get("precedent"):
            p = way["precedent"]
            st.caption(f"A precedent that does not clash: {p['citation']} of {p['treaty_name']}: {p['text'][:300]}")


if not doc["findings"]:
    st.success("No finding: no clause of the draft contradicts the parties' agreements in force.")
for sev in SEVERITIES:
    group = [f for f in doc["findings"] if f["severity"] == sev]
    if group:
        st.subheader(f"{sev.capitalize()} severity ({len(group)})")
        for f in group:
            _finding(f)
if doc["divergences"]:
    with st.expander(f"Divergences from agreements binding only some of the parties ({len(doc['divergences'])})"):
        st.caption("These govern relations with other partners, so both would apply; listed for consistency.")
        for f in doc["divergences"]:
            _finding(f)
missing = [g for g in doc["safeguards"] if not g["present"]]
if missing:
    with st.expander(f"Safeguards the draft lacks ({len(missing)})"):
        for g in missing:
            st.markdown(f"**{g['safeguard']}**" + (f" — e.g. {g['precedents'][0]['citation']} of "
                                                   f"{g['precedents'][0]['treaty_name']}" if g["precedents"] else ""))
if doc.get("positions"):
    with st.expander("Negotiating positions"):
        for o in doc["positions"]["results"]:
            st.markdown(f"**{o['status']}** — {o['section']}: {o['name']}"
                        + (f" ({', '.join(c['citation'] for c in o['clauses'])})" if o["clauses"] else ""))
if doc["new_ground"]:
    with st.expander(f"New ground: draft clauses with no counterpart ({len(doc['new_ground'])})"):
        for c in doc["new_ground"]:
            st.markdown(f"- **{c['citation']}** {c['text'][:200]}")
