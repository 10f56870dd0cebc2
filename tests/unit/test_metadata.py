"""Metadata for formats that carry none: sidecars, flags, inference from the text, precedence, provenance."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from graph import sql
from graph.stores.sqlite import SQLiteGraphStore
from ingest.errors import InputError, ReadError
from ingest.metadata import (
    MetadataOverrides,
    apply,
    find_date,
    infer,
    is_sidecar,
    load_sidecar,
    parse_sidecar,
    sidecar_path,
)
from ingest.metadata.infer import countries_in, infer_title
from ingest.readers.text import read_text
from ingest.records import ParsedTreaty, Treaty
from tests.contract import treaty, with_terms_and_refs

# Modelled on the ToTA texts of Canada - Chile (pta_101): its title, preamble, an article naming
# third countries in passing, a conditional entry into force and its final clause.
CANADA_CHILE = """FREE TRADE AGREEMENT BETWEEN CANADA AND CHILE

PREAMBLE

The Government of Canada and the Government of the Republic of Chile (Chile), resolved to:

STRENGTHEN the special bonds of friendship and cooperation among their nations;

FACILITATE the accession of Chile to the North American Free Trade Agreement;

HAVE AGREED as follows:

Article P-03: Entry into Force

This Agreement shall enter into force on June 2, 1997, on an exchange of written notifications certifying the
completion of necessary legal procedures.

Article P-04: Accession of Chile to the NAFTA

The Parties shall work toward the early accession of Chile to the NAFTA, to which the United States of America
and the United Mexican States are parties, and recall the Agreement signed at Marrakesh on 15 April 1994.

Article P-06: Authentic Texts

The English, French and Spanish texts of this Agreement are equally authentic.

IN WITNESS WHEREOF, the undersigned, being duly authorized by their respective Governments, have signed this
Agreement.

DONE in Santiago, on the 5th day of December, one thousand nine hundred ninety six, in duplicate, in the English,
French and Spanish languages.
"""

# SAPTA (pta_113): a two-line title, seven parties with their official names, a summit city in a recital.
SAPTA = """AGREEMENT ON
SAARC PREFERENTIAL TRADING ARRANGEMENT (SAPTA)

Preamble

The Government of the People's Republic of Bangladesh, the Kingdom of Bhutan, the Republic of India, the Republic
of Maldives, the Kingdom of Nepal, the Islamic Republic of Pakistan and the Democratic Socialist Republic of Sri
Lanka hereinafter referred to as "Contracting States",

Motivated by the commitment to promote regional co-operation for the benefit of their peoples;

Recalling the direction given at the Fourth SAARC Summit meeting held in Islamabad in December 1988 that specific
areas be identified where economic cooperation might be feasible immediately;

Have agreed as follows:

Article 1
Definitions
For the purposes of this Agreement "Least Developed Contracting State" means a Contracting State designated as
such by the United Nations.

Article 22
Entry into Force
This Agreement shall enter into force on the thirtieth day after the notification issued by the SAARC Secretariat
regarding completion of the formalities by all Contracting States.

IN WITNESS WHEREOF the undersigned being duly authorized thereto by their respective Governments have signed this
Agreement on the SAARC Preferential Trading Arrangement.

Done at DHAKA this ELEVENTH day of APRIL One Thousand Nine Hundred Ninety Three

in eight originals in the English language.
"""

# EC - Faroe Islands (pta_103): a mixed-case title over three lines, the parties again in capitals, the
# final clause in every language of the Community with the year written out and hyphenated by OCR.
EC_FAROE = """AGREEMENT between the European Community, of the one part, and the
Government of Denmark and the Home Government of the Faroe Islands, of
the other part

THE EUROPEAN COMMUNITY,

of the one part, and

THE GOVERNMENT OF DENMARK AND THE HOME GOVERNMENT OF THE FAROE
ISLANDS,

of the other part,

RECALLING the status of the Faeroes as a self-governing integral part of one of the Member States of the
Community;

HAVE AGREED AS FOLLOWS:

Article 1

