"""Mining training pairs for ``pacta tune`` and batching them without false negatives."""

from __future__ import annotations

from ingest.records import Clause
from search.tune import Pair, batches, heading_pairs, variant_pairs

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
