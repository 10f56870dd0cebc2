"""``pacta check`` end to end on the demo sample with the real model: a Canada - Chile draft with a planted
clash of each kind the sample can hold, restatements, new ground and safeguards; reports; bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from tests.integration.conftest import run_json

pytestmark = pytest.mark.integration

DRAFT = Path(__file__).resolve().parents[1] / "data" / "drafts" / "can_chl_draft.txt"
CHECK = ["check", str(DRAFT), "--parties", "CAN,CHL", "--as-of", "2015-01-01"]


@pytest.fixture(scope="module")
def checked(sample_store: Path) -> dict:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--store", str(sample_store), *CHECK, "--json"]) == 0
    return json.loads(out.getvalue())


def _found(doc: dict, kind: str, draft: str) -> list[dict]:
    return [f for f in doc["findings"] if f["kind"] == kind and f["draft_clause"]["citation"] == draft]


@pytest.mark.parametrize(("kind", "draft", "existing"), [
    ("priority", "Art. 1(2)", "Art. A-03(2)"),     # both claim to prevail
    ("modality", "Art. 3(1)", "Art. C-12"),        # permits the export duties Canada - Chile forbids
    ("numeric", "Art. 4(1)", "Art. M-04(3)"),      # 60 days against 30 to conclude consultations
    ("forum", "Art. 5(1)", "Art. N-05(1)"),        # exclusive forum against the choice of forum
    ("scope", "Art. 6(1)", "Art. H-01(2)(b)"),     # brings in the air services the chapter leaves out
])
def test_each_planted_clash_is_found_against_canada_chile(checked: dict, kind: str, draft: str, existing: str):
    found = [f for f in _found(checked, kind, draft) if f["existing"]["treaty_id"] == "tota-101"]
    assert [f["existing"]["citation"] for f in found] == [existing]
    f = found[0]
    assert f["severity"] in ("high", "medium") and f["explanation"] and f["rule"]["id"].startswith(kind)
    assert f["priority"]["rule"] == "VCLT 30(3)" and "Art. 30(3)" in f["priority"]["note"]
    for side in (f["draft_clause"], f["existing"]):
        assert side["spans"] and all(0 <= a < b <= len(side["text"]) for a, b in side["spans"])
    assert f["way_out"]["existing_wording"] == f["existing"]["text"]
    for key in ("clause_id", "treaty_id", "treaty_name", "citation", "text", "parties", "source"):
        assert f["existing"][key], key


def test_clashes_with_other_partners_are_lowered_and_say_why(checked: dict):
    others = [f for f in _found(checked, "modality", "Art. 3(1)") if f["existing"]["treaty_id"] != "tota-101"]
    assert others and all(f["severity"] == "medium" and "30(4)(b)" in f["priority"]["note"] for f in others)


def test_clean_clauses_give_no_findings(checked: dict):
    cited = {f["draft_clause"]["citation"] for f in checked["findings"]}
    assert not cited & {"Art. 2(1)", "Art. 7(1)", "Art. 8(1)", "Art. 9(1)"}
    assert "Art. 2(1)" in [m["draft_clause"]["citation"] for m in checked["consistent"]]
    assert [c["citation"] for c in checked["new_ground"]] == ["Art. 7(1)"]


def test_every_citation_is_the_stored_text(checked: dict, sample_store: Path, capsys):
    for f in checked["findings"]:
        _, shown = run_json(capsys, ["--store", str(sample_store), "show", f["existing"]["treaty_id"]])
        stored = {c["clause_id"]: c for c in shown["clauses"]}[f["existing"]["clause_id"]]
        assert f["existing"]["text"].endswith(stored["text"]) and f["existing"]["citation"] == stored["citation"]


def test_safeguards_present_and_missing_with_precedents(checked: dict):
    guards = {g["safeguard"]: g for g in checked["safeguards"]}
    assert guards["withdrawal"]["present"] and guards["withdrawal"]["draft_clauses"] == ["Art. 9(1)"]
    assert not guards["amendment"]["present"]
    assert 1 <= len(guards["amendment"]["precedents"]) <= 3
    assert all(set(p["parties"]) & {"CAN", "CHL"} for p in guards["amendment"]["precedents"])


def test_the_draft_is_not_stored(sample_store: Path, checked: dict, capsys):
    _, stats = run_json(capsys, ["--store", str(sample_store), "stats"])
    assert stats["treaties"] == 6
    _, listed = run_json(capsys, ["--store", str(sample_store), "list"])
    assert all("Draft" not in t["treaty_name"] for t in listed["treaties"])


def test_reports_are_written_self_contained(sample_store: Path, tmp_path: Path, capsys):
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    assert main(["--store", str(sample_store), *CHECK, "--report", str(html)]) == 0
    assert main(["--store", str(sample_store), *CHECK, "--report", str(md)]) == 0
    page = html.read_text()
    assert "<mark>" in page and "Art. 30" in page and "Canada - Chile Art. C-12" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page and "<script" not in page
    text = md.read_text()
    assert text.startswith("# Draft check") and "**Draft Art. 3(1):**" in text
    assert "Report written to" in capsys.readouterr().out


def test_min_severity_filters(sample_store: Path, capsys):
    _, doc = run_json(capsys, ["--store", str(sample_store), *CHECK, "--min-severity", "high"])
    assert doc["findings"] and {f["severity"] for f in doc["findings"]} == {"high"}


def test_a_docx_draft_gives_the_same_findings(sample_store: Path, tmp_path: Path, checked: dict, capsys):
    import docx

    document = docx.Document()
    for line in DRAFT.read_text().splitlines():
        document.add_paragraph(line)
    path = tmp_path / "draft.docx"
    document.save(path)
    _, doc = run_json(capsys, ["--store", str(sample_store), "check", str(path), "--parties", "CAN,CHL",
                               "--as-of", "2015-01-01"])
    key = sorted((f["kind"], f["draft_clause"]["citation"], f["existing"]["clause_id"]) for f in doc["findings"])
    assert key == sorted((f["kind"], f["draft_clause"]["citation"], f["existing"]["clause_id"])
                         for f in checked["findings"])


def test_positions_file(sample_store: Path, tmp_path: Path, capsys):
    positions = tmp_path / "positions.yaml"
    positions.write_text(
        "party: CAN\n"
        "red_lines:\n  - name: no export duties\n    match: {words: [export], modality: permission}\n"
        "must_haves:\n  - name: review clause\n    match: {type: review}\n"
        "limits:\n  - name: withdrawal notice of at least 12 months\n    match: {words: [withdraw]}\n"
        "    at_least: 12 months\n")
    _, doc = run_json(capsys, ["--store", str(sample_store), *CHECK, "--positions", str(positions)])
    results = {r["name"]: r for r in doc["positions"]["results"]}
    assert results["no export duties"]["status"] == "crossed"
    assert [c["citation"] for c in results["no export duties"]["clauses"]] == ["Art. 3(1)"]
    assert results["review clause"]["status"] == "missing"
    broken = results["withdrawal notice of at least 12 months"]
    assert broken["status"] == "broken" and "6 months" in broken["clauses"][0]["rule"]


@pytest.mark.parametrize(("argv", "code", "says"), [
    (["check", "missing.txt", "--parties", "CAN"], 1, "missing.txt: no such file"),
    (["check", str(DRAFT), "--parties", "Atlantis"], 2, "Atlantis"),
    (["check", str(DRAFT), "--parties", "CAN", "--as-of", "2015-13-01"], 2, "YYYY-MM-DD"),
    (["check", str(DRAFT), "--parties", "BRA", "--as-of", "2015-01-01"], 1, "no agreement in force"),
    (["check", str(DRAFT), "--parties", "CAN", "--report", "out.pdf"], 2, "Markdown (.md) or HTML"),
])
def test_bad_input_is_one_line(sample_store: Path, capsys, argv: list[str], code: int, says: str):
    with pytest.raises(SystemExit) if code == 2 else _nothing() as raised:
        result = main(["--store", str(sample_store), *argv])
    got = raised.value.code if code == 2 else result
    err = capsys.readouterr().err.strip()
    assert got == code and says in err and "Traceback" not in err
    if code == 1:
        assert len(err.splitlines()) == 1


def test_a_party_without_agreements_is_said_plainly(sample_store: Path, capsys):
    code = main(["--store", str(sample_store), "check", str(DRAFT), "--parties", "CAN,BRA", "--as-of", "2015-01-01",
                 "--json"])
    captured = capsys.readouterr()
    assert code == 0 and "BRA has no agreement in force on 2015-01-01" in captured.err
    doc = json.loads(captured.out)
    assert {p["code"]: p["agreements_in_force"] for p in doc["parties"]}["BRA"] == 0


def test_a_malformed_positions_file_names_the_entry(sample_store: Path, tmp_path: Path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("limits:\n  - name: cooling-off\n    match: {type: isds}\n    at_least: soon\n")
    assert main(["--store", str(sample_store), *CHECK, "--positions", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert f"{bad}: limits entry 1 ('cooling-off')" in err and "at_least" in err and len(err.splitlines()) == 1


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False
