"""Parts of the state report that need no model: counterpart pairs, definition fragments and spellings."""

from __future__ import annotations

import numpy as np

from graph.conflicts.compare import clashes_between
from graph.consistency.definitions import definitions, subject_of
from graph.consistency.edges import _counterparts, _twins
from ingest.annotate.quantities import quantities
from ingest.annotate.terms import trim_definition
from ingest.records import Clause, DefinedTerm, Treaty
from search.index import ClauseIndex, IndexRow


def _unit(*v: float) -> np.ndarray:
    x = np.zeros(8, dtype=np.float32)
    x[: len(v)] = v
    return x / np.linalg.norm(x)


def test_a_clause_is_paired_with_its_own_provision_not_the_next_step():
    # A has an interim-report clause and a final-report clause; B has only a final-report clause, closer to A's.
    rows = [IndexRow("A/1", "A", "k1", None, "interim report within 45 days"),
            IndexRow("A/2", "A", "k2", None, "final report within 30 days of the interim report"),
            IndexRow("B/1", "B", "k3", None, "final report within four months")]
    vecs = np.stack([_unit(1, 0.9), _unit(0.6, 1), _unit(0.5, 1)])
    index = ClauseIndex.build(rows, vecs, "test", "1")
    interim_b, final_b = float(vecs[0] @ vecs[2]), float(vecs[1] @ vecs[2])
    assert interim_b > 0.75 and final_b > interim_b
    kept = _counterparts(np.array([0, 1]), np.array([2, 2]), np.array([interim_b, final_b], dtype=np.float32), index)
    assert kept.tolist() == [False, True]


def test_near_ties_of_a_template_repeated_in_one_agreement_are_both_kept():
    rows = [IndexRow("A/1", "A", "k1", None, "x"), IndexRow("A/2", "A", "k2", None, "x again"),
            IndexRow("B/1", "B", "k3", None, "x")]
    vecs = np.stack([_unit(1, 0.1), _unit(1, 0.12), _unit(1, 0.11)])
    index = ClauseIndex.build(rows, vecs, "test", "1")
    scores = np.array([vecs[0] @ vecs[2], vecs[1] @ vecs[2]], dtype=np.float32)
    assert _counterparts(np.array([0, 1]), np.array([2, 2]), scores, index).tolist() == [True, True]


def test_a_definition_glued_to_the_next_one_ends_where_that_one_starts():
    assert trim_definition("the Agreement on Technical Barriers to Trade, part of the WTO Agreement; TBT Agreement "
                           "means") == "the Agreement on Technical Barriers to Trade, part of the WTO Agreement"
    assert trim_definition('a natural person or an enterprise. "Investment" means every kind of asset') == (
        "a natural person or an enterprise.")
    assert trim_definition("any person of a Party, including the Government, that is engaged in trade") == (
        "any person of a Party, including the Government, that is engaged in trade")
    # the next definition of a block, on its own line, in lower case or with "mean"; the definition's own items stay
    assert trim_definition("calendar days, including weekends and holidays;\nGATS mean the General Agreement on "
                           "Trade in Services") == "calendar days, including weekends and holidays"
    assert trim_definition("free of customs duty;\nexport subsidies shall have the meaning assigned to that term in "
                           "Article 1(e)") == "free of customs duty"
    items = "every kind of asset, including:\nshares;\nbonds; and\nclaims to money having an economic value"
    assert trim_definition(items) == items
    assert trim_definition(":\nan enterprise; national means:") == "an enterprise"


def _treaty(tid: str) -> Treaty:
    return Treaty(tid, f"Agreement {tid}", parties=("CHL", tid))


def test_definitions_apart_only_in_spelling_or_a_glued_fragment_are_one_wording():
    centre = "the International Centre for Settlement of Investment Disputes established by the ICSID Convention"
    terms = [DefinedTerm("Centre", "A/1", centre),
             DefinedTerm("Centre", "B/1", centre.replace("Centre", "Center") + "; ICSID Convention means"),
             DefinedTerm("Centre", "C/1", centre), DefinedTerm("Centre", "D/1", ":")]
    assert definitions(terms, {t: _treaty(t) for t in "ABCD"}) == {}
    other = "the Secretariat of the Permanent Court of Arbitration at The Hague acting as registry"
    found = definitions([*terms, DefinedTerm("Centre", "E/1", other)], {t: _treaty(t) for t in "ABCDE"})
    assert [len(d.treaties) for d in found[("centre", None)]] == [3, 1]