The objective of this Agreement is to promote trade between the Contracting Parties.

Article 36

This Agreement shall enter into force on 1 January 1997.

Hecho en Bruselas, el seis de diciembre de mil novecientos noventa y seis.

Done at Brussels on the sixth day of December in the year one thousand nine hundred and ninety-
six.

Fait à Bruxelles, le six décembre mil neuf cent quatre-vingt-seize.
"""


def text_treaty(text: str, name: str = "agreement.txt") -> ParsedTreaty:
    return read_text(Path(name), text, "h")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- inference from real preambles and final clauses -----------------------------------------------
def test_infer_canada_chile_skips_passing_mentions_and_conditional_entry_into_force() -> None:
    found = infer(text_treaty(CANADA_CHILE))
    assert found["title"] == "FREE TRADE AGREEMENT BETWEEN CANADA AND CHILE"
    assert found["parties"] == ("CAN", "CHL")  # not USA or MEX, named in Art. P-04 only
    assert found["date_signed"] == date(1996, 12, 5) and found["place_signed"] == "Santiago"
    # "on June 2, 1997, on an exchange of written notifications" is a condition, not a date it entered into force
    assert "date_in_force" not in found


def test_infer_sapta_reads_a_two_line_title_seven_parties_and_a_date_in_capitals() -> None:
    found = infer(text_treaty(SAPTA))
    assert found["title"] == "AGREEMENT ON SAARC PREFERENTIAL TRADING ARRANGEMENT (SAPTA)"
    assert found["parties"] == ("BGD", "BTN", "IND", "MDV", "NPL", "PAK", "LKA")  # not Islamabad's PAK twice
    assert found["date_signed"] == date(1993, 4, 11) and found["place_signed"] == "Dhaka"
    assert "date_in_force" not in found  # "the thirtieth day after the notification" is no date


def test_infer_ec_faroe_reads_the_english_final_clause_among_eleven_languages() -> None:
    found = infer(text_treaty(EC_FAROE))
    assert found["title"] == ("AGREEMENT between the European Community, of the one part, and the Government of "
                              "Denmark and the Home Government of the Faroe Islands, of the other part")
    assert found["parties"] == ("EUU", "FRO")  # "the Government of Denmark and the Home Government of the Faroe ..."
    assert found["date_signed"] == date(1996, 12, 6) and found["place_signed"] == "Brussels"
    assert found["date_in_force"] == date(1997, 1, 1)


@pytest.mark.parametrize("preamble, title", [
    # pta_378: the title in both orders of the parties, one after the other
    ("PREFERENTIAL TRADE AGREEMENT BETWEEN THE REPUBLIC OF MAURITIUS AND THE ISLAMIC REPUBLIC OF PAKISTAN "
     "PREFERENTIAL TRADE AGREEMENT BETWEEN THE ISLAMIC REPUBLIC OF PAKISTAN AND THE REPUBLIC OF MAURITIUS The "
     "Government of the Republic of Mauritius",
     "PREFERENTIAL TRADE AGREEMENT BETWEEN THE REPUBLIC OF MAURITIUS AND THE ISLAMIC REPUBLIC OF PAKISTAN"),
    # pta_105: an Official Journal citation cut off
    ("AGREEMENT ON THE EUROPEAN ECONOMIC AREA (OJ No L 1, 3.1.1994, p. 3) PREAMBLE THE EUROPEAN ECONOMIC COMMUNITY",
     "AGREEMENT ON THE EUROPEAN ECONOMIC AREA"),
    # pta_335: the preamble is an operative sentence, there is no title
    ("The Parties to this Agreement, consistent with Article XXIV of GATT 1994 and Article V of GATS, hereby "
     "establish a free trade area.", None),
    # pta_353: word-processor debris before the title
    ("ÓÃÎÄÀÓÃÎÄÀMescolto2008-07-31MFERT free trade agreement between ukraine AND Azerbaijani Republic", None),
    ("PREAMBLE The Parties, resolved to cooperate,", None),
])
def test_infer_title_edge_cases_from_the_corpus(preamble: str, title: str | None) -> None:
    assert infer_title(preamble) == title


@pytest.mark.parametrize("text, expected", [
    ("this 5th day of December 1996", date(1996, 12, 5)),
    ("on 17 December 2009", date(2009, 12, 17)),
    ("on July 17th, 2003 in two authentic copies", date(2003, 7, 17)),
    ("this twenty-eighth day of March One thousand nine hundred and eighty-three.", date(1983, 3, 28)),
    ("this twentieth day of June in the Two thousand Five", date(2005, 6, 20)),
    ("the eighth day of December nineteen hundred and seventy-one in a single copy", date(1971, 12, 8)),
    ("this 27th day of February, two thousand and nine, in three copies", date(2009, 2, 27)),
    ("on the twenty- fourth day of November two thousand and six", date(2006, 11, 24)),  # not the 4th
    ("the third day of May in the year one thousand nine hundred and seventyseven", date(1977, 5, 3)),
    ("the third day of May in the year one thousand nine hundred and seventy-", None),  # cut short: not 1900
    ("on the 31st day of February 2001", None),
    ("this day of 2014, in duplicate", None),
])
def test_find_date_reads_dates_as_treaties_write_them(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_final_clause_variants_from_the_corpus() -> None:
    body = ("IN WITNESS WHEREOF, the undersigned have signed this Agreement.\n\n"
            "DONE at Islamabad, the Islamic Republic of Pakistan, in duplicate, the twenty- fourth day of November "
            "two thousand and six.")
    found = infer(text_treaty(f"AGREEMENT ON TRADE\n\nArticle 1\nScope\nThe Parties agree.\n\nArticle 2\n{body}"))
    assert found["date_signed"] == date(2006, 11, 24) and found["place_signed"] == "Islamabad"
    signed = infer(text_treaty("Article 1\nThis Agreement applies.\n\nArticle 2\nSigned in duplicate at London this "
                               "14th day of December 1965."))
    assert signed["date_signed"] == date(1965, 12, 14) and signed["place_signed"] == "London"


def test_two_final_clauses_with_different_dates_give_no_date() -> None:
    text = ("Article 1\nDone at Brussels on 17 December 2009.\n\nArticle 2\nDone at Brussels on 18 December 2009.")
    assert "date_signed" not in infer(text_treaty(text))


def test_annex_dates_and_lower_case_mentions_are_not_signatures() -> None:
    text = ("Article 1\nThe Parties recall the European Social Charter signed at Turin on 18 October 1961, and "
            "one more instrument: signed at Rome on 5 May 1998, the Protocol on Social Rights. THE PARTIES "
            "REAFFIRM THE AGREEMENT SIGNED AT MARRAKESH ON 15 APRIL 1994.\n\n"
            "ANNEX I\nArticle 1\nDone at Geneva on 1 March 1999.")
    assert infer(text_treaty(text)) == {}


def test_in_force_date_is_taken_only_when_stated_outright() -> None:
    stated = "Article 1\nScope.\n\nArticle 2\nThis Agreement shall enter into force on 1 January 2010.\n"
    assert infer(text_treaty(stated))["date_in_force"] == date(2010, 1, 1)
    provided = stated.replace("2010.", "2010, provided that the Parties have notified each other.")
    assert "date_in_force" not in infer(text_treaty(provided))
    footnote = "Article 1\nProtocol C entered into force on 11 July 2008.\n"
    assert "date_in_force" not in infer(text_treaty(footnote))
    # an entry into force before the signature the text gives is a misreading: dropped
    early = stated + "\nArticle 3\nDone at Lima on 5 May 2011."
    assert "date_in_force" not in infer(text_treaty(early)) and infer(text_treaty(early))["date_signed"]


@pytest.mark.parametrize("preamble, parties", [
    # EFTA - Chile: the group's name is only a definition in brackets; its members are listed
    ("FREE TRADE AGREEMENT BETWEEN THE EFTA STATES AND THE REPUBLIC OF CHILE\n\nThe Republic of Iceland, the "
     "Principality of Liechtenstein, the Kingdom of Norway and the Swiss Confederation (hereinafter referred to as "
     '"the EFTA States"), and the Republic of Chile (hereinafter referred to as "Chile"),\n\nConsidering the '
     "important links existing between Chile and the EFTA States;", ("ISL", "LIE", "NOR", "CHE", "CHL")),
    # a group whose members are not listed: no guess
    ("COMPREHENSIVE ECONOMIC AND TRADE AGREEMENT\n\nCanada, of the one part, and the European Union and its Member "
     "States, of the other part,\n\nRecognizing their strong partnership;", ()),
    # one country alone is an incomplete list
    ("TRADE AGREEMENT\n\nThe Government of Peru and its partner,\n\nDesiring closer ties;", ()),
    # no recital ends the party list: the text after it cannot be trusted
    ("TRADE AGREEMENT\n\nThe Government of Peru and the Government of Chile agree that Japan", ()),
    ("AGREEMENT BETWEEN HONG KONG, CHINA AND CHILE\n\nThe Parties,\n\nRecognizing their ties;", ("HKG", "CHL")),
])
def test_parties_from_title_or_preamble_are_conservative(preamble: str, parties: tuple[str, ...]) -> None:
    found = infer(text_treaty(preamble + "\n\nArticle 1\nObjectives.\n"))
    assert found.get("parties", ()) == parties


def test_country_names_longest_first_and_proper_nouns_only() -> None:
    text = ("The President of the Democratic Republic of Congo, the Republic of the Congo, Papua New Guinea, "
            "the Dominican Republic, St. Lucia, Côte d’Ivoire and a turkey from Chad")
    assert countries_in(text) == ["COD", "COG", "PNG", "DOM", "LCA", "CIV", "TCD"]
    assert countries_in("the Member States of the European Union and Japan") is None


# -- sidecars -----------------------------------------------------------------------------------------
def test_sidecar_path_precedence(tmp_path: Path) -> None:
    doc = write(tmp_path / "ceta.pdf", "")
    assert sidecar_path(doc) is None
    write(tmp_path / "ceta.yml", "title: A")
    assert sidecar_path(doc) == tmp_path / "ceta.yml"
    write(tmp_path / "ceta.yaml", "title: A")
    assert sidecar_path(doc) == tmp_path / "ceta.yaml"
    write(tmp_path / "ceta.meta.yaml", "title: A")
    assert sidecar_path(doc) == tmp_path / "ceta.meta.yaml"
    write(tmp_path / "ceta.meta.json", "{}")
    assert sidecar_path(doc) == tmp_path / "ceta.meta.json"
    assert sidecar_path(tmp_path / "other.pdf") is None
    assert is_sidecar(tmp_path / "ceta.meta.json") and is_sidecar(tmp_path / "x.YAML") and not is_sidecar(doc)


def test_json_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path / "ceta.meta.json", json.dumps({
        "title": "Comprehensive Economic and Trade Agreement", "parties": ["Canada", "EUU", "ca"],
        "signed": "2016-10-30", "in_force": None, "type": "Free Trade Agreement", "id": "eu-canada-ceta",
    }))
    assert load_sidecar(path) == {
        "title": "Comprehensive Economic and Trade Agreement", "parties": ("CAN", "EUU"),
        "date_signed": date(2016, 10, 30), "type": "Free Trade Agreement", "treaty_id": "eu-canada-ceta",
    }


def test_yaml_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path / "cl.yaml", "title: Canada - Chile\nparties: [CAN, Chile]\ndate_signed: 1996-12-05\n"
                                       "in_force: '1997-07-05'\ninactive: 2019-09-01\nstatus: Inactive\nlanguage: en\n")
    assert load_sidecar(path) == {
        "title": "Canada - Chile", "parties": ("CAN", "CHL"), "date_signed": date(1996, 12, 5),
        "date_in_force": date(1997, 7, 5), "date_inactive": date(2019, 9, 1), "status": "Inactive", "language": "en",
    }


@pytest.mark.parametrize("name, content, words", [
    ("x.meta.json", "[1, 2]", "must be a mapping"),
    ("x.meta.yaml", "", "not nothing"),
    ("x.meta.json", '{"title": "A",}', "not valid JSON"),
    ("x.yaml", "title: [unclosed", "not valid YAML at line"),
    ("x.yaml", "parites: [CAN]", "unknown key 'parites'"),
    ("x.yaml", "signed: 05/12/1996", "'signed' in the sidecar is not a date"),
    ("x.yaml", "signed: 2016-02-30", "'signed' in the sidecar is not a date"),
    ("x.yaml", "in_force: 2016-01-01 10:00:00", "not a date"),
    ("x.yaml", "parties: [CAN, Atlantis]", "unknown party 'Atlantis'"),
    ("x.yaml", "parties: [NO, ISL]", "quote codes such as 'NO'"),
    ("x.yaml", "parties: []", "non-empty list"),
    ("x.yaml", "signed: 2016-01-01\ndate_signed: 2016-01-02", "twice"),
    ("x.yaml", "id: CETA 2016", "lower-case letters"),
    ("x.yaml", "title: 42", "must be non-empty text"),
])
def test_bad_sidecar_is_one_line_naming_the_file(tmp_path: Path, name: str, content: str, words: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ReadError) as err:
        load_sidecar(path)
    assert err.value.path == str(path) and str(err.value).startswith(f"{path}: ")
    assert words in err.value.problem and "\n" not in str(err.value)


def test_sidecar_size_and_encoding_limits(tmp_path: Path) -> None:
    big = write(tmp_path / "big.yaml", "title: " + "a" * 1_000_001)
    with pytest.raises(ReadError, match="larger than the 1 MB limit"):
        load_sidecar(big)
    with pytest.raises(ReadError, match="not UTF-8"):
        parse_sidecar("x.json", b'{"title": "\xff"}')


# -- command-line overrides ---------------------------------------------------------------------------
def test_overrides_parse() -> None:
    given = MetadataOverrides.parse(title="  CETA  ", parties="ca, EUU", signed="2016-10-30", in_force="2017-09-21")
    assert given == MetadataOverrides("CETA", ("CAN", "EUU"), date(2016, 10, 30), date(2017, 9, 21))
    assert MetadataOverrides.parse(parties=["CAN", "chl,CAN"]).parties == ("CAN", "CHL")
    assert MetadataOverrides.parse().values() == {}
    assert MetadataOverrides.parse(signed="2016-10-30").values() == {"date_signed": date(2016, 10, 30)}


@pytest.mark.parametrize("kwargs, words", [
    ({"signed": "30/10/2016"}, "--signed '30/10/2016' is not a date; use YYYY-MM-DD"),
    ({"in_force": "2016-13-01"}, "--in-force '2016-13-01' is not a date"),
    ({"parties": "CAN,Atlantis"}, "--parties: unknown party 'Atlantis'"),
    ({"parties": " , "}, "--parties must name at least one party"),
    ({"title": "  "}, "--title must not be empty"),
])
def test_overrides_reject_bad_flags(kwargs: dict[str, str], words: str) -> None:
    with pytest.raises(InputError) as err:
        MetadataOverrides.parse(**kwargs)
    assert words in str(err.value)


# -- precedence and provenance ------------------------------------------------------------------------
def source_treaty() -> ParsedTreaty:
    """A treaty whose reader found metadata in the document (as ToTA's <meta>)."""
    parsed = treaty("tota-101", ("CAN", "CHL"), date(1997, 7, 5))
    t = replace(parsed.treaty, title="Canada - Chile", type="Free Trade Agreement",
                source_ids={"treaty_identifier": "101"})
    return ParsedTreaty(t, parsed.clauses)


def test_precedence_flag_over_sidecar_over_source() -> None:
    sidecar = {"title": "Sidecar title", "date_in_force": date(1997, 7, 6), "status": "Inactive"}
    flags = MetadataOverrides.parse(title="Flag title")
    t = apply(source_treaty(), sidecar, flags).treaty
    assert (t.title, t.date_in_force, t.status) == ("Flag title", date(1997, 7, 6), "Inactive")
    assert t.parties == ("CAN", "CHL")
    assert t.provenance == {"title": "flag", "date_in_force": "sidecar", "status": "sidecar", "parties": "source",
                            "date_signed": "source", "type": "source"}


def test_source_beats_inferred_and_inferred_fills_the_gaps() -> None:
    parsed = text_treaty(CANADA_CHILE)
    given = ParsedTreaty(replace(parsed.treaty, parties=("CHL", "PER")), parsed.clauses)
    t = apply(given, None, None).treaty
    assert t.parties == ("CHL", "PER") and t.provenance["parties"] == "source"
    assert t.date_signed == date(1996, 12, 5) and t.provenance["date_signed"] == "inferred"
    assert "date_in_force" not in t.provenance and t.date_in_force is None


def test_sidecar_beats_inferred_and_infer_missing_off() -> None:
    parsed = text_treaty(CANADA_CHILE)
    t = apply(parsed, {"parties": ("CAN",)}, None).treaty
    assert t.parties == ("CAN",) and t.provenance["parties"] == "sidecar"
    bare = apply(parsed, None, None, infer_missing=False).treaty
    assert bare.parties == () and bare.date_signed is None
    # the reader's title is the text's first line, which is a reading of the text, not document metadata
    assert bare.provenance == {"title": "inferred", "language": "inferred"}  # both read from the words


def test_reader_title_guess_gives_way_to_the_inferred_title() -> None:
    parsed = text_treaty(SAPTA, "sapta.txt")
    assert parsed.treaty.title == "AGREEMENT ON"  # the text reader takes the first line
    t = apply(parsed, None, None).treaty
    assert t.title == "AGREEMENT ON SAARC PREFERENTIAL TRADING ARRANGEMENT (SAPTA)"
    assert t.provenance["title"] == "inferred"
    assert apply(parsed, {"title": "SAPTA"}, None).treaty.provenance["title"] == "sidecar"


def test_file_name_title_is_replaced_or_labelled_inferred() -> None:
    parsed = text_treaty("Article 1\nThe Parties shall cooperate.\n", "ceta-2016.txt")
    assert parsed.treaty.title == "ceta-2016"
    t = apply(parsed, None, None).treaty
    assert t.title == "ceta-2016" and t.provenance == {"title": "inferred"}


def test_inferred_date_contradicting_a_source_date_is_dropped() -> None:
    parsed = text_treaty(EC_FAROE)  # the text says: in force 1997-01-01
    given = ParsedTreaty(replace(parsed.treaty, date_signed=date(1998, 3, 1)), parsed.clauses)
    t = apply(given, None, None).treaty
    assert t.date_signed == date(1998, 3, 1) and t.date_in_force is None and "date_in_force" not in t.provenance


def test_apply_keeps_an_origin_recorded_earlier() -> None:
    once = apply(text_treaty(CANADA_CHILE), None, None)
    again = apply(once, None, MetadataOverrides.parse(signed="1996-12-06"))
    assert again.treaty.provenance["parties"] == "inferred" and again.treaty.provenance["date_signed"] == "flag"


# -- a sidecar id renames the treaty and every id under it ----------------------------------------------
def test_sidecar_id_rewrites_every_id() -> None:
    parsed = with_terms_and_refs(treaty("t1", ("CAN",), date(2001, 1, 1)))
    renamed = apply(parsed, {"treaty_id": "ceta"}, None, infer_missing=False)
    assert renamed.treaty.treaty_id == "ceta" and renamed.treaty.provenance["treaty_id"] == "sidecar"
    assert [c.clause_id for c in renamed.clauses] == ["ceta/a1", "ceta/a1/1", "ceta/a1/2"]
    assert {c.treaty_id for c in renamed.clauses} == {"ceta"}
    assert [c.parent_id for c in renamed.clauses] == [None, "ceta/a1", "ceta/a1"]
    assert [(d.clause_id, d.used_in) for d in renamed.terms] == [("ceta/a1/1", ("ceta/a1/2",))]
    assert [(r.clause_id, r.target_id) for r in renamed.references] == [
        ("ceta/a1/2", "ceta/a1/1"), ("ceta/a1/2", "gatt-1994"), ("ceta/a1/2", None)]
    assert "t1/" not in repr(renamed)


def test_renamed_treaty_stores_consistently(tmp_path: Path) -> None:
    renamed = apply(with_terms_and_refs(treaty("t1", ("CAN",), date(2001, 1, 1))), {"treaty_id": "ceta"}, None)
    store = SQLiteGraphStore(tmp_path / "g.sqlite")  # foreign keys on: a dangling id would fail the insert
    store.upsert_treaty(renamed)
    assert store.terms("ceta") == renamed.terms and store.references(["ceta/a1/2"]) == renamed.references
    assert store.get_treaty("ceta").provenance == renamed.treaty.provenance and store.get_treaty("t1") is None
    store.close()


# -- persistence: migration 6 adds provenance to an existing SQLite store ------------------------------
def test_sqlite_migration_adds_provenance_to_an_old_store(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for number, script in enumerate(sql.MIGRATIONS[:5], start=1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO treaties VALUES ('old', 'Old', NULL, NULL, NULL, NULL, NULL, NULL, '[]', '{}', '', 'h')")
    db.commit()
    db.close()
    store = SQLiteGraphStore(path)
    assert store.get_treaty("old") == Treaty("old", "Old", content_hash="h")
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(sql.MIGRATIONS) >= 6
    store.close()


def _final_clause_treaty(final: str, extra: str = "") -> ParsedTreaty:
    text = ("AGREEMENT BETWEEN ZIMBABWE AND ZAMBIA\n\nArticle 1\nScope\nThis Agreement applies to trade in goods "
            f"between the Parties.\n\nArticle 2\nFinal Provisions\n{extra}\n{final}\n")
    return read_text(Path("zw.txt"), text, "h")


@pytest.mark.parametrize("final, signed", [
    ("DONE at Tokyo this 25 th day of August 2010.", date(2010, 8, 25)),  # "25<sup>th</sup>" as markup leaves it
    ("Done at Lusaka this twenty-third day of May, one thousand nine hundred and sixty-nine.", date(1969, 5, 23)),
    ("Signed at Washington on 03/14/2002.", date(2002, 3, 14)),  # no month 14: month first
    ("Done at Geneva on 2001-06-12.", date(2001, 6, 12)),
    ("Done at Bern, 12.VI.2001, in two originals.", date(2001, 6, 12)),
    ("Fait à Paris, le 5 mars 1998.", date(1998, 3, 5)),
    ("Hecho en Lima, el 20 de mayo de 2010.", date(2010, 5, 20)),
    ("Done on the 1st of July, 2003.", date(2003, 7, 1)),
])
def test_signature_dates_as_people_write_them(final: str, signed: date) -> None:
    t = apply(_final_clause_treaty(final), None, None).treaty
    assert t.date_signed == signed and t.provenance["date_signed"] == "inferred"


def test_an_ambiguous_day_month_order_is_flagged_not_guessed() -> None:
    t = apply(_final_clause_treaty("DONE in duplicate at Harare on 11/12/96."), None, None).treaty
    assert t.date_signed is None and t.provenance["date_signed"] == "ambiguous"
    assert t.provenance["date_signed_ambiguous"] == "11/12/96: 11 December 1996 or 12 November 1996"
    # the document's own convention settles it: another date with a day above 12 is written day first
    settled = _final_clause_treaty("DONE in duplicate at Harare on 11/12/96.",
                                   "This Agreement replaces the arrangement of 23/04/1990.")
    t = apply(settled, None, None).treaty
    assert t.date_signed == date(1996, 12, 11) and "date_signed_ambiguous" not in t.provenance
    written = _final_clause_treaty("DONE at Harare on 11/12/96.", "It replaces the arrangement of April 23, 1990.")
    assert apply(written, None, None).treaty.date_signed == date(1996, 11, 12)  # month first, as written there
