"""Embedding models compared on the search evaluation set (data/eval/search) within pooled candidates, and their
embedding speed, in one run.

The store's index holds one model's vectors (the packaged MiniLM); re-embedding its ~157k clauses with
bge-small-en-v1.5 takes over an hour on 2 cores. So each query is judged within a pool: the union of its top 100
by BM25 and by the store's dense search (under the query's filter, as benchmarks/search_eval.py searches) plus its
gold clauses. Each model embeds the pool's texts (``IndexRow.embed_text``, through ``SearchEngine.embed_rows`` and
an embedding cache in ``--cache``) and ranks each pool by (a) cosine alone and (b) the engine's reciprocal rank
fusion of that ranking with BM25's (search/fusion.py); BM25 alone within the same pools is the baseline. Queries
are cut and expanded as the engine does (scope names dropped, ``expand`` / ``lexical_form``).

Pooled figures are not full-corpus figures: the pool holds what BM25 and MiniLM already find, which favours
MiniLM and never shows another model's false positives from the rest of the corpus.

    python3 benchmarks/model_compare.py --store /tmp/full [--cache /tmp/pacta_model_compare] [--throughput 2000]
        [--only minilm-int8,bge,bge-int8]

"MiniLM int8" is the store's ONNX query export of MiniLM quantised the same way as bge's int8, queries and
clauses both embedded with it (as a store built in int8 would search).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.context import Context, Settings, store_model  # noqa: E402
from benchmarks.search_eval import (  # noqa: E402
    EVAL,
    Query,
    first_correct,
    load_queries,
    metrics,
    pacta_ranker,
    table,
)
from search.cache import EmbeddingCache, text_hash  # noqa: E402
from search.embed import Embedder  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.fusion import DEFAULT_FUSION, reciprocal_rank_fusion  # noqa: E402
from search.index import ClauseIndex, Filter, IndexRow  # noqa: E402
from search.models import BGE_SMALL, installed_model  # noqa: E402
from search.onnx_query import folder_for  # noqa: E402
from search.query import expand, lexical_form, without_names  # noqa: E402

DEPTH = 100  # per retriever, as the engine's hybrid candidates for k <= 10


@dataclass
class Pooled:
    """One query's pool (rows, ascending) with the BM25 score of each and the query's two forms."""

    rows: np.ndarray
    lexical: np.ndarray
    dense_text: str


def query_forms(q: Query) -> tuple[str, str]:
    """What the engine embeds and what BM25 reads for ``q`` (SearchEngine.search)."""
    text = without_names(q.text, list(q.scope)) if q.scope else q.text
    return expand(text), lexical_form(text)


def build_pools(ctx: Context, index: ClauseIndex, queries: list[Query]) -> tuple[list[Pooled], list[list[int]]]:
    """Each query's pool, and the engine's own hybrid top 10 over the full corpus (whose candidates are the top 100
    of each retriever: the pool without the gold rows)."""
    engine_ranked: dict[str, list] = {mode: [] for mode in ("dense", "lexical")}
    rankers = {mode: pacta_ranker(ctx, mode) for mode in engine_ranked}
    top10 = []
    rows_of: dict[str, list[int]] = {}
    for row, key in enumerate(index.text_keys):
        rows_of.setdefault(key, []).append(row)
    pools = []
    for q in queries:
        for mode, ranked in engine_ranked.items():
            ranked.append(rankers[mode](q))
        top10.append([h.row for h in ctx.engine.search(q.text, 10, q.flt, "hybrid", collapse=False, scope=q.scope)])
        mask = index.mask(q.flt or Filter())  # the engine hides further language versions without a filter
        gold = [r for key in q.relevant_keys for r in rows_of.get(key, ()) if mask is None or mask[r]]
        rows = np.unique(np.asarray([*engine_ranked["dense"][-1], *engine_ranked["lexical"][-1], *gold],
                                    dtype=np.int64))
        dense_text, lexical_text = query_forms(q)
        pools.append(Pooled(rows, index.lexical.scores(lexical_text)[rows], dense_text))
    return pools, top10


def by_lexical(pool: Pooled) -> list[int]:
    """The pool's rows sharing a word with the query, best BM25 score first (the engine's lexical ranking)."""
    matched = pool.lexical > 0
    return pool.rows[matched][np.argsort(-pool.lexical[matched], kind="stable")].tolist()


def rankings(pool: Pooled, dense: np.ndarray) -> dict[str, list[int]]:
    """The pool ranked by cosine alone and by its fusion with BM25's ranking, as ``ClauseIndex._rank`` fuses."""
    by_dense = pool.rows[np.argsort(-dense, kind="stable")].tolist()
    fused = reciprocal_rank_fusion([by_dense, by_lexical(pool)], [DEFAULT_FUSION.dense, DEFAULT_FUSION.lexical],
                                   DEFAULT_FUSION.k)
    return {"dense": by_dense, "hybrid": [r for r, _ in fused]}


