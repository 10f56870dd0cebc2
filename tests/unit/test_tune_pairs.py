"""Mining training pairs for ``pacta tune`` and batching them without false negatives."""

from __future__ import annotations

from ingest.records import Clause
from search.tune import Pair, Passage, _batch_negatives, batches, hard_negative, heading_pairs, variant_pairs

BODY = "Each Party shall accord to investors of the other Party treatment no less favourable than {}."


def clause(cid: str, text: str, heading: str = "", chapter: str = "") -> Clause:
    return Clause(clause_id=cid, treaty_id=cid.split("/")[0], level="paragraph", citation=cid, text=text,
                  order=0, heading=heading, chapter=chapter)


def test_heading_pairs_cap_each_heading_and_skip_short_or_unheaded_clauses():
    clauses = [clause(f"t{i}/a/1", BODY.format(f"case {i}"), heading="National Treatment") for i in range(10)]
    clauses += [clause("u/a/1", "Reserved.", heading="Reserved"),
                clause("v/a/1", BODY.format("anything"), heading=""),
                clause("w/a/1", BODY.format("others"), heading="Expropriation", chapter="Investment")]
    pairs = heading_pairs(clauses, per_heading=3)
    anchors = [p.anchor for p in pairs]
    assert anchors.count("National Treatment") == 3
    assert "Expropriation (Investment)" in anchors  # the chapter gives a bare heading its context
    assert not any(p.anchor == "Reserved" for p in pairs)  # too short to teach anything
    assert all(p.positive.startswith("Each Party shall") for p in pairs)  # own words first
    assert all(p.kind == "heading" for p in pairs)


def test_variant_pairs_keep_only_differently_worded_clauses_and_limit_each_wording():
    a = clause("a/1/1", BODY.format("its own investors"))
    a_copy = clause("b/1/1", BODY.format("its own investors"))
    b = clause("c/1/1", BODY.format("it accords to its own investors"))
    c = clause("d/1/1", BODY.format("it accords in like circumstances to its own investors"))
    d = clause("e/1/1", BODY.format("in like circumstances, to investors of any non-Party"))
    pairs = variant_pairs([(a, a_copy), (a, b), (b, a), (a, c), (a, d)], per_text=2)
    assert [(p.anchor, p.positive) for p in pairs] == [(a.passage_text, b.passage_text),
                                                        (a.passage_text, c.passage_text)]


def test_batches_never_hold_the_same_text_twice():
    pairs = [Pair(f"heading {i % 5}", f"body {i}", "heading") for i in range(100)]
    out = batches(pairs, size=4, seed=1)
    assert out and all(len(b) == 4 for b in out)
    for batch in out:
        texts = [p.anchor for p in batch] + [p.positive for p in batch]
        assert len(texts) == len(set(texts))
    assert len({p.positive for b in out for p in b}) == sum(len(b) for b in out)  # no pair used twice


CONSULT = "A Party shall enter into consultations within {} days of receipt of a request made under this Chapter."


def test_a_hard_negative_shares_wording_but_comes_from_another_article_and_sets_another_number():
    pair = Pair("Consultations", CONSULT.format(30), "heading", "t/7", "consultations")
    same_article = Passage("A Party shall reply to the request within 10 days.", "t/7", "consultations")
    same_heading = Passage("The Parties shall hold consultations in good faith on any matter.", "u/3",
                           "consultations")
    reworded = Passage(CONSULT.format(30).replace("enter into", "hold"), "v/2", "review")  # a copy: never
    same_numbers = Passage("Within 30 days a Party shall enter the request in a register it keeps.", "w/4", "registry")
    other_period = Passage("A Party shall publish its decision within 60 days of receipt of an application.", "x/9",
                           "publication")
    assert hard_negative(pair, [same_article, same_heading, reworded, same_numbers, other_period]) == \
        other_period.text
    # with no candidate setting other numbers or another duty, the best acceptable match
    assert hard_negative(pair, [same_article, reworded, same_numbers]) == same_numbers.text
    assert hard_negative(pair, [same_article, same_heading, reworded]) is None


def test_batch_negatives_never_repeat_a_text_of_the_batch():
    batch = [Pair(f"anchor {i}", f"positive {i}", "heading") for i in range(3)]
    mined = {"positive 0": "positive 1", "positive 1": "hard one", "positive 2": None}
    fillers = iter(["anchor 0", "random a", "random b"])
    out = _batch_negatives(batch, lambda p: mined[p.positive], lambda: next(fillers))
    # pair 0's mined negative is pair 1's positive: replaced (a filler that is a batch text is drawn again);
    # pair 2 had none mined
    assert out == [("random a", False), ("hard one", True), ("random b", False)]
