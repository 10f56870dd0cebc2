"""The draft-check report: a terminal summary, Markdown, and a self-contained printable HTML page (no external
assets) with both texts side by side and the clashing words marked. Each renders the JSON document of
``app.checking`` and nothing else."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.atomic import write_atomic
from ingest.errors import InputError

SEVERITIES = ("high", "medium", "low")
_KIND_LABEL = {"modality": "Opposite duties", "numeric": "Different number", "forum": "Clashing forum",
               "definition": "Diverging definition", "scope": "Scope", "priority": "Competing priority clauses",
               "mfn": "MFN spill-over"}


def merged(spans: list[list[int]]) -> list[tuple[int, int]]:
    """Spans sorted and overlapping ones joined."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def marked(text: str, spans: list[list[int]], before: str, after: str,
           escape: Callable[[str], str] = lambda s: s) -> str:
    """``text`` escaped with ``escape``, each (merged) span wrapped in ``before`` / ``after``."""
    out, last = [], 0
    for start, end in merged(spans):
        out += [escape(text[last:start]), before, escape(text[start:end]), after]
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def _article(citation: str) -> str:
    return citation.split("(")[0]


def grouped(doc: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Findings grouped by draft article (in the draft's order), each group sorted by severity."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in sorted(doc["findings"], key=lambda f: f["draft_clause"].get("order", 0)):
        groups.setdefault(_article(f["draft_clause"]["citation"]), []).append(f)
    order = {s: n for n, s in enumerate(SEVERITIES)}
    return [(a, sorted(fs, key=lambda f: order[f["severity"]])) for a, fs in groups.items()]


def summary(doc: dict[str, Any], report: Path | None = None) -> str:
    """The result in a few lines for the terminal."""
    d, s = doc["draft"], doc["summary"]
    lines = [f"{d['title']}: {d['clauses']} clauses checked against {len(doc['searched'])} agreements in force on "
             f"{d['as_of']} for {', '.join(d['parties'])}.",
             f"{s['findings']} findings ({s['high']} high, {s['medium']} medium, {s['low']} low); "
             f"{s['consistent']} consistent; {s['new_ground']} new ground; "
             f"{s['safeguards_missing']} safeguards missing."]
    for f in doc["findings"]:
        e = f["existing"]
        lines.append(f"  [{f['severity']}] {f['draft_clause']['citation']} vs {e['treaty_name']} {e['citation']}: "
                     f"{f['explanation']}")
    if doc.get("divergences"):
        lines.append(f"{len(doc['divergences'])} divergences from agreements with other partners (numbers, forums, "
                     "definitions or scope that govern those relations only; see --json or the report).")
    missing = [g["safeguard"] for g in doc["safeguards"] if not g["present"]]
    if missing:
        lines.append(f"Missing safeguards: {', '.join(missing)}.")
    if doc.get("positions"):
        flagged = [r for r in doc["positions"]["results"] if r["status"] in ("crossed", "missing", "broken")]
        lines.append(f"Positions: {len(flagged)} of {len(doc['positions']['results'])} flagged" +
                     "".join(f"\n  {r['status']}: {r['name']}" for r in flagged))
    if report:
        lines.append(f"Report written to {report}.")
    return "\n".join(lines)


def _priority(f: dict[str, Any]) -> str:
    return f["priority"]["note"] if f["priority"] else "No rule of priority applies."


def markdown(doc: dict[str, Any]) -> str:
    d, s = doc["draft"], doc["summary"]
    parties = ", ".join(f"{p['name']} ({p['code']}, {p['agreements_in_force']} agreements in force)"
                        for p in doc["parties"])
    out = [f"# Draft check: {d['title']}", "",
           f"Parties: {parties}  ",
           f"Obligations read as of {d['as_of']}; {d['clauses']} draft clauses checked against "
           f"{len(doc['searched'])} agreements.", "",
           "| severity | findings |", "|---|---|", *(f"| {k} | {s[k]} |" for k in SEVERITIES),
           f"| consistent | {s['consistent']} |", f"| new ground | {s['new_ground']} |", ""]
    for w in doc["warnings"]:
        out.append(f"> {w}")
    for article, findings in grouped(doc):
        out += [f"## {article}", ""]
        for f in findings:
            e = f["existing"]
            out += [f"### {f['severity'].upper()} · {_KIND_LABEL[f['kind']]} · {e['treaty_name']} {e['citation']}", "",
                    f["explanation"], "",
                    f"**Draft {f['draft_clause']['citation']}:** "
                    + marked(f["draft_clause"]["text"], f["draft_clause"]["spans"], "**", "**"), "",
                    f"**{e['treaty_name']} {e['citation']}** (parties {', '.join(e['parties'])}; in force "
                    f"{e['date_in_force']}): " + marked(e["text"], e["spans"], "**", "**"), "",
                    f"*Severity:* {f['severity']} — {f['rule']['severity_reason']}. *Rule:* `{f['rule']['id']}`.  ",
                    f"*Priority:* {_priority(f)}  ",
                    f"*Way out:* {f['way_out']['suggestion']}", ""]
    if doc.get("divergences"):
        out += ["## Divergences from agreements with other partners", "",
                "Numbers, forums, definitions or scope that differ from an agreement binding only one of the "
                "draft's parties: each governs its own relation, so these are divergences of practice.", ""]
        out += [f"- Draft {f['draft_clause']['citation']} · {_KIND_LABEL[f['kind']]} · {f['existing']['treaty_name']} "
                f"{f['existing']['citation']}: {f['explanation']}" for f in doc["divergences"]]
        out.append("")
    if doc["consistent"]:
        out += ["## Consistent with existing obligations", ""]
        out += [f"- Draft {m['draft_clause']['citation']} restates {m['existing']['treaty_name']} "
                f"{m['existing']['citation']}." for m in doc["consistent"]]
        out.append("")
    if doc["new_ground"]:
        out += ["## New ground (no counterpart in the parties' agreements)", ""]
        out += [f"- Draft {c['citation']}: {c['text'][:160]}" for c in doc["new_ground"]]
        out.append("")
    out += ["## Safeguards", ""]
    for g in doc["safeguards"]:
        if g["present"]:
            out.append(f"- {g['safeguard']}: present ({', '.join(g['draft_clauses'])})")
        else:
            precedents = "; ".join(f"{p['treaty_name']} {p['citation']}" for p in g["precedents"]) or "none found"
            out.append(f"- {g['safeguard']}: **missing** — precedents: {precedents}")
    if doc.get("positions"):
        out += ["", "## Negotiating positions", ""]
        for r in doc["positions"]["results"]:
            cited = "; ".join(f"{c['citation']} ({c['rule']})" for c in r["clauses"])
            out.append(f"- {r['name']}: **{r['status']}**" + (f" — {cited}" if cited else ""))
    out += ["", "## Agreements searched", ""]
    out += [f"- {t['treaty_name']} ({t['treaty_id']}; {', '.join(t['parties'])}; in force {t['date_in_force']})"
            for t in doc["searched"]]
    return "\n".join(out) + "\n"


CSS = """
body{font:14px/1.45 Georgia,'Times New Roman',serif;color:#1b1b1b;margin:2em auto;max-width:1100px;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #333;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left}
.finding{border:1px solid #ccc;border-left:6px solid #999;margin:1em 0;padding:.6em .9em;page-break-inside:avoid}
.high{border-left-color:#b00020}.medium{border-left-color:#d98200}.low{border-left-color:#5a7fa8}
.sev{font:bold 12px sans-serif;text-transform:uppercase;padding:.1em .5em;border-radius:3px;color:#fff}
.sev.high{background:#b00020}.sev.medium{background:#d98200}.sev.low{background:#5a7fa8}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin:.6em 0}
.pair div{background:#fafafa;border:1px solid #e2e2e2;padding:.5em;white-space:pre-wrap}
.pair h4{margin:0 0 .3em;font:bold 12px sans-serif;color:#555}
mark{background:#ffe066;padding:0 .1em}.meta{font:12px sans-serif;color:#444}
.note{margin:.3em 0}.small{font-size:12px;color:#555}
@media print{body{margin:0;max-width:none}.finding{border-left-width:4px}}
"""


def _esc(s: Any) -> str:
    return html.escape(str(s if s is not None else ""))


def html_report(doc: dict[str, Any]) -> str:
    d, s = doc["draft"], doc["summary"]
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Draft check: {_esc(d['title'])}"
             f"</title><style>{CSS}</style></head><body>",
             f"<h1>Draft check: {_esc(d['title'])}</h1>",
             f"<p class='meta'>Draft file {_esc(d['path'])} · {d['clauses']} clauses · obligations read as of "
             f"<b>{_esc(d['as_of'])}</b> · parties: "
             + ", ".join(f"{_esc(p['name'])} ({_esc(p['code'])}, {p['agreements_in_force']} agreements in force)"
                         for p in doc["parties"]) + "</p>",
             "<table><tr><th>high</th><th>medium</th><th>low</th><th>consistent</th><th>new ground</th>"
             "<th>safeguards missing</th></tr>"
             f"<tr><td>{s['high']}</td><td>{s['medium']}</td><td>{s['low']}</td><td>{s['consistent']}</td>"
             f"<td>{s['new_ground']}</td><td>{s['safeguards_missing']}</td></tr></table>"]
    parts += [f"<p class='note'><b>Note:</b> {_esc(w)}</p>" for w in doc["warnings"]]
    if doc["findings"]:
        parts.append("<table><tr><th>draft</th><th>severity</th><th>kind</th><th>existing clause</th></tr>" + "".join(
            f"<tr><td>{_esc(f['draft_clause']['citation'])}</td><td>{f['severity']}</td>"
            f"<td>{_esc(_KIND_LABEL[f['kind']])}</td><td>{_esc(f['existing']['treaty_name'])} "
            f"{_esc(f['existing']['citation'])}</td></tr>" for _, fs in grouped(doc) for f in fs) + "</table>")
    for article, findings in grouped(doc):
        parts.append(f"<h2>Draft {_esc(article)}</h2>")
        for f in findings:
            e, dc = f["existing"], f["draft_clause"]
            heading = f" · {_esc(dc['heading'])}" if dc["heading"] else ""
            way = f["way_out"]
            precedent = ""
            if way["precedent"]:
                p = way["precedent"]
                precedent = (f"<div class='pair'><div style='grid-column:1/3'><h4>Precedent that does not clash: "
                             f"{_esc(p['treaty_name'])} {_esc(p['citation'])}</h4>{_esc(p['text'])}</div></div>")
            parts.append(
                f"<div class='finding {f['severity']}'><span class='sev {f['severity']}'>{f['severity']}</span> "
                f"<b>{_esc(_KIND_LABEL[f['kind']])}</b> — {_esc(f['explanation'])}"
                f"<div class='pair'><div><h4>Draft {_esc(dc['citation'])}{heading}</h4>"
                f"{marked(dc['text'], dc['spans'], '<mark>', '</mark>', _esc)}</div>"
                f"<div><h4>{_esc(e['treaty_name'])} {_esc(e['citation'])} · parties {_esc(', '.join(e['parties']))}"
                f" · in force {_esc(e['date_in_force'])} · id {_esc(e['clause_id'])}</h4>"
                f"{marked(e['text'], e['spans'], '<mark>', '</mark>', _esc)}</div></div>"
                f"<p class='note'><b>Severity:</b> {_esc(f['rule']['severity_reason'])}. "
                f"<span class='small'>Rule <code>{_esc(f['rule']['id'])}</code>.</span></p>"
                f"<p class='note'><b>Priority (VCLT Art. 30):</b> {_esc(_priority(f))}</p>"
                f"<p class='note'><b>Way out:</b> {_esc(way['suggestion'])}</p>{precedent}</div>")
    if doc.get("divergences"):
        parts.append("<h2>Divergences from agreements with other partners</h2><p class='small'>Numbers, forums, "
                     "definitions or scope that differ from an agreement binding only one of the draft's parties: "
                     "each governs its own relation, so these are divergences of practice.</p><ul>" + "".join(
                         f"<li>Draft {_esc(f['draft_clause']['citation'])} · {_esc(_KIND_LABEL[f['kind']])} · "
                         f"{_esc(f['existing']['treaty_name'])} {_esc(f['existing']['citation'])}: "
                         f"{_esc(f['explanation'])}</li>" for f in doc["divergences"]) + "</ul>")
    if doc["consistent"]:
        parts.append("<h2>Consistent with existing obligations</h2><ul>" + "".join(
            f"<li>Draft {_esc(m['draft_clause']['citation'])} restates {_esc(m['existing']['treaty_name'])} "
            f"{_esc(m['existing']['citation'])}</li>" for m in doc["consistent"]) + "</ul>")
    if doc["new_ground"]:
        parts.append("<h2>New ground</h2><p class='small'>No counterpart in the parties' agreements.</p><ul>" + "".join(
            f"<li>Draft {_esc(c['citation'])}: {_esc(c['text'][:200])}</li>" for c in doc["new_ground"]) + "</ul>")
    parts.append("<h2>Safeguards</h2><table><tr><th>safeguard</th><th>in the draft</th><th>precedents</th></tr>")
    for g in doc["safeguards"]:
        where = ", ".join(g["draft_clauses"]) if g["present"] else "<b>missing</b>"
        prec = "; ".join(f"{_esc(p['treaty_name'])} {_esc(p['citation'])}" for p in g["precedents"])
        parts.append(f"<tr><td>{_esc(g['safeguard'])}</td><td>{where}</td><td>{prec}</td></tr>")
    parts.append("</table>")
    if doc.get("positions"):
        parts.append("<h2>Negotiating positions</h2><table><tr><th>position</th><th>status</th>"
                     "<th>draft clauses</th></tr>")
        for r in doc["positions"]["results"]:
            cited = "; ".join(f"{_esc(c['citation'])} ({_esc(c['rule'])})" for c in r["clauses"])
            parts.append(f"<tr><td>{_esc(r['name'])}</td><td><b>{_esc(r['status'])}</b></td><td>{cited}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Agreements searched</h2><table><tr><th>agreement</th><th>parties</th><th>in force</th></tr>"
                 + "".join(f"<tr><td>{_esc(t['treaty_name'])} ({_esc(t['treaty_id'])})</td>"
                           f"<td>{_esc(', '.join(t['parties']))}</td><td>{_esc(t['date_in_force'])}</td></tr>"
                           for t in doc["searched"]) + "</table></body></html>")
    return "\n".join(parts)


def write_text(path: Path, text: str) -> None:
    """Write a report through a temporary file renamed into place; InputError (one line) when it cannot be."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None


def write_report(doc: dict[str, Any], path: Path) -> None:
    """Write the report as Markdown (.md) or HTML (.html)."""
    write_text(path, markdown(doc) if path.suffix.lower() == ".md" else html_report(doc))
