"""Clause: one clause in its article, what Pacta read in it, and how other agreements word the same provision."""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from app.querying import clause_detail, similar
from app.web.shared import (
    MODALITY_LABELS,
    agreement_line,
    call,
    clause_types,
    context,
    empty_store_notice,
    marked,
    page_link,
    side_by_side,
    text_block,
    word_diff,
)
from ingest.parties import party_name

ctx = context()
if empty_store_notice(ctx):
    st.stop()
clause_id = st.query_params.get("clause") or st.text_input(
    "Clause id", placeholder="e.g. tota-101/9428/1 — open a clause from a search result")
if not clause_id:
    st.info("Open a clause from the **Search** page, or give its id above.")
    st.stop()

d = call("reading the clause", clause_detail, ctx, clause_id)
c: dict[str, Any] = d["clause"]
st.title(f"{c['citation']}" + (f" — {c['heading']}" if c.get("heading") else ""))
st.markdown(agreement_line(c))
page_link("agreement", "Open the agreement", treaty=c["treaty_id"])

left, right = st.columns([3, 2])
with left:
    st.subheader("In its article")
    art = d["article"]
    st.caption(f"{art['citation']}" + (f" — {art['heading']}" if art["heading"] else ""))
    body = "\n".join(f"<b>{marked(x['text'], [])}</b>" if x["clause_id"] == clause_id else marked(x["text"], [])
                     for x in art["clauses"] if x["text"])
    with st.container(height=460 if len(body) > 2500 else "content"):  # a long article scrolls in its box
        text_block(body)
with right:
    st.subheader("What Pacta read")
    types = clause_types()
    rows = [f"**Type:** {types.get(c.get('clause_type') or '', 'untyped')}"
            + (f" (cue {c['type_cue']}; confidence {c['type_confidence']:.2f})" if c.get("type_cue") else "")]
    duty = c.get("duty") or {}
    if duty.get("modality"):
        rows.append(f"**Does:** {MODALITY_LABELS.get(duty['modality'], duty['modality'])} "
                    f"(cue “{duty.get('cue')}”)" + (f" — bears it: {duty['bearer']}" if duty.get("bearer") else ""))
        if duty.get("action"):
            rows.append(f"**Action:** {duty['action']}")
        for dl in duty.get("deadlines") or []:
            rows.append(f"**Deadline:** {dl.get('words') or dl.get('value')} ({dl.get('kind') or 'within'})")
        if duty.get("conditions"):
            rows.append(f"**Conditions:** {', '.join(duty['conditions'])}")
    for t in d["defines"]:
        rows.append(f"**Defines** “{t['term']}”: {t['definition']}"
                    + (f" (used in {', '.join(u['citation'] or u['clause_id'] for u in t['used_in'][:6])})"
                       if t["used_in"] else ""))
    st.markdown("  \n".join(rows))
    for t in d["uses"]:
        st.markdown(f"**Uses** “{t['term']}”, defined in")
        page_link("clause", f"{t['citation']}: {t['definition'][:90]}", clause=t["clause_id"])
    if d["references"]:
        st.markdown("**Refers to**")
        for r in d["references"]:
            if r["target_id"] and r["target_citation"]:
                page_link("clause", f"{r['mention']} → {r['target_citation']}", clause=r["target_id"])
            else:
                st.markdown(f"- {r['mention']}" + (f" → {r['target']}" if r.get("target") else "")
                            + ("" if r["target_id"] else " (not found in this agreement)"))

st.subheader("How other agreements word it")
leaf = any(x["clause_id"] == clause_id and x["is_leaf"] for x in d["article"]["clauses"])
hits = call("finding similar clauses", similar, ctx, clause_id, 8) if leaf else []
if not leaf:
    st.info("This clause has sub-clauses: open one of them to compare its wording with other agreements.")
elif not hits:
    st.info("No similar clause in other agreements.")
else:
    choice = st.radio("Compare with", range(len(hits)), horizontal=False, key="compare",
                      format_func=lambda n: f"{hits[n]['citation']} — {hits[n]['treaty_name']} "
                      f"(similarity {hits[n]['score']:.2f})" + (f", and {len(hits[n]['also_in'])} more with this text"
                                                               if hits[n].get("also_in") else ""))
    other = hits[choice]
    a, b = word_diff(c["text"], other["text"])
    side_by_side(f"**{c['citation']}** — {html.escape(c['treaty_name'] or '')}", a,
                 f"**{other['citation']}** — {html.escape(other['treaty_name'] or '')}", b, css="pacta-diff")
    st.caption("Struck: words only in this clause. Marked green: words only in the other.")
    page_link("clause", f"Open {other['citation']} of {other['treaty_name']}", clause=other["clause_id"])

st.subheader("Neighbourhood")


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


lines = ["digraph { rankdir=LR; node [shape=box, style=rounded, fontname=Helvetica, fontsize=10];",
         f"c [label={_q(c['citation'])}, style=\"rounded,filled\", fillcolor=\"#fde68a\"];",
         f"t [label={_q(c['treaty_name'] or c['treaty_id'])}, shape=folder];", "t -> c [label=contains];"]
for p in c["parties"]:
    lines.append(f"{_q('p' + p)} [label={_q(party_name(p) or p)}, shape=ellipse]; {_q('p' + p)} -> t [label=party];")
for n, h in enumerate(hits[:5]):
    lines.append(f"s{n} [label={_q(h['citation'] + chr(10) + (h['treaty_name'] or ''))}];")
    similarity = f"similar {h['score']:.2f}"
    lines.append(f"c -> s{n} [label={_q(similarity)}, style=dashed];")
for n, r in enumerate(d["references"][:6]):
    target = r["target_citation"] or r.get("target") or r["mention"]
    lines.append(f"r{n} [label={_q(target)}, shape=note]; c -> r{n} [label=refers];")
lines.append("}")
st.graphviz_chart("\n".join(lines))
