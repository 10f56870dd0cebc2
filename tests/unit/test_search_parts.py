import numpy as np

from ingest.records import text_key
from search.fusion import Fusion, reciprocal_rank_fusion
from search.highlight import spans
from search.index import ClauseIndex, Filter, IndexRow
from search.query import expand, lexical_form, scope_names, without_names


def test_rrf_prefers_rows_ranked_well_by_both():
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 3, 9]])
    assert [row for row, _ in fused][:2] == [2, 3]
    assert abs(dict(fused)[9] - 1 / 63) < 1e-12 and [r for r, _ in fused][2] == 1


def test_text_key_ignores_numbering_case_and_spacing():
    assert text_key("2. Each Party  may withdraw.") == text_key("5. each party may\nwithdraw.")
    assert text_key("(a) notify;") == text_key("(c) notify;")
    assert text_key("Each Party may withdraw.") != text_key("No Party may withdraw.")


def test_highlight_matches_stems():
    text = "Each Party may withdraw from this Agreement by written notification."
    words = [text[a:b] for a, b in spans("withdrawal notifications", text)]
    assert words == ["withdraw", "notification"]


_TEXTS = ["Each Party may withdraw by written notice.", "Each Party may withdraw by written notice.",
          "Customs duties on imports shall be abolished.", "Disputes go to arbitration."]


def _rows() -> list[IndexRow]:
    return [IndexRow(f"c{i}", t, text_key(x), ty, x)
            for i, (t, x, ty) in enumerate(
                zip(["t1", "t2", "t1", "t3"], _TEXTS, ["final", "final", "goods", None], strict=True))]


def _index() -> ClauseIndex:
    rows = _rows()
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(4, 8)).astype(np.float32)
    vecs[1] = vecs[0]
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return ClauseIndex.build(rows, vecs, "test", "1")


def test_identical_texts_collapse_into_one_hit():
    index = _index()
    hits = index.search(None, "withdraw notice", k=5, mode="lexical")
    assert [h.clause_id for h in hits] == ["c0"] and hits[0].also_in == ["c1"]
    every = index.search(None, "withdraw notice", k=5, mode="lexical", collapse=False)
    assert [h.clause_id for h in every] == ["c0", "c1"]


def test_filters_restrict_rows_and_also_in():
    index = _index()
    hits = index.search(None, "withdraw notice", k=5, flt=Filter(treaty_ids=frozenset({"t2"})), mode="lexical")
    assert [h.clause_id for h in hits] == ["c1"] and hits[0].also_in == []
    typed = index.search(index.vectors.vector(2), "duties", k=5, flt=Filter(clause_types=frozenset({"goods"})))
    assert [h.clause_id for h in typed] == ["c2"]


def test_further_language_versions_are_searched_only_on_request(tmp_path):
    texts = ["The Parties establish a free trade area.", "De Partijen richten een vrijhandelszone op."]
    rows = [IndexRow("t/art-1", "t", text_key(texts[0]), None, texts[0]),
            IndexRow("t/nl-art-1", "t", text_key(texts[1]), None, texts[1], other_version=True)]
    vecs = np.eye(2, 8, dtype=np.float32)
    ClauseIndex.build(rows, vecs, "test", "1").save(tmp_path / "index")
    index = ClauseIndex.load(tmp_path / "index")  # the marking survives saving
    query = np.ones(8, dtype=np.float32) / np.sqrt(8)
    assert [h.clause_id for h in index.search(query, "vrijhandelszone free trade", k=5)] == ["t/art-1"]
    both = index.search(query, "vrijhandelszone free trade", k=5, flt=Filter(other_versions=True))
    assert sorted(h.clause_id for h in both) == ["t/art-1", "t/nl-art-1"]
    only_t = index.search(query, "vrijhandelszone", k=5, flt=Filter(treaty_ids=frozenset({"t"})))
    assert [h.clause_id for h in only_t] == ["t/art-1"]  # hidden under another filter too


