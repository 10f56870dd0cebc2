"""The reranker's features and ranking (search/rerank.py), on clauses written here, without a store."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ingest.annotate import annotate
from ingest.errors import InputError
from ingest.records import Clause
from search.rerank import FEATURES, WEIGHTS, Candidate, Reranker, features, read_query


def clause(text: str, level: str = "paragraph", heading: str = "") -> Clause:
    return annotate([Clause(f"t/{abs(hash(text))}", "t", level, "Art. 1", text, 0, heading=heading)])[0]


def column(name: str, query: str, *clauses: Clause) -> list[float]:
    x = features(read_query(query), [Candidate(n, 0.5, 1.0, c) for n, c in enumerate(clauses, start=1)])
    return x[:, FEATURES.index(name)].tolist()


def test_numbers_reward_the_clause_setting_the_querys_period_and_penalise_another_period():
    query = "consultations shall be entered into within 30 days of receipt of the request"
    same = clause("The Party shall enter into consultations within thirty (30) days after receipt of the request.")
    other = clause("The Party shall enter into consultations within sixty (60) days after receipt of the request.")
    none = clause("The Party shall enter into consultations promptly after receipt of the request.")
    assert column("numbers", query, same, other, none) == [1.0, -1.0, 0.0]
    assert column("numbers", "consultations on request", same, other) == [0.0, 0.0]


def test_modality_compares_the_duty_the_query_describes_with_the_clauses():
    obliges = clause("Each Party shall publish its laws and regulations.")
    may = clause("Each Party may publish its laws and regulations.")
    assert column("modality", "A Party shall publish its laws", obliges, may) == [1.0, -1.0]
    assert column("modality", "publication of laws", obliges, may) == [0.0, 0.0]


def test_a_clause_defining_the_term_the_query_names():
    defines = clause('For the purposes of this Chapter, "investment" means every kind of asset owned or controlled '
                     'by an investor.')
    uses = clause("Each Party shall admit investment of investors of the other Party.")
    assert column("defined term", "how is investment defined", defines, uses) == [1.0, 0.0]


def test_citation_level_and_query_length():
    article = clause("This Agreement shall enter into force on the first day of the second month.", level="article")
    item = clause("goods originating in a Party;", level="item")
    assert column("whole article", "entry into force", article, item) == [1.0, 0.0]
    assert column("sub-paragraph", "entry into force", article, item) == [0.0, 1.0]
    short = column("dense x short query", "entry into force", article)[0]
    long = column("dense x short query", " ".join(["entry into force of this Agreement"] * 9), article)[0]
    assert short == pytest.approx(0.5) and long == 0.0


def test_heading_words_and_bm25_relative_to_the_best_candidate():
    headed = clause("Each Party shall accord national treatment.", heading="National Treatment")
    x = features(read_query("national treatment of goods"),
                 [Candidate(1, 0.9, 8.0, headed), Candidate(2, 0.8, 2.0, clause("Other words."))])
    assert x[:, FEATURES.index("heading")].tolist() == [1.0, 0.0]
    assert x[:, FEATURES.index("bm25")].tolist() == [1.0, 0.25]
    assert x[:, FEATURES.index("fused rank")].tolist() == pytest.approx([0.0, -np.log(2)])


def test_rank_moves_the_right_number_up_and_explains_the_score():
    weights = tuple(1.0 if f in ("fused rank", "numbers") else 0.0 for f in FEATURES)
    wrong = clause("A request for consultations shall be answered within 60 days.")
    right = clause("A request for consultations shall be answered within 30 days.")
    ranked = Reranker(weights).rank(read_query("answer a request for consultations within 30 days"),
                                    [Candidate(1, 0.9, 5.0, wrong), Candidate(2, 0.9, 5.0, right)])
    assert [i for i, _, _ in ranked] == [1, 0]
    for _, score, contributions in ranked:
        assert score == pytest.approx(sum(contributions.values()), abs=1e-3)  # contributions are rounded
    assert ranked[0][2] == {"fused rank": pytest.approx(-np.log(2), abs=1e-4), "numbers": 1.0}


def test_equal_scores_keep_the_fused_order():
    same = [Candidate(n, 0.5, 1.0, clause("Each Party shall notify the other Party.")) for n in (1, 2, 3)]
    weights = tuple(1.0 if f == "dense" else 0.0 for f in FEATURES)
    assert [i for i, _, _ in Reranker(weights).rank(read_query("notification"), same)] == [0, 1, 2]


def test_the_shipped_weights_name_the_features_and_a_stale_file_is_one_line(tmp_path: Path):
    shipped = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert list(shipped["weights"]) == list(FEATURES)
    assert Reranker.load().weights == tuple(shipped["weights"][f] for f in FEATURES)
    stale = tmp_path / "rerank.json"
    stale.write_text(json.dumps({"weights": {"dense": 1.0}}), encoding="utf-8")
    with pytest.raises(InputError, match="fit them again") as err:
        Reranker.load(stale)
    assert "\n" not in str(err.value)
