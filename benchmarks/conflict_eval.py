"""Conflict-check quality against the hand-written drafts of ``data/eval/conflicts`` (dev and held-out apart),
beside a simple baseline measured in the same run.

A labelled draft clause is found by its snippet. A planted conflict is recalled when the check reports a finding
of its kind on that draft clause citing one of the expected existing clauses (same agreement, same article);
"lenient" recall drops the citation condition. Precision is over the (draft clause, kind) groups the check
reports on labelled clauses: a group is right when that clause has a planted conflict of that kind. Findings on
clean clauses (restatements, traps, new ground) are false findings. Restatements must come out consistent and
new ground as new ground.

Baseline: the nearest stored clause by embedding within the parties' agreements in force; if its cosine is at
least 0.75 and the two differ in a number (numeric) or in a modal word (shall / may / shall not: modality), one
finding of that kind.

    python3 benchmarks/conflict_eval.py --store DIR [--split dev|held-out|all] [--errors] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.checking import CheckRequest, check, read_draft  # noqa: E402
from app.context import Context, Settings  # noqa: E402
from graph.conflicts.check import draft_clauses  # noqa: E402
from search.index import Filter  # noqa: E402

EVAL = ROOT / "data" / "eval" / "conflicts"
KINDS = ("modality", "numeric", "forum", "definition", "scope", "priority", "mfn")
BASELINE_COSINE = 0.75
_MODAL = re.compile(r"\b(shall\s+not|may\s+not|must\s+not|shall|may|must)\b", re.I)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")


def norm(text: str) -> str:
    """Lower-case words and numbers only: snippets survive OCR repairs, hyphenation and spacing."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("-\n", "")))


