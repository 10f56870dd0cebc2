"""``pacta state`` on the demo sample with the real model: Canada's five agreements side by side; the stored
clashes are computed incrementally; reports; bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.context import Context, Settings
from graph.consistency.edges import update_conflicts
from tests.conftest import SAMPLE
from tests.integration.conftest import run_json

pytestmark = pytest.mark.integration
STATE = ["state", "CAN", "--as-of", "2015-01-01"]


@pytest.fixture(scope="module")
def report(sample_store: Path) -> dict:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--store", str(sample_store), *STATE, "--json"]) == 0
    return json.loads(out.getvalue())


def test_timeline_and_coverage(report: dict):
    assert report["state"] == {"code": "CAN", "name": "Canada"}
    ids = [t["treaty_id"] for t in report["timeline"]]
    assert set(ids) == {"tota-101", "tota-104", "tota-143", "tota-352", "tota-59"}
    years = [t["year"] for t in report["timeline"]]
    assert years == sorted(years)
    chile = next(t for t in report["timeline"] if t["treaty_id"] == "tota-101")
    assert chile["partners"] == ["CHL"] and chile["in_force_on_date"]
    coverage = report["coverage"]
    assert set(coverage["agreements"]) == set(ids) and "rules_of_origin" in coverage["types"]
    assert coverage["agreements"]["tota-101"]["investment_protection"] > 0
    assert not set(coverage["never"]) & set(coverage["types"])


def test_divergences_cite_both_agreements_and_the_words(report: dict):
    assert report["divergences"] and report["summary"]["divergences"] == sum(
        len(g["pairs"]) for g in report["divergences"])
    for g in report["divergences"]:
        for p in g["pairs"]:
            a, b = p["later"], p["earlier"]
            assert a["treaty_id"] != b["treaty_id"] and {"CAN"} <= set(a["parties"]) & set(b["parties"])
            assert p["label"] == "inconsistency"  # the sample's five agreements share no partner but Canada
            for side in (a, b):
                assert all(0 <= x < y <= len(side["text"]) for x, y in side["spans"])
    kinds = [g["kind"] for g in report["divergences"]]
    assert kinds == sorted(kinds, key=lambda k: ["forum", "modality", "priority", "scope", "numeric",
                                                 "definition"].index(k))


def test_claims_to_prevail_over_each_ones_own_agreements_are_no_clash(report: dict):
    # Canada - Chile Art. A-03(2) and Canada - Israel Art. 1.3(2) each prevail over other agreements between their
    # own parties: no clash, as judges found of every such pair; between a state's own agreements numbers are
    # compared, and sentences binding differently, and a question answered differently is a position
    assert {g["kind"] for g in report["divergences"]} <= {"numeric", "modality"}
    # the clashes of obligations (two limits on one step), not each agreement's period for its own withdrawal
    assert report["conflicts"] and report["summary"]["inconsistencies"] == len(report["conflicts"])
    assert all(p["severity"] != "low" and p["label"] == "inconsistency" for p in report["conflicts"])
    answers = [a for p in report["positions"] for a in p["answers"]]
    assert all(a["evidence"] and all(e["words"] for e in a["evidence"]) for a in answers)


def test_versions_of_a_provision_are_grouped_with_their_agreements(report: dict):
    groups = report["variants"]
    assert groups and report["summary"]["provisions_worded_differently"] == len(groups)
    ids = {t["treaty_id"] for t in report["timeline"]}
    for g in groups:
        wordings = g["wordings"]
        assert len(wordings) >= 2 and g["agreements"] >= 2
        assert len({w["text"] for w in wordings}) == len(wordings)  # identical wordings are collapsed
        holders = [{c["treaty_id"] for c in w["clauses"]} for w in wordings]
        assert all(h <= ids for h in holders) and len(set().union(*holders)) == g["agreements"]
        assert len(holders[0]) == max(len(h) for h in holders)  # the most common first
        assert 0 <= g["most_recent"] < len(wordings)
        assert not wordings[0]["spans"]  # the others mark what they add (one that only drops words has none)
        for w in wordings:
            assert all(0 <= x < y <= len(w["text"]) for x, y in w["spans"])
    assert any(w["spans"] for g in groups for w in g["wordings"][1:])
    clashing = [g for g in groups if g["clashes"]]
    assert clashing and groups[:len(clashing)] == clashing  # the groups holding clashes come first
    # the withdrawal clauses of Canada's agreements are one provision worded in several ways
    assert any(g["clause_type"] == "duration_termination" and g["agreements"] >= 3 for g in groups)


def test_reports(sample_store: Path, tmp_path: Path):
    page, text = tmp_path / "can.html", tmp_path / "can.md"
    assert main(["--store", str(sample_store), *STATE, "--report", str(page)]) == 0
    assert main(["--store", str(sample_store), *STATE, "--report", str(text)]) == 0
    html = page.read_text()
    assert "<svg" in html and "<circle" in html and "Coverage" in html and "<script" not in html
    assert "src=" not in html and "<link" not in html
    assert text.read_text().startswith("# Consistency of Canada's commitments")
    assert "Versions of each provision" in html and "## Versions of each provision" in text.read_text()


@pytest.mark.parametrize(("argv", "code", "says"), [
    (["state", "Atlantis"], 2, "Atlantis"),
    (["state", "BRA"], 1, "no stored agreement has BRA"),
])
def test_bad_input(sample_store: Path, capsys, argv: list[str], code: int, says: str):
    if code == 2:
        with pytest.raises(SystemExit) as raised:
            main(["--store", str(sample_store), *argv])
        assert raised.value.code == 2
    else:
        assert main(["--store", str(sample_store), *argv]) == 1
    assert says in capsys.readouterr().err


def test_only_a_changed_agreement_is_compared_again(tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("pta_101.xml", "pta_104.xml", "pta_352.xml"):
        shutil.copy(SAMPLE / name, corpus / name)
    store = tmp_path / "store"
    code, first = run_json(capsys, ["--store", str(store), "ingest", "-q", str(corpus)])
    assert code == 0 and first["totals"]["conflicts_compared"] == 3 and first["totals"]["conflicts_with"] > 0
    with Context(Settings(store=store)) as ctx:
        stamps = ctx.graph.conflict_runs()
        assert set(stamps) == {"tota-101", "tota-104", "tota-352"}
        assert update_conflicts(ctx.graph, ctx.engine.index).compared == []  # nothing changed: nothing redone
        before = {(c.source, c.target, c.kind) for c in ctx.graph.conflicts(["tota-104"])}
        variants = ctx.graph.variants(stamps)
        full = update_conflicts(ctx.graph, ctx.engine.index, full=True)  # a full run finds the same links
        assert len(full.compared) == 3 and {(c.source, c.target, c.kind)
                                            for c in ctx.graph.conflicts(["tota-104"])} == before
        assert variants and ctx.graph.variants(stamps) == variants
    jordan = corpus / "pta_352.xml"
    jordan.write_text(jordan.read_text().replace("Each Party", "Each party", 1))
    code, again = run_json(capsys, ["--store", str(store), "ingest", "-q", str(corpus)])
    assert code == 0 and again["totals"]["conflicts_compared"] == 1
    with Context(Settings(store=store)) as ctx:
        now = ctx.graph.conflict_runs()
        assert now["tota-101"] == stamps["tota-101"] and now["tota-352"] != stamps["tota-352"]
        # the same words compared again give the same links, those with the changed agreement included
        assert {(c.source, c.target, c.kind) for c in ctx.graph.conflicts(["tota-104"])} == before
        assert ctx.graph.variants(stamps) == variants
    code, doc = run_json(capsys, ["--store", str(store), "state", "JOR", "--as-of", "2015-01-01"])
    assert code == 0 and doc["summary"]["agreements"] == 1
