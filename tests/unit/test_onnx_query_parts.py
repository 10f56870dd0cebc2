"""The parts of the ONNX query path that need no model: how pooling is read, where an export lives, and what is
refused without importing torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.errors import ModelError
from search.onnx_query import OnnxQueryEncoder, _pooling, export, folder_for


def test_pooling_is_read_from_the_models_pooling_config(tmp_path: Path) -> None:
    (tmp_path / "1_Pooling").mkdir()
    config = tmp_path / "1_Pooling" / "config.json"
    config.write_text(json.dumps({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    assert _pooling(tmp_path) == "cls"
    config.write_text(json.dumps({"pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True}))
    assert _pooling(tmp_path) == "mean"
    config.write_text(json.dumps({"pooling_mode_cls_token": False, "pooling_mode_mean_tokens": False,
                                  "pooling_mode_max_tokens": True}))
    with pytest.raises(ModelError, match="pooling"):
        _pooling(tmp_path)


def test_an_export_is_found_only_for_its_own_model(tmp_path: Path) -> None:
    folder = folder_for(tmp_path, "weights@abc/def")
    assert folder.parent == tmp_path / "models" / "onnx" and "/" not in folder.name
    folder.mkdir(parents=True)
    (folder / "model.onnx").write_bytes(b"")
    (folder / "config.json").write_text(json.dumps({"format": 1, "key": "weights@abc/def", "dim": 384}))
    assert OnnxQueryEncoder.open(tmp_path, "weights@abc/def") is not None
    assert OnnxQueryEncoder.open(tmp_path, "weights@other") is None


def test_a_model_that_is_not_a_sentence_transformer_is_refused_without_importing_torch() -> None:
    code = ("import sys; from pathlib import Path; from search.onnx_query import export\n"
            "try:\n    export(object(), Path('.'), 'k', Path('never'))\nexcept Exception as e:\n"
            "    print(type(e).__name__, 'torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == ["ModelError", "False"]
    with pytest.raises(ModelError):
        export(object(), Path("."), "k", Path("never"))