@dataclass
class Score:
    expected: Counter[str] = field(default_factory=Counter)
    recalled: Counter[str] = field(default_factory=Counter)
    lenient: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    clean: int = 0
    false_on_clean: int = 0
    consistent_expected: int = 0
    consistent_found: int = 0
    new_expected: int = 0
    new_found: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "recalled", "lenient", "predicted", "correct"):
            getattr(self, name).update(getattr(other, name))
        for name in ("clean", "false_on_clean", "consistent_expected", "consistent_found", "new_expected", "new_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def load(split: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    drafts, expected = [], []
    for name in ("dev", "heldout"):
        if split != "all" and name != split.replace("-", ""):
            continue
        drafts += [json.loads(line) for line in (EVAL / f"drafts-{name}.jsonl").read_text().splitlines() if line]
        expected += [json.loads(line) for line in (EVAL / f"expected-{name}.jsonl").read_text().splitlines() if line]
    return drafts, expected


def _holds(text: str, snippet: str) -> bool:
    return norm(snippet) in norm(text)


def _existing_ok(clause: dict[str, Any], targets: list[dict[str, Any]]) -> bool:
    candidates = [clause, *clause.get("also_in", [])]
    for c in candidates:
        for t in targets:
            if c["treaty_id"] == t["treaty_id"] and str(c.get("source", {}).get("article_identifier")) == \
                    str(t.get("article_identifier")):
                return True
    return False


def score_draft(doc: dict[str, Any], labels: list[dict[str, Any]], clause_texts: list[str],
                findings: list[dict[str, Any]]) -> Score:
    """Score one draft's findings (the check's, or the baseline's, same shape) against its labels."""
    s = Score()
    conflicts = [lab for lab in labels if lab["label"] == "conflict"]
    for lab in conflicts:
        s.expected[lab["kind"]] += 1
        mine = [f for f in findings if f["kind"] == lab["kind"] and _holds(f["draft_clause"]["text"],
                                                                           lab["draft_snippet"])]
        if mine:
            s.lenient[lab["kind"]] += 1
        if any(_existing_ok(f["existing"], lab["existing"]) for f in mine):
            s.recalled[lab["kind"]] += 1
        else:
            cited = "; ".join(f"{f['existing']['treaty_id']} {f['existing']['citation']}" for f in mine[:3])
            s.errors.append(f"{lab['draft']} Art. {lab['article']}({lab['paragraph']}) {lab['kind']}: "
                            + (f"found, but citing {cited}" if mine else "missed"))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        groups[(f["draft_clause"]["text"], f["kind"])].append(f)
    for (text, kind), fs in groups.items():
        on = [lab for lab in labels if _holds(text, lab["draft_snippet"])]
        if not on:
            continue  # an unlabelled clause is not scored
        s.predicted[kind] += 1
        if any(lab["label"] == "conflict" and lab["kind"] == kind for lab in on):
            s.correct[kind] += 1
        else:
            s.errors.append(f"{on[0]['draft']} Art. {on[0]['article']}({on[0]['paragraph']}) labelled "
                            f"{'/'.join(sorted({lab['label'] for lab in on}))}: false {kind} finding vs "
                            f"{fs[0]['existing']['treaty_id']} {fs[0]['existing']['citation']}")
    for lab in labels:
        if lab["label"] == "conflict":
            continue
        s.clean += 1
        s.false_on_clean += sum(1 for (text, _k) in groups if _holds(text, lab["draft_snippet"]))
        if lab["label"] == "consistent":
            s.consistent_expected += 1
            hit = any(_holds(m["draft_clause"]["text"], lab["draft_snippet"]) for m in doc.get("consistent", []))
            s.consistent_found += hit
            if not hit:
                s.errors.append(f"{lab['draft']} Art. {lab['article']}({lab['paragraph']}) consistent: not listed")
        if lab["label"] == "new_ground":
            s.new_expected += 1
            hit = any(_holds(c["text"], lab["draft_snippet"]) for c in doc.get("new_ground", []))
            s.new_found += hit
            if not hit:
                s.errors.append(f"{lab['draft']} Art. {lab['article']}({lab['paragraph']}) new ground: not listed")
    for lab in labels:
        if not any(_holds(t, lab["draft_snippet"]) for t in clause_texts):
            s.errors.append(f"{lab['draft']} Art. {lab['article']}({lab['paragraph']}): snippet in no draft clause")
    return s


def baseline(ctx: Context, draft: Any, parties: tuple[str, ...], as_of: date) -> list[dict[str, Any]]:
    """The simple baseline's findings, in the check's shape (the fields scoring reads)."""
    from app.querying import clause_json

    clauses = draft_clauses(draft)
    scope = frozenset(ctx.graph.treaty_ids(parties, False, as_of))
    hits = ctx.engine.nearest([c.passage_text for c in clauses], 1, Filter(treaty_ids=scope), mode="dense")
    found = ctx.graph.get_clauses(h[0].clause_id for h in hits if h)
    treaties = ctx.graph.get_treaties(c.treaty_id for c in found.values())
    out = []
    for c, h in zip(clauses, hits, strict=True):
        if not h or (h[0].dense or 0) < BASELINE_COSINE or h[0].clause_id not in found:
            continue
        e = found[h[0].clause_id]
        nums_a, nums_b = set(_NUMBER.findall(c.full_text)), set(_NUMBER.findall(e.full_text))
        modal_a = {m.lower() for m in _MODAL.findall(c.full_text)}
        modal_b = {m.lower() for m in _MODAL.findall(e.full_text)}
        kind = "numeric" if nums_a and nums_b and nums_a != nums_b else "modality" if modal_a != modal_b else None
        if kind:
            out.append({"kind": kind, "draft_clause": {"text": c.full_text},
                        "existing": clause_json(e, treaties.get(e.treaty_id)) | {"also_in": []}})
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def table(name: str, s: Score) -> str:
    rows = [f"### {name}", "", "| kind | planted | recall | recall (lenient) | reported groups | precision |",
            "|---|---|---|---|---|---|"]
    for k in KINDS:
        rows.append(f"| {k} | {s.expected[k]} | {_ratio(s.recalled[k], s.expected[k])} | "
                    f"{_ratio(s.lenient[k], s.expected[k])} | {s.predicted[k]} | "
                    f"{_ratio(s.correct[k], s.predicted[k])} |")
    e, r, lr = sum(s.expected.values()), sum(s.recalled.values()), sum(s.lenient.values())
    p, c = sum(s.predicted.values()), sum(s.correct.values())
    rows.append(f"| **all** | {e} | {_ratio(r, e)} | {_ratio(lr, e)} | {p} | {_ratio(c, p)} |")
    rows += ["", f"false findings per clean clause: {_ratio(s.false_on_clean, s.clean)} ({s.false_on_clean} on "
             f"{s.clean}); restatements listed consistent: {s.consistent_found}/{s.consistent_expected}; new ground "
             f"listed: {s.new_found}/{s.new_expected}", ""]
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a store holding the English ToTA corpus")
    ap.add_argument("--split", choices=("dev", "held-out", "all"), default="all")
    ap.add_argument("--errors", action="store_true", help="list misses and false findings (dev only)")
    ap.add_argument("--json", type=Path, help="write every check document here")
    opts = ap.parse_args()
    drafts, expected = load(opts.split)
    ctx = Context(Settings(store=opts.store))
    results: dict[str, dict[str, Score]] = defaultdict(lambda: {"pacta": Score(), "baseline": Score()})
    docs = {}
    seconds = []
    for d in drafts:
        path = EVAL / d["file"]
        parties, as_of = tuple(d["parties"]), date.fromisoformat(d["as_of"])
        labels = [lab for lab in expected if lab["draft"] == d["draft"]]
        began = time.perf_counter()
        doc = check(ctx, CheckRequest(path, parties, as_of))
        seconds.append(time.perf_counter() - began)
        docs[d["draft"]] = doc
        texts = [c.full_text for c in read_draft(path, parties).clauses]
        split = d["split"]
        results[split]["pacta"].add(score_draft(doc, labels, texts, doc["findings"]))
        base = baseline(ctx, read_draft(path, parties), parties, as_of)
        results[split]["baseline"].add(score_draft({}, labels, texts, base))
    for split in sorted(results):
        for system in ("pacta", "baseline"):
            print(table(f"{split} — {system}", results[split][system]))
        if opts.errors and split == "dev":
            print("\n".join(f"- {e}" for e in results[split]["pacta"].errors), "\n")
    seconds.sort()
    print(f"check time per draft (warm after the first): median {seconds[len(seconds) // 2]:.2f} s, "
          f"max {seconds[-1]:.2f} s over {len(seconds)} drafts")
    if opts.json:
        opts.json.write_text(json.dumps(docs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
