"""Queries without torch: the store's ONNX export of the model gives the model's vectors and the same hits, a
search from the shell never imports torch, and a store without an export gets one from its first search."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from search.embed import Embedder
from search.engine import SearchEngine
from search.onnx_query import OnnxQueryEncoder, folder_for

TEXTS = [
    "MFN",
    "Each Party shall accord to investors of the other Party treatment no less favourable than that it accords, "
    "in like circumstances, to its own investors with respect to the establishment of investments.",
    # longer than the model's 256 tokens: both sides must cut it at the same place
    "The Parties shall consult within thirty days of the request, and if the matter is not resolved within sixty "
    "days either Party may refer it to an arbitral panel composed of three members. " * 12,
]

# the fused order (no reranking): the hits compared are those of the two query embedders alone
PROBE = ("import json, sys; from app.cli import main; code = main(['--store', sys.argv[1], 'search', "
         "'withdrawal from the agreement by written notice', '-k', '5', '--no-rerank', '--json']); "
         "print(json.dumps({'code': code, 'torch': 'torch' in sys.modules}), file=sys.stderr)")


def _probe(store: Path) -> tuple[dict, list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(store)], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    hits = [h["clause_id"] for h in json.loads(done.stdout)["hits"]]
    return json.loads(done.stderr.strip().splitlines()[-1]), hits


def test_the_export_gives_the_models_vectors(sample_store: Path) -> None:
    embedder = Embedder()
    encoder = OnnxQueryEncoder.open(sample_store, embedder.key)
    assert encoder is not None, "ingest made no ONNX export of the model"
    got, want = encoder.embed(TEXTS), embedder.embed(TEXTS)
    assert got.dtype == np.float32 and got.shape == want.shape == (3, 384)
    assert float(np.min(np.sum(got * want, axis=1))) >= 0.9999


def test_a_search_from_the_shell_needs_no_torch_and_finds_what_the_model_finds(sample_store: Path) -> None:
    seen, hits = _probe(sample_store)
    assert seen == {"code": 0, "torch": False}
    engine = SearchEngine(sample_store)
    engine._query_embedder = Embedder()  # the sentence-transformers path, for reference
    reference = [h.clause_id for h in engine.search("withdrawal from the agreement by written notice", k=5)]
    assert hits == reference and len(hits) == 5


def test_a_store_without_an_export_gets_one_from_its_first_search(sample_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    shutil.rmtree(store / "models" / "onnx")
    first, hits = _probe(store)
    assert first == {"code": 0, "torch": True}
    assert (folder_for(store, Embedder().key) / "model.onnx").is_file()
    second, again = _probe(store)
    assert second == {"code": 0, "torch": False} and again == hits


BULK = ("import json, sys; from pathlib import Path; from search.engine import SearchEngine; "
        "engine = SearchEngine(Path(sys.argv[1]), precision='fp32'); ex = engine.local_executor(int(sys.argv[2])); "
        "vectors = ex.embed(json.loads(sys.argv[3])); "
        "print(json.dumps({'onnx': ex.embedder.is_onnx, 'torch': 'torch' in sys.modules, "
        "'vectors': vectors.tolist()}))")


def _bulk(store: Path, texts: int) -> dict:
    done = subprocess.run([sys.executable, "-c", BULK, str(store), str(texts), json.dumps(TEXTS)],
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_large_batch_is_embedded_through_an_export_made_in_a_child_process(sample_store: Path,
                                                                              tmp_path: Path) -> None:
    from search.engine import BULK_EXPORT

    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    shutil.rmtree(store / "models" / "onnx")
    small = _bulk(store, BULK_EXPORT - 1)  # a few texts: the model is loaded here, no export is made for them
    assert small["onnx"] is False and small["torch"] is True
    assert not (folder_for(store, Embedder().key) / "model.onnx").exists()
    large = _bulk(store, BULK_EXPORT)
    assert large["onnx"] is True and large["torch"] is False  # exported by a child process, torch never loaded
    assert (folder_for(store, Embedder().key) / "model.onnx").is_file()
    want = Embedder(precision="fp32").embed(TEXTS)
    for got in (np.asarray(large["vectors"], dtype=np.float32), np.asarray(small["vectors"], dtype=np.float32)):
        assert float(np.min(np.sum(got * want, axis=1))) >= 0.9999
