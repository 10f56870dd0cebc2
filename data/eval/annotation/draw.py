"""Seeded draw of clauses for the hand-labelled annotation sets (no labelling here).

Run from /work/main:  python3 data/eval/annotation/draw.py
Writes /tmp/pacta_annot/{ct,mod,xr}_draw.jsonl (the drawn, still unlabelled items).
"""
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, '.')
from ingest.readers import read

XML = Path('/work/shared/corpora/tota/xml')
OUT = Path('/tmp/pacta_annot'); OUT.mkdir(exist_ok=True)
SEED_CT, SEED_MOD, SEED_XR = 20250101, 20250202, 20250303

def english(p):
    head = p.read_bytes().split(b'</meta>')[0].decode('utf-8', 'replace')
    return '<language>en</language>' in head

files = sorted(p for p in XML.glob('pta_*.xml') if english(p))

def leaves(p):
    pt = read(p, p.read_bytes(), 'x')
    return pt, [c for c in pt.clauses if c.is_leaf]

def item(c, split):
    return {"clause_id": c.clause_id, "treaty_id": c.treaty_id, "citation": c.citation,
            "heading": c.heading, "chapter": getattr(c, 'chapter', None),
            "text": c.full_text, "split": split}

# 1. clause types: 46 agreements x 4 leaf clauses (+1 spare each for junk replacement)
rng = random.Random(SEED_CT)
order = files[:]; rng.shuffle(order)
ct = []
for p in order[:46]:
    _, lv = leaves(p)
    if not lv: continue
    pick = rng.sample(lv, min(5, len(lv)))
    for i, c in enumerate(pick):
        split = 'held-out' if rng.random() < 1/3 else 'dev'
        d = item(c, split); d['spare'] = (i == 4)
        ct.append(d)
(OUT / 'ct_draw.jsonl').write_text(''.join(json.dumps(d) + '\n' for d in ct))

# 2. modality: seeded subsample of 120 non-spare clause-type draws (own split coin flip)
rng = random.Random(SEED_MOD)
base = [d for d in ct if not d['spare']]
mod = [dict(d) for d in rng.sample(base, 120)]
for d in mod:
    d['split'] = 'held-out' if rng.random() < 1/3 else 'dev'
(OUT / 'mod_draw.jsonl').write_text(''.join(json.dumps(d) + '\n' for d in mod))

# 3. cross-references: pool = leaf clauses whose text contains an internal-reference pattern
REF = re.compile(r"\b(?:sub-?paragraphs?|paragraphs?|Articles?|Chapters?|Annex(?:es)?|Sections?|Parts?)\s+(?:\(?[0-9IVXivx]+[A-Za-z0-9.\-]*\)?|\([a-z]{1,4}\)|this\s+Article|[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)|\bthis (?:Article|Chapter|paragraph)\b")
rng = random.Random(SEED_XR)
order = files[:]; rng.shuffle(order)
xr = []
for p in order[:70]:
    _, lv = leaves(p)
    pool = [c for c in lv if REF.search(c.full_text)]
    if not pool: continue
    for c in rng.sample(pool, min(1, len(pool))):
        d = item(c, 'held-out' if rng.random() < 1/3 else 'dev')
        d['candidate_mentions'] = [m.group(0) for m in REF.finditer(c.full_text)]
        xr.append(d)
(OUT / 'xr_draw.jsonl').write_text(''.join(json.dumps(d) + '\n' for d in xr))
print(len(files), 'english files;', len(ct), 'ct (incl spares)', len(mod), 'mod', len(xr), 'xr')
