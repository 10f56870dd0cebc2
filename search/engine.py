"""Building the clause index from rows (embedding only what the cache lacks) and querying it."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

import numpy as np

from ingest.errors import InputError, ModelError, StoreError
from search.cache import EmbeddingCache, text_hash
from search.embed import Embedder, Precision
from search.executors import Executor, LocalExecutor
from search.fusion import DEFAULT_FUSION, Fusion
from search.index import LAYOUT, ClauseIndex, Filter, IndexRow, RowHit, SearchMode
from search.onnx_query import OnnxQueryEncoder, export, folder_for
from search.query import expand, lexical_form, without_names

# Texts to embed from which a model without its ONNX export is exported first, in a child process, and the texts
# embedded through onnxruntime: no torch in this process (about 1 GiB resident for the rest of an ingest, measured),
# at 4-14% less speed than sentence-transformers in fp32 (benchmarks/RESULTS.md, "An ingest without torch"); below
# it, loading the model here costs less than the child.
BULK_EXPORT = 2000


class SearchEngine:
    """The search side of a store folder: ``embeddings.sqlite`` and one index folder per graph store.

    The embedder is created on first use, so opening an engine to answer a
    lexical query or to read index metadata never loads the model. Loading is
    guarded by a lock, so threads sharing one engine (the app's) load each part once.
    """

    def __init__(self, folder: Path, model: str | None = None, precision: str = Precision.AUTO,
                 index_name: str = "index", device: str = "cpu", map_index: bool = False) -> None:
        self.folder = folder
        self._device = device
        self._map_index = map_index  # map the vector index file rather than read it (``VectorIndex.load``)
        self._index_name = index_name
        self._model = model
        self._precision = Precision.from_str(precision)
        self._embedder: Embedder | None = None
        self._query_embedder: Embedder | OnnxQueryEncoder | None = None
        self._export_tried = False
        self._index: ClauseIndex | None = None
        self.executor: Executor | None = None  # where batch embedding runs; None: in this process
        self._loading = threading.RLock()
        self._index_loading = threading.Lock()  # apart: a query is embedded while the index loads (``search``)

    @property
    def embedder(self) -> Embedder:
        with self._loading:
            if self._embedder is None:
                self._embedder = Embedder(self._model, self._precision, device=self._device)
            return self._embedder

    @property
    def query_embedder(self) -> Embedder | OnnxQueryEncoder:
        """The embedder for queries: float32 unless bf16 was forced; the model's ONNX export run by onnxruntime
        (no torch to import) when the store holds one for this model (``search.onnx_query``); the embedder itself
        when the model is an ONNX one already (a fetched model such as bge-small-en-v1.5).

        bf16 pays off for large batches, but for one short query at a time its
        kernels are re-prepared for every new input shape and run slower.
        """
        with self._loading:
            if self._query_embedder is None:
                precision = Precision.FP32 if self._precision == Precision.AUTO else self._precision
                onnx = OnnxQueryEncoder.open(self.folder, self.embedder.key) if precision == Precision.FP32 else None
                if self.embedder.is_onnx:  # fp32 on the CPU whatever was asked: one loaded copy serves both
                    self._query_embedder = self.embedder
                elif onnx is not None:
                    self._query_embedder = onnx
                elif (self._embedder is not None and not self._embedder.uses_bf16 and precision == Precision.FP32
                      and self._embedder.device == "cpu"):
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
        model and the present clause layout and holds the vectors, so that nothing needs embedding or
        rebuilding."""
        built = ClauseIndex.current_build(self.index_root)
        return built is not None and built == {
            "generation": generation, "model": self.embedder.key, "kind": kind, "layout": LAYOUT, "dense": "yes",
        }

    @property
    def index(self) -> ClauseIndex:
        with self._index_loading:
            if self._index is None:
                self._index = ClauseIndex.load(self.index_root, mapped=self._map_index)
            return self._index

    def embed_rows(self, rows: Sequence[IndexRow], progress: Callable[[int], None] | None = None,
                   on_start: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors for ``rows`` in order, embedding only texts the cache lacks, in chunks each saved at once
        (so a killed run loses one chunk at most), on ``self.executor`` (in this process when None: through the
        model's ONNX export where it runs in fp32 on the CPU, see ``local_executor``)."""
        key = self.executor.key if self.executor is not None else self.embedder.key
        cache = EmbeddingCache(self.folder / "embeddings.sqlite")
        try:
            keys = [text_hash(r.embed_text) for r in rows]
            todo = cache.missing(key, keys)
            if on_start:
                on_start(len(todo))
            if not todo:  # the vectors' length from the cache: no model loaded only to learn it
                return cache.get(key, keys, None if keys else self.embedder.dim)
            executor: Executor = self.executor or self.local_executor(len(todo))
            text_of = {k: r.embed_text for k, r in zip(keys, rows, strict=True)}
            todo.sort(key=lambda k: len(text_of[k]))  # each chunk spans few lengths: little padding
            step = max(2048, executor.preferred_batch)
            for start in range(0, len(todo), step):
                part = todo[start : start + step]
                cache.put(key, part, executor.embed([text_of[k] for k in part]))
                if progress:
                    progress(len(part))
            return cache.get(key, keys, executor.dim)
        finally:
            cache.close()

    def local_executor(self, texts: int) -> Executor:
        """Where ``texts`` texts are embedded in this process: through the model's ONNX export when the model runs
        in fp32 on the CPU and the store holds the export (made first, in a child process, for ``BULK_EXPORT``
        texts or more), else through sentence-transformers."""
        embedder = self.embedder
        if embedder.fp32_on_cpu:
            onnx = OnnxQueryEncoder.open(self.folder, embedder.key)
            if onnx is None and texts >= BULK_EXPORT and self.export_query_model() is not None:
                onnx = OnnxQueryEncoder.open(self.folder, embedder.key)
            if onnx is not None:
                return LocalExecutor(embedder.through(onnx))
        return LocalExecutor(embedder)

    def install(self, rows: Sequence[IndexRow], vectors: np.ndarray | None, generation: str,
                kind: str = "flat") -> ClauseIndex:
        """Build the index over ``rows`` and their vectors (None: BM25 only, until they are computed) and make it
        the live one (atomic swap)."""
        index = ClauseIndex.build(rows, vectors, self.embedder.key, generation, kind)
        index.save(self.index_root)
        self._index = index
        if vectors is not None:
            self.export_query_model()
        return index

    def export_query_model(self) -> float | None:
        """Export this engine's model for queries without torch (``search.onnx_query``) unless the store holds
        that export already; returns the export's lowest cosine to the model's vectors, or None when there was
        nothing to do or it could not be done (queries then go through sentence-transformers, as before). The
        export runs in this process when torch is loaded here already, else in a child process, so that this one
        never loads it only for that."""
        with self._loading:
            if self._export_tried or self._precision == Precision.BF16 or self.embedder.is_onnx:
                return None
            self._export_tried = True
            target = folder_for(self.folder, self.embedder.key)
            if OnnxQueryEncoder.open(self.folder, self.embedder.key) is not None:
                return None
            if "torch" not in sys.modules:
                return _export_in_child(self.folder, self._model)
            embedder = self.embedder
            try:
                st = embedder.trainable_model() if embedder.uses_bf16 else embedder.load()
                return export(st, Path(embedder.target), embedder.key, target)
            except (ModelError, OSError):
                return None

    def _embed_queries(self, texts: list[str], as_queries: bool = False) -> np.ndarray:
        """Vectors for a few texts on the query path: search queries behind the model's query prefix when
        ``as_queries``, else as documents (draft clauses compared with stored ones). When they had to go through
        sentence-transformers (the model is loaded now anyway), the ONNX export is made so that the next process
        does not need torch."""
        encoder = self.query_embedder
        vectors = encoder.embed_queries(texts) if as_queries else encoder.embed(texts)
        if isinstance(encoder, Embedder):
            self.export_query_model()  # once per engine; nothing when the export exists or bf16 was forced
        return vectors

    def search(self, query: str, k: int = 10, flt: Filter | None = None, mode: str = SearchMode.HYBRID,
               collapse: bool = True, fusion: Fusion = DEFAULT_FUSION, scope: Sequence[str] = (),
               depth: int | None = None) -> list[RowHit]:
        """Hits for a query in words; the model is loaded only when the mode needs vectors.

        Legal abbreviations are written out first ("Art." -> "Article", "MFN" ->
        "most-favoured-nation"; search/query.py), and the lexical side also
        searches the other spelling of British / American variants. ``scope``
        names the agreements the filter restricts to ("Turkey", "Serbia"):
        those words are dropped from the query (``query.without_names``).
        ``depth``: rows each retriever contributes before fusion (``ClauseIndex.search_many``).
        """
        query = without_names(query, list(scope)) if scope else query
        vec = None
        early = self._embed_while_loading(query, mode)
        try:
            mode = self.answering_mode(mode)
            if mode != SearchMode.LEXICAL:
                self._check_model()
                vec = early.result() if early is not None else self._embed_queries([expand(query)],
                                                                                   as_queries=True)[0]
        finally:
            # whatever happened here (a store built with another model, a lexical answer), the embedding thread
            # ends before this does: a process exiting while onnxruntime or torch runs on it aborts
            if early is not None:
                early.exception()
        return self.index.search(vec, lexical_form(query), k, flt, mode, collapse, fusion=fusion, depth=depth)

    def _embed_while_loading(self, query: str, mode: str) -> Future[np.ndarray] | None:
        """The query's vector computed on another thread while this one loads the index, in the first search of a
        process whose index holds vectors (a search from the shell: the two loads take about 1 s and 0.25 s, and
        onnxruntime and numpy's file reads let go of the interpreter lock); None otherwise."""
        if self._index is not None or SearchMode.from_str(mode) == SearchMode.LEXICAL:
            return None
        built = ClauseIndex.current_build(self.index_root)
        if built is None or built["dense"] != "yes":
            return None
        future: Future[np.ndarray] = Future()

        def embed() -> None:
            try:
                future.set_result(self._embed_queries([expand(query)], as_queries=True)[0])
            except BaseException as e:  # raised where the result is read, if it is
                future.set_exception(e)

        threading.Thread(target=embed, name="query-embedding", daemon=True).start()
        return future

    def answering_mode(self, mode: str) -> SearchMode:
        """The mode a search asked in ``mode`` is answered in: lexical while the store's vectors are still being
        computed (a hybrid search; a dense one is a StoreError), else the mode asked."""
        mode = SearchMode.from_str(mode)
        if mode == SearchMode.HYBRID and not self.index.dense:
            return SearchMode.LEXICAL
        return mode

    def embed_passages(self, passages: Sequence[str]) -> np.ndarray:
        """Vectors for texts that are not stored (float32, shape (n, d)), to pass to ``nearest`` more than once."""
        self._check_model()
        return self._embed_queries(list(passages))

    def nearest(self, passages: Sequence[str], k: int = 10, flt: Filter | None = None, mode: str = SearchMode.HYBRID,
                collapse: bool = True, lexical_texts: Sequence[str] | None = None,
                vectors: np.ndarray | None = None) -> list[list[RowHit]]:
        """The stored clauses closest to each of ``passages``, texts that are not stored (a draft's clauses).

        Args:
            passages: what to embed for each text, laid out as stored clauses are (``Clause.passage_text``).
            k: hits per passage (default 10).
            flt: restrictions (agreements, clause types, modalities), the same for every passage.
            mode: "hybrid" (default), "dense" or "lexical".
            collapse: identical stored texts form one hit with ``also_in`` (default True).
            lexical_texts: what BM25 reads for each passage (default the passages; ``Clause.index_text``).
            vectors: the passages' vectors when already computed (``embed_passages``), shape (n, d).

        Returns one list of hits per passage, in order, best first; the passages are embedded in one batch.

        >>> hits = engine.nearest([draft_clause.passage_text], k=5, flt=Filter(treaty_ids=frozenset({"tota-101"})))
        >>> hits[0][0].clause_id  # doctest: +SKIP
        """
        if lexical_texts is not None and len(lexical_texts) != len(passages):
            raise InputError("one lexical text per passage is required")
        if not passages:
            return []
        mode = SearchMode.from_str(mode)
        vecs = None
        if mode != SearchMode.LEXICAL:
            self.index.require_dense()
            vecs = vectors if vectors is not None else self.embed_passages(passages)
        texts = [lexical_form(t) for t in (lexical_texts if lexical_texts is not None else passages)]
        return self.index.search_many(vecs, texts, k, flt, mode, collapse)

    def _check_model(self) -> None:
        built_with = self.index.meta.get("model")
        if built_with != self.query_embedder.key:
            raise StoreError(f"{self.index_root}: the index was built with model {built_with}, not "
                             f"{self.query_embedder.key}; run 'pacta ingest' with this model to re-index")

    def similar(self, clause_id: str, k: int = 10, flt: Filter | None = None,
                collapse: bool = True) -> list[RowHit] | None:
        """Clauses closest in meaning to an indexed clause, its own text excluded; None if not indexed."""
        index = self.index
        row = index.row_of(clause_id)
        if row is None:
            return None
        return index.search(index.vectors.vector(row), "", k, flt, SearchMode.DENSE, collapse,
                            exclude=index.same_text(row))


def _export_in_child(folder: Path, model: str | None) -> float | None:
    """``SearchEngine.export_query_model`` run in a new process (torch is loaded there, and freed with it)."""
    command = [sys.executable, "-m", "search.engine", "export", str(folder), *(["--model", model] if model else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        return float(json.loads(done.stdout.strip().splitlines()[-1])["cosine"]) if done.returncode == 0 else None
    except (IndexError, ValueError, KeyError, TypeError):
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m search.engine export STORE [--model M]``: make the store's ONNX query export (prints its lowest
    cosine to the model's vectors as JSON); what ``export_query_model`` runs in a child process."""
    parser = argparse.ArgumentParser(prog="python -m search.engine")
    parser.add_argument("action", choices=["export"])
    parser.add_argument("store", type=Path)
    parser.add_argument("--model")
    args = parser.parse_args(argv)
    import torch  # noqa: F401  (loaded here on purpose: the export runs in this process)

    cosine = SearchEngine(args.store, args.model, Precision.FP32).export_query_model()
    print(json.dumps({"cosine": cosine}))
    return 0 if cosine is not None else 1


if __name__ == "__main__":
    sys.exit(main())
