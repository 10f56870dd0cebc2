"""The device choice: auto takes a GPU torch sees, a forced one that is missing is one line before anything is
stored, and the choice reaches the embedder that ingest and tune use (queries stay on the CPU)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch  # a core dependency: a missing torch is a broken install, not a skip

from app.cli import main
from app.context import Context, Settings
from ingest.errors import ModelError
from search.embed import Device, resolve_device
from tests.conftest import SAMPLE


@pytest.fixture
def no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


def test_auto_takes_a_gpu_torch_sees_else_the_cpu(monkeypatch: pytest.MonkeyPatch, no_gpu: None) -> None:
    assert resolve_device("auto") == "cpu" and resolve_device("cpu") == "cpu"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert resolve_device("auto") == "mps"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("cuda") == "cuda"


@pytest.mark.parametrize("device", ["cuda", "mps"])
def test_a_forced_device_that_is_missing_is_one_line(no_gpu: None, device: str) -> None:
    with pytest.raises(ModelError) as raised:
        resolve_device(device)
    assert device in str(raised.value) and "\n" not in str(raised.value)


def test_ingest_on_a_missing_device_says_so_and_stores_nothing(no_gpu: None, tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    assert main(["--store", str(store), "--device", "cuda", "ingest", "-q", str(SAMPLE / "pta_101.xml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--device cuda" in err[0]
    assert not store.exists()


def test_an_unknown_device_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--store", str(tmp_path), "--device", "tpu", "stats"])
    assert raised.value.code == 2


def test_the_choice_reaches_the_passage_embedder_not_the_query_one(tmp_path: Path) -> None:
    assert Settings().device == Device.AUTO
    with Context(Settings(store=tmp_path, device="cuda")) as ctx:
        assert ctx.engine.embedder.device == "cuda"  # not loaded: nothing asks torch yet
        query = ctx.engine.query_embedder
        assert query is not ctx.engine.embedder and getattr(query, "device", "cpu") == "cpu"
    with Context(Settings(store=tmp_path)) as ctx:
        assert ctx.engine.embedder.device == "auto"
