"""The GraphStore contract, written once: each store's test module inherits GraphStoreContract
and supplies a ``store`` fixture holding an empty store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from graph.records import ConflictLink, RelatedLink, SimilarLink
from graph.store import GraphStore
from ingest.records import Clause, DefinedTerm, ParsedTreaty, Reference, Treaty


def treaty(
    tid: str,
    parties: tuple[str, ...],
    in_force: date | None,
    inactive: date | None = None,
    n: int = 2,
    digest: str = "h",
) -> ParsedTreaty:
    t = Treaty(
        tid,
        f"Agreement {tid}",
        status="In Force",
        date_signed=date(2000, 1, 1),
        date_in_force=in_force,
        date_inactive=inactive,
        parties=parties,
        content_hash=digest + tid,
    )
    art = Clause(f"{tid}/a1", tid, "article", "Art. 1", "", 0, heading="Scope", is_leaf=False)
    paras = [
        Clause(
            f"{tid}/a1/{i}",
            tid,
            "paragraph",
            f"Art. 1({i})",
            f"Text {i} of {tid}",
            i,
            parent_id=f"{tid}/a1",
            label=str(i),
            heading="Scope",
            source={"article_identifier": "7"},
        )
        for i in range(1, n + 1)
    ]
    return ParsedTreaty(t, [art, *paras])


def with_terms_and_refs(parsed: ParsedTreaty) -> ParsedTreaty:
    """The treaty of ``treaty()`` (n >= 2) with one defined term and three references from its second paragraph."""
    tid = parsed.treaty.treaty_id
    terms = [DefinedTerm("measure", f"{tid}/a1/1", "any law or regulation", (f"{tid}/a1/2",))]
    refs = [Reference(f"{tid}/a1/2", "internal", "paragraph 1", "Art. 1(1)", f"{tid}/a1/1"),
            Reference(f"{tid}/a1/2", "external", "Article XX of GATT 1994", "GATT 1994", "gatt-1994"),
            Reference(f"{tid}/a1/2", "internal", "Annex 3", "Annex 3", None)]
    return ParsedTreaty(parsed.treaty, parsed.clauses, terms, refs)


class GraphStoreContract:
    """Every GraphStore must pass these; a subclass provides the ``store`` fixture."""

    def test_conflicts_replace_read_and_go_with_their_clauses(self, store: GraphStore) -> None:
        for tid in ("t1", "t2", "t3"):
            store.upsert_treaty(treaty(tid, ("CAN", "CHL"), date(2001, 1, 1)))
        a = ConflictLink("t2/a1/1", "t1/a1/1", "numeric", "medium", "numeric.time", "60 days against 30.",
                         ((3, 10),), ((4, 11),))
        b = ConflictLink("t3/a1/2", "t2/a1/2", "modality", "high", "modality.may-vs-must_not", "permits, forbids.")
        ghost = ConflictLink("t3/a1/9", "t1/a1/1", "scope", "low", "scope.x", "names no stored clause")
        store.replace_conflicts(["t1", "t2", "t3"], [a, b, ghost], {"t1": "h1", "t2": "h2", "t3": "h3"})
        assert store.conflicts(["t1"]) == [a] and store.conflicts(["t2"]) == [a, b] and store.conflicts(["x"]) == []
        assert store.conflict_runs() == {"t1": "h1", "t2": "h2", "t3": "h3"}
        # re-computing one agreement replaces only the links touching it
        store.replace_conflicts(["t3"], [], {"t3": "h3b"})
        assert store.conflicts(["t1", "t2", "t3"]) == [a] and store.conflict_runs()["t3"] == "h3b"
        # a replaced agreement loses its links (its clauses are new), a deleted one its record too
        store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(2001, 1, 1), digest="changed"))
        assert store.conflicts(["t2"]) == []
        store.delete_treaty("t2")
        assert "t2" not in store.conflict_runs()

    def test_variants_are_kept_with_the_conflicts(self, store: GraphStore) -> None:
        for tid in ("t1", "t2", "t3"):
            store.upsert_treaty(treaty(tid, ("CAN", "CHL"), date(2001, 1, 1)))
        v12 = SimilarLink("t2/a1/1", "t1/a1/1", 0.91)
        v23 = SimilarLink("t3/a1/2", "t2/a1/2", 0.8)
        ghost = SimilarLink("t3/a1/9", "t1/a1/1", 0.99)
        store.replace_conflicts(["t1", "t2", "t3"], [], {"t1": "h1", "t2": "h2", "t3": "h3"}, [v12, v23, ghost])
        # both ends among the agreements asked for
        assert store.variants(["t1", "t2", "t3"]) == [v12, v23]
        assert store.variants(["t1", "t2"]) == [v12] and store.variants(["t1"]) == [] and store.variants([]) == []
        store.replace_conflicts(["t3"], [], {"t3": "h3b"})  # re-computing one agreement replaces only its links
        assert store.variants(["t1", "t2", "t3"]) == [v12]
        store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(2001, 1, 1), digest="changed"))
        assert store.variants(["t1", "t2", "t3"]) == []

    def test_terms_and_references_round_trip(self, store: GraphStore) -> None:
        parsed = with_terms_and_refs(treaty("t1", ("CAN",), date(2001, 1, 1)))
        store.upsert_treaty(parsed)
        store.upsert_treaty(with_terms_and_refs(treaty("t2", ("CHL",), date(2002, 1, 1))))
        assert store.terms("t1") == parsed.terms and store.terms("nope") == []
        assert store.definitions(["t2", "nope", "t1"]) == [
            DefinedTerm("measure", f"{t}/a1/1", "any law or regulation") for t in ("t1", "t2")]
        assert store.references(["t1/a1/2", "t1/a1/1", "nope"]) == parsed.references
        assert store.references_to("t1/a1/1") == [parsed.references[0]]
        assert [r.clause_id for r in store.references_to("gatt-1994")] == ["t1/a1/2", "t2/a1/2"]
        # re-storing the treaty without them takes them away; the other treaty keeps its own
        store.upsert_treaty(treaty("t1", ("CAN",), date(2001, 1, 1)))
        assert store.terms("t1") == [] and store.references(["t1/a1/2"]) == []
        assert [r.clause_id for r in store.references_to("gatt-1994")] == ["t2/a1/2"]
        assert store.delete_treaty("t2") and store.references_to("gatt-1994") == [] and store.terms("t2") == []

    def test_upsert_replaces_whole_treaty(self, store: GraphStore) -> None:
        store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(2001, 1, 1), n=3))
        store.upsert_treaty(treaty("t1", ("CAN",), date(2001, 1, 1), n=1, digest="new"))
        assert [c.citation for c in store.clauses("t1")] == ["Art. 1", "Art. 1(1)"]
        assert store.get_treaty("t1").parties == ("CAN",)
        assert store.treaty_id_for_hash("newt1") == "t1" and store.treaty_id_for_hash("ht1") is None
        assert store.stats() == {"treaties": 1, "clauses": 2, "leaf_clauses": 1, "parties": 2, "party_links": 1}
        assert store.generation() == 2

    def test_clause_round_trip(self, store: GraphStore) -> None:
        parsed = treaty("t1", ("CAN",), date(2001, 1, 1))
        store.upsert_treaty(parsed)
        assert store.clauses("t1") == parsed.clauses
        assert store.get_clauses(["t1/a1/2", "nope"]) == {"t1/a1/2": parsed.clauses[2]}
        assert [c.clause_id for c in store.iter_leaf_clauses()] == ["t1/a1/1", "t1/a1/2"]

    def test_party_and_date_filters(self, store: GraphStore) -> None:
        store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(1997, 7, 5)))
        store.upsert_treaty(treaty("t2", ("CAN", "ISR"), date(1997, 1, 1), inactive=date(2019, 9, 1)))
        store.upsert_treaty(treaty("t3", ("CHL", "PER"), None))
        assert store.treaty_ids(["CAN"]) == {"t1", "t2"}
        assert store.treaty_ids(["CAN", "PER"]) == {"t1", "t2", "t3"}
        assert store.treaty_ids(["CAN", "CHL"], all_parties=True) == {"t1"}
        assert store.treaty_ids(in_force_on=date(2020, 1, 1)) == {"t1"}
        assert store.treaty_ids(in_force_on=date(1997, 3, 1)) == {"t2"}
        assert store.treaty_ids(["ISR"], in_force_on=date(2019, 8, 31)) == {"t2"}
        assert [t.treaty_id for t in store.list_treaties(["CHL"])] == ["t1", "t3"]
        assert store.treaties_sharing_parties("t1") == {"t2": 1, "t3": 1}
        assert store.treaties_sharing_parties("t3") == {"t1": 1} and store.treaties_sharing_parties("x") == {}

    def test_delete(self, store: GraphStore) -> None:
        store.upsert_treaty(treaty("t1", ("CAN",), date(2001, 1, 1)))
        store.upsert_treaty(treaty("t2", ("CAN",), date(2001, 1, 1)))
        assert store.delete_treaty("t1") and not store.delete_treaty("t1")
        assert store.stats()["clauses"] == 3 and store.generation() == 3
        assert store.get_treaty("t1") is None and store.clauses("t1") == []
        assert store.treaty_ids(["CAN"]) == {"t2"}

    def test_upsert_is_idempotent(self, store: GraphStore) -> None:
        parsed = treaty("t1", ("CAN", "CHL"), date(2001, 1, 1), n=3)
        store.upsert_treaty(parsed)
        first = (store.stats(), store.clauses("t1"), store.get_treaty("t1"))
        store.upsert_treaty(parsed)
        assert (store.stats(), store.clauses("t1"), store.get_treaty("t1")) == first
        assert store.generation() == 2

    def test_unknown_ids_are_left_out(self, store: GraphStore) -> None:
        assert store.get_treaty("nope") is None
        assert store.get_treaties(["nope"]) == {} and store.get_clauses(["nope"]) == {}
        assert store.clauses("nope") == [] and store.treaty_id_for_hash("nope") is None
        assert store.treaty_ids(["CAN"]) == set() and store.generation() == 0
        assert store.stats() == {"treaties": 0, "clauses": 0, "leaf_clauses": 0, "parties": 0, "party_links": 0}

    def test_metadata_round_trip(self, store: GraphStore) -> None:
        parsed = treaty("t1", ("CAN", "CHL"), date(1997, 7, 5), inactive=date(2020, 1, 1))
        store.upsert_treaty(parsed)
        assert store.get_treaty("t1") == parsed.treaty
        assert store.get_treaties(["t1", "x"]) == {"t1": parsed.treaty}

    def test_provenance_round_trip(self, store: GraphStore) -> None:
        parsed = treaty("t1", ("CAN", "CHL"), date(1997, 7, 5))
        origin = {"title": "inferred", "parties": "sidecar", "date_signed": "flag", "date_in_force": "source",
                  "treaty_id": "sidecar"}
        store.upsert_treaty(ParsedTreaty(replace(parsed.treaty, provenance=origin), parsed.clauses))
        store.upsert_treaty(treaty("t2", ("CAN",), None))
        assert store.get_treaty("t1").provenance == origin
        assert {k: t.provenance for k, t in store.get_treaties(["t1", "t2"]).items()} == {"t1": origin, "t2": {}}
        assert [t.provenance for t in store.list_treaties(["CHL"])] == [origin]
        # re-storing the treaty replaces its provenance, it does not merge the old one in
        store.upsert_treaty(ParsedTreaty(replace(parsed.treaty, provenance={"title": "flag"}), parsed.clauses))
        assert store.get_treaty("t1").provenance == {"title": "flag"}

    def test_links_round_trip_and_invalidation(self, store: GraphStore) -> None:
        store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(2001, 1, 1)))
        store.upsert_treaty(treaty("t2", ("CAN",), date(2002, 1, 1)))
        store.upsert_treaty(treaty("t3", ("PER",), date(2003, 1, 1)))
        similar = [SimilarLink("t1/a1/1", "t2/a1/1", 0.97), SimilarLink("t1/a1/2", "t2/a1/2", 0.9),
                   SimilarLink("t2/a1/1", "t3/a1/2", 0.88), SimilarLink("t1/a1/1", "gone/a1/1", 0.99)]
        related = [RelatedLink("t1", "t2", 2, 1, 1.0), RelatedLink("t2", "t3", 1, 0, 0.5)]
        assert store.links_generation() is None
        store.replace_links(similar, related, store.generation())
        assert store.links_generation() == store.generation() == 3
        assert store.related("t2") == related  # both directions, best first
        assert store.related("t1", k=1) == [related[0]]
        assert store.shared_clauses("t2", "t1") == [SimilarLink("t2/a1/1", "t1/a1/1", 0.97),
                                                    SimilarLink("t2/a1/2", "t1/a1/2", 0.9)]
        assert store.shared_clauses("t1", "t2", k=1) == [SimilarLink("t1/a1/1", "t2/a1/1", 0.97)]
        store.replace_links(similar[:1], related[:1], 3)  # replacing drops what is not given again
        assert store.related("t3") == [] and store.shared_clauses("t2", "t3") == []
        store.upsert_treaty(treaty("t1", ("CAN", "CHL"), date(2001, 1, 1), digest="v2"))
        assert store.related("t1") == [] and store.shared_clauses("t1", "t2") == []
        assert store.links_generation() == 3 != store.generation()
