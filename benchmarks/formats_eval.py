"""How faithfully Pacta reads documents from other sources: article counts, language labels, dates, same texts.

Scores ``data/eval/formats/<split>/expected.jsonl`` (one line per document, labelled by reading; see the
README there) with the real reading pipeline (``ingest.pipeline.parse_document``), and ``pairs.jsonl`` (two
files that are, or are not, the same agreement) with a real ``pacta ingest`` of each pair into a fresh store.

    python3 benchmarks/formats_eval.py [--split dev|heldout|all] [--no-pairs] [--show]

``--show`` prints each miss (use it on dev only: the held-out split is scored in aggregate, never read).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.errors import ReadError  # noqa: E402
from ingest.pipeline import parse_document  # noqa: E402
from ingest.records import ParsedTreaty  # noqa: E402

EVAL = ROOT / "data" / "eval" / "formats"
PROVISION_KEYS = ("article", "section", "rule", "regulation", "paragraph")
CHECKS = ("articles", "citations", "languages", "signed", "in_force", "parties")


def observed(parsed: ParsedTreaty) -> dict[str, Any]:
    """What Pacta read, in the terms of ``expected.jsonl``."""
    t = parsed.treaty
    provisions = [c for c in parsed.clauses if c.level == "article" and any(k in c.source for k in PROVISION_KEYS)]
    versions: dict[str, dict[str, Any]] = {}
    for c in provisions:
        n = c.source.get("version", "1")
        v = versions.setdefault(n, {"language": c.source.get("language") or t.language,
                                    "authentic": c.source.get("authentic", "yes" if n == "1" else "no") == "yes",
                                    "articles": 0})
        v["articles"] += 1
    return {
        "articles": versions.get("1", {}).get("articles", 0),
        "citations": {c.citation for c in parsed.clauses},
        "versions": [versions[k] for k in sorted(versions, key=int)],
        "date_signed": t.date_signed.isoformat() if isinstance(t.date_signed, date) else None,
        "date_signed_ambiguous": t.provenance.get("date_signed") == "ambiguous",
        "date_in_force": t.date_in_force.isoformat() if isinstance(t.date_in_force, date) else None,
        "parties": list(t.parties),
    }


def score_document(folder: Path, exp: dict[str, Any]) -> dict[str, Any]:
    """One document's checks: each None when the expectation does not ask for it."""
    try:
        got = observed(parse_document(folder / exp["file"]))
    except ReadError as exc:
        return {"error": str(exc), "articles": False, "citations": False, "languages": False, "signed": False,
                "in_force": None if "date_in_force" not in exp else False,
                "parties": None if exp.get("parties") is None else False}
    versions_ok = [
        (g["language"], g["authentic"]) == (e["language"], e["authentic"])
        for g, e in zip(got["versions"], exp.get("versions") or [], strict=False)
    ] if exp.get("versions") else []
    signed_ok = (got["date_signed"] == exp.get("date_signed")
                 and got["date_signed_ambiguous"] == bool(exp.get("date_signed_ambiguous")))
    in_force_ok = got["date_in_force"] == exp["date_in_force"] if "date_in_force" in exp else None
    missing = sorted(set(exp.get("citations") or []) - got["citations"])
    return {
        "articles": got["articles"] == exp["articles"],
        "citations": not missing,
        "languages": (len(got["versions"]) == len(exp["versions"]) and all(versions_ok)) if exp.get("versions")
        else None,
        "version_labels": (sum(versions_ok), len(exp["versions"])) if exp.get("versions") else None,
        "signed": signed_ok,
        "in_force": in_force_ok,
        "parties": None if exp.get("parties") is None else sorted(got["parties"]) == sorted(exp["parties"]),
        "got": {**got, "citations": missing and f"missing {missing}"},
    }


def score_pair(folder: Path, pair: dict[str, Any], show: bool = False) -> bool:
    """Whether a real ingest of the two files calls the second a duplicate exactly when they are one text."""
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [sys.executable, "-m", "app.cli", "--store", tmp, "ingest", "-q", "--json",
             *(str(folder / f) for f in pair["files"])],
            capture_output=True, text=True, cwd=ROOT, check=False)
        try:
            files = json.loads(run.stdout)["files"]
        except (json.JSONDecodeError, KeyError):
            print(f"  pair {pair['files']}: ingest failed: {run.stderr.strip()[-300:]}")
            return False
        duplicate = files[-1]["status"] == "duplicate"
        right = duplicate == bool(pair["same"]) and files[0]["status"] == "ingested"
        if show and not right:
            print(f"  pair {pair['files']}: {[(f['status'], f.get('error') or f.get('note')) for f in files]}")
        return right


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--no-pairs", action="store_true", help="skip the same-text pairs (each needs an ingest)")
    ap.add_argument("--show", action="store_true", help="print each miss (dev only)")
    args = ap.parse_args()
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    for split in splits:
        folder = EVAL / split
        rows = [json.loads(line) for line in (folder / "expected.jsonl").read_text().splitlines() if line.strip()]
        table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for exp in rows:
            result = score_document(folder, exp)
            for fmt in (exp["format"], "all"):
                for check in CHECKS:
                    if result.get(check) is not None:
                        table[fmt][check][0] += int(bool(result[check]))
                        table[fmt][check][1] += 1
            misses = [k for k in CHECKS if result.get(k) is False]
            if args.show and split == "dev" and misses:
                print(f"  {exp['file']}: wrong {', '.join(misses)}; read {result.get('error') or result['got']}")
        print(f"\n## {split}: {len(rows)} documents")
        print("| format | documents | article count | citations | language labels | date signed | date in force "
              "| parties |")
        print("|---|---|---|---|---|---|---|---|")
        for fmt in sorted(table, key=lambda f: (f == "all", f)):
            cells = [f"{table[fmt][c][0]}/{table[fmt][c][1]}" if table[fmt][c][1] else "—"
                     for c in CHECKS]
            count = max(v[1] for v in table[fmt].values())
            print(f"| {fmt} | {count} | " + " | ".join(cells) + " |")
        pairs_file = folder / "pairs.jsonl"
        if not args.no_pairs and pairs_file.exists():
            pairs = [json.loads(line) for line in pairs_file.read_text().splitlines() if line.strip()]
            right = sum(score_pair(folder, p, args.show and split == "dev") for p in pairs)
            print(f"\nsame-text pairs ({split}): {right}/{len(pairs)} right "
                  f"({sum(bool(p['same']) for p in pairs)} same, {sum(not p['same'] for p in pairs)} different)")


if __name__ == "__main__":
    main()
