"""Paragraph-boundary precision and recall of clause splitting on the hand-built set in data/eval/segmentation.

A boundary is a labelled clause: its label path ("2/b/i") and the first
characters of its own text (letters and digits only, so OCR hyphenation and
spacing do not count). ``articles.jsonl`` and ``text_articles.jsonl`` are the
development set (their errors were read while improving the splitter);
``heldout.jsonl`` was built afterwards from other agreements and is only ever
scored, so its figure is the honest one.

    python benchmarks/segmentation_eval.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.readers import read
from ingest.readers.tota_xml import article_body
from ingest.segment import split_body

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "segmentation"
_KEY_CHARS = 12


def key(text: str, n: int = _KEY_CHARS) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())[:n]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: list[tuple[str, str]], predicted: list[tuple[str, str]]) -> None:
        exp = Counter((p, key(s)) for p, s in expected)
        # Compare the predicted text only as far as the expected start goes.
        pred: Counter[tuple[str, str]] = Counter()
        lengths = {p: len(key(s)) for p, s in expected}
        for p, s in predicted:
            pred[(p, key(s, lengths.get(p, _KEY_CHARS)))] += 1
        hit = sum((exp & pred).values())
        self.tp += hit
        self.fp += sum(pred.values()) - hit
        self.fn += sum(exp.values()) - hit

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


_NAIVE = re.compile(r"^[ \t]*(\(?([0-9]{1,3}|[a-z]{1,2}|[ivxl]{1,6}|[A-Z])[.)])[ \t]*", re.M)


def naive_split(body: str) -> list[tuple[str, str]]:
    """Baseline: every label at a line start is a boundary; levels by the order styles first appear."""
    styles: list[str] = []
    path: list[str] = []
    out = []
    marks = list(_NAIVE.finditer(body))
    for i, m in enumerate(marks):
        label = m[2]
        style = re.sub(r"[0-9]+", "1", re.sub(r"[a-z]+", "a", m[1]))
        if style not in styles:
            styles.append(style)
        depth = styles.index(style)
        path = path[:depth] + [label]
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        out.append(("/".join(path), body[m.end():end]))
    return out


def predicted_tota(item: dict, naive: bool = False) -> list[tuple[str, str]]:
    body = article_body(item["text"], item.get("name") if item.get("number") else None)
    if naive:
        return naive_split(body)
    return [("/".join(s.path), s.text) for s in split_body(body)[1]]


def predicted_text(items: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """Per eval id, the clauses the plain-text reader found for that article (annex and number matched)."""
    out: dict[str, list[tuple[str, str]]] = {}
    by_file: dict[str, list[dict]] = {}
    for item in items:
        by_file.setdefault(item["file"], []).append(item)
    for file, arts in by_file.items():
        path = EVAL / file
        parsed = read(path, path.read_bytes(), "eval")
        for item in arts:
            prefix = f"Annex {item['annex']}, " if item.get("annex") else ""
            cite = f"{prefix}Art. {item['article']}"
            out[item["id"]] = [
                ("/".join(re.findall(r"\(([^)]*)\)", c.citation[len(cite):])), c.text)
                for c in parsed.clauses if c.citation.startswith(cite + "(")
            ] if any(c.citation == cite for c in parsed.clauses) else [("<article not found>", "")]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list the development articles with errors")
    opts = ap.parse_args()
    def load(name: str, half: str) -> list[dict]:
        rows = [json.loads(x) for x in (EVAL / name).read_text().splitlines() if x.strip()]
        return [r | {"half": half} for r in rows]

    tota = load("articles.jsonl", "dev") + load("heldout.jsonl", "held-out")
    text = load("text_articles.jsonl", "dev")
    preds = {item["id"]: predicted_tota(item) for item in tota} | predicted_text(text)
    scores: dict[tuple[str, str], Score] = {}
    for item in tota + text:
        expected = [(e["path"], e["starts"]) for e in item["expected"]]
        for group in ((item["source"], item["half"]), ("all", item["half"])):
            scores.setdefault(group, Score()).add(expected, preds[item["id"]])
        if item["source"] == "tota":
            naive = ("tota, naive line-start baseline", item["half"])
            scores.setdefault(naive, Score()).add(expected, predicted_tota(item, naive=True))
        if opts.errors and item["half"] == "dev":
            one = Score()
            one.add(expected, preds[item["id"]])
            if one.fp or one.fn:
                print(f"--- {item['id']} fp={one.fp} fn={one.fn}")
                print("  expected:", [(p, key(s)) for p, s in expected])
                print("  got:     ", [(p, key(s)) for p, s in preds[item["id"]]])
    agreements = {i["file"] for i in tota} | {i["file"] for i in text}
    dev = sum(i["half"] == "dev" for i in tota + text)
    print(f"articles: {len(tota + text)} from {len(agreements)} files (dev {dev}, held-out {len(tota + text) - dev})")
    print("| source | set | boundaries | precision | recall |\n|---|---|---|---|---|")
    for (source, half), s in sorted(scores.items()):
        print(f"| {source} | {half} | {s.tp + s.fn} | {s.precision:.3f} | {s.recall:.3f} |")


if __name__ == "__main__":
    main()
