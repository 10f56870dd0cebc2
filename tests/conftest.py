"""Shared fixtures: every test gets its own store folder; the real corpus is located once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOTA = Path(os.environ.get("PACTA_TOTA", ROOT.parent / "shared" / "corpora" / "tota" / "xml"))
SAMPLE = ROOT / "data" / "sample" / "tota"


@pytest.fixture(autouse=True)
def _store_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PACTA_HOME at a temporary folder so no test touches a real store."""
    home = tmp_path / "pacta-home"
    monkeypatch.setenv("PACTA_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def tota() -> Path:
    if not TOTA.is_dir():
        pytest.fail(f"the ToTA corpus is missing at {TOTA} (set PACTA_TOTA)")
    return TOTA