def test_saved_index_loads_and_swaps_atomically(tmp_path):
    index = _index()
    index.save(tmp_path / "index")
    assert ClauseIndex.current(tmp_path / "index") == "1"
    loaded = ClauseIndex.load(tmp_path / "index")
    assert loaded.clause_ids == index.clause_ids
    np.testing.assert_allclose(loaded.vectors.vector(3), index.vectors.vector(3))
    assert [h.clause_id for h in loaded.search(None, "arbitration", mode="lexical")] == ["c3"]


def test_an_index_without_vectors_answers_lexically_and_says_the_rest_is_coming(tmp_path):
    import pytest

    from ingest.errors import StoreError

    lexical = ClauseIndex.build(_rows(), None, "test", "2")
    lexical.save(tmp_path / "index")
    assert ClauseIndex.current_build(tmp_path / "index")["dense"] == "no"
    loaded = ClauseIndex.load(tmp_path / "index")
    assert not loaded.dense and not (tmp_path / "index" / "g2" / "vectors.faiss").exists()
    # a hybrid search with no query vector is a lexical one; a dense one, or reading the vectors, is one line
    assert [h.clause_id for h in loaded.search(None, "arbitration")] == ["c3"]
    with pytest.raises(StoreError, match="still being computed"):
        loaded.search(np.ones(8, dtype=np.float32), "arbitration", mode="dense")
    with pytest.raises(StoreError, match="run 'pacta ingest' again"):
        loaded.vectors.vector(0)
    _index().save(tmp_path / "index")  # the whole index replaces it
    assert ClauseIndex.current_build(tmp_path / "index")["dense"] == "yes" and ClauseIndex.load(
        tmp_path / "index").dense


def test_modality_filter_and_fusion_weights():
    texts = ["Each Party shall notify the other Party.", "No Party shall notify anyone.", "Notify means tell."]
    rows = [IndexRow(f"m{i}", "t1", text_key(x), None, x, m)
            for i, (x, m) in enumerate(zip(texts, ["obligation", "prohibition", "definition"], strict=True))]
    vecs = np.eye(3, 8, dtype=np.float32)
    index = ClauseIndex.build(rows, vecs, "test", "1")
    hits = index.search(None, "notify", k=5, flt=Filter(modalities=frozenset({"prohibition"})), mode="lexical")
    assert [h.clause_id for h in hits] == ["m1"]
    # the vector points at m2, the words at m0 and m1: the weights decide who leads
    dense_heavy = index.search(vecs[2], "notify the other Party", k=3, fusion=Fusion(k=1, dense=5.0, lexical=1.0))
    word_heavy = index.search(vecs[2], "notify the other Party", k=3, fusion=Fusion(k=1, dense=0.1, lexical=1.0))
    assert dense_heavy[0].clause_id == "m2" and word_heavy[0].clause_id == "m0"


def test_legal_query_processing():
    assert expand("MFN under Art. 4 para. 2") == "MFN (most-favoured-nation) under Article 4 paragraph 2"
    assert expand("Arts. XX and XXI") == "Article XX and XXI"
    assert expand("the art. of negotiation") == "the art. of negotiation"  # not a citation
    assert expand("MFN-like") == "MFN-like" and expand("ADR") == "ADR"  # whole abbreviations only
    assert lexical_form("labour standards") == "labour standards labor"
    assert lexical_form("organization of work") == "organization of work organisation"


def test_names_of_the_filtered_agreements_leave_the_query():
    names = scope_names(["EC - Turkey Association Agreement of 1973", "Australia - New Zealand (ANZCERTA)"], ["Chile"])
    assert names == ["EC", "Turkey", "ANZCERTA", "Australia", "New Zealand", "Chile"]
    asked = "EC–Turkey: who chairs the Association Council?"
    assert without_names(asked, names) == "who chairs the Association Council?"
    assert without_names("New Zealand's rules on dumping", names) == "rules on dumping"
    assert without_names("Turkey", names) == "Turkey"  # a query that is all names stays whole
    assert without_names("Turkmenistan transit", names) == "Turkmenistan transit"  # whole words only