def test_an_article_titled_with_its_term_defines_it_and_plural_terms_match_singular():
    from graph.conflicts.reading import term_key
    from ingest.annotate.terms import defined_in
    from ingest.records import Clause

    titled = Clause("t/1", "t", "article", "Art. 8", "A customs duty includes any duty or charge of any kind "
                    "imposed in connection with the importation of a good.", 0, heading="Customs Duty")
    assert defined_in(titled) == [("customs duty", "any duty or charge of any kind imposed in connection with the "
                                                   "importation of a good.")]
    other = Clause("t/2", "t", "article", "Art. 9", "The Parties shall eliminate customs duties.", 0,
                   heading="Customs Duties")
    assert defined_in(other) == []
    assert term_key("Economic Activities") == term_key("economic activity") == "economic activity"
    assert term_key("investments") == "investment" and term_key("financial services") == "financial services"
    # a footnote's number, a scan's glued "of", the party named another way (rules 28)
    assert term_key("enterprise of a Party32") == term_key("enterprise of the other Party") == "enterprise of a party"
    assert term_key("investorof a Party") == "investor of a party" and term_key("proof of origin") == "proof of origin"
    assert term_key("GATT 1994") == "gatt 1994"


def test_a_definition_that_only_points_elsewhere_is_not_a_wording():
    own = "any designated monopoly and any government monopoly maintained by a Party in its territory"
    terms = [DefinedTerm("monopoly", "A/1", own), DefinedTerm("monopoly", "B/1", own),
             DefinedTerm("monopoly", "C/1", "“monopoly” as defined in Article 16.9 (Definitions)")]
    assert definitions(terms, {t: _treaty(t) for t in "ABC"}) == {}


def test_a_few_words_added_to_a_definition_are_one_wording_but_a_new_limb_is_not():
    base = "the rate of customs duty applicable under this Agreement to an originating good"
    clarified = base + " pursuant to the Parties' respective Tariff Elimination Schedules"
    terms = [DefinedTerm("preferential tariff treatment", "A/1", base),
             DefinedTerm("preferential tariff treatment", "B/1", base),
             DefinedTerm("preferential tariff treatment", "C/1", clarified)]
    assert definitions(terms, {t: _treaty(t) for t in "ABC"}) == {}
    limb = (base + ", including any preferential quota, seasonal reduction, export subsidy elimination and "
            "safeguard exemption granted")
    found = definitions([*terms[:2], DefinedTerm("preferential tariff treatment", "D/1", limb)],
                         {t: _treaty(t) for t in "ABD"})
    assert [len(d.treaties) for d in found[("preferential tariff treatment", None)]] == [2, 1]


def test_a_lower_case_next_definition_glued_after_a_semicolon_is_cut_but_means_as_a_noun_stays():
    assert trim_definition("a natural person or a juridical person; state enterprise means") == (
        "a natural person or a juridical person")
    assert trim_definition("transmitted by wire, radio or optical systems; or by electronic means") == (
        "transmitted by wire, radio or optical systems; or by electronic means")


def test_a_scan_that_runs_words_together_or_names_other_parties_gives_the_same_wording():
    production = ("methods of obtaining goods including manufacturing, producing, assembling, processing, raising, "
                  "growing, breeding, mining, extracting, harvesting, fishing, trapping, gathering, collecting, "
                  "hunting and capturing")
    glued = production.replace("obtaining goods", "obtaininggoods").replace("producing, assembling",
                                                                              "producing,assembling")
    terms = [DefinedTerm("production", "A/1", production), DefinedTerm("production", "B/1", production),
             DefinedTerm("production", "C/1", glued)]
    assert definitions(terms, {t: _treaty(t) for t in "ABC"}) == {}
    # each agreement's "Parties" are its own: naming them is no divergence; what else they say still is
    named = ("the Republic of Singapore and {}, and any State or separate customs territory that accedes to this "
             "Agreement")
    parties = [DefinedTerm("Parties", "A/1", named.format("the Republic of Panama")),
               DefinedTerm("Parties", "B/1", named.format("the Republic of Panama")),
               DefinedTerm("Parties", "C/1", named.format("Japan"))]
    assert definitions(parties, {t: _treaty(t) for t in "ABC"}) == {}
    found = definitions([*parties[:2], DefinedTerm("Parties", "D/1", "Singapore and Australia, and any other "
                                                    "State that ratifies this Agreement, once it has entered into "
                                                    "force for that State")],
                         {t: _treaty(t) for t in "ABD"})
    assert [len(d.treaties) for d in found[("party", None)]] == [2, 1]