def paired(a: list[int | None], b: list[int | None], chosen: list[int], rounds: int = 10000) -> str:
    """nDCG@10 of ``b`` minus that of ``a`` on the ``chosen`` queries, with a 95% paired bootstrap interval and
    the queries each ranks better."""
    def gain(r: int | None) -> float:
        return 1 / math.log2(r + 1) if r is not None and r <= 10 else 0.0

    diff = np.asarray([gain(b[i]) - gain(a[i]) for i in chosen])
    rng = np.random.default_rng(0)
    means = diff[rng.integers(0, len(diff), (rounds, len(diff)))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return (f"{diff.mean():+.3f} [{lo:+.3f}, {hi:+.3f}], better on {int(np.sum(diff > 0))}, "
            f"worse on {int(np.sum(diff < 0))} of {len(diff)}")


def int8_model(cache: Path, source: Path | None = None, name: str | None = None) -> Path:
    """An ONNX model folder (bge-small by default; the store's MiniLM query export with ``source``) quantised by
    onnxruntime's quantize_dynamic (int8 weights per channel, reduced range: plain per-tensor int8 drifts on AVX2
    without VNNI), made once into ``cache``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if source is None:
        source, name = installed_model(BGE_SMALL.name), f"bge-small-en-v1.5-int8-pc-rr-{BGE_SMALL.onnx_sha256[:12]}"
    folder = cache / str(name)
    if not (folder / "model.onnx").is_file():
        tmp = cache / f".int8-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for extra in source.iterdir():  # tokenizer, pooling and prefix settings
            if extra.is_file() and extra.suffix != ".onnx" and extra.name != "config.json":
                shutil.copyfile(extra, tmp / extra.name)
        config = json.loads((source / "config.json").read_text())
        (tmp / "config.json").write_text(json.dumps(config | {"key": folder.name}))
        quantize_dynamic(str(source / "model.onnx"), str(tmp / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=True)
        os.replace(tmp, folder)
    return folder


def throughput(embedders: dict[str, Embedder], texts: list[str]) -> dict[str, np.ndarray]:
    """Texts per second of each embedder on ``texts`` (warmed up first); returns the vectors."""
    out = {}
    for name, embedder in embedders.items():
        embedder.embed(texts[:16])
        load = os.getloadavg()[0]
        start = time.perf_counter()
        out[name] = embedder.embed(texts)
        took = time.perf_counter() - start
        print(f"| {name} | {len(texts) / took:.1f} | {took:.0f} s | {load:.1f} |", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, required=True, help="a store holding the English ToTA corpus")
    ap.add_argument("--queries", type=Path, default=EVAL)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/pacta_model_compare"),
                    help="where pooled embeddings and the int8 model are kept between runs")
    ap.add_argument("--throughput", type=int, default=2000, help="clause texts timed per model (default 2000)")
    ap.add_argument("--extra", action="append", default=[], metavar="LABEL=PATH",
                    help="also compare this sentence-transformers model folder (e.g. a `pacta tune` output), as LABEL")
    ap.add_argument("--only", default=None, help="compare only these models (comma-separated: minilm, minilm-int8, "
                    "bge, bge-int8; default all); the packaged MiniLM and BM25 are always in")
    opts = ap.parse_args()
    if any("=" not in e for e in opts.extra):
        ap.error("--extra takes LABEL=PATH (a label, '=', a sentence-transformers model folder)")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    opts.cache.mkdir(parents=True, exist_ok=True)

    with Context(Settings(store=opts.store)) as ctx:
        index = ctx.engine.index
        queries = load_queries(ctx, index, opts.queries)
        pools, engine_top10 = build_pools(ctx, index, queries)
        pooled_rows = np.unique(np.concatenate([p.rows for p in pools]))
        clauses = ctx.graph.get_clauses([index.clause_ids[r] for r in pooled_rows])
        rows = [IndexRow(c.clause_id, c.treaty_id, c.text_key, c.clause_type, c.index_text, passage=c.passage_text)
                for c in (clauses[index.clause_ids[r]] for r in pooled_rows)]
        position = {int(r): n for n, r in enumerate(pooled_rows)}
        texts = list(dict.fromkeys(r.embed_text for r in rows))
        print(f"{len(queries)} queries; pools of {np.mean([len(p.rows) for p in pools]):.0f} rows on average, "
              f"{len(pooled_rows):,} rows and {len(texts):,} distinct texts in all "
              f"(of {len(index):,} indexed clauses)\n")

        index_key = index.meta["model"]
        packaged = Embedder(None, "fp32")
        if index_key != packaged.key:
            raise SystemExit(f"{opts.store}: its index was built with {index_key}, not the packaged MiniLM")
        tuned = store_model(opts.store)
        print(f"MiniLM tuned: {'model ' + tuned if tuned else 'none in this store (no model.json)'}\n")
        export = folder_for(opts.store, index_key)
        wanted = set((opts.only or "minilm,minilm-int8,bge,bge-int8").split(",")) | {"minilm"}
        int8 = int8_model(opts.cache) if "bge-int8" in wanted else None
        minilm_int8 = int8_model(opts.cache, export, f"{export.name}-int8-pc-rr") if export.is_dir() and (
            "minilm-int8" in wanted) else None
        models: dict[str, str | None] = {"MiniLM packaged": None, **({"MiniLM tuned": tuned} if tuned else {}),
                                         **({"MiniLM int8": str(minilm_int8)} if minilm_int8 else {}),
                                         **({"bge-small fp32": BGE_SMALL.name} if "bge" in wanted else {}),
                                         **({"bge-small int8": str(int8)} if int8 else {}),
                                         **dict(e.split("=", 1) for e in opts.extra)}

        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(installed_model(BGE_SMALL.name) / "tokenizer.json"))
        lengths = np.asarray([len(e.ids) for e in tokenizer.encode_batch(texts)])
        print(f"bge tokens per pooled text: median {np.median(lengths):.0f}, over 256 (cut): "
              f"{np.mean(lengths > 256):.1%}, over 512: {np.mean(lengths > 512):.1%}\n")

        # speed first, on a sample of the pooled texts; bge's vectors of it then go into the pool's cache
        sample = random.Random(20250612).sample(texts, min(opts.throughput, len(texts)))
        timed = {**({"bge-small ONNX fp32": Embedder(BGE_SMALL.name)} if "bge" in wanted else {}),
                 **({"bge-small ONNX int8": Embedder(str(int8))} if int8 else {}),
                 "MiniLM sentence-transformers fp32": packaged,
                 **({"MiniLM ONNX query export fp32": Embedder(str(export))} if export.is_dir() else {}),
                 **({"MiniLM ONNX int8": Embedder(str(minilm_int8))} if minilm_int8 else {})}
        print(f"embedding speed on {len(sample):,} pooled clause texts (batch 16, sorted by length; load average "
              "when each started, another process sharing the 2 cores):\n")
        print("| model | texts/s | time | load |\n|---|---|---|---|")
        vectors = throughput(timed, sample)
        for fp32_name, q8_name in (("bge-small ONNX fp32", "bge-small ONNX int8"),
                                   ("MiniLM sentence-transformers fp32", "MiniLM ONNX int8")):
            if fp32_name in vectors and q8_name in vectors:
                cos = np.sum(vectors[fp32_name] * vectors[q8_name], axis=1)
                print(f"\n{q8_name} against {fp32_name}: cosine mean {cos.mean():.4f}, min {cos.min():.4f}")
        if "MiniLM ONNX query export fp32" in vectors:
            cos = np.sum(vectors["MiniLM sentence-transformers fp32"] * vectors["MiniLM ONNX query export fp32"], 1)
            print(f"MiniLM ONNX export against sentence-transformers: cosine mean {cos.mean():.5f}, "
                  f"min {cos.min():.5f}")
        cache = EmbeddingCache(opts.cache / "embeddings.sqlite")
        try:
            for name, path in (("bge-small ONNX fp32", BGE_SMALL.name), ("bge-small ONNX int8", str(int8)),
                               ("MiniLM ONNX int8", str(minilm_int8))):
                if name in vectors:
                    cache.put(Embedder(path).key, [text_hash(t) for t in sample], vectors[name])
        finally:
            cache.close()

        results: dict[str, list[int | None]] = {
            "BM25 (pool)": [first_correct(by_lexical(p), q, index) for p, q in zip(pools, queries, strict=True)]}
        for label, model in models.items():
            engine = ctx.engine if model is None else SearchEngine(opts.cache, model, "fp32")
            if model is None:  # the store's own vectors and query path, as its searches use them
                query_vecs = np.vstack([engine.query_embedder.embed_queries([p.dense_text]) for p in pools])
                dense = [index.vectors.scores(v, p.rows) for v, p in zip(query_vecs, pools, strict=True)]
            else:
                start, done = time.perf_counter(), [0]

                def progress(n: int, label: str = label, start: float = start, done: list = done) -> None:
                    done[0] += n
                    print(f"  {label}: {done[0]:,} texts embedded, {done[0] / (time.perf_counter() - start):.1f}/s",
                          flush=True)

                vecs = engine.embed_rows(rows, progress=progress)
                query_vecs = engine.embedder.embed_queries([p.dense_text for p in pools])
                dense = [vecs[[position[int(r)] for r in p.rows]] @ v for v, p in zip(query_vecs, pools, strict=True)]
            ranked = [rankings(p, d) for p, d in zip(pools, dense, strict=True)]
            for mode in ("dense", "hybrid"):
                results[f"{label} {mode}"] = [first_correct(r[mode], q, index) for r, q in zip(ranked, queries,
                                                                                               strict=True)]

        print("\nPOOLED figures (each query ranked within its pool; NOT full-corpus figures: the pool favours what "
              "BM25 and MiniLM already find):\n")
        table(results, queries, ["dev", "held-out"], kinds=("rewrite", "question"))
        print()
        table(results, queries, ["dev", "held-out", "all"], kinds=("all",))
        full = [first_correct(r, q, index) for r, q in zip(engine_top10, queries, strict=True)]
        print("\nfor reference, the engine's own hybrid search over the full corpus (MiniLM index, k=10, so MRR "
              "counts the first 10 only):\n")
        table({"engine hybrid, full corpus": full}, queries, ["dev", "held-out", "all"], kinds=("all",))
        pooled = [r if r is not None and r <= 10 else None for r in results["MiniLM packaged hybrid"]]
        same = sum(a == b for a, b in zip(pooled, full, strict=True))
        print(f"\nMiniLM pooled hybrid and the engine put the first correct hit at the same rank (or both past 10) "
              f"on {same} of {len(queries)} queries (the pool adds only the gold rows the engine's candidates lack)")
        held = [i for i, q in enumerate(queries) if q.split == "held-out"]
        print("\nheld-out nDCG@10, all kinds: " + ", ".join(
            f"{name} {metrics([r[i] for i in held])['nDCG@10']:.3f}" for name, r in results.items()))
        print("\npooled nDCG@10 differences, per query paired (95% bootstrap interval):\n")
        print("| comparison | dev | held-out |\n|---|---|---|")
        extras = [e.split("=", 1)[0] for e in opts.extra]
        for a, b in (*((f"MiniLM packaged {m}", f"{x} {m}") for x in extras for m in ("dense", "hybrid")),
                     *((f"{x} {m}", f"{y} {m}") for i, x in enumerate(extras) for y in extras[i + 1:]
                       for m in ("dense", "hybrid")),
                     ("MiniLM packaged hybrid", "bge-small fp32 hybrid"),
                     ("MiniLM packaged dense", "bge-small fp32 dense"),
                     ("bge-small fp32 hybrid", "bge-small int8 hybrid"), ("BM25 (pool)", "bge-small fp32 hybrid"),
                     ("MiniLM packaged hybrid", "MiniLM int8 hybrid"), ("MiniLM packaged dense", "MiniLM int8 dense")):
            if a not in results or b not in results:
                continue
            cells = [paired(results[a], results[b], [i for i, q in enumerate(queries) if q.split == split])
                     for split in ("dev", "held-out")]
            print(f"| {b} - {a} | {cells[0]} | {cells[1]} |")
    print(f"\nrun took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
