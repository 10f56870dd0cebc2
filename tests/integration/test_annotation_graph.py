"""Defined terms, cross-references and annotation filters, through the CLI on the demo sample (real files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.integration.conftest import run_json

pytestmark = pytest.mark.integration


def test_show_lists_defined_terms_and_where_they_are_used(sample_store: Path, capsys):
    code, doc = run_json(capsys, ["--store", str(sample_store), "show", "tota-352"])
    assert code == 0
    terms = {t["term"]: t for t in doc["terms"]}
    # Art. 1-7(h) of Canada - Jordan: "customs duty means any customs or import duty ..."
    duty = terms["customs duty"]
    assert duty["citation"] == "Art. 1-7(h)" and duty["definition"].startswith("any customs or import duty")
    cited = {c["clause_id"]: c["citation"] for c in doc["clauses"]}
    assert duty["used_in"] and all(cited[u].startswith("Art. ") for u in duty["used_in"])
    assert duty["clause_id"] not in duty["used_in"]


def test_show_resolves_internal_references_and_names_instruments(sample_store: Path, capsys):
    code, doc = run_json(capsys, ["--store", str(sample_store), "show", "tota-352"])
    refs = {c["citation"]: c["references"] for c in doc["clauses"]}
    # Art. 14-11(2): "... paragraph 1 of Article 14-13 ..."
    [to_14_13] = [r for r in refs["Art. 14-11(2)"] if r["mention"] == "paragraph 1 of Article 14-13"]
    assert to_14_13["kind"] == "internal" and to_14_13["target"] == "Art. 14-13(1)"
    target = next(c for c in doc["clauses"] if c["clause_id"] == to_14_13["target_id"])
    assert target["citation"] == "Art. 14-13(1)"
    externals = {r["target_id"] for rs in refs.values() for r in rs if r["kind"] == "external"}
    assert {"wto-agreement", "dsu", "sps"} <= externals
    chapters = [r for rs in refs.values() for r in rs if r["target"].startswith("Chapter")]
    assert chapters and all(not r["resolved"] and r["target_id"] is None for r in chapters)


def test_type_and_modality_filters(sample_store: Path, capsys):
    store = ["--store", str(sample_store)]
    code, doc = run_json(capsys, [*store, "search", "expropriation", "--type", "expropriation", "--party", "CHL"])
    assert code == 0 and doc["hits"]
    assert all(h["clause_type"] == "expropriation" and "CHL" in h["parties"] for h in doc["hits"])
    code, doc = run_json(capsys, [*store, "search", "notify the other Party", "--modality", "prohibition", "-k", "20"])
    assert code == 0 and doc["hits"]
    assert all(h["duty"]["modality"] == "prohibition" for h in doc["hits"])


def test_switching_the_vector_index_to_hnsw_and_back(sample_store: Path, tmp_path: Path, capsys):
    import shutil

    from app.cli import main
    from search.index import ClauseIndex

    own = tmp_path / "store"  # a copy: the shared sample store stays as the other tests expect it
    shutil.copytree(sample_store, own)
    store = ["--store", str(own)]
    query = [*store, "search", "expropriation", "--type", "expropriation", "--party", "CHL"]
    _, exact = run_json(capsys, query)
    assert main([*store, "ingest", "-q", "--index", "hnsw", str(SAMPLE)]) == 0
    capsys.readouterr()
    assert ClauseIndex.load(own / "index").meta["kind"] == "hnsw"
    _, approx = run_json(capsys, query)
    # on a few thousand clauses HNSW finds the same best hits
    assert exact["hits"] and [h["clause_id"] for h in approx["hits"][:3]] == [h["clause_id"] for h in exact["hits"][:3]]
    assert main([*store, "ingest", "-q", "--index", "flat", str(SAMPLE)]) == 0
    capsys.readouterr()
    assert ClauseIndex.load(own / "index").meta["kind"] == "flat"
    _, back = run_json(capsys, query)
    assert [h["clause_id"] for h in back["hits"]] == [h["clause_id"] for h in exact["hits"]]
