"""Numbering seen in real treaties: bilingual restarts, one-line articles, numbered paragraphs without articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import ReadError
from ingest.readers.text import read_text

BILINGUAL = """AGREEMENT BETWEEN THE REPUBLIC OF AUSTRIA AND THE FEDERAL REPUBLIC OF GERMANY

The Parties, desiring to promote the cooperation of their customs authorities, have agreed as follows:

Article 1
Scope
This Agreement shall apply to the customs territories of the Parties.

Article 2
Assistance
1. The authorities shall assist each other in the prevention of customs offences.
2. Assistance shall be provided on request.

Article 3
Entry into Force
This Agreement shall enter into force on the first day of the third month after signature.

DONE at Vienna, in duplicate, in the English and German languages, both texts being equally authentic.

For the Republic of Austria:

ABKOMMEN ZWISCHEN DER REPUBLIK ÖSTERREICH UND DER BUNDESREPUBLIK DEUTSCHLAND

Die Vertragsparteien sind in dem Wunsch, die Zusammenarbeit der Zollverwaltungen zu fördern, wie folgt übereingekommen:

Artikel 1
Geltungsbereich
Dieses Abkommen gilt für die Zollgebiete der Vertragsparteien.

Artikel 2
Amtshilfe
1. Die Behörden leisten einander Amtshilfe bei der Verhinderung von Zollzuwiderhandlungen.
2. Die Amtshilfe wird auf Ersuchen geleistet.
"""


DUTCH = """AGREEMENT BETWEEN THE KINGDOM OF THE NETHERLANDS AND THE REPUBLIC OF ALPHA

Article 1
Objectives
The Parties hereby establish a free trade area in accordance with the provisions of this Agreement.

Article 2
Customs Duties
1. Customs duties on imports shall be abolished on the entry into force of this Agreement.
2. No new customs duty shall be introduced in trade between the Parties.

In case of divergence of interpretation, the English text shall prevail.

OVEREENKOMST TUSSEN HET KONINKRIJK DER NEDERLANDEN EN DE REPUBLIEK ALPHA

Artikel 1
Doelstellingen
De Partijen richten hierbij een vrijhandelszone op overeenkomstig de bepalingen van deze Overeenkomst.

