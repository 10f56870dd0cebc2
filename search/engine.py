"""Building the clause index from rows (embedding only what the cache lacks) and querying it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ingest.errors import StoreError
from search.cache import EmbeddingCache, text_hash
from search.embed import Embedder
from search.executors import Executor, LocalExecutor
from search.fusion import DEFAULT_FUSION, Fusion
from search.index import LAYOUT, ClauseIndex, Filter, IndexRow, RowHit
from search.query import expand, lexical_form, without_names


class SearchEngine:
    """The search side of a store folder: ``embeddings.sqlite`` and one index folder per graph store.

    The embedder is created on first use, so opening an engine to answer a
    lexical query or to read index metadata never loads the model.
    """

    def __init__(self, folder: Path, model: str | None = None, precision: str = "auto",
                 index_name: str = "index") -> None:
        self.folder = folder
        self._index_name = index_name
        self._model = model
        self._precision = precision
        self._embedder: Embedder | None = None
        self._query_embedder: Embedder | None = None
        self._index: ClauseIndex | None = None
        self.executor: Executor | None = None  # where batch embedding runs; None: in this process

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self._model, self._precision)
        return self._embedder

    @property
    def query_embedder(self) -> Embedder:
        """The embedder for queries: float32 unless bf16 was forced.

        bf16 pays off for large batches, but for one short query at a time its
        kernels are re-prepared for every new input shape and run slower.
        """
        if self._query_embedder is None:
            precision = "fp32" if self._precision == "auto" else self._precision
            if self._embedder is not None and not self._embedder.uses_bf16 and precision == "fp32":
                self._query_embedder = self._embedder
            else:
                self._query_embedder = Embedder(self._model, precision)
        return self._query_embedder

    @property
    def index_root(self) -> Path:
        return self.folder / self._index_name

    def current_generation(self) -> str | None:
        return ClauseIndex.current(self.index_root)

    def current_kind(self) -> str | None:
        """The live index's vector index kind, without loading the index."""
        built = ClauseIndex.current_build(self.index_root)
        return built["kind"] if built else None

    def index_is_current(self, generation: str, kind: str) -> bool:
        """True if the live index matches graph ``generation``, vector index ``kind``, this engine's
        model and the present clause layout, so that nothing needs re-embedding or rebuilding."""
        built = ClauseIndex.current_build(self.index_root)
        return built is not None and built == {
            "generation": generation, "model": self.embedder.key, "kind": kind, "layout": LAYOUT,
        }

    @property
    def index(self) -> ClauseIndex:
        if self._index is None:
            self._index = ClauseIndex.load(self.index_root)
        return self._index

    def embed_rows(self, rows: Sequence[IndexRow], progress: Callable[[int], None] | None = None,
                   on_start: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for ``rows`` in order, embedding only texts the cache lacks, in chunks each saved at once
        (so a killed run loses one chunk at most), on ``self.executor`` (in this process when None)."""
        executor: Executor = self.executor or LocalExecutor(self.embedder)
        cache = EmbeddingCache(self.folder / "embeddings.sqlite")
        try:
            keys = [text_hash(r.embed_text) for r in rows]
            todo = cache.missing(executor.key, keys)
            if on_start:
                on_start(len(todo))
            if todo:
                text_of = {k: r.embed_text for k, r in zip(keys, rows, strict=True)}
                todo.sort(key=lambda k: len(text_of[k]))  # each chunk spans few lengths: little padding
                step = max(2048, executor.preferred_batch)
                for start in range(0, len(todo), step):
                    part = todo[start : start + step]
                    cache.put(executor.key, part, executor.embed([text_of[k] for k in part]))
                    if progress:
                        progress(len(part))
            return cache.get(executor.key, keys, executor.dim)
        finally:
            cache.close()

    def install(self, rows: Sequence[IndexRow], vectors: np.ndarray, generation: str,
                kind: str = "flat") -> ClauseIndex:
        """Build the index over ``rows`` and their vectors and make it the live one (atomic swap)."""
        index = ClauseIndex.build(rows, vectors, self.embedder.key, generation, kind)
        index.save(self.index_root)
        self._index = index
        return index

    def search(self, query: str, k: int = 10, flt: Filter | None = None, mode: str = "hybrid",
               collapse: bool = True, fusion: Fusion = DEFAULT_FUSION, scope: Sequence[str] = ()) -> list[RowHit]:
        """Hits for a query in words; the model is loaded only when the mode needs vectors.

        Legal abbreviations are written out first ("Art." -> "Article", "MFN" ->
        "most-favoured-nation"; search/query.py), and the lexical side also
        searches the other spelling of British / American variants. ``scope``
        names the agreements the filter restricts to ("Turkey", "Serbia"):
        those words are dropped from the query (``query.without_names``).
        """
        query = without_names(query, list(scope)) if scope else query
        vec = None
        if mode != "lexical":
            built_with = self.index.meta.get("model")
            if built_with != self.query_embedder.key:
                raise StoreError(f"{self.index_root}: the index was built with model {built_with}, not "
                                 f"{self.query_embedder.key}; run 'pacta ingest' with this model to re-index")
            vec = self.query_embedder.embed([expand(query)])[0]
        return self.index.search(vec, lexical_form(query), k, flt, mode, collapse, fusion=fusion)

    def similar(self, clause_id: str, k: int = 10, flt: Filter | None = None,
                collapse: bool = True) -> list[RowHit] | None:
        """Clauses closest in meaning to an indexed clause, its own text excluded; None if not indexed."""
        index = self.index
        row = index.row_of(clause_id)
        if row is None:
            return None
        return index.search(index.vectors.vector(row), "", k, flt, "dense", collapse, exclude=index.same_text(row))
