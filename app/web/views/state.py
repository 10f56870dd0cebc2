"""State: one state's commitments side by side — timeline, coverage, divergences, versions of each provision,
definitions and the conflicts between its own agreements (the report of ``pacta state``)."""

from __future__ import annotations

import base64
import html
from datetime import date
from typing import Any

import streamlit as st

from app.consistency import state
from app.state_report import (
    DEFINITIONS_NOTE,
    KIND_LABELS,
    OTHER_DEFINITIONS_NOTE,
    also_text,
    around,
    html_report,
    markdown,
    term_title,
    timeline_svg,
    why_listed,
)
from app.web.shared import (
    DATE_RANGE,
    call,
    clause_types,
    context,
    empty_store_notice,
    marked,
    metrics,
    party_label,
    report_downloads,
    side_by_side,
    stored_parties,
    text_block,
)

ctx = context()
st.title("A state's commitments")
if empty_store_notice(ctx):
    st.stop()

types = clause_types()
with st.form("state"):
    c1, c2, c3 = st.columns([2, 1, 3])
    party = c1.selectbox("State", stored_parties(ctx), format_func=party_label, index=None, key="party",
                         filter_mode="contains",
                         placeholder="choose a state (type to filter)")
    as_of = c2.date_input("Agreements in force on", value=date.today(), key="as_of", **DATE_RANGE)
    chosen = c3.multiselect("Subjects", list(types), format_func=lambda t: types[t], key="types",
                            placeholder="all subjects")
    go = st.form_submit_button("Show the report", type="primary")
if go:
    if not party:
        st.warning("Choose a state.")
        st.stop()
    with st.spinner("Reading the state's agreements and the stored clashes…"):
        st.session_state["state_doc"] = call("building the state report", state, ctx, party, as_of, tuple(chosen))

doc: dict[str, Any] | None = st.session_state.get("state_doc")
if doc is None:
    st.stop()

s = doc["summary"]
st.subheader(f"{doc['state']['name']} — as of {doc['as_of']}")
metrics([("Agreements", s["agreements"]), ("In force", s["in_force"]), ("Divergences", s["divergences"]),
         ("Legal conflicts", s["legal_conflicts"]), ("Inconsistencies", s["inconsistencies"]),
         ("Provisions worded differently", s["provisions_worded_differently"])])
report_downloads(doc, f"{doc['state']['code']}-consistency", html_report, markdown)


def _pair(p: dict[str, Any]) -> None:
    a, b = p["later"], p["earlier"]
    with st.container(border=True):
        st.markdown(f"**{p['label']}** · {KIND_LABELS.get(p['kind'], p['kind'])} · {p['severity']} — "
                    f"{p['explanation']}")
        side_by_side(f"{html.escape(a['treaty_name'] or '')}, {a['citation']} (in force {a['date_in_force']})",
                     marked(a["text"], a["spans"], "clash"),
                     f"{html.escape(b['treaty_name'] or '')}, {b['citation']} (in force {b['date_in_force']})",
                     marked(b["text"], b["spans"], "clash"))
        if p["priority"]:
            st.caption(f"Priority (VCLT Art. 30): {p['priority']['note']}")
        if p.get("also"):
            st.caption(f"Also between these two articles: {also_text(p)}")


timeline, coverage, stances, clashes, diverge, versions, terms = st.tabs(
    ["Timeline", "Coverage", f"Positions ({len(doc['positions'])})", f"Conflicts ({len(doc['conflicts'])})",
     f"Divergences ({s['divergences']})",
     f"Versions of each provision ({s['provisions_worded_differently']})",
     f"Definitions ({s['terms_defined_differently']})"])
