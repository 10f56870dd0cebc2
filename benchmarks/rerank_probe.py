"""Would a feature reranker over the hybrid top 50 help? A probe on the search evaluation set, held-out apart.

For each query of ``data/eval/search`` the hybrid top ``DEPTH`` (uncollapsed) is scored on features a lawyer would
name: the fused rank, the dense and BM25 scores, whether the numbers the query names are the clause's (+1), absent
from a clause that sets other numbers of the same kind (-1) or neither (0), the share of the clause heading's words
in the query, and whether the query, read as a clause, gets the clause's type. Rerankers compared with the
hybrid order in one run: the fused score plus a number bonus, and L2 logistic regressions fitted on the dev
queries' candidates (correct hit = 1), applied to the held-out ones.

    python3 benchmarks/rerank_probe.py --store DIR
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.context import Context, Settings  # noqa: E402
from benchmarks.search_eval import EVAL, Query, first_correct, load_queries, metrics  # noqa: E402
from graph.conflicts.words import content_stems  # noqa: E402
from ingest.annotate import annotate  # noqa: E402
from ingest.annotate.quantities import quantities  # noqa: E402
from ingest.records import Clause  # noqa: E402

DEPTH = 50
FEATURES = ("log fused rank", "dense", "bm25 / best", "numbers", "heading words", "same type")


def _numbers(query: str, clause: str) -> float:
    want, have = quantities(query), quantities(clause)
    if not want:
        return 0.0
    same = [any(w.dimension == h.dimension and abs(w.normalised - h.normalised) <= 0.05 * max(w.normalised, 1e-9)
                for h in have) for w in want]
    if all(same):
        return 1.0
    return -1.0 if not any(same) and any(h.dimension in {w.dimension for w in want} for h in have) else 0.0


def features(ctx: Context, q: Query) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The candidates' rows, their feature matrix and whether each is a correct hit."""
    index = ctx.engine.index
    hits = ctx.engine.search(q.text, DEPTH, q.flt, "hybrid", collapse=False, scope=q.scope)
    clauses = ctx.graph.get_clauses([h.clause_id for h in hits])
    as_clause = annotate([Clause("q/1", "q", "paragraph", "Art. 1", q.text, 0)])[0]
    words = content_stems(q.text)
    best = max([h.lexical or 0.0 for h in hits] + [1e-9])
    rows = []
    for rank, h in enumerate(hits, 1):
        c = clauses[h.clause_id]
        heading = content_stems(c.heading)
        rows.append([-np.log(rank), h.dense or 0.0, (h.lexical or 0.0) / best, _numbers(q.text, c.full_text),
                     len(heading & words) / len(heading) if heading else 0.0,
                     float(bool(as_clause.clause_type) and as_clause.clause_type == c.clause_type)])
    correct = np.array([first_correct([h.row], q, index) == 1 for h in hits], dtype=float)
    return [h.row for h in hits], np.array(rows), correct


def logistic(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 500) -> np.ndarray:
    """Weights (last one the bias) of an L2-regularised logistic regression, by Newton steps."""
    x = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * np.r_[w[:-1], 0]
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    opts = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with Context(Settings(store=opts.store)) as ctx:
        index = ctx.engine.index
        queries = load_queries(ctx, index, EVAL)
        data = [(q, *features(ctx, q)) for q in queries]
        dev = [d for d in data if d[0].split == "dev"]
        x = np.vstack([f for _, _, f, _ in dev])
        y = np.concatenate([c for _, _, _, c in dev])
        systems: dict[str, Callable[[np.ndarray], np.ndarray]] = {"hybrid order (baseline)": lambda f: f[:, 0]}
        for bonus in (0.5, 1.0):
            systems[f"fused rank + {bonus} x numbers"] = lambda f, b=bonus: f[:, 0] + b * f[:, 3]
        for l2 in (10.0, 1.0, 0.1):
            w = logistic(x, y, l2)
            print(f"logistic, L2 {l2}: " + ", ".join(f"{n} {v:+.2f}" for n, v in zip(FEATURES, w, strict=False)))
            systems[f"logistic on dev, L2 {l2}"] = lambda f, w=w: f @ w[:-1]
        print("\n| system | split | kind | queries | R@1 | MRR | nDCG@10 |\n|---|---|---|---|---|---|---|")
        for name, score in systems.items():
            for split in ("dev", "held-out"):
                for kind in ("rewrite", "question"):
                    ranks = [first_correct([rows[i] for i in np.argsort(-score(f), kind="stable")], q, index)
                             for q, rows, f, _ in data if q.split == split and q.kind == kind]
                    m = metrics(ranks)
                    print(f"| {name} | {split} | {kind} | {len(ranks)} | {m['R@1']:.3f} | {m['MRR']:.3f} | "
                          f"{m['nDCG@10']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
