"""The clause-type text model: which words of a clause point to which type.

A linear model over tf-idf word unigrams and bigrams, learnt by
``scripts/train_clause_typer.py`` from clauses the corpus's own headings
label, shipped as a sparse weight table (``text_model.json``) and scored
here in plain Python: no scikit-learn at run time, the same answer every
time, and the words that weighed most are kept as the explanation.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TOKEN_PATTERN = r"(?u)\b[a-z][a-z-]+\b"
_TOKEN = re.compile(TOKEN_PATTERN)
MAX_CHARS = 1500  # the opening of a clause says what it is about


def features_text(text: str) -> str:
    """The part of a clause the model reads: its opening words, lower-cased, spacing normalised."""
    return " ".join(text[:MAX_CHARS].lower().split())


@dataclass(frozen=True)
class TextGuess:
    """The model's best type, its probability among all types, and the words that weighed most for it."""

    type_id: str
    probability: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Model:
    idf: dict[str, float]
    intercept: dict[str, float]
    weights: dict[str, dict[str, float]]


@lru_cache(maxsize=1)
def _model() -> _Model | None:
    path = resources.files(__package__).joinpath("text_model.json")
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return _Model(raw["idf"], raw["intercept"], raw["weights"])


def guess(text: str) -> TextGuess | None:
    """The type the clause's words point to; None when the model is missing or no known word occurs.

    >>> guess("Quantitative restrictions on imports shall be abolished.").type_id
    'market_access_goods'
    """
    model = _model()
    if model is None:
        return None
    tokens = _TOKEN.findall(features_text(text))
    counts = Counter(tokens) + Counter(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    vector = {g: (1.0 + math.log(n)) * model.idf[g] for g, n in counts.items() if g in model.idf}
    if not vector:
        return None
    norm = math.sqrt(sum(v * v for v in vector.values()))
    scores = {}
    for type_id, weights in model.weights.items():
        scores[type_id] = model.intercept[type_id] + sum(weights.get(g, 0.0) * v for g, v in vector.items()) / norm
    best = max(scores, key=lambda t: (scores[t], t))
    top = scores[best]
    probability = 1.0 / sum(math.exp(s - top) for s in scores.values())
    weights = model.weights[best]
    words = sorted((g for g in vector if weights.get(g, 0.0) > 0), key=lambda g: -weights[g] * vector[g])[:3]
    return TextGuess(best, round(probability, 3), tuple(words))
