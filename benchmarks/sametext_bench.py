"""Does the same-text check (``ingest.sametext``) ever take two different agreements for one text?

Reads every ToTA agreement, finds candidate pairs the way ingest does (sharing at least 32 of 64 sketch
values) and, as the baseline, every pair sharing at least 8; counts the pairs judged the same text (each
is a false merge: ToTA holds each agreement once) and times both steps.

    python3 benchmarks/sametext_bench.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.readers import tota_xml  # noqa: E402
from ingest.sametext import differing_words, same_text, text_of  # noqa: E402

TOTA = ROOT.parent / "shared" / "corpora" / "tota" / "xml"


def main() -> None:
    began = time.perf_counter()
    texts = {f.stem: text_of(tota_xml.read(f, f.read_bytes(), "h").clauses) for f in sorted(TOTA.glob("*.xml"))}
    read = time.perf_counter() - began
    for floor in (32, 8):
        began = time.perf_counter()
        index: dict[int, list[str]] = {}
        pairs = []
        for name, text in texts.items():
            shared = Counter(t for h in text.sketch for t in index.get(h, ()))
            pairs += [(name, other) for other, n in shared.items() if n >= floor]
            for h in text.sketch:
                index.setdefault(h, []).append(name)
        merged = [(a, b) for a, b in pairs if same_text(texts[a], texts[b])]
        closest = sorted(pairs, key=lambda p: sum(differing_words(texts[p[0]], texts[p[1]])))[:3]
        print(f"sketch floor {floor}: {len(pairs)} candidate pairs, {len(merged)} judged the same text {merged}, "
              f"{time.perf_counter() - began:.2f} s; closest: "
              + ", ".join(f"{a}/{b} ({differing_words(texts[a], texts[b])} words on each side)" for a, b in closest))
    print(f"{len(texts)} agreements read in {read:.1f} s")


if __name__ == "__main__":
    main()
