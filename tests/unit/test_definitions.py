"""Defined terms as the state report compares them: each definition ends where the next begins, and two
agreements' wordings are told apart only when their substance differs."""

from __future__ import annotations

from datetime import date

from graph.consistency.definitions import claimed, definitions, scope_term, whole
from ingest.annotate.terms import defined_in, trim_definition
from ingest.records import Clause, DefinedTerm, Treaty

GLUED = ("For the purposes of this Chapter:\nmaterial means a good that is used in the production of another good, "
         "and includes a part or an ingredient;\nmodel line means a group of motor vehicles having the same platform "
         "or model name; and\n\"used\" means used or consumed in the production of goods.")


def test_a_definition_ends_where_the_next_begins():
    found = dict(defined_in(Clause("t/1", "t", "article", "Art. 1", GLUED, 0, heading="Definitions")))
    assert found == {"material": "a good that is used in the production of another good, and includes a part or an "
                                 "ingredient",
                     "model line": "a group of motor vehicles having the same platform or model name",
                     "used": "used or consumed in the production of goods."}


def _treaties(n: int) -> dict[str, Treaty]:
    return {f"t{i}": Treaty(f"t{i}", f"Agreement {i}", ["CHL", f"X{i}"], date(2000 + i, 1, 1)) for i in range(n)}


def test_wordings_that_differ_only_in_form_are_one_wording():
    terms = [DefinedTerm("GATS", "t0/1", "the General Agreement on Trade in Services, contained in Annex 1B of the "
                                          "WTO Agreement"),
             DefinedTerm("GATS", "t1/1", "the General Agreement on Trade in Services in Annex 1B to the WTO "
                                          "Agreement"),
             DefinedTerm("GATS", "t2/1", "“the General Agreement on Trade in Services, contained in Annex 1B of the "
                                          "WTO Agreement”")]
    assert definitions(terms, _treaties(3)) == {}


def test_a_substantive_difference_is_reported_with_its_agreements():
    terms = [DefinedTerm("investor of a Party", f"t{i}/1", "a Party or a national or an enterprise of a Party that "
                                                            "seeks to make, is making or has made an investment")
             for i in range(2)] + [
        DefinedTerm("investor of a Party", "t2/1", "a natural person having the nationality of a Party or a "
                                                   "juridical person constituted under its law that has made an "
                                                   "investment in the territory of the other Party")]
    found = definitions(terms, _treaties(3))
    variants = found[("investor of a party", None)]
    assert [[t.treaty_id for t in v.treaties] for v in variants] == [["t0", "t1"], ["t2"]]
    assert variants[1].spans  # the words the most common wording lacks are marked


def test_two_definitions_inside_one_agreement_are_no_divergence_between_agreements():
    terms = [DefinedTerm("investment", "t0/1", "every kind of asset owned or controlled by an investor"),
             DefinedTerm("investment", "t1/1", "every kind of asset owned or controlled by an investor"),
             DefinedTerm("investment", "t1/9", "for the purposes of the financial services chapter, a loan to or a "
                                               "debt security issued by a financial institution")]
    assert definitions(terms, _treaties(2)) == {}


CUSTOMS_DUTY = ("any duty or charge of any kind imposed in connection with the importation or exportation of a good, "
                "including any form of surtax or surcharge in connection with such importation or exportation, but "
                "does not include any:\ninternal taxes or other internal charges imposed consistently with Article "
                "59;\nantidumping or countervailing duties applied consistently with Article 34{more}; and\nfees or "
                "other charges imposed consistently with Article 14.")


def test_one_more_thing_left_out_of_a_definition_is_a_different_wording():
    # Turkey - Chile and Turkey - Mauritius: the same words, but Mauritius also leaves out safeguard measures
    terms = [DefinedTerm("customs duty", "t0/1", CUSTOMS_DUTY.format(more="")),
             DefinedTerm("customs duty", "t1/1", CUSTOMS_DUTY.format(
                 more=" and safeguard measures applied in accordance with Article 19 and 21")),
             DefinedTerm("customs duty", "t2/1", CUSTOMS_DUTY.format(more="").replace(
                 "Article 59", "Article III of GATT 1994"))]  # the same rule cited elsewhere: one wording
    variants = definitions(terms, _treaties(3))[("customs duty", None)]
    assert [[t.treaty_id for t in v.treaties] for v in variants] == [["t0", "t2"], ["t1"]]


def test_words_qualifying_a_noun_or_an_open_list_are_no_carve_out():
    # "but not limited to" opens a list, it leaves nothing out: the items it adds are an elaboration
    terms = [DefinedTerm("production", f"t{i}/1", "methods of obtaining goods including manufacturing, assembling, "
                                                  "processing, raising, growing, mining, harvesting and fishing")
             for i in (0, 2)] + [
             DefinedTerm("production", "t1/1", "methods of obtaining goods including, but not limited to "
                                               "manufacturing, assembling, processing, raising, growing, mining, "
                                               "harvesting, fishing, trapping and hunting")]
    assert definitions(terms, _treaties(3)) == {}


