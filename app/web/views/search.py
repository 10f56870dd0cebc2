"""Search: precedent clauses for words or a pasted clause, with the filters of ``pacta search``."""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

import streamlit as st

from app.querying import Hit, SearchRequest, article, search, similar
from app.render import reranked_note
from app.web.shared import (
    DATE_RANGE,
    MODALITY_LABELS,
    agreement_line,
    call,
    clause_types,
    context,
    empty_store_notice,
    marked,
    page_link,
    party_label,
    stored_parties,
    stored_treaties,
    text_block,
)

ctx = context()
st.title("Precedent search")
if empty_store_notice(ctx):
    st.stop()

types = clause_types()
treaties = stored_treaties(ctx)
with st.form("search"):
    query = st.text_area("Words, or a whole clause to find its precedents", key="query", height=90,
                         placeholder="e.g. termination by written notice to the other Party")
    c1, c2, c3 = st.columns([3, 2, 2])
    parties = c1.multiselect("Parties", stored_parties(ctx), format_func=party_label, key="parties",
                             filter_mode="contains",
                             placeholder="any party")
    clause_type = c2.selectbox("Clause type", [None, *types], format_func=lambda t: "any type" if t is None
                               else types[t], key="clause_type")
    modality = c3.selectbox("What the clause does", [None, *MODALITY_LABELS], key="modality",
                            format_func=lambda m: "anything" if m is None else MODALITY_LABELS[m])
    c4, c5, c6, c7 = st.columns([2, 3, 1, 1.4])
    in_force_on = c4.date_input("In force on", value=None, key="in_force_on", **DATE_RANGE)
    treaty = c5.selectbox("Agreement", [None, *treaties], key="treaty", filter_mode="contains",
                          format_func=lambda t: "any agreement" if t is None else treaties[t])
    k = c6.number_input("Results", 1, 100, 10, key="k")
    all_parties = c7.checkbox("All parties", key="all_parties", help="with several parties: agreements binding all")
    all_versions = c7.checkbox("All languages", key="all_versions",
                               help="also the further language versions of an agreement (left out by default)")
    submitted = st.form_submit_button("Search", type="primary")

if submitted:
    st.session_state.pop("like", None)
    if not query.strip():
        st.warning("Type some words or paste a clause, then press Search.")
        st.stop()
    req = SearchRequest(query=query, parties=tuple(parties), all_parties=all_parties, clause_type=clause_type,
                        modality=modality, in_force_on=in_force_on, treaty_ids=(treaty,) if treaty else (), k=int(k),
                        all_versions=all_versions)
    st.session_state["results"] = (query, call("searching", search, ctx, req))
    if str(ctx.engine.answering_mode(req.mode)) != req.mode:
        st.info("Word search only for now: this store's clause vectors are still being computed (run "
                "'pacta ingest' again to finish them); searches by meaning follow once they are in.")

like = st.session_state.get("like")
if like:
    title, hits = f"Clauses like {like[1]}", call("finding similar clauses", similar, ctx, like[0], 10)
    if st.button("Back to the search results"):
        st.session_state.pop("like")
        st.rerun()
elif "results" in st.session_state:
    q, hits = st.session_state["results"]
    title = f"Results for “{q[:80]}{'…' if len(q) > 80 else ''}”"
else:
    st.stop()


def _csv(rows: list[Hit]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["rank", "citation", "treaty_name", "treaty_id", "parties", "date_signed", "date_in_force",
                "clause_type", "score", "also_in", "clause_id", "text"])
    for h in rows:
        w.writerow([h["rank"], h["citation"], h["treaty_name"], h["treaty_id"], " ".join(h["parties"]),
                    h.get("date_signed"), h.get("date_in_force"), h.get("clause_type"), h["score"],
                    len(h.get("also_in") or []), h["clause_id"], h["text"]])
    return out.getvalue()


def _hit(h: Hit, n: int) -> None:
    duty: dict[str, Any] = h.get("duty") or {}
    facts = [types.get(h.get("clause_type") or "", h.get("clause_type") or "untyped")]
    if duty.get("modality"):
        facts.append(MODALITY_LABELS.get(duty["modality"], duty["modality"])
                     + (f" ({duty['bearer']})" if duty.get("bearer") else ""))
    facts.append(f"score {h['score']:.3f}")
    if h.get("rerank"):
        facts.append(reranked_note(h["rerank"]))
    heading = f" — {html.escape(h.get('heading') or '')}" if h.get("heading") else ""
    with st.container(border=True):
        # one block per hit: the citation and the agreement first, the text with its matches, then the facts
        st.html(f'<div class="pacta-hit"><div class="pacta-cite">{html.escape(h["citation"])}{heading}</div>'
                f'<div class="pacta-agreement">{html.escape(agreement_line(dict(h)))}</div>'
                f'<div class="pacta-text">{marked(h["text"], h.get("highlights") or [])}</div>'
                f'<div class="pacta-meta">{html.escape(" · ".join(facts))}</div></div>')
        also = h.get("also_in") or []
        if also:
            with st.expander(f"Also in {len(also)} other agreement{'s' if len(also) > 1 else ''} (same text)"):
                st.markdown("\n".join(f"- {o['citation']} — {o['treaty_name']} ({o['treaty_id']})" for o in also))
        with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
            page_link("clause", "Open clause and compare", clause=h["clause_id"])
            if st.button("More like this", key=f"like-{n}-{h['clause_id']}"):
                st.session_state["like"] = (h["clause_id"], f"{h['citation']} of {h['treaty_name']}")
                st.rerun()
            show_article = st.toggle("Full article", key=f"art-{n}-{h['clause_id']}")
        if show_article:
            art = call("reading the article", article, ctx, h["clause_id"])
            st.markdown(f"**{art['citation']}**" + (f" — {art['heading']}" if art["heading"] else ""))
            text_block("\n".join(
                (f"<b>{marked(c['text'], [])}</b>" if c["clause_id"] == h["clause_id"] else marked(c["text"], []))
                for c in art["clauses"] if c["text"]))


st.subheader(title)
if not hits:
    st.info("No clause matches these words and filters. Try fewer filters or other words.")
    st.stop()
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button("Download CSV", _csv(hits), "pacta-search.csv", "text/csv")
d2.download_button("Download JSON", json.dumps({"hits": hits}, ensure_ascii=False, indent=1), "pacta-search.json",
                   "application/json")
for n, hit in enumerate(hits):
    _hit(hit, n)