with timeline:
    svg = timeline_svg(doc)  # as an image: the page's HTML sanitiser drops inline SVG
    if svg:
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        st.html(f'<img alt="timeline of the agreements" style="max-width:100%" src="data:image/svg+xml;base64,{data}">')
    st.dataframe([{"year": t["year"], "agreement": t["treaty_name"], "partners": ", ".join(t["partners"]),
                   "signed": t["date_signed"] or "", "in force": t["date_in_force"] or "",
                   "ended": t["date_inactive"] or "",
                   "in force on the date": "yes" if t["in_force_on_date"] else ""} for t in doc["timeline"]],
                 hide_index=True, width="stretch")
with coverage:
    cov = doc["coverage"]
    names = {t["treaty_id"]: t["treaty_name"] for t in doc["timeline"]}
    st.dataframe([{"agreement": names.get(tid, tid), **{types.get(x, x): counts.get(x) or None for x in cov["types"]}}
                  for tid, counts in cov["agreements"].items()], hide_index=True, width="stretch")
    st.markdown(f"**Never committed to:** {', '.join(types.get(x, x) for x in cov['never']) or 'none'}.")
with stances:
    st.caption("Questions its agreements in force answer in two or more ways, the most common answer first; each "
               "answer with the agreements giving it and the words that gave it.")
    for p in doc["positions"]:
        with st.expander(f"{p['title']} — {len(p['answers'])} answers"):
            for a in p["answers"]:
                st.markdown(f"**{'; '.join(a['labels'])}** — " + ", ".join(t["treaty_name"] for t in a["agreements"]))
                for e in a["evidence"]:
                    text, spans = around(e)
                    st.caption(f"{e['treaty_name']} {e['citation']}")
                    text_block(marked(text, spans))
with clashes:
    st.caption("Pairs of its agreements in force whose clauses contradict: a *legal conflict* where both bind the "
               "same partner, an *inconsistency* where the partners differ (both apply).")
    for p in doc["conflicts"][:50]:
        _pair(p)
    if len(doc["conflicts"]) > 50:
        st.info(f"The first 50 of {len(doc['conflicts'])}; all are in the reports.")
with diverge:
    for g in doc["divergences"]:
        label = f"{types.get(g['clause_type'], g['clause_type'])} — {KIND_LABELS.get(g['kind'], g['kind'])} " \
                f"({len(g['pairs'])})"
        with st.expander(label):
            if g["most_common"]:
                st.caption(f"Most common wording: {g['most_common']['citation']} ({g['most_common']['agreements']} "
                           f"agreements); most recent: {g['most_recent']['citation']}.")
            for p in g["pairs"][:10]:
                _pair(p)
with versions:
    for g in doc["variants"][:40]:
        with st.expander(f"{types.get(g['clause_type'], g['clause_type'])}: {len(g['wordings'])} wordings in "
                         f"{g['agreements']} agreements"):
            for n, w in enumerate(g["wordings"]):
                holders = "; ".join(f"{c['treaty_name']} {c['citation']}" for c in w["clauses"])
                tag = "most common" if n == 0 else ("most recent" if n == g["most_recent"] else f"variant {n}")
                st.markdown(f"**{tag}** — {holders}")
                text_block(marked(w["text"], w["spans"]))
with terms:
    st.caption(DEFINITIONS_NOTE)
    for t in doc["definitions"]:
        with st.expander(f"“{term_title(t)}” — {len(t['variants'])} definitions"):
            for n, v in enumerate(t["variants"]):
                st.markdown("**" + ", ".join(a["treaty_name"] for a in v["agreements"]) + "**"
                            + why_listed(v, n))
                text_block(marked(v["text"], v["spans"]))
    if doc.get("other_definitions"):
        st.markdown("**Terms worded differently**")
        st.caption(OTHER_DEFINITIONS_NOTE)
        for t in doc["other_definitions"]:
            with st.expander(f"“{term_title(t)}” — {len(t['variants'])} wordings"):
                for v in t["variants"]:
                    st.markdown("**" + ", ".join(a["treaty_name"] for a in v["agreements"]) + "**")
                    text_block(marked(v["text"], v["spans"]))
