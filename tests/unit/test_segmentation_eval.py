"""The hand-built segmentation set must stay above the target of 0.95 (benchmarks/RESULTS.md) precision and recall."""

import json

from benchmarks.segmentation_eval import EVAL, Score, predicted_text, predicted_tota


def _load(name: str) -> list[dict]:
    return [json.loads(x) for x in (EVAL / name).read_text().splitlines() if x.strip()]


def test_tota_articles_meet_target():
    score = Score()
    for item in _load("articles.jsonl") + _load("heldout.jsonl"):
        score.add([(e["path"], e["starts"]) for e in item["expected"]], predicted_tota(item))
    assert score.tp > 500
    assert score.precision >= 0.95 and score.recall >= 0.95


def test_plain_text_articles_meet_target():
    items = _load("text_articles.jsonl")
    preds = predicted_text(items)
    score = Score()
    for item in items:
        score.add([(e["path"], e["starts"]) for e in item["expected"]], preds[item["id"]])
    assert score.precision >= 0.95 and score.recall >= 0.95
