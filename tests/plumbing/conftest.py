"""Plumbing tests: the whole command line on a real store (SQLite, FAISS, BM25, the reading pipeline), with the
sentence-transformers model replaced by hashed words, so they answer in seconds. They test that the parts are
wired right (flags, JSON, exit codes, errors), not ranking quality: that is the integration tests' job, with the
real model."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from search.embed import Embedder
from tests.conftest import SAMPLE

DIM = 384


class HashedWords:
    """A stand-in for the sentence-transformers model: each word gets a fixed pseudo-random vector seeded by its
    hash, and a text the normalised sum of its words' vectors. Deterministic and instant; texts that share words
    are close, so search, similar and the links have something to find."""

    def __init__(self) -> None:
        self._words: dict[str, np.ndarray] = {}

    def _word(self, word: str) -> np.ndarray:
        vec = self._words.get(word)
        if vec is None:
            seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            vec = self._words[word] = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        return vec

    def encode(self, texts: Sequence[str], **_: object) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for n, text in enumerate(texts):
            for word in text.lower().split():
                out[n] += self._word(word.strip(".,;:()\"'"))
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def get_sentence_embedding_dimension(self) -> int:
        return DIM


@pytest.fixture(scope="session", autouse=True)
def hashed_words() -> Iterator[HashedWords]:
    model = HashedWords()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Embedder, "load", lambda self: model)
        yield model


@pytest.fixture(scope="session")
def plumbing_store(tmp_path_factory: pytest.TempPathFactory, hashed_words: HashedWords) -> Path:
    """The demo sample ingested once with hashed words (read-only for the tests: copy it to change it)."""
    from app.cli import main

    store = tmp_path_factory.mktemp("plumbing-store")
    assert main(["--store", str(store), "ingest", "-q", str(SAMPLE)]) == 0
    return store
