"""The state report: a terminal summary, Markdown, and a self-contained printable HTML page with the timeline drawn
as inline SVG and the coverage matrix. Each renders the JSON document of ``app.consistency`` and nothing else."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from app.check_report import CSS, marked, write_text

KIND_LABELS = {"modality": "Duties that bind differently", "numeric": "Different numbers", "forum": "Different forums",
          "scope": "Scope", "priority": "Competing priority clauses", "definition": "Definitions"}


def _esc(s: Any) -> str:
    return html.escape(str(s if s is not None else ""))


def summary(doc: dict[str, Any], report: Path | None = None) -> str:
    s = doc["summary"]
    lines = [f"{doc['state']['name']} ({doc['state']['code']}) on {doc['as_of']}: {s['agreements']} agreements, "
             f"{s['in_force']} in force, covering {s['subjects']} subjects.",
             f"{s['divergences']} divergences in {s['divergence_groups']} groups; {s['legal_conflicts']} legal "
             f"conflicts and {s['inconsistencies']} inconsistencies between its agreements in force; "
             f"{s['terms_defined_differently']} terms defined differently; {s['provisions_worded_differently']} "
             f"provisions worded differently; {s.get('positions_taken_differently', 0)} questions answered "
             "differently."]
    for g in doc["divergences"][:12]:
        first = g["pairs"][0]
        lines.append(f"  [{g['kind']}] {g['clause_type']}: {len(g['pairs'])} pair(s), e.g. {first['explanation']}")
    if report:
        lines.append(f"Report written to {report}.")
    return "\n".join(lines)


def _pair_md(p: dict[str, Any]) -> list[str]:
    a, b = p["later"], p["earlier"]
    out = [f"- **{p['label']}** · {p['severity']} · {p['explanation']}",
           f"  - {a['treaty_name']} {a['citation']}: " + marked(a["text"], a["spans"], "**", "**"),
           f"  - {b['treaty_name']} {b['citation']}: " + marked(b["text"], b["spans"], "**", "**")]
    if p["priority"]:
        out.append(f"  - *Priority:* {p['priority']['note']}")
    if p.get("also"):
        out.append(f"  - *Also between these two articles:* {also_text(p)}")
    return out


def also_text(p: dict[str, Any]) -> str:
    """The other sub-paragraphs of the same two articles, with what they state where it is not the same clash."""
    def said(x: dict[str, Any]) -> str:
        return x["explanation"].replace(x["later"]["citation"], "").replace(x["earlier"]["citation"], "")

    same = said(p)
    return "; ".join(f"{x['later']['citation']} / {x['earlier']['citation']}"
                     + ("" if said(x) == same else f": {x['explanation']}") for x in p["also"])


SHOWN = 40  # provision groups in the Markdown and HTML reports


def _variant_title(g: dict[str, Any]) -> str:
    clashes = ", ".join(f"{n} {KIND_LABELS.get(k, k).lower()}" for k, n in sorted(g["clashes"].items()))
    return (f"{g['clause_type']}: {len(g['wordings'])} wordings in {g['agreements']} agreements"
            + (f" ({clashes})" if clashes else ""))


def term_title(d: dict[str, Any]) -> str:
    """A defined term, with the subject its definitions here are given for when chapters of several define it."""
    subject = d.get("subject")
    return f"{d['term']} (for {subject.replace('_', ' ')})" if subject else d["term"]


def _wording_label(g: dict[str, Any], n: int) -> str:
    tags = (["most common"] if n == 0 else []) + (["most recent"] if n == g["most_recent"] else [])
    return f"*{', '.join(tags)}*" if tags else ""


def _holders(w: dict[str, Any]) -> str:
    return "; ".join(f"{c['treaty_name']} {c['citation']}" for c in w["clauses"])


def around(e: dict[str, Any], width: int = 220) -> tuple[str, list[list[int]]]:
    """The words that gave a stance, with up to ``width`` characters of their clause on each side."""
    start, end = e["spans"][0]
    lo, hi = max(0, start - width), min(len(e["text"]), end + width)
    text = ("…" if lo else "") + e["text"][lo:hi] + ("…" if hi < len(e["text"]) else "")
    shift = (1 if lo else 0) - lo
    return text, [[start + shift, end + shift]]


def _positions_md(doc: dict[str, Any]) -> list[str]:
    out = ["## Positions taken differently", "",
           "Questions the agreements in force answer in two or more ways (the most common answer first), each answer "
           "with the words that gave it.", ""]
    for p in doc.get("positions", []):
        out += [f"### {p['title']} — {KIND_LABELS.get(p['kind'], p['kind'])}", ""]
        for a in p["answers"]:
            out.append(f"- **{'; '.join(a['labels'])}** — {', '.join(t['treaty_name'] for t in a['agreements'])}")
            for e in a["evidence"]:
                text, spans = around(e)
                out.append(f"  - {e['treaty_name']} {e['citation']}: " + marked(text, spans, "**", "**"))
        out.append("")
    return out


def _positions_html(doc: dict[str, Any]) -> str:
    parts = ["<h2>Positions taken differently</h2><p class='small'>Questions the agreements in force answer in two "
             "or more ways (the most common answer first), each answer with the words that gave it.</p>"]
    for p in doc.get("positions", []):
        parts.append(f"<h3>{_esc(p['title'])} — {_esc(KIND_LABELS.get(p['kind'], p['kind']))}</h3><ul>")
        for a in p["answers"]:
            items = []
            for e in a["evidence"]:
                text, spans = around(e)
                items.append(f"<li>{_esc(e['treaty_name'])} {_esc(e['citation'])}: "
                             f"{marked(text, spans, '<mark>', '</mark>', _esc)}</li>")
            parts.append(f"<li><b>{_esc('; '.join(a['labels']))}</b> — "
                         f"{_esc(', '.join(t['treaty_name'] for t in a['agreements']))}<ul>{''.join(items)}</ul></li>")
        parts.append("</ul>")
    return "".join(parts)


# What the definitions part claims, and what it leaves to the reader: in judged samples most definitions worded
# differently covered the same ground (RESULTS, "State report"), so a divergence is claimed only where something
# says the coverage may differ; the other wordings are listed, not claimed.
DEFINITIONS_NOTE = ("Terms the agreements in force define in different words where what the term covers may differ: "
                    "a carve-out one has and the other lacks (or worded otherwise), different numbers, or a term that "
                    "opens or closes the investment protection (investment, investor). The most common wording "
                    "first; marked: the words a wording has that the "
                    "most common lacks; after each wording, why it is listed. Whether the coverage differs is for the "
                    "reader to judge from both texts.")
OTHER_DEFINITIONS_NOTE = ("Terms defined in different words where nothing says the coverage differs (the name of an "
                          "instrument, a body or a procedure, or a term such as \"enterprise\" or \"goods\" whose "
                          "wordings differ without a carve-out or number of their own): listed for reference, not "
                          "counted as divergences.")


def why_listed(v: dict[str, Any], n: int) -> str:
    """Why the ``n``-th wording of a term is listed: the most common one, the reason found, or none found."""
    if n == 0:
        return " (the most common wording)"
    return f" ({v['why']})" if v.get("why") else " (worded differently; nothing read says it covers other ground)"


def markdown(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    out = [f"# Consistency of {doc['state']['name']}'s commitments ({doc['as_of']})", "",
           f"{s['agreements']} agreements ({s['in_force']} in force on {doc['as_of']}); {s['divergences']} "
           f"divergences; {s['legal_conflicts']} legal conflicts, {s['inconsistencies']} inconsistencies.", "",
           "## Timeline", "", "| year | agreement | partners | signed | in force | ended | in force on the date |",
           "|---|---|---|---|---|---|---|"]
    out += [f"| {t['year'] or ''} | {t['treaty_name']} | {', '.join(t['partners'])} | {t['date_signed'] or ''} | "
            f"{t['date_in_force'] or ''} | {t['date_inactive'] or ''} | {'yes' if t['in_force_on_date'] else 'no'} |"
            for t in doc["timeline"]]
    cov = doc["coverage"]
    out += ["", "## Coverage", "", "| agreement | " + " | ".join(cov["types"]) + " |",
            "|---|" + "---|" * len(cov["types"])]
    names = {t["treaty_id"]: t["treaty_name"] for t in doc["timeline"]}
    for tid, counts in cov["agreements"].items():
        out.append(f"| {names.get(tid, tid)} | " + " | ".join(str(counts.get(x, "")) for x in cov["types"]) + " |")
    out += ["", f"Never committed to: {', '.join(cov['never']) or 'none'}.", ""]
    out += _positions_md(doc)
    out += ["## Divergences by subject", ""]
    for g in doc["divergences"]:
        out += [f"### {g['clause_type']} — {KIND_LABELS.get(g['kind'], g['kind'])} ({len(g['pairs'])})", ""]
        if g["most_common"]:
            out.append(f"Most common wording: {g['most_common']['citation']} ({g['most_common']['agreements']} "
                       f"agreements carry it); most recent: {g['most_recent']['citation']}.")
        for p in g["pairs"]:
            out += _pair_md(p)
        out.append("")
    out += ["## Versions of each provision", "",
            f"Provisions the agreements in force word in two or more ways ({len(doc['variants'])}; the first "
            f"{SHOWN} below, all in the JSON), the most common wording first; marked: the words a wording has "
            "that the most common lacks.", ""]
    for g in doc["variants"][:SHOWN]:
        out += [f"### {_variant_title(g)}", ""]
        for n, w in enumerate(g["wordings"]):
            out.append(f"- {_wording_label(g, n)} {_holders(w)}: " + marked(w["text"], w["spans"], "**", "**"))
        out.append("")
    for title, note, listed in (("Definitions side by side", DEFINITIONS_NOTE, doc["definitions"]),
                                ("Terms worded differently", OTHER_DEFINITIONS_NOTE, doc.get("other_definitions", []))):
        out += [f"## {title}", "", note, ""]
        for d in listed:
            out += [f"### {term_title(d)}", ""]
            out += [f"- {', '.join(a['treaty_name'] for a in v['agreements'])}{why_listed(v, n)}: "
                    + marked(v["text"], v["spans"], "**", "**") for n, v in enumerate(d["variants"])]
            out.append("")
    out += ["## Conflicts between its agreements in force", ""]
    for p in doc["conflicts"]:
        out += _pair_md(p)
    return "\n".join(out) + "\n"


def timeline_svg(doc: dict[str, Any]) -> str:
    """Each agreement a bar from signature to its end (or the report date), a dot at entry into force."""
    rows = [t for t in doc["timeline"] if t["date_signed"] or t["date_in_force"]]
    if not rows:
        return ""
    end_year = int(doc["as_of"][:4])
    years = [int((t["date_signed"] or t["date_in_force"])[:4]) for t in rows]
    first = min(years)
    width, left, step = 900, 260, 16
    scale = (width - left - 20) / max(1, end_year - first + 1)

    def x(day: str | None) -> float:
        if not day:
            return left + (end_year - first + 1) * scale
        y, m = int(day[:4]), int(day[5:7])
        return left + (y - first + (m - 1) / 12) * scale

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{len(rows) * step + 30}' "
             "role='img' aria-label='timeline of the agreements' style='font:11px sans-serif'>"]
    for year in range(first, end_year + 1, max(1, (end_year - first) // 10 or 1)):
        parts.append(f"<line x1='{x(f'{year}-01-01'):.1f}' x2='{x(f'{year}-01-01'):.1f}' y1='0' "
                     f"y2='{len(rows) * step}' stroke='#ddd'/><text x='{x(f'{year}-01-01'):.1f}' "
                     f"y='{len(rows) * step + 14}' text-anchor='middle'>{year}</text>")
    for n, t in enumerate(rows):
        y = n * step + 10
        start = x(t["date_signed"] or t["date_in_force"])
        stop = x(t["date_inactive"]) if t["date_inactive"] else x(doc["as_of"])
        colour = "#2e6da4" if t["in_force_on_date"] else "#999"
        parts.append(f"<text x='{left - 6}' y='{y + 4}' text-anchor='end'>{_esc(t['treaty_name'][:38])}</text>"
                     f"<line x1='{start:.1f}' x2='{max(stop, start + 2):.1f}' y1='{y}' y2='{y}' stroke='{colour}' "
                     "stroke-width='5'/>")
        if t["date_in_force"]:
            parts.append(f"<circle cx='{x(t['date_in_force']):.1f}' cy='{y}' r='4' fill='#b00020'/>")
    parts.append("</svg>")
    return "".join(parts)


def _pair_html(p: dict[str, Any]) -> str:
    a, b = p["later"], p["earlier"]
    sev = p["severity"]
    note = f"<p class='note'><b>Priority (VCLT Art. 30):</b> {_esc(p['priority']['note'])}</p>" if p["priority"] else ""
    also = f"<p class='small'><b>Also between these two articles:</b> {_esc(also_text(p))}</p>" if p.get("also") else ""
    return (f"<div class='finding {sev}'><span class='sev {sev}'>{_esc(p['label'])}</span> {_esc(p['explanation'])}"
            f"<div class='pair'><div><h4>{_esc(a['treaty_name'])} {_esc(a['citation'])} · in force "
            f"{_esc(a['date_in_force'])}</h4>{marked(a['text'], a['spans'], '<mark>', '</mark>', _esc)}</div>"
            f"<div><h4>{_esc(b['treaty_name'])} {_esc(b['citation'])} · in force {_esc(b['date_in_force'])}</h4>"
            f"{marked(b['text'], b['spans'], '<mark>', '</mark>', _esc)}</div></div>{note}{also}</div>")


def html_report(doc: dict[str, Any]) -> str:
    s, cov = doc["summary"], doc["coverage"]
    names = {t["treaty_id"]: t["treaty_name"] for t in doc["timeline"]}
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Consistency of "
             f"{_esc(doc['state']['name'])}</title><style>{CSS} .cov td{{text-align:center;font:11px sans-serif}}"
             ".cov td.n{background:#cfe3f7} .cov th{font:10px sans-serif;writing-mode:vertical-rl}</style>"
             "</head><body>",
             f"<h1>Consistency of {_esc(doc['state']['name'])}'s commitments</h1><p class='meta'>As of "
             f"<b>{_esc(doc['as_of'])}</b> · {s['agreements']} agreements, {s['in_force']} in force · "
             f"{s['divergences']} divergences · {s['legal_conflicts']} legal conflicts · {s['inconsistencies']} "
             "inconsistencies</p>", "<h2>Timeline</h2>", timeline_svg(doc),
             "<p class='small'>Bar: from signature to its end (or the report date), blue if in force on the date; "
             "dot: entry into force.</p>", "<h2>Coverage</h2><table class='cov'><tr><th></th>"
             + "".join(f"<th>{_esc(t)}</th>" for t in cov["types"]) + "</tr>"]
    for tid, counts in cov["agreements"].items():
        parts.append(f"<tr><td style='text-align:left'>{_esc(names.get(tid, tid))}</td>" + "".join(
            f"<td class='{'n' if counts.get(t) else ''}'>{counts.get(t, '')}</td>" for t in cov["types"]) + "</tr>")
    parts.append(f"</table><p class='small'>Never committed to: {_esc(', '.join(cov['never']) or 'none')}.</p>")
    parts.append(_positions_html(doc))
    parts.append("<h2>Divergences by subject</h2>")
    for g in doc["divergences"]:
        common = (f"<p class='small'>Most common wording: {_esc(g['most_common']['citation'])} "
                  f"({g['most_common']['agreements']} agreements); most recent: {_esc(g['most_recent']['citation'])}"
                  "</p>") if g["most_common"] else ""
        parts.append(f"<h3>{_esc(g['clause_type'])} — {_esc(KIND_LABELS.get(g['kind'], g['kind']))} "
                     f"({len(g['pairs'])})</h3>{common}" + "".join(_pair_html(p) for p in g["pairs"][:10]))
    parts.append(f"<h2>Versions of each provision</h2><p class='small'>Provisions the agreements in force word in "
                 f"two or more ways ({len(doc['variants'])}; the first {SHOWN} here, all in the JSON), the most "
                 "common wording first; marked: the words a wording has that the most common lacks.</p>")
    for g in doc["variants"][:SHOWN]:
        parts.append(f"<h3>{_esc(_variant_title(g))}</h3><ul>" + "".join(
            f"<li>{_esc(_wording_label(g, n).strip('*'))} <b>{_esc(_holders(w))}:</b> "
            f"{marked(w['text'], w['spans'], '<mark>', '</mark>', _esc)}</li>" for n, w in enumerate(g["wordings"]))
            + "</ul>")
    for title, note, listed in (("Definitions side by side", DEFINITIONS_NOTE, doc["definitions"]),
                                ("Terms worded differently", OTHER_DEFINITIONS_NOTE, doc.get("other_definitions", []))):
        parts.append(f"<h2>{title}</h2><p class='small'>{_esc(note)}</p>")
        for d in listed:
            parts.append(f"<h3>{_esc(term_title(d))}</h3><ul>" + "".join(
                f"<li><b>{_esc(', '.join(a['treaty_name'] for a in v['agreements']))}</b>"
                f"<span class='small'>{_esc(why_listed(v, n))}</span><b>:</b> "
                f"{marked(v['text'], v['spans'], '<mark>', '</mark>', _esc)}</li>"
                for n, v in enumerate(d["variants"])) + "</ul>")
    parts.append("<h2>Conflicts between its agreements in force</h2>"
                 + "".join(_pair_html(p) for p in doc["conflicts"]))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(doc: dict[str, Any], path: Path) -> None:
    write_text(path, markdown(doc) if path.suffix.lower() == ".md" else html_report(doc))
