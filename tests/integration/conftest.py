"""One store built from the demo sample with the real model, shared by the integration tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import SAMPLE


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is an integration test (the real model, real servers), so ``-m "not integration"``, the
    fast target, leaves them all out even where a file does not say so."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("sample-store")
    assert main(["--store", str(store), "ingest", "-q", str(SAMPLE)]) == 0
    return store
