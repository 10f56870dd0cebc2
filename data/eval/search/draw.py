"""Seeded draw of candidates for the hand-written precedent-search evaluation set.

This script only SAMPLES: it never writes a query. The queries in queries.jsonl were
written by hand after reading the candidates it prints.

    python3 data/eval/search/draw.py            # writes /tmp/pacta_search_eval/candidates.{jsonl,txt}
    python3 data/eval/search/draw.py --agreements N   # same draw, first N agreements
    python3 data/eval/search/draw.py --check    # validates data/eval/search/queries.jsonl

Run from /work/main (Pacta installed editable, so `ingest` is importable).

Draw (seed 20250612):
  1. pool = the ToTA agreements whose <language> is "en", sorted by file name, then
     shuffled with random.Random(SEED);
  2. the first N_AGREEMENTS of that order are the candidate agreements. The rng is
     consumed agreement by agreement, so raising N_AGREEMENTS only appends ranks: the
     candidates and coin flips of the earlier ranks do not change (the first set used
     ranks 0-47 of a 60-agreement draw; the extension raised the draw to 120 and
     used ranks 48-101);
  3. from each, a fixed number of rewrite candidates (leaf clauses, not the preamble,
     at least MIN_WORDS words of own text + chapeau) and question candidates
     (article-level clauses, not the preamble, whose leaves hold at least MIN_WORDS
     words) are sampled with the same rng, in a fixed order: rewrite #1, question #1,
     rewrite #2, question #2, ... Candidates after the first of each kind are spares,
     used (in order) only when an earlier one of that kind is unusable;
  4. every candidate gets its split by a coin flip from the same rng at draw time,
     BEFORE any query is written: rng.random() < 0.3 -> "held-out", else "dev".

For the writer's information only, each candidate also shows how many English
agreements carry a verbatim copy of it (same text_key for a leaf; same sequence of
leaf text_keys for an article) -- a question about a template article copied into
many agreements needs a party or treaty filter to be well-posed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from ingest.readers import read

XML = Path("/work/shared/corpora/tota/xml")
HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.jsonl"
OUT = Path("/tmp/pacta_search_eval")

SEED = 20250612
N_AGREEMENTS = 120         # candidate agreements (first 120 of the shuffled pool; was 60
                           # for the first 96 queries -- ranks 0-59 are identical either way)
N_REWRITE = 3              # rewrite candidates per agreement (1 primary + 2 spares)
N_QUESTION = 3             # question candidates per agreement (1 primary + 2 spares)
MIN_WORDS = 20
HELD_OUT_P = 0.3
MAX_PER_AGREEMENT = 3      # cap on queries per agreement (checked by --check)


def english_files() -> list[Path]:
    out = []
    for p in sorted(XML.glob("pta_*.xml")):
        head = p.read_bytes().split(b"</meta>")[0].decode("utf-8", "replace")
        if "<language>en</language>" in head:
            out.append(p)
    return out


def parse(p: Path):
    return read(p, p.read_bytes(), p.name)


def words(s: str) -> int:
    return len(s.split())


def article_leaves(clauses, art):
    pre = art.clause_id + "/"
    lv = [c for c in clauses if c.is_leaf and c.clause_id.startswith(pre)]
    return lv or ([art] if art.is_leaf else [])


def article_key(clauses, art) -> tuple:
    return tuple(c.text_key for c in article_leaves(clauses, art))


def draw(n_agreements: int = N_AGREEMENTS) -> None:
    files = english_files()
    rng = random.Random(SEED)
    order = files[:]
    rng.shuffle(order)

    # copy counts over the whole English pool (information for the writer only)
    leaf_agreements: dict[str, set] = defaultdict(set)
    art_agreements: dict[tuple, set] = defaultdict(set)
    parsed_all = {}
    for p in files:
        pt = parse(p)
        parsed_all[p] = pt
        for c in pt.clauses:
            if c.is_leaf:
                leaf_agreements[c.text_key].add(pt.treaty.treaty_id)
            if c.level == "article":
                art_agreements[article_key(pt.clauses, c)].add(pt.treaty.treaty_id)

    cands = []
    for rank, p in enumerate(order[:n_agreements]):
        pt = parsed_all[p]
        cl = pt.clauses
        leaves = [c for c in cl if c.is_leaf and c.citation != "Preamble"
                  and words(c.full_text) >= MIN_WORDS]
        arts = [c for c in cl if c.level == "article" and c.citation != "Preamble"
                and sum(words(x.full_text) for x in article_leaves(cl, c)) >= MIN_WORDS]
        rw = rng.sample(leaves, min(N_REWRITE, len(leaves)))
        qs = rng.sample(arts, min(N_QUESTION, len(arts)))
        for i in range(max(N_REWRITE, N_QUESTION)):
            for kind, lst in (("rewrite", rw), ("question", qs)):
                if i >= len(lst):
                    continue
                c = lst[i]
                split = "held-out" if rng.random() < HELD_OUT_P else "dev"
                d = {"rank": rank, "treaty_id": pt.treaty.treaty_id, "title": pt.treaty.title,
                     "parties": list(pt.treaty.parties), "kind": kind, "slot": i,
                     "spare": i > 0, "split": split, "clause_id": c.clause_id,
                     "citation": c.citation, "heading": c.heading}
                if kind == "rewrite":
                    d["text_key"] = c.text_key
                    d["copies_in_agreements"] = len(leaf_agreements[c.text_key])
                    d["text"] = c.full_text
                else:
                    lv = article_leaves(cl, c)
                    d["copies_in_agreements"] = len(art_agreements[article_key(cl, c)])
                    d["text"] = "\n".join(f"[{x.citation}] {x.full_text}" for x in lv)
                cands.append(d)

    OUT.mkdir(exist_ok=True)
    (OUT / "candidates.jsonl").write_text("".join(json.dumps(d) + "\n" for d in cands))
    with open(OUT / "candidates.txt", "w") as f:
        for d in cands:
            f.write(f"=== #{d['rank']} {d['treaty_id']} {d['title']} {d['parties']} | {d['kind']} "
                    f"slot={d['slot']} split={d['split']} | {d['citation']} [{d['heading']}] "
                    f"{d['clause_id']} copies={d['copies_in_agreements']}\n{d['text'][:2500]}\n\n")
    print(f"{len(cands)} candidates from {min(n_agreements, len(order))} agreements (pool {len(files)} English) "
          f"-> {OUT}/candidates.txt")


def longest_shared_run(a: str, b: str) -> tuple[int, str]:
    """Longest run of consecutive words (lower-cased, punctuation dropped) shared by a and b."""
    ta, tb = re.findall(r"[a-z0-9]+", a.lower()), re.findall(r"[a-z0-9]+", b.lower())
    best, run = 0, ""
    for n in range(1, len(ta) + 1):
        grams = {tuple(tb[i:i + n]) for i in range(len(tb) - n + 1)}
        hit = next((ta[i:i + n] for i in range(len(ta) - n + 1) if tuple(ta[i:i + n]) in grams), None)
        if hit is None:
            break
        best, run = n, " ".join(hit)
    return best, run


def check() -> int:
    rows = [json.loads(line) for line in QUERIES.read_text().splitlines() if line.strip()]
    errors, notes = [], []
    cache = {}
    ids = Counter(r["id"] for r in rows)
    errors += [f"duplicate id {k}" for k, v in ids.items() if v > 1]
    per_treaty = Counter(r["treaty_id"] for r in rows)
    errors += [f"{k}: {v} queries > cap {MAX_PER_AGREEMENT}"
               for k, v in per_treaty.items() if v > MAX_PER_AGREEMENT]
    cands = {}
    cpath = OUT / "candidates.jsonl"
    if cpath.exists():
        for line in cpath.read_text().splitlines():
            d = json.loads(line)
            cands[(d["clause_id"], d["kind"])] = d
    for r in rows:
        q = r["id"]
        for k in ("id", "kind", "query", "split", "treaty_id"):
            if not r.get(k):
                errors.append(f"{q}: missing {k}")
        if r["split"] not in ("dev", "held-out"):
            errors.append(f"{q}: bad split {r['split']}")
        n = r["treaty_id"].split("-", 1)[1]
        if n not in cache:
            p = XML / f"pta_{n}.xml"
            cache[n] = parse(p)
        pt = cache[n]
        if pt.treaty.language != "en":
            errors.append(f"{q}: {r['treaty_id']} is not English")
        by_id = {c.clause_id: c for c in pt.clauses}
        if r["kind"] == "rewrite":
            c = by_id.get(r.get("target_clause_id"))
            if c is None:
                errors.append(f"{q}: target_clause_id {r.get('target_clause_id')} not found")
                continue
            if not c.is_leaf:
                errors.append(f"{q}: {c.clause_id} is not a leaf")
            if c.text_key != r.get("target_text_key"):
                errors.append(f"{q}: text_key mismatch")
            if c.citation != r.get("target_citation"):
                errors.append(f"{q}: citation mismatch ({c.citation!r})")
            n_run, run = longest_shared_run(r["query"], c.full_text)
            if n_run > 4:
                notes.append(f"{q}: shares a {n_run}-word run with its target: '{run}'")
            tid = c.clause_id
        elif r["kind"] == "question":
            c = by_id.get(r.get("target_article_id"))
            if c is None:
                errors.append(f"{q}: target_article_id {r.get('target_article_id')} not found")
                continue
            if c.level != "article":
                errors.append(f"{q}: {c.clause_id} is not an article")
            if c.citation != r.get("target_citation"):
                errors.append(f"{q}: citation mismatch ({c.citation!r})")
            if "party" in r and r["party"] not in pt.treaty.parties:
                errors.append(f"{q}: party {r['party']} not in {pt.treaty.parties}")
            tid = c.clause_id
        else:
            errors.append(f"{q}: bad kind {r['kind']}")
            continue
        if not tid.startswith(r["treaty_id"] + "/"):
            errors.append(f"{q}: target not in {r['treaty_id']}")
        if cands:
            d = cands.get((tid, r["kind"]))
            if d is None:
                errors.append(f"{q}: {tid} is not a drawn {r['kind']} candidate")
            else:
                if d["split"] != r["split"]:
                    errors.append(f"{q}: split {r['split']} != drawn {d['split']}")
    kinds = Counter((r["kind"], r["split"]) for r in rows)
    print(f"{len(rows)} queries, {len(per_treaty)} agreements; "
          + ", ".join(f"{k}/{s}={v}" for (k, s), v in sorted(kinds.items()))
          + f"; with party={sum('party' in r for r in rows)}")
    for n_ in notes:
        print("info", n_)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--agreements", type=int, default=N_AGREEMENTS,
                    help=f"number of candidate agreements to draw (default {N_AGREEMENTS})")
    a = ap.parse_args()
    sys.exit(check() if a.check else draw(a.agreements))
