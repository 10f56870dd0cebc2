"""FAISS vector index over unit vectors (inner product = cosine): exact by default, HNSW on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

KINDS = ("flat", "hnsw")


def _faiss() -> Any:
    import faiss

    # faiss-cpu 1.15 raised this threshold to 128000, which makes batched exact
    # search skip BLAS and run ~11x slower (MEASURED.md); 20 is the old default.
    faiss.cvar.distance_compute_blas_threshold = 20
    return faiss


class VectorIndex:
    """Rows are the rows of the clause index; scores are cosine similarities."""

    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, kind: str = "flat") -> VectorIndex:
        """Index float32 unit vectors of shape (n, d). ``kind`` is "flat" (exact) or "hnsw"."""
        faiss = _faiss()
        if kind not in KINDS:
            raise ValueError(f"unknown index kind '{kind}' (choose {', '.join(KINDS)})")
        d = vectors.shape[1]
        index = faiss.IndexFlatIP(d) if kind == "flat" else faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
        if kind == "hnsw":
            index.hnsw.efSearch = 64
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    def save(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        return cls(_faiss().read_index(str(path)))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def vector(self, row: int) -> np.ndarray:
        return np.asarray(self._index.reconstruct(int(row)), dtype=np.float32)

    def scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Cosine similarity of a unit ``query`` to each of ``rows``: float32 of shape (len(rows),)."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        vecs = self._index.reconstruct_batch(np.ascontiguousarray(rows, dtype=np.int64))
        return np.asarray(vecs @ query.astype(np.float32), dtype=np.float32)

    def neighbours(self, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows of each of ``rows`` (itself included): (scores, rows), each of shape (n, k)."""
        queries = self._index.reconstruct_batch(np.ascontiguousarray(rows, dtype=np.int64))
        scores, found = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, self.size))
        return scores, found

    def top(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows closest to a unit ``query`` of shape (d,), restricted to ``mask`` if given."""
        faiss = _faiss()
        k = min(k, self.size if mask is None else int(mask.sum()))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if mask is not None:
            bits = np.packbits(mask.astype(np.uint8), bitorder="little")
            params = faiss.SearchParameters(sel=faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits)))
        scores, rows = self._index.search(q, k, params=params)
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]
