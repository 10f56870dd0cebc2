from ingest.build import ArticleInput, article_clauses, article_number
from ingest.segment import roman_value, split_body
from ingest.textclean import normalise, reflow


def paths(body: str) -> list[str]:
    return ["/".join(s.path) for s in split_body(body)[1]]


def test_inline_numbered_paragraphs_split():
    body = "1. A Party shall accord adequate opportunity. 2. If a request is made, the Party shall reply."
    assert paths(body) == ["1", "2"]


def test_nested_lists_with_chapeau():
    body = (
        "1. An arbitration panel shall make:\n\n(a)\tan objective assessment of:\n\n(i)\tthe facts of the case;\n"
        "(ii)\tthe applicability of the provisions; and\n(iii)\tthe conformity;\n\n(b) findings.\n\n2. No panel may."
    )
    intro, segs = split_body(body)
    assert [("/".join(s.path)) for s in segs] == ["1", "1/a", "1/a/i", "1/a/ii", "1/a/iii", "1/b", "2"]
    item = segs[3]
    assert item.chapeau == ["An arbitration panel shall make:", "an objective assessment of:"]
    assert item.text == "the applicability of the provisions; and"


def test_letter_i_after_h_is_a_letter_not_a_numeral():
    body = "\n".join(f"({c}) item {c};" for c in "abcdefghij")
    assert paths(body) == list("abcdefghij")


def test_roman_v_after_iv_is_a_numeral():
    body = "(a) chapeau:\n(i) one;\n(ii) two;\n(iii) three;\n(iv) four;\n(v) five;\n(b) next."
    assert paths(body) == ["a", "a/i", "a/ii", "a/iii", "a/iv", "a/v", "b"]


def test_cross_references_do_not_split():
    body = (
        "1. Subject to subparagraphs (a) and (b) of paragraph 2. of Article 5, the Parties shall cooperate.\n"
        "2. The measures referred to in paragraph\n1. shall apply."
    )
    assert paths(body) == ["1", "2"]


def test_list_items_joined_by_and():
    body = "The objectives are to: (a) liberalise trade; (b) promote paperless trading; and (c) facilitate recognition."
    intro, segs = split_body(body)
    assert intro == "The objectives are to:"
    assert ["/".join(s.path) for s in segs] == ["a", "b", "c"]


def test_unlabelled_article_is_one_text():
    intro, segs = split_body("This Chapter shall apply to the trade in goods\nbetween the Parties.")
    assert segs == []
    assert intro == "This Chapter shall apply to the trade in goods between the Parties."


def test_ocr_hyphenation_and_broken_lines_are_repaired():
    assert normalise("the trans-\n  parent procedure") == "the transparent procedure"
    assert reflow("in the territory of a\n\n\nParty. A person\nmay") == "in the territory of a Party. A person may"


def test_roman_values():
    assert [roman_value(r) for r in ("i", "iv", "ix", "xiv", "xl")] == [1, 4, 9, 14, 40]
    assert roman_value("iiii") is None and roman_value("ab") is None


def test_article_number_normalisation():
    assert article_number("ARTICLE 10.3") == "10.3"
    assert article_number("Art. V") == "V"
    assert article_number("Article premier") == "1"
    assert article_number("ARTICLE ONE") == "1"
    assert article_number("ARTICLE 5 BIS") == "5 bis"


def test_citations_and_hierarchy():
    body = "1. First.\n2. Each Party shall:\n(a) notify;\n(b) publish."
    art = ArticleInput(key="a7", citation="Art. 10.3", body=body, heading="Transparency")
    clauses = article_clauses("t1", art, order=0)
    by_cite = {c.citation: c for c in clauses}
    assert list(by_cite) == ["Art. 10.3", "Art. 10.3(1)", "Art. 10.3(2)", "Art. 10.3(2)(a)", "Art. 10.3(2)(b)"]
    sub = by_cite["Art. 10.3(2)(b)"]
    assert sub.clause_id == "t1/a7/2/b" and sub.parent_id == "t1/a7/2"
    assert sub.full_text == "Each Party shall:\npublish."
    assert sub.is_leaf and not by_cite["Art. 10.3(2)"].is_leaf and not by_cite["Art. 10.3"].is_leaf
    assert [c.order for c in clauses] == [0, 1, 2, 3, 4]
