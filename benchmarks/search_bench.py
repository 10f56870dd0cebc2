"""Search latency on a built store: warm in-process (p50/p95) per ranking mode, and a cold `pacta search`.

Every figure is measured in the same run; BM25-only and vectors-only are the
baselines for the hybrid figure. Half of the queries carry a party or date
filter, as lawyers' queries do.

    python benchmarks/search_bench.py --store DIR [--cold-runs 3] [--other-index flat|ivf|hnsw]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from app.context import Context, Settings
from app.querying import SearchRequest, search
from search.vectors import IndexKind, VectorIndex

QUERIES = [
    "withdrawal from the agreement by written notice", "investor-state arbitration consent",
    "national treatment of imported goods", "most-favoured-nation treatment for services suppliers",
    "elimination of customs duties on originating goods", "rules of origin wholly obtained products",
    "cumulation of origin", "sanitary and phytosanitary measures equivalence",
    "technical regulations conformity assessment procedures", "anti-dumping and countervailing duties",
    "bilateral safeguard measure transition period", "balance of payments difficulties restrictive measures",
    "general exceptions necessary to protect human animal or plant life", "essential security interests",
    "taxation measures exception", "expropriation and compensation", "fair and equitable treatment",
    "free transfers of payments relating to investments", "government procurement thresholds",
    "protection of intellectual property rights geographical indications", "competition policy anticompetitive",
    "state trading enterprises", "electronic commerce customs duties on electronic transmissions",
    "temporary entry of business persons", "mutual recognition of professional qualifications",
    "transparency publication of laws and regulations", "contact points for the exchange of information",
    "joint committee composition and functions", "establishment of an arbitration panel",
    "consultations within thirty days of the request", "amendments enter into force",
    "accession of other states", "entry into force after ratification", "duration and termination",
    "relation to other international agreements", "customs cooperation and mutual administrative assistance",
    "export subsidies on agricultural products", "import licensing procedures", "quantitative restrictions",
    "trade facilitation advance rulings", "environmental protection multilateral environmental agreements",
    "labour standards core ILO conventions", "cooperation in science and technology", "review of the agreement",
    "dispute settlement choice of forum", "implementation of the panel report", "suspension of benefits",
    "definitions of investment", "financial services prudential measures", "telecommunications interconnection",
    "movement of capital", "public health access to medicines", "non-application of dispute settlement",
    "territorial application", "authentic texts", "payments for current transactions", "good faith negotiation",
    "drawback of customs duties", "temporary admission of goods", "fisheries and marine resources",
]
FILTERS: list[dict[str, Any]] = [
    {}, {"parties": ("CAN",)}, {}, {"in_force_on": date(2010, 1, 1)}, {}, {"parties": ("CHL", "PER")},
    {}, {"parties": ("EUU", "DEU"), "in_force_on": date(2015, 6, 1)},
]


def warm(ctx: Context, mode: str, repeat: int, rerank: bool | None = None) -> list[float]:
    times = []
    for _ in range(repeat):
        for i, q in enumerate(QUERIES):
            req = SearchRequest(q, mode=mode, rerank=rerank, **FILTERS[i % len(FILTERS)])  # type: ignore[arg-type]
            start = time.perf_counter()
            search(ctx, req)
            times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


TORCH_PROBE = ("import sys; from pathlib import Path; from app.context import Context, Settings; "
               "from app.querying import SearchRequest, search; from search.embed import Embedder\n"
               "with Context(Settings(store=Path(sys.argv[1]))) as ctx:\n"
               "    ctx.engine._query_embedder = Embedder()\n"
               "    search(ctx, SearchRequest('withdrawal from the agreement by written notice', parties=('CAN',)))")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--other-index", choices=[k for k in IndexKind.values() if k != "auto"], default=None,
                    help="also time the warm searches through a vector index of this kind built over the same vectors")
    opts = ap.parse_args()
    with Context(Settings(store=opts.store)) as ctx:
        search(ctx, SearchRequest("warm up the model and the index"))
        rows = len(ctx.engine.index)
        print(f"store: {rows:,} indexed clauses; {len(QUERIES)} queries x {opts.repeat}, half with filters\n")
        print("| mode | p50 ms | p95 ms | mean ms |\n|---|---|---|---|")
        index = ctx.engine.index
        own = index.vectors
        kinds = [(own, f"{own.kind} index, the store's")]
        if opts.other_index:
            other = VectorIndex.build(own.vectors(np.arange(own.size)), opts.other_index)
            kinds.append((other, f"{other.kind} index over the same vectors"))
        for vectors, label in kinds:
            index._vectors = vectors  # the benchmark swaps the vector index it times
            for mode in ("lexical", "dense", "hybrid") if vectors is own else ("dense", "hybrid"):
                t = warm(ctx, mode, opts.repeat)
                print(f"| {mode} (warm, in-process; {label}) | {pct(t, 0.5):.1f} | {pct(t, 0.95):.1f} | "
                      f"{statistics.mean(t):.1f} |")
            if vectors is own:  # the default reranks (search/rerank.json); the fused order alone, same run
                t = warm(ctx, "hybrid", opts.repeat, rerank=False)
                print(f"| hybrid, not reranked (warm, in-process; {label}) | {pct(t, 0.5):.1f} | "
                      f"{pct(t, 0.95):.1f} | {statistics.mean(t):.1f} |")
        index._vectors = own
    cold = []
    for _ in range(opts.cold_runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "--store", str(opts.store), "search",
                        "withdrawal from the agreement by written notice", "--party", "CAN", "--json"],
                       check=True, capture_output=True)
        cold.append(time.perf_counter() - start)
    # Baseline in the same run: the same cold search with the query embedded by sentence-transformers (torch),
    # as every search was before the ONNX query path.
    torch_cold = []
    for _ in range(opts.cold_runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", TORCH_PROBE, str(opts.store)], check=True, capture_output=True)
        torch_cold.append(time.perf_counter() - start)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", "--store", str(opts.store), "stats", "--json"],
                   check=True, capture_output=True)
    stats_s = time.perf_counter() - start
    print(f"\ncold `pacta search ... --party CAN` (new process, model load included): median "
          f"{statistics.median(cold):.2f} s over {opts.cold_runs} runs; the same through sentence-transformers "
          f"(torch): {statistics.median(torch_cold):.2f} s; baseline `pacta stats`: {stats_s:.2f} s")
    lines = [json.dumps({"id": n, "query": q, "party": list(FILTERS[n % len(FILTERS)].get("parties", ()))})
             for n, q in enumerate((QUERIES * 2)[:100])]
    batch = opts.store / "bench-batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app.cli", "--store", str(opts.store), "search", "--batch",
                           str(batch)], text=True, check=True, capture_output=True)
    batch_s = time.perf_counter() - start
    answered = sum(1 for line in done.stdout.splitlines() if line.strip())
    print(f"`pacta search --batch FILE` with 100 queries (new process, model load included): {batch_s:.2f} s, "
          f"{answered} answers")


if __name__ == "__main__":
    main()
