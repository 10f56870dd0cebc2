"""How long the hostile-input batch takes: each hostile file refused by the readers alone, then the whole batch
through a real ``pacta ingest`` (first run, then the same batch again), with the largest process's memory.

The tests (``tests/integration/test_hostile_input.py``) assert what happens to each file; the times live here
because a wall-clock bound in a test trips on a loaded machine.

    python3 benchmarks/hostile_bench.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import TOTA  # noqa: E402
from tests.integration.test_hostile_input import BEFORE, PROBE, Listener, _build, _cap_memory, pacta  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        listener = Listener()
        try:
            corpus = _build(base / "corpus", base / "outside", listener)
            paths = sorted(str(p) for p in corpus.folder.iterdir())
            proc = subprocess.run([sys.executable, "-c", PROBE, *paths], capture_output=True, text=True,
                                  cwd=ROOT, preexec_fn=_cap_memory, check=True)
            *items, usage = [json.loads(ln) for ln in proc.stdout.splitlines()]
            print("| file | refused because | seconds |\n|---|---|---|")
            for item in sorted(items, key=lambda i: -i["seconds"]):
                print(f"| {Path(item['name']).name} | {(item['problem'] or 'read')[:70]} | {item['seconds']:.2f} |")
            print(f"\nreaders alone: peak RSS {usage['maxrss_mb']:.0f} MiB")
            store = base / "store"
            first = pacta("--store", str(store), "ingest", "-q", str(corpus.folder), str(TOTA / BEFORE), "--json")
            second = pacta("--store", str(store), "ingest", "-q", str(corpus.folder))
            print(f"pacta ingest of the batch: first run {first.seconds:.1f} s, again {second.seconds:.1f} s; "
                  f"largest process {first.maxrss_mb:.0f} MiB")
        finally:
            listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
