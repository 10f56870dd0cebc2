"""The state report's text (app/state_report.py): each wording of a defined term says why it is listed."""

from __future__ import annotations

from app.state_report import html_report, markdown


def _doc() -> dict:
    def wording(text: str, name: str, why: str) -> dict:
        return {"text": text, "spans": [], "clause_ids": [f"{name}/1"], "why": why,
                "agreements": [{"treaty_id": name, "treaty_name": f"Agreement {name}"}]}

    variants = [wording("investment means every asset", "A", ""),
                wording("investment means every asset, except claims to money", "B",
                        "one leaves out what the other does not"),
                wording("investment means any kind of asset", "C", "")]
    return {"state": {"name": "Chile", "code": "CHL"}, "as_of": "2016-01-01",
            "summary": {"agreements": 3, "in_force": 3, "divergences": 1, "legal_conflicts": 0,
                        "inconsistencies": 0},
            "timeline": [], "coverage": {"types": [], "agreements": {}, "never": []}, "positions": [],
            "divergences": [], "variants": [], "conflicts": [], "other_definitions": [],
            "definitions": [{"term": "investment", "subject": None, "variants": variants}]}


def test_each_wording_of_a_term_says_why_it_is_listed():
    text = markdown(_doc())
    assert "- Agreement A (the most common wording): investment means every asset" in text
    assert "- Agreement B (one leaves out what the other does not): " in text
    assert "- Agreement C (worded differently; nothing read says it covers other ground): " in text
    page = html_report(_doc())
    assert "(worded differently; nothing read says it covers other ground)" in page
