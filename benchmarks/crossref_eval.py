"""Cross-reference resolution against the hand-labelled set in data/eval/annotation/crossrefs.jsonl.

Each labelled clause's agreement is re-read with Pacta's own reader and given to
``references()``; the Reference scored is the first one of that clause whose mention overlaps the
gold mention. Reported per split: resolution rate on resolvable items (target_id equals the gold
clause id), correctness on unresolvable ones (no clause id given, so nothing wrong), the overall
correct rate, and the same for a naive baseline ("Article N" by exact article number, nothing else).
Then the time ``references()`` takes over every English agreement of the corpus.

    python3 benchmarks/crossref_eval.py [--corpus ../shared/corpora/tota/xml] [--errors] [--no-timing]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ingest.annotate.refs import references
from ingest.readers import read
from ingest.records import Clause, Reference

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "annotation" / "crossrefs.jsonl"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "tota" / "xml"

System = Callable[[list[Clause]], list[Reference]]


@lru_cache(maxsize=128)
def clauses_of(corpus: Path, treaty_id: str) -> list[Clause]:
    path = corpus / f"pta_{treaty_id.removeprefix('tota-')}.xml"
    return read(path, path.read_bytes(), "eval").clauses


_NAIVE = re.compile(r"\bArticle\s+(\d+(?:\.\d+)*)")


def naive(clauses: list[Clause]) -> list[Reference]:
    """Baseline: "Article N" resolved by an exact, unique article citation "Art. N"; nothing else."""
    by_cite: dict[str, list[str]] = {}
    for c in clauses:
        if c.level == "article":
            by_cite.setdefault(c.citation, []).append(c.clause_id)
    out = []
    for c in clauses:
        for m in _NAIVE.finditer(c.text):
            ids = by_cite.get(f"Art. {m[1]}", [])
            out.append(Reference(c.clause_id, "internal", m[0], f"Art. {m[1]}", ids[0] if len(ids) == 1 else None))
    return out


def pick(refs: list[Reference], clauses: list[Clause], clause_id: str, mention: str) -> Reference | None:
    """The first reference whose mention overlaps the gold mention where the clause's full text has it.

    Gold mentions can sit in the chapeau (``context``); a reference belongs to the clause whose own
    text says it, so the ancestors are searched first, in reading order, then the clause itself.
    """
    by_id = {c.clause_id: c for c in clauses}
    chain = []
    cur = by_id.get(clause_id)
    while cur is not None:
        chain.append(cur)
        cur = by_id.get(cur.parent_id) if cur.parent_id else None
    for c in reversed(chain):
        g0 = c.text.find(mention)
        if g0 < 0:
            continue
        g1 = g0 + len(mention)
        for r in refs:
            if r.clause_id != c.clause_id:
                continue
            start = c.text.find(r.mention)
            while start >= 0:
                if start < g1 and g0 < start + len(r.mention):
                    return r
                start = c.text.find(r.mention, start + 1)
        return None
    return None


def score(items: list[dict], corpus: Path, system: System, errors: bool = False) -> dict[str, float]:
    res_ok = res_n = unres_ok = unres_n = found = 0
    cache: dict[str, list[Reference]] = {}
    for i in items:
        clauses = clauses_of(corpus, i["treaty_id"])
        if i["treaty_id"] not in cache:
            cache[i["treaty_id"]] = system(clauses)
        ref = pick(cache[i["treaty_id"]], clauses, i["clause_id"], i["mention"])
        found += ref is not None
        got = ref.target_id if ref and ref.kind == "internal" else None
        if i["resolvable"]:
            res_n += 1
            ok = got == i["target_clause_id"]
            res_ok += ok
        else:
            unres_n += 1
            ok = got is None
            unres_ok += ok
        if errors and not ok:
            print(f"  {i['clause_id']}: '{i['mention']}' gold {i['target_clause_id']} got "
                  f"{(ref.kind, ref.mention, ref.target, ref.target_id) if ref else None}")
    n = res_n + unres_n
    return {"n": n, "found": found / n, "resolved": res_ok / res_n if res_n else 0.0, "res_n": res_n,
            "unresolvable_ok": unres_ok / unres_n if unres_n else 0.0, "unres_n": unres_n,
            "correct": (res_ok + unres_ok) / n}


def corpus_timing(corpus: Path) -> tuple[int, int, int, float, float]:
    """(agreements, clauses, references, seconds reading, seconds in references()) over the English files."""
    n_agr = n_cl = n_ref = 0
    t_read = t_refs = 0.0
    for path in sorted(corpus.glob("pta_*.xml")):
        t0 = time.perf_counter()
        parsed = read(path, path.read_bytes(), "timing")
        t1 = time.perf_counter()
        t_read += t1 - t0
        if parsed.treaty.language != "en":
            continue
        n_ref += len(references(parsed.clauses))
        t_refs += time.perf_counter() - t1
        n_agr += 1
        n_cl += len(parsed.clauses)
    return n_agr, n_cl, n_ref, t_read, t_refs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--errors", action="store_true", help="print the development items scored wrong")
    ap.add_argument("--no-timing", action="store_true", help="skip the whole-corpus timing")
    opts = ap.parse_args()

    items = [json.loads(x) for x in EVAL.read_text().splitlines() if x.strip()]
    print(f"cross-references: {len(items)} labelled clauses, first internal reference each\n")
    print("| set | system | items | mention found | resolved (resolvable) | None on unresolvable | correct |")
    print("|---|---|---|---|---|---|---|")
    for split in ("dev", "held-out"):
        part = [i for i in items if i.get("split") == split]
        for name, system in (("refs.references", references), ("naive Article N", naive)):
            s = score(part, opts.corpus, system, errors=opts.errors and split == "dev" and system is references)
            print(f"| {split} | {name} | {s['n']} | {s['found']:.3f} | {s['resolved']:.3f} of {s['res_n']} | "
                  f"{s['unresolvable_ok']:.3f} of {s['unres_n']} | {s['correct']:.3f} |")
    if not opts.no_timing:
        n_agr, n_cl, n_ref, t_read, t_refs = corpus_timing(opts.corpus)
        print(f"\nwhole English corpus: {n_agr} agreements, {n_cl} clauses, {n_ref} references; "
              f"references() {t_refs:.1f} s ({t_refs / max(n_cl, 1) * 1e6:.0f} µs a clause); "
              f"reading every file {t_read:.1f} s (not included)")


if __name__ == "__main__":
    main()
