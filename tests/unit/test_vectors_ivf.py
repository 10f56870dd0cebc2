"""The IVF vector index: recall against exact search, persistence of nprobe, the flat fallback for few vectors."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.errors import InputError
from search.index import ClauseIndex, IndexRow
from search.vectors import IVF_MIN_VECTORS, VectorIndex, ivf_nlist, ivf_nprobe

DIM = 64


def clustered(n: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    """Unit vectors scattered around ``centres`` (cosine ~0.6 to their centre), like topics of clauses.

    The spread is wide enough that a query's neighbours fall in several lists:
    searching one list finds only ~80% of them.
    """
    base = centres[rng.integers(0, len(centres), n)]
    x = base + rng.normal(0, 0.15, (n, DIM)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(300, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    return clustered(20_000, rng, centres), clustered(300, rng, centres)


@pytest.fixture(scope="module")
def ivf(data: tuple[np.ndarray, np.ndarray]) -> VectorIndex:
    return VectorIndex.build(data[0], "ivf")


def recall_at_10(index: VectorIndex, exact: VectorIndex, queries: np.ndarray) -> float:
    hits = [len(set(index.top(q, 10)[0]) & set(exact.top(q, 10)[0])) / 10 for q in queries]
    return float(np.mean(hits))


def test_ivf_recall_against_flat(data, ivf):
    vectors, queries = data
    assert ivf.kind == "ivf" and ivf.size == len(vectors)
    assert ivf._index.nlist == ivf_nlist(len(vectors)) and ivf.nprobe == ivf_nprobe(ivf_nlist(len(vectors)))
    flat = VectorIndex.build(vectors, "flat")
    assert recall_at_10(ivf, flat, queries) >= 0.95
    ivf._index.nprobe = 1  # the data are not trivially separable: one list is not enough
    try:
        assert recall_at_10(ivf, flat, queries) < 0.9
    finally:
        ivf._index.nprobe = ivf_nprobe(ivf._index.nlist)


def test_ivf_rows_scores_and_neighbours_match_the_vectors(data, ivf):
    vectors, _ = data
    np.testing.assert_array_equal(ivf.vector(123), vectors[123])
    np.testing.assert_allclose(ivf.scores(vectors[5], np.array([5, 6])), vectors[[5, 6]] @ vectors[5], rtol=1e-5)
    scores, rows = ivf.neighbours(np.array([10, 20]), 5)
    assert rows.shape == (2, 5) and list(rows[:, 0]) == [10, 20]
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_ivf_masked_search_keeps_to_the_mask(data, ivf):
    vectors, queries = data
    flat = VectorIndex.build(vectors, "flat")
    rng = np.random.default_rng(1)
    for share in (0.01, 0.9):  # a narrow mask is scored exactly; a wide one goes through the IVF lists
        mask = rng.random(len(vectors)) < share
        rows, scores = ivf.top(queries[0], 10, mask)
        assert len(rows) == 10 and mask[rows].all() and np.all(np.diff(scores) <= 1e-6)
        truth, _ = flat.top(queries[0], 10, mask)
        assert len(set(rows) & set(truth)) >= 8
    narrow = np.zeros(len(vectors), dtype=bool)
    narrow[[3, 4]] = True
    assert sorted(ivf.top(queries[0], 10, narrow)[0]) == [3, 4]


def test_saved_ivf_keeps_its_nprobe(data, ivf, tmp_path):
    vectors, queries = data
    ivf._index.nprobe = 37  # not the default, so the file must carry it
    try:
        ivf.save(tmp_path / "vectors.faiss")
    finally:
        ivf._index.nprobe = ivf_nprobe(ivf._index.nlist)
    loaded = VectorIndex.load(tmp_path / "vectors.faiss")
    assert loaded.kind == "ivf" and loaded.nprobe == 37 and loaded.size == len(vectors)
    np.testing.assert_array_equal(loaded.vector(999), vectors[999])
    mask = np.zeros(len(vectors), dtype=bool)
    mask[::2] = True  # a wide mask: searched with the loaded index's nprobe
    assert mask[loaded.top(queries[1], 5, mask)[0]].all()
    loaded._index.nprobe = ivf.nprobe
    for q in queries[:20]:
        np.testing.assert_array_equal(loaded.top(q, 10)[0], ivf.top(q, 10)[0])


def test_few_vectors_fall_back_to_flat(data):
    vectors, queries = data
    small = vectors[: IVF_MIN_VECTORS - 1]
    index = VectorIndex.build(small, "ivf")
    assert index.kind == "flat" and index.nprobe is None and index.size == len(small)
    best = int(np.argmax(small @ queries[0]))
    assert index.top(queries[0], 1)[0][0] == best
    assert VectorIndex.build(np.zeros((0, DIM), dtype=np.float32), "ivf").size == 0


def test_nlist_and_nprobe_rules():
    assert ivf_nlist(1) == 1 and ivf_nlist(10_000) == 10_000 // 39
    assert ivf_nlist(1_000_000) == 4000
    assert ivf_nprobe(1) == 1 and ivf_nprobe(512) == 16 and ivf_nprobe(4000) == 125


def test_unknown_kind_lists_the_choices():
    with pytest.raises(InputError, match="flat, hnsw, ivf"):
        VectorIndex.build(np.eye(2, DIM, dtype=np.float32), "annoy")


def test_clause_index_with_ivf_kind_saves_and_loads(tmp_path):
    rows = [IndexRow(f"c{i}", "t1", f"k{i}", None, f"clause {i}") for i in range(3)]
    index = ClauseIndex.build(rows, np.eye(3, DIM, dtype=np.float32), "test", "1", kind="ivf")
    index.save(tmp_path / "index")
    assert ClauseIndex.current_build(tmp_path / "index")["kind"] == "ivf"
    loaded = ClauseIndex.load(tmp_path / "index")
    assert loaded.vectors.kind == "flat"  # three vectors: too few to train lists on
    assert [h.clause_id for h in loaded.search(np.eye(3, DIM, dtype=np.float32)[1], "", k=1, mode="dense")] == ["c1"]


def test_all_rows_search_goes_approximate_only_above_the_limit(data: tuple[np.ndarray, np.ndarray]) -> None:
    flat = VectorIndex.build(data[0], "flat")
    assert flat.for_all_rows(exact_max=len(data[0])) is flat
    approx = flat.for_all_rows(exact_max=IVF_MIN_VECTORS)
    assert approx.kind == "ivf" and approx.size == flat.size
    rows = np.arange(0, len(data[0]), 97)
    exact_scores, exact_rows = flat.neighbours(rows, 10)
    scores, found = approx.neighbours(rows, 10)
    # Same vectors in the same row order: each row finds itself first, and most of its exact neighbours.
    assert (found[:, 0] == rows).all()
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact_rows, strict=True)])
    assert recall >= 0.9
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)


def test_all_rows_search_on_other_kinds(data: tuple[np.ndarray, np.ndarray], ivf: VectorIndex) -> None:
    assert VectorIndex.build(np.zeros((0, DIM), dtype=np.float32)).for_all_rows(exact_max=0).size == 0
    assert ivf.nprobe is not None and ivf.nprobe <= 16  # 20k vectors: ivf_nprobe gives 16
    assert ivf.for_all_rows(exact_max=0) is ivf
    # An IVF index searching more lists than links need is searched with fewer, the saved index unchanged.
    many = VectorIndex.build(data[0], "ivf")
    many._index.nprobe = 40
    fewer = many.for_all_rows(exact_max=0)
    assert fewer is not many and many.nprobe == 40
    rows = np.arange(0, len(data[0]), 211)
    _, found = fewer.neighbours(rows, 5)
    assert (found[:, 0] == rows).all()
    # Every list searched finds at least what 16 lists find.
    _, wide = many.neighbours(rows, 10)
    _, narrow = fewer.neighbours(rows, 10)
    exact_rows = VectorIndex.build(data[0], "flat").neighbours(rows, 10)[1]
    overlap = [np.mean([len(set(a) & set(b)) / 10 for a, b in zip(x, exact_rows, strict=True)]) for x in (wide, narrow)]
    assert overlap[0] >= overlap[1] - 1e-9 and overlap[1] >= 0.85


def test_auto_is_exact_for_a_small_store_and_ivf_for_a_large_one(data, monkeypatch):
    from search import vectors

    monkeypatch.setattr(vectors, "AUTO_IVF_ROWS", 15_000)
    assert VectorIndex.build(data[0], "auto").kind == "ivf"
    assert VectorIndex.build(data[0][:14_999], "auto").kind == "flat"


def test_links_over_an_ivf_index_within_the_exact_limit_are_exact(data, ivf):
    # Links and conflicts must not change with the kind of index a store's searches use.
    rows = np.arange(0, len(data[0]), 97)
    exact_scores, exact_rows = VectorIndex.build(data[0], "flat").neighbours(rows, 10)
    copy = ivf.for_all_rows(exact_max=len(data[0]))
    assert copy.kind == "flat" and ivf.kind == "ivf"
    scores, found = copy.neighbours(rows, 10)
    np.testing.assert_array_equal(found, exact_rows)
    np.testing.assert_allclose(scores, exact_scores, rtol=1e-5)


def test_a_mapped_index_searches_and_reconstructs_as_a_read_one(data, tmp_path):
    vectors, queries = data
    built = VectorIndex.build(vectors, "ivf")
    built.save(tmp_path / "v.faiss")
    read, mapped = VectorIndex.load(tmp_path / "v.faiss"), VectorIndex.load(tmp_path / "v.faiss", mapped=True)
    assert mapped.kind == read.kind == "ivf" and mapped.nprobe == read.nprobe
    mask = np.zeros(len(vectors), dtype=bool)
    mask[::3] = True
    for q in queries[:5]:
        for m in (None, mask):
            rows_r, sims_r = read.top(q, 10, m)
            rows_m, sims_m = mapped.top(q, 10, m)
            assert rows_r.tolist() == rows_m.tolist() and np.allclose(sims_r, sims_m)
    assert np.array_equal(read.vector(123), mapped.vector(123))
