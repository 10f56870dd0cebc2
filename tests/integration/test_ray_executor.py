"""Embedding on a local Ray instance gives an in-process run's vectors, in order; Ray failures are ModelErrors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ingest.errors import ModelError
from ingest.readers import read
from search.embed import Embedder
from search.executors import LocalExecutor, RayExecutor
from tests.conftest import SAMPLE

pytestmark = pytest.mark.integration

ray = pytest.importorskip("ray", reason="Ray is the optional extra 'pip install -e .[ray]' (setup.sh installs it)")

# batch 1 makes chunks of 16 texts (16 * batch size): ~50 texts become 4 tasks over 2 actors.
BATCH = 1


def clause_texts(n: int = 50) -> list[str]:
    """``n`` real clauses of the sample agreements, of mixed lengths, in a shuffled but fixed order."""
    texts: list[str] = []
    for path in sorted(SAMPLE.glob("*.xml")):
        parsed = read(Path(path), path.read_bytes(), "test")
        texts += [c.text for c in parsed.clauses if len(c.text) > 40][:12]
    texts = list(dict.fromkeys(texts))[:n]
    assert len(texts) == n
    order = np.random.default_rng(3).permutation(n)
    return [texts[i] for i in order]


def test_unreachable_address_is_a_model_error_at_once(monkeypatch: pytest.MonkeyPatch):
    # "At once": refused by the one socket probe, before ray.init (which retries for minutes) is ever called.
    # How long the probe takes is bounded by CONNECT_TIMEOUT_S, not timed here.
    assert not ray.is_initialized()
    inits: list[object] = []
    monkeypatch.setattr(ray, "init", lambda *a, **kw: inits.append((a, kw)))
    with pytest.raises(ModelError, match=r"cannot connect to the Ray cluster at 127\.0\.0\.1:1"):
        RayExecutor("127.0.0.1:1", precision="fp32")
    assert inits == [] and not ray.is_initialized()


@pytest.fixture(scope="module")
def executor() -> Iterator[RayExecutor]:
    ex = RayExecutor(None, precision="fp32", batch_size=BATCH, chunk_size=16, num_cpus=2, num_actors=2)
    try:
        yield ex
    finally:
        ex.close()
        if ray.is_initialized():
            ray.shutdown()


def test_ray_vectors_equal_local_ones_in_order(executor):
    texts = clause_texts()
    done: list[int] = []
    remote = executor.embed(texts, progress=done.append)
    local = LocalExecutor(Embedder(precision="fp32", batch_size=BATCH)).embed(texts)
    assert executor.num_actors == 2 and executor.chunk_size == 16 and sum(done) == len(texts) and len(done) == 4
    assert remote.dtype == np.float32 and remote.shape == (len(texts), 384) == (len(texts), executor.dim)
    np.testing.assert_allclose(np.linalg.norm(remote, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(remote, local, rtol=0, atol=1e-6)
    # order: each row is closest to its own text's local vector
    assert (np.argmax(remote @ local.T, axis=1) == np.arange(len(texts))).all()
    assert executor.key == Embedder(precision="fp32").key and executor.preferred_batch == 16 * 2 * 2
    assert executor.embed([]).shape == (0, 384)


def test_another_address_in_the_same_process_is_refused(executor):
    with pytest.raises(ModelError, match="already connected to Ray"):
        RayExecutor("127.0.0.1:1")


def test_a_dead_actor_is_a_model_error(executor):
    ray.kill(executor._actors[0])
    with pytest.raises(ModelError, match="Ray embedding worker"):
        executor.embed(clause_texts(40))


def test_pacta_ingest_on_ray_stores_the_same_index_as_a_local_run(tmp_path: Path):
    """The command line end to end: one agreement ingested with --executor ray (a local Ray instance, run in
    its own process) and locally, both in fp32, give the same clause rows and the same vectors."""
    import json
    import subprocess
    import sys

    import faiss

    source = tmp_path / "in"
    source.mkdir()
    (source / "pta_104.xml").write_bytes((SAMPLE / "pta_104.xml").read_bytes())

    def ingest(store: Path, *extra: str) -> tuple[list[str], np.ndarray]:
        proc = subprocess.run([sys.executable, "-m", "app.cli", "--store", str(store), "--precision", "fp32",
                               "ingest", "-q", str(source), *extra], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        current = (store / "index" / "CURRENT").read_text().strip()
        meta = json.loads((store / "index" / current / "meta.json").read_text())
        vectors = faiss.read_index(str(store / "index" / current / "vectors.faiss"))
        return meta["clause_ids"], vectors.reconstruct_n(0, vectors.ntotal)

    ids_ray, vecs_ray = ingest(tmp_path / "ray", "--executor", "ray", "--workers", "1")
    ids_local, vecs_local = ingest(tmp_path / "local", "--workers", "1")
    assert ids_ray == ids_local and len(ids_ray) > 50
    assert np.allclose(vecs_ray, vecs_local, atol=1e-6)
