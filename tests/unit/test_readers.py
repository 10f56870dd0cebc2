from datetime import date
from pathlib import Path

import pytest

from ingest.errors import ReadError
from ingest.readers import read

TOTA_XML = """<?xml version="1.0" encoding="UTF-8"?>
<treaty><meta><name>Alpha - Beta</name><type>Free Trade Agreement</type><treaty_identifier>9001</treaty_identifier>
<status>In Force</status><date_signed>2001-02-03</date_signed><date_into_force>2002-01-01</date_into_force>
<date_inactive/><parties><partyisocode n="1">CAN</partyisocode><partyisocode n="2"/>
<partyisocode n="3">CHL</partyisocode></parties><language>en</language></meta>
<body><chapter name="Preamble" chapter_identifier="1"><article article_identifier="10">PreambleThe Parties,
resolved to cooperate,</article></chapter>
<chapter name="Final Provisions" number="CHAPTER 9" chapter_identifier="2">
<article number="ARTICLE 9.4" name="Withdrawal" article_identifier="11">Withdrawal1. A Party may withdraw from this
Agreement by written notice. 2. Withdrawal takes effect six months after notice.</article></chapter></body></treaty>
"""


def test_tota_metadata_and_clauses():
    parsed = read(Path("pta_9001.xml"), TOTA_XML.encode(), "h")
    t = parsed.treaty
    assert (t.treaty_id, t.title, t.status, t.language) == ("tota-9001", "Alpha - Beta", "In Force", "en")
    assert t.parties == ("CAN", "CHL")  # the empty code is skipped
    assert (t.date_signed, t.date_in_force, t.date_inactive) == (date(2001, 2, 3), date(2002, 1, 1), None)
    cites = [c.citation for c in parsed.clauses]
    assert cites == ["Preamble", "Art. 9.4", "Art. 9.4(1)", "Art. 9.4(2)"]
    pre = parsed.clauses[0]
    assert pre.text.startswith("The Parties, resolved")  # heading glued to the body is removed
    para = parsed.clauses[2]
    assert para.heading == "Withdrawal"
    assert para.text == "A Party may withdraw from this Agreement by written notice."
    assert para.source == {"treaty_identifier": "9001", "chapter_identifier": "2", "article_identifier": "11"}


@pytest.mark.parametrize(
    "payload, problem",
    [
        ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><treaty>&x;</treaty>', "unsafe"),
        ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><treaty>&b;</treaty>', "unsafe"),
        ("<treaty><meta><name>cut", "invalid XML"),
        ("<akomaNtoso/>", "holds no document"),
        ("<agreement/>", "not a ToTA treaty file"),
    ],
)
def test_hostile_and_broken_xml_is_refused_with_one_line(payload: str, problem: str):
    with pytest.raises(ReadError) as err:
        read(Path("bad.xml"), payload.encode(), "h")
    assert problem in str(err.value) and str(err.value).startswith("bad.xml: ")
    assert "\n" not in str(err.value)


def test_empty_and_unsupported_files():
    with pytest.raises(ReadError, match="empty"):
        read(Path("a.xml"), b"  \n", "h")
    with pytest.raises(ReadError, match="unsupported file type '.exe'"):
        read(Path("a.exe"), b"MZ\x90", "h")
    with pytest.raises(ReadError, match="binary"):
        read(Path("a.txt"), b"\x00\x01\x02binary", "h")


PLAIN = """AGREEMENT BETWEEN ALPHA AND BETA

The Parties have agreed as follows:

CHAPTER I
GENERAL PROVISIONS

Article premier
Objective

The objective is free trade.

ARTICLE II
Definitions

For the purposes of this Agreement:
(a) "goods" means products;
(b) "Party" means a State.

Art. 3 – Withdrawal
1. A Party may withdraw by written notice.
2. Withdrawal takes effect after six months.

Article 4Expropriation1. No Party shall expropriate. 2. Compensation shall be prompt.

Article 5 of the GATT 1994 is incorporated here by reference.

ANNEX I

Article 1
Scope

This Annex applies to goods.
"""


def test_plain_text_article_styles():
    parsed = read(Path("alpha-beta.txt"), PLAIN.encode(), "h")
    arts = [c for c in parsed.clauses if c.level == "article"]
    assert [(a.citation, a.heading) for a in arts] == [
        ("Preamble", "Preamble"), ("Art. 1", "Objective"), ("Art. II", "Definitions"),
        ("Art. 3", "Withdrawal"), ("Art. 4", "Expropriation"), ("Annex I, Art. 1", "Scope"),
    ]
    assert parsed.treaty.title == "AGREEMENT BETWEEN ALPHA AND BETA"
    cites = [c.citation for c in parsed.clauses]
    assert "Art. II(b)" in cites and "Art. 3(2)" in cites and "Art. 4(2)" in cites
    art4 = next(c for c in parsed.clauses if c.citation == "Art. 4")
    assert art4.chapter == "CHAPTER I"
    # "Article 5 of the GATT" is a reference inside Article 4's text, not a new article
    assert "Article 5 of the GATT 1994" in next(c for c in parsed.clauses if c.citation == "Art. 4(2)").text
    ids = [c.clause_id for c in parsed.clauses]
    assert len(ids) == len(set(ids))


def test_text_without_articles_is_an_error():
    with pytest.raises(ReadError, match="no article headings"):
        read(Path("memo.txt"), b"Just a memo about lunch.", "h")


def test_windows_1252_text_is_read():
    data = "Article 1\nThe Parties\x92 obligations.\n".replace("\x92", "’").encode("cp1252")
    parsed = read(Path("w.txt"), data, "h")
    assert "Parties’ obligations" in parsed.clauses[-1].text
