"""Negotiating positions (parsing with one-line errors, red lines, must-haves, limits) and the check reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.check_report import html_report, markdown, marked, merged
from graph.conflicts.positions import check_positions, load_positions, parse_positions
from ingest.annotate import annotate
from ingest.errors import InputError
from ingest.records import Clause


def clauses(*texts: str, clause_type: str | None = None) -> list[Clause]:
    from dataclasses import replace

    out = annotate([Clause(f"d/{n}", "d", "paragraph", f"Art. {n}(1)", t, n) for n, t in enumerate(texts, 1)])
    return [replace(c, clause_type=clause_type) if clause_type else c for c in out]


@pytest.mark.parametrize(("doc", "says"), [
    ([], "a positions file is a mapping"),
    ({"wishes": []}, "unknown section 'wishes'"),
    ({"red_lines": []}, "no positions"),
    ({"red_lines": [{"match": {"type": "isds"}}]}, "red_lines entry 1: each entry needs a 'name'"),
    ({"red_lines": [{"name": "x", "match": {"type": "nonsense"}}]}, "unknown clause type 'nonsense'"),
    ({"red_lines": [{"name": "x", "match": {}}]}, "'match' must give at least one of"),
    ({"red_lines": [{"name": "x", "match": {"type": "isds"}, "at_least": "3 months"}]}, "a red line has no bound"),
    ({"limits": [{"name": "x", "match": {"words": ["notice"]}}]}, "a limit needs 'at_least' or 'at_most'"),
    ({"limits": [{"name": "x", "match": {"words": ["notice"]}, "at_least": "soon"}]}, "must be one quantity"),
    ({"must_haves": [{"name": "x", "match": {"modality": "wish"}}]}, "modality must be one of"),
    ({"must_haves": [{"name": "x", "match": {"type": "review"}, "colour": "red"}]}, "unknown key 'colour'"),
])
def test_malformed_positions_name_file_entry_and_problem(doc, says):
    with pytest.raises(InputError) as err:
        parse_positions(doc, "pos.yaml")
    assert str(err.value).startswith("pos.yaml") and says in str(err.value) and "\n" not in str(err.value)


def test_invalid_yaml_is_one_line(tmp_path: Path):
    bad = tmp_path / "p.yaml"
    bad.write_text("red_lines:\n  - name: [unclosed\n")
    with pytest.raises(InputError, match=r"p\.yaml: not valid YAML \(line \d+\)"):
        load_positions(bad)


POSITIONS = {
    "red_lines": [{"name": "no investor-state arbitration", "match": {"words": ["arbitration"],
                                                                      "modality": ["permission", "obligation"]}}],
    "must_haves": [{"name": "right to regulate", "match": {"words": ["right to regulate"]}},
                   {"name": "review within 5 years", "match": {"words": ["review"]}, "at_most": "5 years"}],
    "limits": [{"name": "withdrawal notice of at least 12 months", "match": {"words": ["withdraw"]},
                "at_least": "12 months"},
               {"name": "cooling-off of at least six months", "match": {"words": ["cooling"]},
                "at_least": "6 months"}],
}


def test_positions_fire_on_the_clauses_that_cross_them():
    draft = clauses("An investor may submit a claim to arbitration under the ICSID Convention.",
                    "The Parties shall review this Agreement every ten years.",
                    "A Party may withdraw from this Agreement by giving six months' written notice.")
    results = {o.position.name: o for o in check_positions(parse_positions(POSITIONS, "p.yaml"), draft)}
    crossed = results["no investor-state arbitration"]
    assert crossed.status == "crossed" and [h.clause.citation for h in crossed.hits] == ["Art. 1(1)"]
    assert draft[0].full_text[slice(*crossed.hits[0].spans[0])].lower() == "arbitration"
    assert results["right to regulate"].status == "missing"
    assert results["review within 5 years"].status == "missing"  # a review clause exists, but every ten years
    limit = results["withdrawal notice of at least 12 months"]
    assert limit.status == "broken" and "6 months is below the 12 months" in limit.hits[0].rule
    assert results["cooling-off of at least six months"].status == "not addressed"


def test_positions_kept():
    draft = clauses("Nothing in this Agreement shall affect the right to regulate of each Party.",
                    "The Parties shall review this Agreement within three years of its entry into force.",
                    "A Party may withdraw from this Agreement by giving twelve months' written notice.",
                    "No claim may be submitted to arbitration unless a cooling-off period of six months has passed.")
    results = {o.position.name: o.status for o in check_positions(parse_positions(POSITIONS, "p.yaml"), draft)}
    assert results == {"no investor-state arbitration": "clear", "right to regulate": "present",
                       "review within 5 years": "present", "withdrawal notice of at least 12 months": "kept",
                       "cooling-off of at least six months": "kept"}


def test_marked_joins_overlapping_spans_and_escapes():
    assert merged([[5, 9], [0, 3], [2, 4], [9, 10]]) == [(0, 4), (5, 10)]
    import html

    assert marked("a <b> & c", [[2, 5]], "<mark>", "</mark>", html.escape) == "a <mark>&lt;b&gt;</mark> &amp; c"


def _doc() -> dict:
    clause = {"clause_id": "tota-1/1", "treaty_id": "tota-1", "treaty_name": "A - B", "citation": "Art. 9",
              "text": "Neither Party may impose export duties.", "parties": ["AAA", "BBB"], "source": {},
              "date_in_force": "2001-01-01", "spans": [[0, 17]], "also_in": []}
    finding = {"kind": "modality", "severity": "high", "explanation": "The draft permits what it forbids.",
               "priority": {"rule": "VCLT 30(3)", "rules": ["VCLT 30(3)"], "note": "Later in time (Art. 30(3))."},
               "rule": {"id": "modality.may-vs-must_not", "severity_reason": "acting on it breaches"},
               "draft_clause": {"citation": "Art. 2(1)", "heading": "Export <duties>", "text":
                                "A Party may impose export duties.", "spans": [[8, 11]]},
               "existing": clause, "way_out": {"existing_wording": clause["text"], "suggestion": "Keep to it.",
                                               "precedent": None}, "details": {}}
    return {"draft": {"path": "d.txt", "title": "Draft & co", "parties": ["AAA", "BBB"], "as_of": "2020-01-01",
                      "clauses": 3, "articles": 2},
            "parties": [{"code": "AAA", "name": "Aland", "agreements_in_force": 1}],
            "searched": [{"treaty_id": "tota-1", "treaty_name": "A - B", "parties": ["AAA", "BBB"],
                          "date_in_force": "2001-01-01"}],
            "summary": {"findings": 1, "high": 1, "medium": 0, "low": 0, "consistent": 0, "new_ground": 0,
                        "safeguards_missing": 1},
            "findings": [finding], "consistent": [], "new_ground": [],
            "safeguards": [{"safeguard": "review", "present": False, "draft_clauses": [], "precedents": [clause]}],
            "positions": None, "warnings": ["BBB has no agreement in force"], "seconds": {}}


def test_html_report_is_self_contained_with_both_texts_marked():
    page = html_report(_doc())
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    assert "<mark>may</mark>" in page and "<mark>Neither Party may</mark>" in page
    assert "Draft &amp; co" in page and "Export &lt;duties&gt;" in page and "2020-01-01" in page
    assert "Later in time (Art. 30(3))." in page and "Keep to it." in page and "BBB has no agreement" in page


def test_markdown_report_groups_by_draft_article():
    text = markdown(_doc())
    assert "## Art. 2" in text and "A Party **may** impose" in text and "**Neither Party may** impose" in text
    assert "review: **missing** — precedents: A - B Art. 9" in text