Artikel 2
Douanerechten
1. Douanerechten bij invoer worden afgeschaft bij de inwerkingtreding van deze Overeenkomst.
2. In het handelsverkeer tussen de Partijen worden geen nieuwe douanerechten ingevoerd.
"""


def test_a_dutch_version_is_labelled_dutch_from_its_words_not_german_from_artikel():
    parsed = read_text(Path("nl.txt"), DUTCH, "h")
    by_cite = {c.citation: c for c in parsed.clauses}
    assert "Dutch text, Art. 1" in by_cite and not any(c.startswith("German") for c in by_cite)
    assert by_cite["Dutch text, Art. 2(2)"].text.startswith("In het handelsverkeer")
    assert by_cite["Dutch text, Art. 1"].source["authentic"] == "no"  # nothing says the Dutch text is authentic
    assert "OVEREENKOMST TUSSEN" not in by_cite["Art. 2(2)"].text  # the next version's title moved with it
    assert parsed.treaty.language == "en"
    sole = read_text(Path("nl.txt"), DUTCH.replace("In case of divergence of interpretation, the English text shall "
                                                   "prevail.", "Only the Dutch text shall be authentic."), "h")
    by_cite = {c.citation: c for c in sole.clauses}
    assert by_cite["Art. 1"].source["authentic"] == "no" and by_cite["Dutch text, Art. 1"].source["authentic"] == "yes"


def test_second_language_version_is_cited_with_its_language():
    parsed = read_text(Path("at-de.txt"), BILINGUAL, "h")
    arts = [c for c in parsed.clauses if c.level == "article"]
    assert [c.citation for c in arts] == [
        "Preamble", "Art. 1", "Art. 2", "Art. 3",
        "German text, Preamble", "German text, Art. 1", "German text, Art. 2",
    ]
    by_cite = {c.citation: c for c in parsed.clauses}
    assert by_cite["German text, Art. 2(1)"].text.startswith("Die Behörden leisten")
    assert by_cite["German text, Art. 1"].source == {"file": "at-de.txt", "article": "1", "language": "de",
                                                     "version": "2", "authentic": "yes"}  # "equally authentic"
    assert parsed.treaty.language == "en" and "version" not in by_cite["Art. 1"].source
    assert by_cite["Art. 1"].source == {"file": "at-de.txt", "article": "1"}
    # the German title and preamble leave the English final article; its signature line stays
    art3 = by_cite["Art. 3"].text
    assert "ABKOMMEN" not in art3 and "Vertragsparteien" not in art3 and "For the Republic of Austria:" in art3
    assert by_cite["German text, Preamble"].text.startswith("ABKOMMEN ZWISCHEN")
    ids = [c.clause_id for c in parsed.clauses]
    assert len(ids) == len(set(ids))
    assert by_cite["German text, Art. 1"].clause_id == "at-de/de-art-1"


def test_french_version_with_the_same_article_word_is_told_apart_by_its_language():
    text = (
        "Article 1\nThe Parties shall cooperate in the field of education and of culture.\n"
        "Article 2\nThis Agreement shall enter into force on the date of signature.\n"
        "Article premier\nLes Parties coopèrent dans le domaine de l'éducation et de la culture.\n"
        "Article 2\nLe présent Accord entre en vigueur à la date de sa signature et pour une durée illimitée.\n"
    )
    cites = [c.citation for c in read_text(Path("en-fr.txt"), text, "h").clauses]
    assert cites == ["Art. 1", "Art. 2", "French text, Art. 1", "French text, Art. 2"]


def test_same_language_restart_keeps_distinct_ids_without_a_language_label():
    # an unrecognised annex heading: numbering restarts in the same language
    text = (
        "Article 1\nThe Parties shall cooperate in the field of trade.\n"
        "Article 1-2\nThe Parties shall exchange information on the trade in goods.\n"
        "Article 2\nThis Agreement shall enter into force on signature.\n"
        "Attachment on Goods\n"
        "Article 1\nThe Parties shall reduce the duties on goods of the other Party.\n"
        "Article 1\nThe Parties shall consult on the reduction of the duties.\n"
    )
    parsed = read_text(Path("same.txt"), text, "h")
    assert [c.citation for c in parsed.clauses] == ["Art. 1", "Art. 1-2", "Art. 2", "Art. 1", "Art. 1"]
    ids = [c.clause_id for c in parsed.clauses]
    assert len(ids) == len(set(ids))  # "art-1-2" is taken by Article 1-2, so the restart gets another id
    assert ids[1] == "same/art-1-2" and ids[3] not in ids[:3]


@pytest.mark.parametrize(
    "line, heading, body",
    [
        ("Article 3 Definitions For the purposes of this Agreement: (a) goods means products; (b) days means "
         "calendar days.", "Definitions", "For the purposes of this Agreement:"),
        ("Article 3 - National Treatment. Each Party shall accord national treatment to investors.",
         "National Treatment", "Each Party shall accord national treatment to investors."),
        ("Article 3: Most-Favoured-Nation Treatment 1. Each Party shall accord treatment no less favourable. "
         "2. Paragraph 1 shall not apply to customs unions.", "Most-Favoured-Nation Treatment",
         "Each Party shall accord treatment no less favourable."),
        ("Article 3 Entry into Force This Agreement shall enter into force on signature.",
         "Entry into Force", "This Agreement shall enter into force on signature."),
        ("Article 3 The Parties shall cooperate in good faith on all matters covered.", "",
         "The Parties shall cooperate in good faith on all matters covered."),
    ],
)
def test_number_title_and_text_on_one_line(line: str, heading: str, body: str):
    parsed = read_text(Path("one-line.txt"), f"Article 1\nScope\nThis Agreement applies to goods.\n{line}\n", "h")
    art3 = next(c for c in parsed.clauses if c.citation == "Art. 3")
    assert art3.heading == heading
    first = art3.text or next(c for c in parsed.clauses if c.parent_id == art3.clause_id).text
    assert first == body


def test_one_line_article_keeps_cross_references_out():
    text = "Article 1 Scope This Agreement applies to goods.\nArticle 5 of the GATT 1994 is incorporated.\n"
    parsed = read_text(Path("x.txt"), text, "h")
    assert [c.citation for c in parsed.clauses] == ["Art. 1"]
    assert parsed.clauses[0].text == "This Agreement applies to goods. Article 5 of the GATT 1994 is incorporated."


MOU = """MEMORANDUM OF UNDERSTANDING ON CUSTOMS COOPERATION

The Participants have reached the following understanding:

1. The Participants will cooperate in customs matters, in particular through:
(a) the exchange of information; and
(b) training of officials.
2. Each Participant will bear its own costs.
3. This Memorandum will take effect on signature. It may be terminated on
1. month's notice, which the other Participant will acknowledge.
"""


def test_numbered_paragraphs_stand_for_articles():
    parsed = read_text(Path("mou.txt"), MOU, "h")
    arts = [c.citation for c in parsed.clauses if c.level == "article"]
    assert arts == ["Preamble", "Para. 1", "Para. 2", "Para. 3"]
    assert [c.citation for c in parsed.clauses if c.parent_id == "mou/para-1"] == ["Para. 1(a)", "Para. 1(b)"]
    by_cite = {c.citation: c for c in parsed.clauses}
    assert by_cite["Para. 2"].text == "Each Participant will bear its own costs."
    assert by_cite["Para. 2"].source == {"file": "mou.txt", "paragraph": "2"}
    assert by_cite["Para. 2"].clause_id == "mou/para-2"
    # "1." out of sequence inside paragraph 3 belongs to it, not a new top-level paragraph
    assert any("month's notice" in c.text for c in parsed.clauses if c.clause_id.startswith("mou/para-3/"))
    assert parsed.treaty.title == "MEMORANDUM OF UNDERSTANDING ON CUSTOMS COOPERATION"


def test_numbered_paragraphs_record_their_page():
    text = "Declaration\n1. The Parties agree.\n\f2. They will meet yearly.\n"
    parsed = read_text(Path("mou.pdf"), text, "h", paged=True)
    assert [(c.citation, c.source["page"]) for c in parsed.clauses if c.citation.startswith("Para.")] == [
        ("Para. 1", "1"), ("Para. 2", "2"),
    ]


@pytest.mark.parametrize(
    "text", ["Just a memo about lunch.\nWe meet at noon.", "Agenda\n1. Opening of the meeting by the chair."]
)
def test_neither_articles_nor_numbered_paragraphs_is_an_error(text: str):
    with pytest.raises(ReadError, match="no article headings or numbered paragraphs"):
        read_text(Path("memo.txt"), text, "h")
