"""The reranker (search/rerank.py) fitted on the development queries and measured on the held-out ones.

For each query of ``data/eval/search`` the product's candidates (the hybrid top ``DEPTH``, identical texts
collapsed, as ``pacta search`` reranks them) are read into the reranker's features; weights are fitted on the dev
queries by a listwise objective (the softmax probability of the query's correct hits among its candidates, with an
L2 penalty chosen by 5-fold cross-validation over dev queries on MRR), and the chosen weights ranked on the
held-out queries beside the hybrid order, in one run.

``--write`` stores the chosen weights in ``search/rerank.json`` with ``adopted`` set by the held-out figures:
true only when the reranker's held-out MRR is above the hybrid order's on all queries and no kind of query
(rewrites, questions) loses more than 0.005 MRR.

    python3 benchmarks/rerank_probe.py --store DIR [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.context import Context, Settings  # noqa: E402
from benchmarks.model_compare import paired  # noqa: E402
from benchmarks.search_eval import EVAL, Query, first_correct, load_queries, metrics  # noqa: E402
from search.rerank import DEPTH, FEATURES, RETRIEVAL_DEPTH, WEIGHTS, Candidate, Reranker, features, read_query  # noqa: E402

PENALTIES = (0.001, 0.01, 0.1, 1.0, 10.0)
FOLDS = 5


def fit(groups: list[tuple[np.ndarray, np.ndarray]], l2: float) -> np.ndarray:
    """Weights maximising, over the queries (``(features, correct)`` each) with a correct candidate, the log of the
    softmax probability of their correct candidates, minus ``l2`` times the squared norm (L-BFGS)."""
    from scipy.optimize import minimize
    from scipy.special import logsumexp, softmax

    groups = [(x, y > 0) for x, y in groups if y.any()]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = l2 * w @ w, 2 * l2 * w
        for x, pos in groups:
            s = x @ w
            total += logsumexp(s) - logsumexp(s[pos])
            grad = grad + x.T @ softmax(s) - x[pos].T @ softmax(s[pos])
        return float(total), grad

    return np.asarray(minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B").x)


def candidates(ctx: Context, q: Query) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The query's candidate rows in fused order, their features and whether each is a correct hit."""
    index = ctx.engine.index
    hits = ctx.engine.search(q.text, DEPTH, q.flt, "hybrid", collapse=True, scope=q.scope, depth=RETRIEVAL_DEPTH)
    clauses = ctx.graph.get_clauses([h.clause_id for h in hits])
    hits = [h for h in hits if h.clause_id in clauses]
    x = features(read_query(q.text), [Candidate(n, h.dense, h.lexical, clauses[h.clause_id])
                                      for n, h in enumerate(hits, start=1)])
    correct = np.array([first_correct([h.row], q, index) == 1 for h in hits], dtype=float)
    return [h.row for h in hits], x, correct


Data = list[tuple[Query, list[int], np.ndarray, np.ndarray]]


def ranks(ctx: Context, data: Data, w: np.ndarray | None) -> list[int | None]:
    """Rank of each query's first correct hit under weights ``w`` (None: the fused order)."""
    out = []
    for q, rows, x, _ in data:
        order = range(len(rows)) if w is None or not rows else np.argsort(-(x @ w), kind="stable")
        out.append(first_correct([rows[i] for i in order], q, ctx.engine.index))
    return out


def cross_validated(ctx: Context, dev: Data, l2: float) -> float:
    """Dev MRR of weights fitted on the other folds, queries dealt to folds in file order."""
    got: list[int | None] = []
    for fold in range(FOLDS):
        train = [d for n, d in enumerate(dev) if n % FOLDS != fold]
        test = [d for n, d in enumerate(dev) if n % FOLDS == fold]
        w = fit([(x, y) for _, _, x, y in train], l2)
        got += ranks(ctx, test, w)
    return metrics(got)["MRR"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--write", action="store_true", help=f"store the chosen weights in {WEIGHTS.relative_to(ROOT)}")
    opts = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with Context(Settings(store=opts.store)) as ctx:
        queries = load_queries(ctx, ctx.engine.index, EVAL)
        data = [(q, *candidates(ctx, q)) for q in queries]
        dev = [d for d in data if d[0].split == "dev"]
        cv = {l2: cross_validated(ctx, dev, l2) for l2 in PENALTIES}
        print("dev MRR, 5-fold cross-validated: " + ", ".join(f"L2 {k}: {v:.3f}" for k, v in cv.items())
              + f"; hybrid order {metrics(ranks(ctx, dev, None))['MRR']:.3f}")
        l2 = max(cv, key=lambda k: cv[k])
        w = fit([(x, y) for _, _, x, y in dev], l2)
        print(f"chosen L2 {l2}; weights: " + ", ".join(f"{n} {v:+.3f}" for n, v in zip(FEATURES, w, strict=True)))
        got = {"hybrid order (baseline)": ranks(ctx, data, None), f"reranked (L2 {l2})": ranks(ctx, data, w)}
        for mode in ("lexical", "dense"):
            got[f"{mode} only (baseline)"] = [
                first_correct([h.row for h in ctx.engine.search(q.text, DEPTH, q.flt, mode, True, scope=q.scope)],
                              q, ctx.engine.index) for q in queries]
        print("\n| system | split | kind | queries | R@1 | MRR | nDCG@10 |\n|---|---|---|---|---|---|---|")
        mrr: dict[tuple[str, str], float] = {}
        for name, r in got.items():
            for split in ("dev", "held-out"):
                for kind in ("rewrite", "question", "all"):
                    sub = [r[i] for i, q in enumerate(queries) if q.split == split and kind in ("all", q.kind)]
                    m = metrics(sub)
                    mrr[(name[:8], f"{split}/{kind}")] = m["MRR"]
                    print(f"| {name} | {split} | {kind} | {len(sub)} | {m['R@1']:.3f} | {m['MRR']:.3f} | "
                          f"{m['nDCG@10']:.3f} |")
        names = list(got)
        for split in ("dev", "held-out"):
            chosen = [i for i, q in enumerate(queries) if q.split == split]
            for other in (names[0], names[2]):
                print(f"{split}: nDCG@10, reranked - {other}: {paired(got[other], got[names[1]], chosen)}")
        base, new = ("hybrid o", "reranked")
        adopted = (mrr[(new, "held-out/all")] > mrr[(base, "held-out/all")]
                   and all(mrr[(new, f"held-out/{k}")] >= mrr[(base, f"held-out/{k}")] - 0.005
                           for k in ("rewrite", "question")))
        print(f"\nadopted by the held-out rule: {adopted}")
        if opts.write:
            Reranker(tuple(float(v) for v in w), adopted, f"{len(dev)} dev queries of data/eval/search").save(
                WEIGHTS, {"l2": l2, "command": "python3 benchmarks/rerank_probe.py --store STORE --write",
                          "held_out_mrr": {"hybrid": round(mrr[(base, "held-out/all")], 4),
                                           "reranked": round(mrr[(new, "held-out/all")], 4)}})
            print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
