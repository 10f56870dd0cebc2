"""The clause index: FAISS vectors, BM25 and row metadata, saved together and swapped in atomically.

Rows are the searchable (leaf) clauses. An index may hold BM25 only (``dense`` false): ingest saves one as soon
as the agreements are read, so that a store answers lexical searches while the vectors are being computed, and
replaces it with the whole index when they are. Each saved index lives in its own
folder ``index/<generation>``; the file ``index/CURRENT`` names the live one
and is replaced with an atomic rename, so a reader never sees half an index.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from ingest.atomic import write_atomic
from ingest.choices import Choice
from ingest.errors import StoreError
from search.fusion import DEFAULT_FUSION, Fusion, reciprocal_rank_fusion
from search.lexical import LexicalIndex
from search.vectors import VectorIndex


class SearchMode(Choice):
    """How hits are ranked: BM25 and vectors fused (default), vectors only, or BM25 only."""

    HYBRID = "hybrid"
    DENSE = "dense"
    LEXICAL = "lexical"


# Bumped when what is embedded or indexed for a clause changes, so that stores re-index (not re-read).
LAYOUT = "2"


@dataclass(frozen=True)
class IndexRow:
    """What the index needs of one clause."""

    clause_id: str
    treaty_id: str
    text_key: str
    clause_type: str | None
    text: str
    modality: str | None = None
    passage: str = ""  # what is embedded, when it differs from ``text`` (which BM25 indexes)
    other_version: bool = False  # a further language version of its agreement (searched only on request)

    @property
    def embed_text(self) -> str:
        return self.passage or self.text


@dataclass(frozen=True)
class Filter:
    """Restrictions on the rows a search may return; None means no restriction."""

    treaty_ids: frozenset[str] | None = None
    clause_types: frozenset[str] | None = None
    modalities: frozenset[str] | None = None
    other_versions: bool = False  # also rows of an agreement's further language versions (hidden by default)

    @property
    def empty(self) -> bool:
        """True when nothing is restricted beyond hiding further language versions."""
        return self.treaty_ids is None and self.clause_types is None and self.modalities is None


@dataclass
class RowHit:
    """One ranked result: the best row of a group of identical texts and the other rows carrying it."""

    row: int
    clause_id: str
    score: float
    dense: float | None = None
    lexical: float | None = None
    also_in: list[str] = field(default_factory=list)


class ClauseIndex:
    """Rows of clauses with their vectors and BM25 postings; see module docstring for the layout."""

    def __init__(self, meta: dict, vectors: VectorIndex | None, lexical: LexicalIndex) -> None:
        self.meta = meta
        self.clause_ids: list[str] = meta["clause_ids"]
        self.treaties: list[str] = meta["treaties"]
        self.row_treaty = np.asarray(meta["row_treaty"], dtype=np.int32)
        self.text_keys: list[str] = meta["text_keys"]
        self.types: list[str | None] = meta["types"]
        self._vectors = vectors
        self.lexical = lexical
        self._types = np.asarray(["" if t is None else t for t in self.types], dtype=object)
        self._modalities = np.asarray([m or "" for m in meta.get("modalities") or [None] * len(self.types)],
                                      dtype=object)
        self._other_versions = np.asarray(meta.get("other_versions") or [], dtype=np.int64)

    @cached_property
    def _row_of(self) -> dict[str, int]:
        """Row of each clause id (built on first use: a plain search never needs it)."""
        return {cid: i for i, cid in enumerate(self.clause_ids)}

    @cached_property
    def _groups(self) -> dict[str, list[int]]:
        """The rows of each text that more than one row carries."""
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(self.text_keys):
            groups.setdefault(key, []).append(i)
        return {k: v for k, v in groups.items() if len(v) > 1}

    @property
    def dense(self) -> bool:
        """Whether the index holds the clause vectors (not only BM25)."""
        return self._vectors is not None

    @property
    def vectors(self) -> VectorIndex:
        """The clause vectors; a StoreError of one line while only BM25 is built."""
        if self._vectors is None:
            raise self._no_vectors()
        return self._vectors

    def require_dense(self) -> None:
        """A StoreError of one line unless the index holds the vectors (a comparison by meaning needs them)."""
        if self._vectors is None:
            raise self._no_vectors()

    def _no_vectors(self) -> StoreError:
        return StoreError(f"the clause vectors of this store ({len(self)} clauses) are still being computed: "
                          "lexical search works now; run 'pacta ingest' again to finish them")

    # -- building and persistence ---------------------------------------
    @classmethod
    def build(cls, rows: Sequence[IndexRow], vectors: np.ndarray | None, model_key: str, generation: str,
              kind: str = "flat") -> ClauseIndex:
        """The index over ``rows`` and their ``vectors`` (None: BM25 only, the vectors to come)."""
        treaties = sorted({r.treaty_id for r in rows})
        code = {t: i for i, t in enumerate(treaties)}
        meta = {
            "generation": generation,
            "model": model_key,
            "kind": kind,
            "layout": LAYOUT,
            "clause_ids": [r.clause_id for r in rows],
            "treaties": treaties,
            "row_treaty": [code[r.treaty_id] for r in rows],
            "text_keys": [r.text_key for r in rows],
            "types": [r.clause_type for r in rows],
            "modalities": [r.modality for r in rows],
            "other_versions": [i for i, r in enumerate(rows) if r.other_version],
            "dense": vectors is not None,
        }
        return cls(meta, None if vectors is None else VectorIndex.build(vectors, kind),
                   LexicalIndex.build([r.text for r in rows]))

    def save(self, root: Path) -> None:
        """Write to ``root/<generation>`` then point ``root/CURRENT`` at it; older folders are removed."""
        root.mkdir(parents=True, exist_ok=True)
        name = f"g{self.meta['generation']}"
        tmp = root / f".tmp-{name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        (tmp / "meta.json").write_text(json.dumps(self.meta))
        if self._vectors is not None:
            self._vectors.save(tmp / "vectors.faiss")
        self.lexical.save(tmp / "bm25")
        final = root / name
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        write_atomic(root / "CURRENT", name)
        for old in root.iterdir():
            if old.is_dir() and old.name != name:
                shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def current(root: Path) -> str | None:
        """Generation of the live index under ``root``, or None if there is none."""
        try:
            name = (root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return name[1:] if (root / name).is_dir() else None

    @classmethod
    def current_build(cls, root: Path) -> dict[str, str] | None:
        """How the live index under ``root`` was built (generation, model, kind, layout, whether it holds the
        vectors), from its metadata only."""
        gen = cls.current(root)
        if gen is None:
            return None
        try:
            meta = json.loads((root / f"g{gen}" / "meta.json").read_text())
        except (OSError, ValueError):
            return None
        return {"generation": gen, "model": str(meta.get("model")), "kind": str(meta.get("kind", "flat")),
                "layout": str(meta.get("layout", "1")), "dense": "yes" if meta.get("dense", True) else "no"}

    @classmethod
    def load(cls, root: Path, mapped: bool = False) -> ClauseIndex:
        gen = cls.current(root)
        if gen is None:
            raise StoreError(f"{root}: no search index yet; run 'pacta ingest' first")
        folder = root / f"g{gen}"
        try:
            meta = json.loads((folder / "meta.json").read_text())
            vectors = VectorIndex.load(folder / "vectors.faiss", mapped) if meta.get("dense", True) else None
            return cls(meta, vectors, LexicalIndex.load(folder / "bm25"))
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{folder}: the search index cannot be read ({exc}); run 'pacta ingest' again") from None

    # -- retrieval --------------------------------------------------------
    def __len__(self) -> int:
        return len(self.clause_ids)

    def row_of(self, clause_id: str) -> int | None:
        return self._row_of.get(clause_id)

    def same_text(self, row: int) -> list[int]:
        """The rows carrying exactly the text of ``row`` (itself included)."""
        return list(self._groups.get(self.text_keys[row], [row]))

    def mask(self, flt: Filter) -> np.ndarray | None:
        """Boolean array of the rows ``flt`` allows, or None when it allows all.

        Rows of an agreement's further language versions are left out unless ``flt.other_versions``:
        a lawyer should not get the same article twice, in two languages."""
        hide = not flt.other_versions and self._other_versions.size > 0
        if flt.empty and not hide:
            return None
        mask = np.ones(len(self), dtype=bool)
        if hide:
            mask[self._other_versions] = False
        if flt.treaty_ids is not None:
            codes = [i for i, t in enumerate(self.treaties) if t in flt.treaty_ids]
            mask &= np.isin(self.row_treaty, codes)
        if flt.clause_types is not None:
            mask &= np.isin(self._types, list(flt.clause_types))
        if flt.modalities is not None:
            mask &= np.isin(self._modalities, list(flt.modalities))
        return mask

    def search(self, query_vec: np.ndarray | None, query_text: str, k: int = 10, flt: Filter | None = None,
               mode: str = SearchMode.HYBRID, collapse: bool = True, exclude: Sequence[int] = (),
               fusion: Fusion = DEFAULT_FUSION, depth: int | None = None) -> list[RowHit]:
        """Rank rows for a query by BM25, by vector similarity, or by their reciprocal rank fusion.

        With ``collapse``, rows with identical text form one hit whose
        ``also_in`` lists the other rows (within the filter) carrying it.
        """
        vecs = None if query_vec is None else query_vec.reshape(1, -1)
        return self.search_many(vecs, [query_text], k, flt, mode, collapse, exclude, fusion, depth)[0]

    def search_many(self, query_vecs: np.ndarray | None, query_texts: Sequence[str], k: int = 10,
                    flt: Filter | None = None, mode: str = SearchMode.HYBRID, collapse: bool = True,
                    exclude: Sequence[int] = (), fusion: Fusion = DEFAULT_FUSION,
                    depth: int | None = None) -> list[list[RowHit]]:
        """``search`` for several queries under one filter: ``query_vecs`` of shape (n, d) (None for lexical
        mode) and n ``query_texts``; one ranked list per query, in order. The filter's mask is computed once
        and the dense candidates of all queries are found together. ``depth``: how many rows each retriever
        contributes before fusion (default ``max(100, 10 * k)``)."""
        mode = SearchMode.from_str(mode)
        if mode == SearchMode.DENSE:
            self.require_dense()
        mask = self.mask(flt or Filter())
        if exclude:
            mask = np.ones(len(self), dtype=bool) if mask is None else mask.copy()
            mask[list(exclude)] = False
        depth = depth or max(100, 10 * k)
        use_dense = mode != SearchMode.LEXICAL and query_vecs is not None and self.dense
        dense_top = self.vectors.top_many(query_vecs, depth, mask) if use_dense and query_vecs is not None else None
        out = []
        for n, text in enumerate(query_texts):
            vec = query_vecs[n] if use_dense and query_vecs is not None else None
            rows, dense_s, lex_s = self._candidates(vec, dense_top[n][0] if dense_top else None, text, mode,
                                                    depth, mask)
            out.append(self._rank(rows, dense_s, lex_s, k, mask, collapse, fusion))
        return out

    def _rank(self, rows: np.ndarray, dense_s: np.ndarray | None, lex_s: np.ndarray | None, k: int,
              mask: np.ndarray | None, collapse: bool, fusion: Fusion) -> list[RowHit]:
        rankings, weights = [], []
        if dense_s is not None:
            rankings.append(rows[np.argsort(-dense_s, kind="stable")].tolist())
            weights.append(fusion.dense)
        if lex_s is not None:  # a row sharing no word with the query gets no lexical rank at all
            matched = lex_s > 0
            rankings.append(rows[matched][np.argsort(-lex_s[matched], kind="stable")].tolist())
            weights.append(fusion.lexical)
        dense = dict(zip(rows.tolist(), dense_s.tolist(), strict=True)) if dense_s is not None else {}
        lexical = dict(zip(rows.tolist(), lex_s.tolist(), strict=True)) if lex_s is not None else {}
        if len(rankings) > 1:
            fused = reciprocal_rank_fusion(rankings, weights, fusion.k)
        else:  # one signal: its own score, in its own order
            own = dense or lexical
            fused = [(r, own[r]) for r in (rankings[0] if rankings else [])]
        hits = [RowHit(r, self.clause_ids[r], float(v), dense.get(r), lexical.get(r)) for r, v in fused]
        return self._collapse(hits, k, mask) if collapse else hits[:k]

    def _candidates(self, query_vec: np.ndarray | None, dense_rows: np.ndarray | None, query_text: str, mode: str,
                    depth: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """The union of each retriever's top rows (``dense_rows``: the vector side's, already found), each
        scored on both signals.

        Scoring every candidate on both keeps a clause found by one retriever
        from being penalised for falling just outside the other's top list.
        """
        parts = []
        lex_all = None
        if query_vec is not None and dense_rows is not None:
            parts.append(dense_rows)
        if mode in (SearchMode.HYBRID, SearchMode.LEXICAL):
            lex_all = self.lexical.scores(query_text)
            parts.append(self.lexical.top(query_text, depth, mask, scores=lex_all)[0])
        rows = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        dense_s = self.vectors.scores(query_vec, rows) if query_vec is not None else None
        return rows, dense_s, (lex_all[rows] if lex_all is not None else None)

    def _collapse(self, hits: list[RowHit], k: int, mask: np.ndarray | None) -> list[RowHit]:
        """The first ``k`` hits with distinct text, each listing the other rows (within ``mask``) carrying it."""
        out: list[RowHit] = []
        seen: set[str] = set()
        for hit in hits:
            key = self.text_keys[hit.row]
            if key in seen:
                continue
            seen.add(key)
            hit.also_in = [self.clause_ids[r] for r in self._groups.get(key, ())
                           if r != hit.row and (mask is None or mask[r])]
            out.append(hit)
            if len(out) == k:
                break
        return out
