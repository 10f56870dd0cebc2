"""FAISS vector index over unit vectors (inner product = cosine): exact for small stores, IVF above
``AUTO_IVF_ROWS`` vectors by default, either kind or HNSW on request."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ingest.choices import Choice


class IndexKind(Choice):
    """The vector index: exact, one of two approximate kinds, or chosen by size (``auto``, the default)."""

    AUTO = "auto"
    FLAT = "flat"
    HNSW = "hnsw"
    IVF = "ivf"


# From this many vectors ``auto`` builds IVF: an exact scan costs about 0.3 ms per 1,000 vectors per query on a
# 2-core AVX2 machine (dense search p50 47.8 ms at 157k rows against 8.4 ms through IVF, whose recall@10 against
# exact was 0.99 at 134k; benchmarks/RESULTS.md, "Warm search" and "IVF index"); at 30k rows the scan stays near
# 9 ms, inside a 15 ms search.
AUTO_IVF_ROWS = 30_000


# Below this many vectors an "ivf" index is built flat: k-means has too little
# to learn from, and exact search over 10k vectors takes only milliseconds.
IVF_MIN_VECTORS = 10_000
# k-means gains nothing from more than this many training points per list (FAISS's own cap).
IVF_TRAIN_PER_LIST = 256
# FAISS warns below 39 training points per list; nlist is capped so that every list gets them.
IVF_MIN_PER_LIST = 39
# Subsets at most this large are searched exactly on approximate indexes (see ``top``).
EXACT_SUBSET = 20_000
# Vectors added to an IVF index per call when it is built.
ADD_CHUNK = 65_536
# Above this many vectors, every-row neighbour searches (links) on a flat index go through a temporary
# IVF index: exact all-pairs search grows with the square of the rows (106-136 s at 157k rows on 2 cores, in four runs).
ALL_PAIRS_EXACT_MAX = 200_000
# That index's training sample per list and lists searched: a fixed nprobe makes each query scan about
# 4 * sqrt(n) vectors. On the 157k ToTA rows it found 99.71% of the exact SIMILAR_TO pairs in 20 s
# (benchmarks/links_bench.py); not measured at larger sizes, where each row scans a smaller share.
ALL_PAIRS_TRAIN_PER_LIST = 64
ALL_PAIRS_NPROBE = 16


def _faiss() -> Any:
    import faiss

    # faiss-cpu 1.15 raised this threshold to 128000, which makes batched exact
    # search skip BLAS and run ~11x slower (measured on a 2-core AVX2 machine); 20 is the old default.
    faiss.cvar.distance_compute_blas_threshold = 20
    return faiss


def ivf_nlist(n: int) -> int:
    """Number of inverted lists for ``n`` vectors: about 4 * sqrt(n), at least 1, at most n / 39."""
    return max(1, min(round(4 * math.sqrt(n)), n // IVF_MIN_PER_LIST))


def ivf_nprobe(nlist: int) -> int:
    """Lists searched per query: nlist / 32, at least 16.

    Measured recall@10 against exact search on the ToTA MiniLM vectors: 0.97 at
    20k vectors (nprobe 16), 0.975 at 50k (28), 0.99 at 134k (46).
    """
    return min(nlist, max(16, math.ceil(nlist / 32)))


class VectorIndex:
    """Rows are the rows of the clause index; scores are cosine similarities."""

    def __init__(self, index: Any, nprobe: int | None = None) -> None:
        self._index = index
        self._nprobe = nprobe  # lists an IVF index searches in ``neighbours``, if not its own nprobe

    @classmethod
    def build(cls, vectors: np.ndarray, kind: str = IndexKind.FLAT) -> VectorIndex:
        """Index float32 unit vectors of shape (n, d).

        ``kind`` is "flat" (exact), "hnsw" (HNSW32, efSearch 64), "ivf"
        (IndexIVFFlat with ``ivf_nlist(n)`` lists, ``ivf_nprobe`` of them
        searched, the value saved with the index) or "auto" ("ivf" from
        ``AUTO_IVF_ROWS`` vectors, else "flat"). An "ivf" index over fewer
        than ``IVF_MIN_VECTORS`` vectors is built flat (``kind`` then says "flat").

        >>> VectorIndex.build(np.eye(3, 8, dtype=np.float32), "ivf").kind
        'flat'
        """
        faiss = _faiss()
        kind = IndexKind.from_str(kind)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, d = vectors.shape
        if kind == "auto":
            kind = IndexKind.IVF if n >= AUTO_IVF_ROWS else IndexKind.FLAT
        if kind == "ivf" and n < IVF_MIN_VECTORS:
            kind = "flat"
        if kind == "ivf":
            return cls(_build_ivf(faiss, n, d, vectors))
        index = faiss.IndexFlatIP(d) if kind == "flat" else faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
        if kind == "hnsw":
            index.hnsw.efSearch = 64
        if n:
            index.add(vectors)
        return cls(index)

    def save(self, path: Path) -> None:
        _faiss().write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, mapped: bool = False) -> VectorIndex:
        """The index saved at ``path``; ``mapped``: map the file instead of reading it.

        FAISS stores an IVF index's nprobe and direct map in the file, so a loaded one searches as it was built.
        Mapping loads the 246 MB IVF file of the whole ToTA corpus in 4 ms instead of 0.21 s: for a process that
        answers one query (a long-lived one gains nothing; one A/B run had its searches 3-4 ms slower mapped, a
        second none, RESULTS). Nothing writes into a loaded index (new vectors build a new one), and a replaced
        index file is unlinked, never truncated (``ClauseIndex.save``), so a mapping stays valid.
        """
        faiss = _faiss()
        return cls(faiss.read_index(str(path), faiss.IO_FLAG_MMAP if mapped else 0))

    @property
    def kind(self) -> str:
        """What the FAISS index really is: "flat", "hnsw" or "ivf" (an "ivf" request on few vectors gives "flat")."""
        faiss = _faiss()
        if isinstance(self._index, faiss.IndexIVF):
            return "ivf"
        if isinstance(self._index, faiss.IndexHNSW):
            return "hnsw"
        return "flat"

    @property
    def nprobe(self) -> int | None:
        """Lists searched per query for an IVF index, else None."""
        return int(self._index.nprobe) if self.kind == "ivf" else None

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def vector(self, row: int) -> np.ndarray:
        return np.asarray(self._index.reconstruct(int(row)), dtype=np.float32)

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows``: float32 of shape (len(rows), d)."""
        if len(rows) == 0:
            return np.zeros((0, int(self._index.d)), dtype=np.float32)
        return _rows(self._index, np.asarray(rows, dtype=np.int64))

    def scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Cosine similarity of a unit ``query`` to each of ``rows``: float32 of shape (len(rows),)."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        vecs = self._index.reconstruct_batch(np.ascontiguousarray(rows, dtype=np.int64))
        return np.asarray(vecs @ query.astype(np.float32), dtype=np.float32)

    def neighbours(self, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows of each of ``rows`` (itself included): (scores, rows), each of shape (n, k)."""
        queries = self._index.reconstruct_batch(np.ascontiguousarray(rows, dtype=np.int64))
        params = _faiss().SearchParametersIVF(nprobe=self._nprobe) if self._nprobe else None
        scores, found = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, self.size),
                                           params=params)
        return scores, found

    def for_all_rows(self, exact_max: int = ALL_PAIRS_EXACT_MAX) -> VectorIndex:
        """An index to search the neighbours of every row with (links), so that doing so for a large corpus
        grows far less than quadratically: above ``exact_max`` vectors, a flat index gives a temporary IVF
        index over the same vectors in the same row order and an IVF index itself searching only
        ``ALL_PAIRS_NPROBE`` lists; at most ``exact_max``, an exact one (an IVF index gives a temporary flat copy,
        so that links and conflicts do not depend on the kind a store's searches use); for HNSW, already
        sub-linear per query, this index.

        A temporary index holds its own copy of the vectors while it lives (1.5 KB a row).
        """
        if self.kind == "hnsw" or (self.size <= max(exact_max, IVF_MIN_VECTORS) and self.kind == "flat"):
            return self
        if self.size <= max(exact_max, IVF_MIN_VECTORS):
            exact = _faiss().IndexFlatIP(self._index.d)
            for start in range(0, self.size, ADD_CHUNK):
                exact.add(_rows(self._index, start, min(self.size, start + ADD_CHUNK)))
            return VectorIndex(exact)
        if self.kind == "ivf":
            return self if self._index.nprobe <= ALL_PAIRS_NPROBE else VectorIndex(self._index, ALL_PAIRS_NPROBE)
        return VectorIndex(_build_ivf(_faiss(), self.size, self._index.d, self._index,
                                      ALL_PAIRS_TRAIN_PER_LIST, ALL_PAIRS_NPROBE))

    def top(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows closest to a unit ``query`` of shape (d,), restricted to ``mask`` if given.

        On an approximate index a mask allowing at most ``EXACT_SUBSET`` rows is
        searched exactly: the lists or graph links an approximate search visits
        may hold few of the allowed rows, and scoring them all is cheap.
        """
        faiss = _faiss()
        allowed = self.size if mask is None else int(mask.sum())
        k = min(k, allowed)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if mask is not None and self.kind != "flat" and allowed <= EXACT_SUBSET:
            rows = np.flatnonzero(mask).astype(np.int64)
            sims = self.scores(query, rows)
            best = np.argsort(-sims, kind="stable")[:k]
            return rows[best], sims[best]
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if mask is not None:
            bits = np.packbits(mask.astype(np.uint8), bitorder="little")
            sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
            # An IVF index refuses plain SearchParameters, and its own default nprobe (1) would replace the saved one.
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=self._index.nprobe) if self.kind == "ivf"
                      else faiss.SearchParameters(sel=sel))
        # One query gains nothing from FAISS's threads and loses to them: their spinning after the search takes the
        # cores the next query's embedding needs (hybrid p50 16.9 -> 8.0 ms on 2 cores, RESULTS "Warm search").
        before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, rows = self._index.search(q, k, params=params)
        finally:
            faiss.omp_set_num_threads(before)
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]


    def top_many(self, queries: np.ndarray, k: int,
                 mask: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """``top`` for each row of ``queries`` (shape (n, d), unit vectors): a list of n (rows, scores) pairs.

        A mask allowing at most ``EXACT_SUBSET`` rows (or at most half the rows of a flat index) is scored
        exactly by one matrix product over the allowed vectors; otherwise each query goes through ``top``.
        """
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self._index.d)
        allowed = self.size if mask is None else int(mask.sum())
        k = min(k, allowed)
        if k <= 0:
            return [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)) for _ in queries]
        if mask is None or (allowed > EXACT_SUBSET and (self.kind != "flat" or allowed > self.size // 2)):
            return [self.top(q, k, mask) for q in queries]
        rows = np.flatnonzero(mask).astype(np.int64)
        sims = queries @ self._index.reconstruct_batch(rows).T  # (n, allowed)
        out = []
        for row_sims in sims:
            part = np.argpartition(-row_sims, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
            best = part[np.argsort(-row_sims[part], kind="stable")]
            out.append((rows[best], row_sims[best].astype(np.float32)))
        return out


def _build_ivf(faiss: Any, n: int, d: int, source: Any, train_per_list: int = IVF_TRAIN_PER_LIST,
               nprobe: int | None = None) -> Any:
    """An IndexIVFFlat over the ``n`` vectors (n >= IVF_MIN_VECTORS) of dimension ``d`` in ``source`` (an
    array, or a FAISS index read a chunk at a time), trained on a fixed-seed sample of
    ``max(train_per_list, IVF_MIN_PER_LIST)`` points per list at most, searching ``nprobe`` lists (default
    ``ivf_nprobe``), with a direct map."""
    nlist = ivf_nlist(n)
    quantizer = faiss.IndexFlatIP(d)
    index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantizer.this.disown()  # the IVF index now frees it, so it outlives this function
    cap = max(train_per_list, IVF_MIN_PER_LIST) * nlist
    if n <= cap:
        index.train(_rows(source, 0, n))
    else:
        index.train(_rows(source, np.sort(np.random.default_rng(0).choice(n, cap, replace=False))))
    for start in range(0, n, ADD_CHUNK):
        index.add(_rows(source, start, min(n, start + ADD_CHUNK)))
    index.nprobe = min(nlist, nprobe) if nprobe else ivf_nprobe(nlist)
    # vector(), scores() and neighbours() reconstruct rows by number; IVF needs this map for that.
    index.make_direct_map()
    return index


def _rows(source: Any, rows: np.ndarray | int, stop: int | None = None) -> np.ndarray:
    """Vectors of ``source`` (an array or a FAISS index): the rows ``rows:stop`` if ``stop`` is given
    (an array slice is not copied), else the listed ``rows``."""
    if isinstance(source, np.ndarray):
        part = source[rows:stop] if stop is not None else source[rows]
    elif stop is not None:
        part = source.reconstruct_n(int(rows), stop - int(rows))
    else:
        part = source.reconstruct_batch(np.ascontiguousarray(rows, dtype=np.int64))
    return np.ascontiguousarray(part, dtype=np.float32)
