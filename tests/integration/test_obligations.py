"""The obligation register of a real agreement (Canada - Jordan, in the demo sample)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.cli import main
from tests.integration.conftest import run_json

pytestmark = pytest.mark.integration


def test_notification_duties_with_deadlines(sample_store: Path, capsys):
    code, doc = run_json(capsys, ["--store", str(sample_store), "obligations", "tota-352"])
    assert code == 0 and doc["treaty_name"] == "Canada - Jordan"
    by_cite = {o["citation"]: o for o in doc["obligations"]}
    # Art. 14-8(2): "Within 30 days ... each Party shall appoint one panel member ... and notify the other Party"
    panel = by_cite["Art. 14-8(2)"]
    assert panel["bearer"] == "Each Party" and panel["modality"] == "obligation" and panel["reporting"]
    assert panel["deadlines"][0]["value"] == 30 and panel["deadlines"][0]["unit"] == "days"
    assert panel["plain"].startswith("Each Party must appoint one panel member")
    assert "(within 30 days)" in panel["plain"]
    assert all(o["modality"] in ("obligation", "prohibition") for o in doc["obligations"])


def test_party_filter_and_csv(sample_store: Path, tmp_path: Path, capsys):
    out = tmp_path / "register.csv"
    assert main(["--store", str(sample_store), "obligations", "tota-352", "--party", "JOR", "--csv", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {"citation", "bearer", "deadline", "reporting", "plain"} <= set(rows[0])
    capsys.readouterr()
    assert main(["--store", str(sample_store), "obligations", "tota-352", "--party", "EGY"]) == 1
    assert "EGY is not a party to Canada - Jordan" in capsys.readouterr().err
