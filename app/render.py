"""Plain-text rendering of service results for the terminal (JSON output bypasses this)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from search.highlight import mark

_BOLD, _RESET = "\033[1m", "\033[0m"


def _wrap(text: str, indent: str = "   ") -> str:
    return "\n".join(
        textwrap.fill(line, width=100, initial_indent=indent, subsequent_indent=indent) for line in text.splitlines()
    )


def hits(items: Sequence[Mapping[str, Any]], color: bool = False) -> str:
    if not items:
        return "No matching clauses."
    out = []
    for h in items:
        head = f"{h['rank']:>2}. {h['treaty_name']} — {h['citation']}"
        if h.get("heading"):
            head += f" ({h['heading']})"
        out.append(head)
        text = h["text"]
        if color and h.get("highlights"):
            text = mark(text, [tuple(s) for s in h["highlights"]], _BOLD, _RESET)
        out.append(_wrap(text))
        meta = [f"parties: {', '.join(h['parties']) or '—'}"]
        if h.get("date_in_force"):
            meta.append(f"in force {h['date_in_force']}")
        if h.get("status"):
            meta.append(h["status"])
        meta.append(f"id {h['clause_id']}")
        meta.append(f"score {h['score']:.4f}")
        out.append("   " + " · ".join(meta))
        if h.get("rerank"):
            out.append("   " + reranked_note(h["rerank"]))
        if h.get("also_in"):
            names = [f"{o['treaty_name']} ({o['citation']})" for o in h["also_in"]]
            more = f" and {len(names) - 5} more" if len(names) > 5 else ""
            out.append(f"   same text also in: {'; '.join(names[:5])}{more}")
        out.append("")
    return "\n".join(out).rstrip()


# The reranker's features that are about the clause rather than its two similarity scores (search/rerank.py)
_READS = ("numbers", "heading", "type", "modality", "defined term", "whole article", "sub-paragraph")


def reranked_note(explained: Mapping[str, Any]) -> str:
    """Where a reranked hit stood in the fused order and what, besides the scores, moved it."""
    moved = sorted(((f, v) for f, v in explained["contributions"].items() if f in _READS and abs(v) >= 0.05),
                   key=lambda fv: -abs(fv[1]))
    why = ", ".join(f"{f} {v:+.2f}" for f, v in moved)
    return f"fused rank {explained['fused_rank']}" + (f"; reranked on {why}" if why else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def treaty(doc: dict[str, Any]) -> str:
    lines = [
        f"{doc['treaty_name']}  [{doc['treaty_id']}]",
        f"type: {doc.get('type') or '—'} · status: {doc.get('status') or '—'}",
        f"signed {doc.get('date_signed') or '—'} · in force {doc.get('date_in_force') or '—'}"
        + (f" · inactive {doc['date_inactive']}" if doc.get("date_inactive") else ""),
        f"parties: {', '.join(doc['parties']) or '—'}",
        "",
    ]
    for c in doc["clauses"]:
        if c["level"] == "article":
            lines.append(f"{c['citation']}" + (f"  {c['heading']}" if c.get("heading") else ""))
            if c["text"]:
                lines.append(_wrap(c["text"]))
        else:
            depth = {"paragraph": 1, "subparagraph": 2}.get(c["level"], 3)
            lines.append(_wrap(f"{c['citation']}  {c['text']}", indent="   " * depth))
        if c.get("references"):
            targets = ", ".join(dict.fromkeys(r["target"] + ("" if r["resolved"] else " (not found)")
                                              for r in c["references"]))
            lines.append(_wrap(f"-> refers to {targets}", indent="   " * 2))
    if doc.get("terms"):
        lines += ["", "Defined terms:"]
        lines += [f"   {t['term']}  ({t['citation']}; used in {_count(len(t['used_in']), 'clause')})"
                  for t in doc["terms"]]
    return "\n".join(lines)


def related(doc: dict[str, Any]) -> str:
    lines = [f"Agreements related to {doc['treaty_name']} [{doc['treaty_id']}]", ""]
    if not doc["related"]:
        return lines[0] + ": none found."
    for n, r in enumerate(doc["related"], start=1):
        parties = ", ".join(r["shared_party_codes"]) or "none"
        lines.append(f"{n:>2}. {r['treaty_name']} [{r['treaty_id']}]  score {r['score']:.2f}")
        lines.append(f"    {r['shared_clauses']} clauses in common; shared parties: {parties}")
        for ex in r["examples"]:
            lines.append(f"    {ex['clause']['citation']} ~ {ex['other']['citation']} ({ex['score']:.2f}): "
                         f"{textwrap.shorten(ex['clause']['text'], 80)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def obligations(doc: dict[str, Any]) -> str:
    binding = f" binding {', '.join(doc['parties'])}" if doc["parties"] else ""
    head = f"Obligations of {doc['treaty_name']} [{doc['treaty_id']}]{binding}"
    lines = [head, ""]
    for o in doc["obligations"]:
        flag = " [reporting]" if o["reporting"] else ""
        lines.append(f"{o['citation']}{flag}: {o['plain']}")
    if not doc["obligations"]:
        lines.append("No obligations found.")
    return "\n".join(lines)


def treaty_list(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No agreements stored."
    return "\n".join(
        f"{r['treaty_id']:<12} {r.get('date_signed') or '----------'}  {(r.get('status') or ''):<10}  "
        f"{r['treaty_name']}  ({', '.join(r['parties'][:6])}{'…' if len(r['parties']) > 6 else ''})"
        for r in rows
    )


def ingest_summary(t: dict[str, int]) -> str:
    return (
        f"{t['files']} files: {t['ingested']} ingested, {t['unchanged']} unchanged, "
        + (f"{t['duplicate']} same text as another, " if t.get("duplicate") else "") + f"{t['error']} failed; "
        f"{t['clauses']} clauses stored; index: {t['index_rows']} clauses, {t['embedded']} newly embedded"
    )


def tune_summary(doc: dict[str, Any]) -> str:
    t = doc["training"]
    pairs = ", ".join(f"{n} {kind}" for kind, n in t["pairs"].items())
    done = (f"tuned {t['steps']} of {t['planned_steps']} planned steps of {t['batch_size']} pairs ({pairs} pairs) "
            f"in {t['seconds']:.0f} s; loss {t['first_loss']:.3f} -> {t['last_loss']:.3f}; saved in {t['output']}")
    if doc["activated"]:
        r = doc["reindex"]
        return f"{done}\nthe store now uses it: {r['index_rows']} clauses indexed, {r['embedded']} embedded"
    return f"{done}\nthe store still uses its previous model (saved only, --no-activate)"