def test_a_heading_or_the_next_numbered_paragraph_glued_on_is_cut():
    entry = ("entry into the territory of a Party by a business person of the other Party without the intent to "
             "establish permanent residence.")
    assert trim_definition(entry + "\nADMINISTRATIVE AND INSTITUTIONAL PROVISIONS") == entry
    assert trim_definition(entry + " 13-2 In addition to the requirements in Article 13.1, temporary entry will "
                           "only be granted to business persons who also meet them.") == entry
    rules = "the arbitration rules of the United Nations Commission on International Trade Law."
    assert trim_definition(rules + " Annex G-09.1 1. For the purpose of preserving the stability") == rules
    assert trim_definition(rules + " Annex G-01.3(b) Further Liberalization If the negotiations") == rules
    value = "the value of a good for purposes of applying this Chapter."
    assert trim_definition(value + " ANNEX 4.18 Goods classified in the following subheadings") == value
    assert trim_definition("the World Trade Organization; WTOAgreementmeans the Marrakesh Agreement") == (
        "the World Trade Organization")
    # a figure or a reference inside the definition stays
    kept = "goods classified under heading 84.71 of the Harmonized System. They include parts and accessories."
    assert trim_definition(kept) == kept


def test_a_lead_in_without_its_items_and_a_pointer_to_a_chapter_are_not_wordings_of_their_own():
    items = ("measures adopted or maintained by:\ncentral, regional, or local governments and authorities; and\n"
             "non-governmental bodies in the exercise of powers delegated by central, regional, or local governments")
    terms = [DefinedTerm("measures adopted or maintained by a Party", "A/1", items),
             DefinedTerm("measures adopted or maintained by a Party", "B/1", items),
             DefinedTerm("measures adopted or maintained by a Party", "C/1", "measures adopted or maintained by:")]
    assert definitions(terms, {t: _treaty(t) for t in "ABC"}) == {}
    origin = [DefinedTerm("originating good", "A/1", "a good qualifying under the rules of origin set out in "
                          "Chapter 3 (Rules of Origin)"),
              DefinedTerm("originating good", "B/1", "a good that qualifies as originating under the rules "
                          "established in Chapter 4 (Rules of Origin and Origin Procedures)")]
    assert definitions(origin, {t: _treaty(t) for t in "AB"}) == {}


def _clause(cid: str, text: str) -> Clause:
    return Clause(cid, cid.split("/")[0], "paragraph", "Art. 1", text, 0)


def test_a_far_neighbour_counts_only_where_the_numbers_stand_in_the_same_sentence():
    # The same sentence of one template with another percentage: a far neighbour's clash is kept.
    a = _clause("A/1", "Such measures may only concern infant industries. The total value of imports of the products "
                "which are subject to these measures may not exceed 15% of total imports of industrial products.")
    b = _clause("B/1", "The total value of imports of the products, which are subject to these measures, may not "
                "exceed 20 % of total imports of industrial products from the other Party.")
    clash = next(c for c in clashes_between(a, b, 0.75, stages=True))
    assert _twins(a, b, clash)
    # Two sentences of one subject in other words (an extension of a safeguard): not twins.
    c = _clause("C/1", "The period of a safeguard measure may be extended by up to one year provided that the "
                "conditions of this Chapter are met.")
    d = _clause("D/1", "Where the circumstances warranting imposition of safeguard measures continue to exist, such "
                "measures may be extended for a further period of no more than two years.")
    clashes = clashes_between(c, d, 0.8, stages=True)
    assert clashes and not any(_twins(c, d, x) for x in clashes)


