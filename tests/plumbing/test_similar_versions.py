"""``pacta similar --all-versions`` reaches the search layer: the further language versions of agreements are
left out of "more like this" by default and searched on request, as in ``pacta search``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests.unit.test_readers_text_numbering import BILINGUAL

GERMAN = {"German text, Preamble", "German text, Art. 1", "German text, Art. 2(1)", "German text, Art. 2(2)"}


@pytest.fixture(scope="module")
def bilingual_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one agreement in English with its German version ("German text, Art. 1")."""
    base = tmp_path_factory.mktemp("bilingual")
    (base / "at-de.txt").write_text(BILINGUAL, encoding="utf-8")
    assert main(["--store", str(base / "store"), "ingest", "-q", str(base / "at-de.txt")]) == 0
    return base / "store"


def _answer(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_similar_searches_further_language_versions_only_with_all_versions(bilingual_store: Path,
                                                                           capsys: pytest.CaptureFixture[str]):
    s = ["--store", str(bilingual_store)]
    treaty = _answer(capsys, *s, "list")["treaties"][0]["treaty_id"]
    clauses = _answer(capsys, *s, "show", treaty)["clauses"]
    article_1 = next(c["clause_id"] for c in clauses if c["citation"] == "Art. 1")
    # k above the store's size: every allowed clause is a hit, so the two answers differ only by what is allowed.
    default = _answer(capsys, *s, "similar", article_1, "-k", "50")
    every = _answer(capsys, *s, "similar", article_1, "-k", "50", "--all-versions")
    assert default["request"]["all_versions"] is False and every["request"]["all_versions"] is True
    cited, cited_all = ({h["citation"] for h in doc["hits"]} for doc in (default, every))
    assert cited and not cited & GERMAN
    assert cited_all == cited | GERMAN
