"""Computing CONFLICTS_WITH for a whole store from scratch (every agreement compared with every agreement it
shares a party with), as the first ingest of a corpus does: time, pairs read, links stored by kind, and the
process's peak memory. The links are replaced by the same ones (the run is deterministic).

    python3 benchmarks/edges_bench.py --store DIR
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.context import Context, Settings  # noqa: E402
from graph.consistency.edges import update_conflicts  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    opts = ap.parse_args()
    ctx = Context(Settings(store=opts.store))
    began = time.perf_counter()
    graph, index = ctx.graph, ctx.engine.index
    opened = time.perf_counter() - began
    run = update_conflicts(graph, index, full=True)
    treaties = [t.treaty_id for t in graph.list_treaties()]
    kinds = Counter(link.kind for link in graph.conflicts(treaties))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"agreements": len(treaties), "rows": len(index), "open_s": round(opened, 1),
                      "compute_s": run.seconds, "pairs_read": run.pairs, "links": run.links, "variant_of": run.variants,
                      "links_by_kind": dict(sorted(kinds.items())), "peak_rss_mib": round(peak)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
