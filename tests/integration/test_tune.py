"""pacta tune for real: a short fine-tuning run on the sample, activated, searched, then reverted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

pytestmark = pytest.mark.integration


def pacta(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=900)


def index_model(store: Path) -> str:
    current = (store / "index" / "CURRENT").read_text().strip()
    return json.loads((store / "index" / current / "meta.json").read_text())["model"]


def test_tune_activate_search_and_revert(tmp_path: Path):
    store = tmp_path / "store"
    assert pacta("--store", str(store), "ingest", "-q", str(SAMPLE)).returncode == 0
    packaged = index_model(store)

    done = pacta("--store", str(store), "tune", "--minutes", "0.05", "--batch-size", "8", "-q",
                 "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    training = report["training"]
    assert training["steps"] >= 1 and training["pairs"]["heading"] > 100 and training["pairs"]["variant"] > 100
    # hard negatives by default: most pairs of a real corpus have a clause of another article sharing their wording
    assert training["hard_negatives"] > training["steps"] * 8 // 2
    assert report["model"] == "tuned" and report["activated"] and report["reindex"]["index_rows"] > 0
    assert (store / "models" / "tuned" / "model.safetensors").is_file()
    tuned = index_model(store)
    assert tuned != packaged and tuned.startswith("weights@")  # re-indexed with the tuned weights

    hits = pacta("--store", str(store), "search", "withdrawal from the agreement", "--json")
    assert hits.returncode == 0, hits.stderr
    assert json.loads(hits.stdout)["hits"]

    # A search forced onto another model than the index's is refused, not answered with mismatched vectors.
    other = pacta("--store", str(store), "--model", "default", "search", "withdrawal")
    assert other.returncode == 1 and "built with model" in other.stderr and "Traceback" not in other.stderr

    back = pacta("--store", str(store), "tune", "--revert", "-q", "--json")
    assert back.returncode == 0, back.stderr
    assert index_model(store) == packaged
    reverted = json.loads(back.stdout)
    assert reverted["model"] == "packaged" and reverted["training"] is None
    assert reverted["reindex"]["embedded"] == 0  # the packaged model's vectors were cached


def test_tune_without_hard_negatives_trains_on_in_batch_negatives_only(tmp_path: Path):
    store = tmp_path / "store"
    assert pacta("--store", str(store), "ingest", "-q", str(SAMPLE)).returncode == 0
    done = pacta("--store", str(store), "tune", "--minutes", "0.05", "--batch-size", "8", "--no-hard-negatives",
                 "--no-activate", "-q", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["training"]["steps"] >= 1 and report["training"]["hard_negatives"] == 0
    assert report["model"] == "unchanged" and (store / "models" / "tuned" / "model.safetensors").is_file()
