"""Train the clause-type text model on the corpus's own headings as weak labels.

Most clauses of modern agreements sit under an article heading or chapter
name that names their subject ("Expropriation", "Chapter 4: Rules of Origin");
the cue rules type those with confidence. Older agreements and generic
headings leave ~15% of clauses with nothing but their words. This script
labels every English ToTA leaf clause whose heading or chapter decides its
type (weak labels; no hand labels are used), learns which words of the
clause's own text predict that type (logistic regression over tf-idf word
unigrams and bigrams), and writes a small sparse weight table that
``ingest/annotate/textmodel.py`` reads without scikit-learn.

The agreements of the hand-labelled evaluation sets are left out of training.
Deterministic: same corpus, same model.

    python3 scripts/train_clause_typer.py [--corpus ../shared/corpora/tota/xml] [--out ingest/annotate/text_model.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ingest.annotate.clause_types import by_cues
from ingest.annotate.textmodel import TOKEN_PATTERN, features_text
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
EVAL = ROOT / "data" / "eval" / "annotation"
KEEP_PER_TYPE = 600  # strongest positive words per type kept in the shipped table
MAX_PER_TYPE = 4000  # weak labels drawn per type, so large chapters do not drown small ones
VOCABULARY = 40000


def eval_treaties() -> set[str]:
    ids = set()
    for f in EVAL.glob("*.jsonl"):
        ids |= {json.loads(line)["treaty_id"] for line in f.read_text().splitlines() if line.strip()}
    return ids


def weak_labels(corpus: Path, skip: set[str]) -> tuple[list[str], list[str]]:
    """Texts and types of the English leaf clauses whose heading or chapter alone decides the type."""
    texts, labels = [], []
    for path in sorted(corpus.glob("*.xml")):
        parsed = read(path, path.read_bytes(), path.name)
        if parsed.treaty.language != "en" or parsed.treaty.treaty_id in skip:
            continue
        for c in parsed.clauses:
            if not c.is_leaf:
                continue
            decided = by_cues(c.heading, c.chapter, "")
            if decided is not None:
                texts.append(features_text(c.full_text))
                labels.append(decided.types[0])
    return texts, labels


def balanced(texts: list[str], labels: list[str], cap: int) -> tuple[list[str], list[str]]:
    """At most ``cap`` items per label, taken evenly spaced through the corpus order (no randomness)."""
    keep: list[int] = []
    for label in sorted(set(labels)):
        idx = [i for i, x in enumerate(labels) if x == label]
        step = max(1, len(idx) // cap)
        keep += idx[::step][:cap]
    keep.sort()
    return [texts[i] for i in keep], [labels[i] for i in keep]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=ROOT / "ingest" / "annotate" / "text_model.json")
    opts = ap.parse_args()

    t0 = time.perf_counter()
    texts, labels = weak_labels(opts.corpus, eval_treaties())
    texts, labels = balanced(texts, labels, MAX_PER_TYPE)
    print(f"{len(texts)} weakly labelled clauses, {len(set(labels))} types ({time.perf_counter() - t0:.0f} s)")

    vec = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), min_df=3, max_features=VOCABULARY,
                          sublinear_tf=True, dtype=np.float32)
    x = vec.fit_transform(texts)
    model = LogisticRegression(C=4.0, max_iter=300, solver="lbfgs")
    model.fit(x, labels)
    print(f"trained in {time.perf_counter() - t0:.0f} s; training accuracy {model.score(x, labels):.3f}")

    vocab = vec.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    for row, label in zip(model.coef_, model.classes_, strict=True):
        top = np.argsort(-row)[:KEEP_PER_TYPE]
        weights[str(label)] = {str(vocab[i]): round(float(row[i]), 3) for i in top if row[i] > 0}
    table = {
        "about": "Clause-type text model: logistic regression on tf-idf word 1-2-grams, trained by "
                 "scripts/train_clause_typer.py on ToTA clauses weakly labelled by their headings.",
        "idf": {str(w): round(float(v), 3) for w, v in zip(vocab, vec.idf_, strict=True)},
        "intercept": {str(k): round(float(v), 3) for k, v in zip(model.classes_, model.intercept_, strict=True)},
        "weights": weights,
    }
    opts.out.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True))
    print(f"wrote {opts.out} ({opts.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