def test_the_first_day_of_an_ordinal_month_is_read_as_that_many_months_after():
    found = quantities("The Agreement shall terminate on the first day of the seventh month following the date "
                       "when the other Party received the notification.")
    assert [(q.shown, q.kind) for q in found] == [("the 7th month", "after")]
    # a point in time, not a period: "six months from the date" is no other number for the same step
    assert quantities("shall cease to apply six months from the date of receipt")[0].dimension == "time"
    a = _clause("A/1", "Either party may denounce this Agreement. The Agreement shall terminate on the first day of "
                "the sixth month following the date when the other Party received the notification.")
    b = _clause("B/1", "Either party may denounce this Agreement. The Agreement shall terminate on the first day of "
                "the seventh month following the date when the other Party received the notification.")
    assert [c.rule for c in clashes_between(a, b, 0.9, stages=True)] == ["numeric.ordinal"]
    c = _clause("C/1", "Either party may denounce this Agreement. The Agreement shall cease to apply six months from "
                "the date when the other Party received the notification.")
    assert clashes_between(b, c, 0.9, stages=True) == []


def test_one_term_defined_for_two_subjects_is_two_notions_and_a_general_definition_goes_with_each():
    tax = "the Minister of Finance or an authorised representative of the Minister"
    origin = "the government authority or body that issues certificates of origin under this Chapter"
    terms = [DefinedTerm("competent authority", "A/1", tax), DefinedTerm("competent authority", "B/1", origin),
             DefinedTerm("competent authority", "C/1", origin)]
    treaties = {t: _treaty(t) for t in "ABCD"}
    # read as one subject, the tax wording is a second wording of the same term
    assert [len(d.treaties) for d in definitions(terms, treaties)[("competent authority", None)]] == [2, 1]
    subjects = {"A/1": "taxation", "B/1": "rules_of_origin", "C/1": "rules_of_origin"}
    assert definitions(terms, treaties, subjects) == {}
    general = DefinedTerm("competent authority", "D/1", "the customs administration of each Party named in Annex 1")
    found = definitions([*terms, general], treaties, subjects | {"D/1": None})
    assert list(found) == [("competent authority", "rules_of_origin")]
    assert [[t.treaty_id for t in d.treaties] for d in found[("competent authority", "rules_of_origin")]] == [
        ["B", "C"], ["D"]]
    # two chapters defining it in one wording are one notion: no split
    valuation = "the Agreement on Implementation of Article VII of the General Agreement on Tariffs and Trade 1994"
    alike = [DefinedTerm("customs valuation agreement", "A/2", valuation),
             DefinedTerm("customs valuation agreement", "B/2", valuation),
             DefinedTerm("customs valuation agreement", "C/2", valuation + ", part of the WTO Agreement, as amended"),
             DefinedTerm("customs valuation agreement", "D/2", "the customs valuation rules each Party applies "
                         "to goods imported from a non-Party under its own law")]
    split = definitions(alike, treaties, {"A/2": "customs_procedures", "B/2": "rules_of_origin",
                                           "C/2": "rules_of_origin", "D/2": "customs_procedures"})
    assert list(split) == [("customs valuation agreement", None)]
    chapter = Clause("B/1", "B", "item", "Art. 4.1(c)", origin, 0, clause_type="rules_of_origin",
                     secondary_type="definitions")
    assert subject_of(chapter) == "rules_of_origin"
    assert subject_of(Clause("D/1", "D", "item", "Art. 1.2(a)", "x", 0, clause_type="definitions")) is None


def test_a_list_of_each_partys_own_entries_is_no_wording_of_the_states():
    japan = ("with respect to Japan, the Minister of Finance or an authorised representative; and with respect to "
             "Chile, the Director of the Internal Revenue Service, Ministry of Finance")
    malaysia = ("with respect to Malaysia, the Minister of Finance or an authorised representative; and with respect "
                "to Chile, the Director of the Internal Revenue Service, Ministry of Finance")
    own = "the Minister of Finance or an authorised representative of the Minister, and the tax administration"
    terms = [DefinedTerm("competent authority", "A/1", japan), DefinedTerm("competent authority", "B/1", malaysia),
             DefinedTerm("competent authority", "C/1", own)]
    assert definitions(terms, {t: _treaty(t) for t in "ABC"}) == {}
