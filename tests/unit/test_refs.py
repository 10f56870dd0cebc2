from ingest.annotate.instruments import instruments
from ingest.annotate.refs import references
from ingest.build import ArticleInput, article_clauses
from ingest.records import Clause, Reference


def agreement(*articles: tuple[str, str, str]) -> list[Clause]:
    """Clauses of a small agreement from (key, number, body) triples, built as the readers build them."""
    clauses: list[Clause] = []
    for key, number, body in articles:
        clauses += article_clauses("t", ArticleInput(key, f"Art. {number}", body, chapter="Goods"), len(clauses))
    return clauses


CLAUSES = agreement(
    ("a10", "10.4", "1. Each Party shall notify the other Party.\n"
                    "2. Subject to paragraph 1, a Party may:\n(a) consult; and\n"
                    "(b) request a panel, unless subparagraph (a) applies.\n"
                    "3. This Article does not apply to measures under Article 12.\n"
                    "4. Paragraph 2 of Article 19 and this Chapter apply."),
    ("a19", "19", "1. The Parties shall cooperate.\n2. A Party may request consultations."),
    ("a20", "20", "Nothing in Article 10.4 prevents a Party from acting under Articles 19, 20 and 22."),
    ("a22", "22", "Article XXIV of GATT 1994 and the TRIPS Agreement apply. See also Article 99."),
)


def refs_of(clause_id: str) -> list[Reference]:
    return [r for r in references(CLAUSES) if r.clause_id == clause_id]


def test_relative_paragraph_resolves_within_the_same_article():
    assert [(r.mention, r.target, r.target_id) for r in refs_of("t/a10/2")] == [
        ("paragraph 1", "Art. 10.4(1)", "t/a10/1")]


def test_relative_subparagraph_is_looked_for_among_siblings():
    assert [(r.target, r.target_id) for r in refs_of("t/a10/2/b")] == [("Art. 10.4(2)(a)", "t/a10/2/a")]


def test_this_article_and_other_articles():
    got = [(r.kind, r.mention, r.target_id) for r in refs_of("t/a10/3")]
    assert got == [("internal", "This Article", "t/a10"), ("internal", "Article 12", None)]  # no Article 12


def test_paragraph_of_another_article_and_chapter_without_clause():
    got = [(r.mention, r.target, r.target_id) for r in refs_of("t/a10/4")]
    assert got == [("Paragraph 2 of Article 19", "Art. 19(2)", "t/a19/2"), ("this Chapter", "Chapter (Goods)", None)]


def test_dotted_article_and_list_give_one_reference_per_target():
    got = [(r.mention, r.target, r.target_id) for r in refs_of("t/a20")]
    assert got == [
        ("Article 10.4", "Art. 10.4", "t/a10"),
        ("Articles 19, 20 and 22", "Art. 19", "t/a19"),
        ("Articles 19, 20 and 22", "Art. 20", "t/a20"),
        ("Articles 19, 20 and 22", "Art. 22", "t/a22"),
    ]


def test_gatt_article_is_external_and_unknown_article_unresolved():
    got = [(r.kind, r.mention, r.target_id) for r in refs_of("t/a22")]
    assert got == [
        ("external", "Article XXIV of GATT 1994", "gatt-1994"),
        ("external", "TRIPS Agreement", "trips"),
        ("internal", "Article 99", None),
    ]


def test_chapters_annexes_and_foreign_articles():
    clauses = agreement(("a1", "1", "Chapter Eleven and Annex I apply, as does Article 5 of the Agreement on Trade "
                                    "in Goods between Them and Article 6 of the Agreement on Agriculture. "
                                    "The GATT 1994 is part of the WTO Agreement; the GATT applies."))
    got = [(r.kind, r.mention, r.target, r.target_id) for r in references(clauses)]
    assert got == [
        ("internal", "Chapter Eleven", "Chapter 11", None),
        ("internal", "Annex I", "Annex I", None),
        ("external", "Article 6 of the Agreement on Agriculture", "Agreement on Agriculture", "agriculture"),
        ("external", "GATT 1994", "GATT 1994", "gatt-1994"),
        ("external", "WTO Agreement", instruments()["wto-agreement"].name, "wto-agreement"),
        ("external", "GATT", "GATT 1994", "gatt-1994"),  # the agreement names GATT 1994, so "the GATT" is it
    ]


def test_duplicate_article_numbers_resolve_only_within_the_citing_chapter():
    clauses = (article_clauses("t", ArticleInput("x1", "Art. 1", "Text.", chapter="A"), 0)
               + article_clauses("t", ArticleInput("y1", "Art. 1", "Text.", chapter="B"), 1)
               + article_clauses("t", ArticleInput("y2", "Art. 2", "As in Article 1.", chapter="B"), 2)
               + article_clauses("t", ArticleInput("z1", "Art. 3", "As in Article 1.", chapter="C"), 3))
    assert [r.target_id for r in references(clauses)] == ["t/y1", None]


def test_mentions_are_exact_substrings_of_the_clause_text():
    texts = {c.clause_id: c.text for c in CLAUSES}
    assert all(r.mention in texts[r.clause_id] for r in references(CLAUSES))
