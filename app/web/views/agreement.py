"""Agreement: metadata with where each field came from, the table of contents, related agreements and why, and
the obligation register as an implementation plan."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from app.obligations import csv_text, register
from app.querying import related, show
from app.web.shared import MODALITY_LABELS, call, context, empty_store_notice, page_link, party_label, stored_treaties
from ingest.errors import PactaError

ctx = context()
if empty_store_notice(ctx):
    st.stop()
treaties = stored_treaties(ctx)
given = st.query_params.get("treaty")
if given not in treaties:
    if given:
        st.error(f"No stored agreement with id '{given}'. Choose one below.")
    given = st.selectbox("Agreement", list(treaties), format_func=lambda t: treaties[t], index=None,
                         filter_mode="contains",
                         placeholder="choose an agreement (type to filter)")
    if not given:
        st.stop()

doc = call("reading the agreement", show, ctx, given)
st.title(doc["treaty_name"] or given)
treaty = ctx.graph.get_treaty(given)
provenance = treaty.provenance if treaty else {}


def _from(field: str) -> str:
    where = provenance.get(field)
    if where == "ambiguous":  # a date the document writes two ways could read ("11/12/96")
        return f" *(ambiguous: {provenance.get(field + '_ambiguous', '')})*"
    return f" *(from {where})*" if where else ""


st.markdown("  \n".join([
    f"**Parties:** {', '.join(party_label(p) for p in doc['parties']) or '—'}{_from('parties')}",
    f"**Type:** {doc['type'] or '—'}{_from('type')} · **Status:** {doc['status'] or '—'}{_from('status')}",
    f"**Signed:** {doc['date_signed'] or '—'}{_from('date_signed')} · **In force:** {doc['date_in_force'] or '—'}"
    f"{_from('date_in_force')}" + (f" · **Ended:** {doc['date_inactive']}" if doc.get("date_inactive") else ""),
    f"**Source:** `{doc['source_path']}` · identifiers {', '.join(f'{k} {v}' for k, v in doc['source'].items())}",
    f"**Pacta id:** `{given}` · {len(doc['clauses']):,} clauses · {len(doc['terms'])} defined terms",
]))

contents, linked, duties = st.tabs(["Contents", "Related agreements", "Obligation register"])
with contents:
    articles = [c for c in doc["clauses"] if c["level"] == "article" or c["parent_id"] is None]
    st.dataframe(
        [{"citation": c["citation"], "heading": c["heading"] or "", "open": f"clause?clause={quote(c['clause_id'])}"}
         for c in articles],
        column_config={"open": st.column_config.LinkColumn("open", display_text="open")},
        hide_index=True, width="stretch")
with linked:
    try:
        near = related(ctx, given, 8)["related"]
    except PactaError as exc:
        near = []
        st.info(str(exc))
    for r in near:
        with st.container(border=True):
            shared = ", ".join(party_label(p) for p in r["shared_party_codes"]) or "no party in common"
            st.markdown(f"**{r['treaty_name']}** ({r['treaty_id']}) — {r['shared_clauses']} clauses say the same "
                        f"thing; parties in common: {shared}")
            for ex in r["examples"][:2]:
                st.caption(f"{ex['clause']['citation']} ≈ {ex['other']['citation']} (similarity {ex['score']:.2f}): "
                           f"{ex['other']['text'][:160]}…")
            page_link("agreement", "Open it", treaty=r["treaty_id"])
with duties:
    reg = call("reading the obligations", register, ctx, given)
    rows = reg["obligations"]
    st.caption(f"{len(rows)} obligations and prohibitions, in reading order: who must do what, by when.")
    if rows:
        st.download_button("Download the register (CSV)", csv_text(reg), f"{given}-obligations.csv", "text/csv")
        st.dataframe([{"citation": r["citation"], "who": r["bearer"] or "", "does": MODALITY_LABELS.get(
            r["modality"], r["modality"]), "what": r["plain"], "by when": r["deadline"] or "",
            "reporting": "yes" if r["reporting"] else ""} for r in rows], hide_index=True, width="stretch")