def test_a_quoted_term_qualified_outside_its_quotes_is_read_with_its_qualifier():
    # EU - Georgia, Art. 76(f); EU - Korea writes the same term without quotes
    quoted = ("‘subsidiary’ of a juridical person of a Party means a juridical person which is owned or effectively "
              "controlled by that juridical person;")
    bare = ("subsidiary of a juridical person of a Party means a juridical person which is effectively controlled by "
            "another juridical person of that Party;")
    assert defined_in(Clause("t/1", "t", "paragraph", "(f)", quoted, 0, heading="Definitions")) == [
        ("subsidiary of a juridical person of a Party", "a juridical person which is owned or effectively controlled "
                                                        "by that juridical person")]
    assert [t for t, _ in defined_in(Clause("u/1", "u", "paragraph", "(d)", bare, 0, heading="Definitions"))] == [
        "subsidiary of a juridical person of a Party"]


def test_an_investment_term_is_claimed_and_other_wordings_only_shown():
    # what "investor of a party" covers opens or closes the investment protection; two wordings of "enterprise"
    # or two names of APEC are listed, not claimed, unless a carve-out or a number sets them apart
    assert scope_term("investor of a party") and scope_term("covered investments") and scope_term("investment")
    assert not scope_term("investment agreement") and not scope_term("enterprise") and not scope_term("goods")
    investors = [DefinedTerm("investor of a Party", f"t{i}/1", "a Party or a national or an enterprise of a Party "
                                                                "that seeks to make, is making or has made an "
                                                                "investment") for i in range(2)] + [
        DefinedTerm("investor of a Party", "t2/1", "a natural person having the nationality of a Party that has made "
                                                   "an investment in the territory of the other Party")]
    variants = definitions(investors, _treaties(3))[("investor of a party", None)]
    assert claimed(variants) and "investment obligations protect" in variants[1].why
    enterprises = [DefinedTerm("enterprise", f"t{i}/1", "any entity constituted or organized under applicable law, "
                                                        "whether or not for profit, and whether privately or "
                                                        "governmentally owned") for i in range(2)] + [
        DefinedTerm("enterprise", "t2/1", "any entity constituted or organised under applicable law, whether or not "
                                          "for profit, and whether privately-owned or governmentally-owned or "
                                          "controlled")]
    bodies = [DefinedTerm("APEC", f"t{i}/1", "the Asia-Pacific Economic Co-operation forum of Pacific Rim economies")
              for i in range(2)] + [DefinedTerm("APEC", "t2/1", "Asia Pacific Economic Cooperation, the forum of "
                                                                "twenty-one Pacific Rim member economies")]
    for terms in (enterprises, bodies):
        found = definitions(terms, _treaties(3))
        assert found and all(not claimed(v) for v in found.values())


def test_a_number_only_one_wording_sets_is_claimed_whatever_the_term():
    terms = [DefinedTerm("key personnel trainee", f"t{i}/1", "an employee of an enterprise of a Party who is "
                                                              "transferred for training in the other Party")
             for i in range(2)] + [
        DefinedTerm("key personnel trainee", "t2/1", "an employee of an enterprise of a Party who has been so "
                                                     "employed for not less than one year and is transferred for "
                                                     "training in the other Party")]
    variants = definitions(terms, _treaties(3))[("key personnel trainee", None)]
    assert variants[1].why.startswith("the numbers differ: 1 years against none")


def test_a_carve_out_item_of_its_own_is_a_different_wording_even_in_one_word():
    # Australia - Chile leaves safeguard duties out of "customs duty"; US - Chile does not
    base = ("any customs or import duty and a charge of any kind imposed in connection with the importation of a good, "
            "but does not include any:\ncharge equivalent to an internal tax imposed consistently with Article III:2 "
            "of the GATT 1994;\n{more}antidumping or countervailing duty; and\nfee or other charge commensurate with "
            "the cost of services rendered.")
    terms = [DefinedTerm("customs duty", f"t{i}/1", base.format(more="")) for i in range(2)] + [
        DefinedTerm("customs duty", "t2/1", base.format(
            more="safeguard duties applied in accordance with Article XIX of GATT 1994;\n"))]
    variants = definitions(terms, _treaties(3))[("customs duty", None)]
    assert [[t.treaty_id for t in v.treaties] for v in variants] == [["t0", "t1"], ["t2"]]
    assert variants[1].why == "one leaves out what the other does not"


