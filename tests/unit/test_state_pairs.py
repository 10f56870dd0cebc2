"""The state report's divergences: a clash repeated through the sub-paragraphs of the same two articles is one
entry, the others listed with it."""

from __future__ import annotations

from graph.consistency.report import Pair, _by_article
from graph.records import ConflictLink
from ingest.records import Clause, Treaty

GEORGIA = Treaty("tota-427", "EU - Georgia", ("EU", "GEO"))
UKRAINE = Treaty("tota-392", "EU - Ukraine", ("EU", "UKR"))


def _pair(later: str, earlier: str) -> Pair:
    a = Clause(f"tota-427/{later}", "tota-427", "paragraph", f"Art. {later}", "The Parties shall consult.", 1)
    b = Clause(f"tota-392/{earlier}", "tota-392", "paragraph", f"Art. {earlier}", "The Parties may consult.", 1)
    link = ConflictLink(a.clause_id, b.clause_id, "modality", "low", "modality.twin_sentences.binding-vs-permitted",
                        f"{later} binds where {earlier} permits")
    return Pair(link, a, GEORGIA, b, UKRAINE, False, None)


def test_sub_paragraphs_of_the_same_two_articles_are_one_entry():
    pairs = [_pair("71(2)(a)", "80(2)(a)"), _pair("71(2)(b)", "80(2)(b)"), _pair("71(3)", "80(3)"),
             _pair("72", "80(1)")]
    merged = _by_article(pairs)
    assert [p.later.citation for p in merged] == ["Art. 71(2)(a)", "Art. 72"]
    assert [x.later.citation for x in merged[0].also] == ["Art. 71(2)(b)", "Art. 71(3)"]
    assert merged[1].also == ()