def test_a_lead_in_reads_the_items_a_scan_made_its_siblings():
    # US - Chile Art. 3.17: the items of "does not include any:" are siblings of the definition, not its children
    lead = Clause("t/1/b", "t", "paragraph", "(b)", "customs duty includes any customs or import duty, but does not "
                  "include any:", 1, parent_id="t/1", heading="Definitions")
    items = [Clause("t/1/b~2", "t", "paragraph", "(a)", "charge equivalent to an internal tax;", 2, parent_id="t/1"),
             Clause("t/1/b~3", "t", "paragraph", "(b)", "antidumping or countervailing duty; and", 3,
                    parent_id="t/1"),
             Clause("t/1/c", "t", "paragraph", "(c)", "fee commensurate with the cost of services rendered; "
                    "distilled spirits include spirits and spirit-containing beverages", 4, parent_id="t/1"),
             Clause("t/1/d", "t", "paragraph", "(d)", "enterprise means any entity constituted under law", 5,
                    parent_id="t/1")]
    own = [lead, *items]
    rebuilt = whole(lambda _: own, [DefinedTerm("customs duty", "t/1/b", "any customs or import duty, but does not "
                                                                          "include any:")])
    assert rebuilt[0].definition.endswith("antidumping or countervailing duty; and\nfee commensurate with the cost "
                                          "of services rendered")


def test_a_line_that_defines_another_word_ends_the_definition():
    # Trans-Pacific SEP Art. 1.2: "goods and products shall be understood ..." is its own provision
    text = ("domestic products as these are understood in GATT 1994 or such goods as the Parties may agree and "
            "includes originating goods of a Party;\ngoods and products shall be understood to have the same meaning "
            "unless the context otherwise requires")
    assert trim_definition(text).endswith("includes originating goods of a Party")


def test_the_same_carve_outs_reworded_are_one_wording():
    # Panama - Singapore Art. 2.16 against Singapore - Australia Ch. 2 Art. 1(a): the same three things left out,
    # the fee's conditions written out in sub-items
    panama = ("any customs or import duty and a charge of any kind imposed in connection with the importation of a "
              "good, but does not include any:\ncharge equivalent to an internal tax imposed consistently with Article "
              "III:2 of GATT 1994 in respect of the like domestic good;\nanti-dumping or countervailing duty that is "
              "applied pursuant to a Party's domestic law; and\nfee or other charge in connection with importation "
              "commensurate with the cost of services rendered.")
    australia = ("any duties or charges of any kind imposed in connection with the importation of a good, but does not "
                 "include:\ncharges equivalent to an internal tax including excise duties and a goods and services "
                 "tax imposed consistently with a Party's WTO obligations;\nfees or other charges that:\nare limited "
                 "in amount to the approximate cost of services rendered; and\ndo not represent a direct or indirect "
                 "protection for domestic goods or a taxation of imports for fiscal purposes; and\nany anti-dumping or "
                 "countervailing duty applied consistently with Article VI of the GATT 1994")
    terms = [DefinedTerm("customs duty", "t0/1", panama), DefinedTerm("customs duty", "t1/1", panama),
             DefinedTerm("customs duty", "t2/1", australia)]
    found = definitions(terms, _treaties(3))  # a key term: claimed, but not for leaving out more
    assert all(v.why != "one leaves out what the other does not" for vs in found.values() for v in vs)


def test_a_definition_that_only_points_to_a_test_elsewhere_is_no_wording():
    terms = [DefinedTerm("originating material", f"t{i}/1", "a material that qualifies as originating under Article "
                                                             f"4.{i}") for i in range(2)] + [
        DefinedTerm("originating material", "t2/1", "a material that fulfils the criteria set out in either Article "
                                                    "3.3 or Article 3.4")]
    assert definitions(terms, _treaties(3)) == {}


def test_a_footnote_run_into_a_definition_is_cut():
    # China - Singapore Art. 57(s)
    assert trim_definition("any person that supplies a service10; 10 Where the service is not supplied directly by "
                           "a juridical person but through other forms of commercial presence") == (
        "any person that supplies a service")


def test_permanent_residents_set_two_wordings_apart():
    # China - New Zealand counts permanent residents among its natural persons; China - Korea does not
    terms = [DefinedTerm("natural person of a Party", f"t{i}/1", "a natural person who has the nationality of a "
                                                                 "Party in accordance with its laws") for i in range(2)]
    terms.append(DefinedTerm("natural person of the other Party", "t2/1", "a natural person who has the nationality "
                                                                          "or the right of permanent residence of a "
                                                                          "Party in accordance with its laws"))
    variants = definitions(terms, _treaties(3))[("natural person of a party", None)]
    assert [[t.treaty_id for t in v.treaties] for v in variants] == [["t0", "t1"], ["t2"]]
    assert variants[1].why == "one covers permanent residents, the other does not"


def test_a_lead_in_ending_in_a_comma_or_empty_is_read_with_its_items():
    lead = Clause("t/1/k", "t", "paragraph", "(k)", "natural person of a Party means a natural person who under the "
                  "law of the Party,", 1, parent_id="t/1", heading="Definitions")
    items = [Clause("t/1/k/i", "t", "subparagraph", "(i)", "for Australia, is an Australian citizen or a permanent "
                    "resident of Australia; and", 2, parent_id="t/1/k"),
             Clause("t/1/k/ii", "t", "subparagraph", "(ii)", "for China, is a national of China;", 3,
                    parent_id="t/1/k")]
    rebuilt = whole(lambda _: [lead, *items], [DefinedTerm("natural person of a Party", "t/1/k",
                                                           "a natural person who under the law of the Party")])
    assert "permanent resident of Australia" in rebuilt[0].definition
