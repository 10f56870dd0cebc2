from datetime import date
from pathlib import Path

import pytest

from ingest.errors import ReadError
from ingest.readers import akn, html

AKN3 = """<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
 <act name="treaty">
  <meta>
   <identification source="#pacta">
    <FRBRWork>
     <FRBRthis value="/akn/un/act/treaty/2001/can-chl/!main"/>
     <FRBRuri value="/akn/un/act/treaty/2001/can-chl"/>
     <FRBRdate date="2001-02-03" name="Signature"/>
     <FRBRauthor href="#un"/>
     <FRBRcountry value="un"/>
     <FRBRname value="Canada-Chile Investment Agreement"/>
    </FRBRWork>
    <FRBRExpression>
     <FRBRthis value="/akn/un/act/treaty/2001/can-chl/eng@/!main"/>
     <FRBRuri value="/akn/un/act/treaty/2001/can-chl/eng@"/>
     <FRBRdate date="2001-05-05" name="Generation"/>
     <FRBRauthor href="#un"/>
     <FRBRlanguage language="eng"/>
    </FRBRExpression>
   </identification>
   <lifecycle source="#pacta">
    <eventRef eId="e2" date="2002-01-01" source="#original" refersTo="#entryIntoForce" type="amendment"/>
   </lifecycle>
   <references source="#pacta">
    <TLCOrganization eId="can" href="/ontology/organization/ca" showAs="Canada"/>
    <TLCOrganization eId="chl" href="/ontology/organization/cl" showAs="Chile"/>
    <TLCOrganization eId="sec" href="/ontology/organization/secretariat" showAs="Secretariat"/>
    <TLCEvent eId="entryIntoForce" href="/ontology/event/entryIntoForce" showAs="Entry into force"/>
   </references>
  </meta>
  <preface><p><docTitle>Agreement between Canada and the Republic of Chile on Investment</docTitle></p></preface>
  <preamble>
   <p>The Government of <party refersTo="#can">Canada</party> and the Government of
      <party refersTo="#chl">the Republic of Chile</party>,</p>
   <p>Resolved to promote investment,</p>
   <p>Have agreed as follows:</p>
  </preamble>
  <body>
   <chapter eId="chp_I"><num>I</num><heading>General Provisions</heading>
    <article eId="chp_I__art_1"><num>Article 1</num><heading>Definitions</heading>
     <list eId="chp_I__art_1__list_1">
      <intro><p>For the purposes of this Agreement:</p></intro>
      <point eId="chp_I__art_1__list_1__point_a"><num>(a)</num>
       <content><p>"investment" means every kind of asset;</p></content></point>
      <point eId="chp_I__art_1__list_1__point_b"><num>(b)</num>
       <content><p>"Party" means a State.</p></content></point>
     </list>
    </article>
    <article eId="chp_I__art_2"><num>Article 2</num><heading>Expropriation</heading>
     <paragraph eId="chp_I__art_2__para_1"><num>1.</num>
      <list>
       <intro><p>No Party shall expropriate an investment except:</p></intro>
       <point><num>(a)</num><content><p>for a public purpose; and</p></content></point>
       <point><num>(b)</num>
        <list>
         <intro><p>on payment of compensation that is:</p></intro>
         <point><num>(i)</num><content><p>prompt;</p></content></point>
         <point><num>(ii)</num><content><p>adequate.</p></content></point>
        </list>
       </point>
      </list>
     </paragraph>
     <paragraph eId="chp_I__art_2__para_2"><num>2.</num>
      <content><p>Compensation shall be paid without delay.</p></content></paragraph>
    </article>
   </chapter>
   <chapter eId="chp_II"><num>Chapter II</num><heading>Amendments</heading>
    <article eId="chp_II__art_3"><num>Article 3</num><heading>Amendment of the 1990 Agreement</heading>
     <paragraph><num>1.</num><content>
      <p>The 1990 Agreement is amended as follows:</p>
      <p><mod>Article 7 is replaced by: <quotedStructure startQuote="“" endQuote="”">
       <article eId="mod_art_7"><num>Article 7</num><heading>Transfers</heading>
        <paragraph><num>1.</num><content><p>Each Party shall permit transfers freely.</p></content></paragraph>
       </article></quotedStructure></mod></p>
     </content></paragraph>
     <paragraph><num>2.</num><content><p>This amendment takes effect on signature.</p></content></paragraph>
    </article>
   </chapter>
  </body>
  <conclusions><p>DONE at Ottawa in duplicate.</p></conclusions>
  <attachments>
   <attachment eId="att_1">
    <doc name="annex">
     <meta><identification source="#pacta"><FRBRWork><FRBRthis value="/akn/un/act/treaty/2001/can-chl/!annex_1"/>
      <FRBRname value="Reservations"/></FRBRWork></identification></meta>
     <preface><longTitle><p>Annex I</p></longTitle><p>Reservations</p></preface>
     <mainBody>
      <article eId="att_1__art_1"><num>Article 1</num><heading>Scope</heading>
       <content><p>This Annex applies to goods.</p></content></article>
      <article eId="att_1__art_2"><num>Article 2</num>
       <content><p>1. Each Party may keep its measures.</p><p>2. Each Party shall list them.</p></content></article>
     </mainBody>
    </doc>
   </attachment>
   <attachment eId="att_2">
    <doc name="annex">
     <preface><p><docType>Annex</docType> <docNumber>II</docNumber></p></preface>
     <mainBody><p>Sectors excluded: mining and fisheries.</p></mainBody>
    </doc>
   </attachment>
  </attachments>
 </act>
</akomaNtoso>
"""

AKN2 = """<?xml version="1.0" encoding="UTF-8"?>
<an:akomaNtoso xmlns:an="http://www.akomantoso.org/2.0">
 <an:act contains="originalVersion">
  <an:meta>
   <an:identification source="#x">
    <an:FRBRWork>
     <an:FRBRthis value="/fr/act/1999-06-30/7/main"/>
     <an:FRBRuri value="/fr/act/1999-06-30/7"/>
     <an:FRBRdate date="1999-06-30" name="signature"/>
     <an:FRBRauthor href="#x" as="#author"/>
     <an:FRBRcountry value="fr"/>
    </an:FRBRWork>
    <an:FRBRExpression>
     <an:FRBRthis value="/fr/act/1999-06-30/7/fra@/main"/>
     <an:FRBRuri value="/fr/act/1999-06-30/7/fra@"/>
     <an:FRBRdate date="1999-06-30" name="generation"/>
     <an:FRBRauthor href="#x" as="#author"/>
     <an:FRBRlanguage language="fra"/>
    </an:FRBRExpression>
   </an:identification>
   <an:references source="#x">
    <an:TLCOrganization id="fr" href="/ontology/organization/fr" showAs="France"/>
    <an:TLCOrganization id="ma" href="/ontology/organization/morocco" showAs="Morocco"/>
    <an:TLCPerson id="author" href="/ontology/person/jdupont" showAs="Jean Dupont"/>
   </an:references>
  </an:meta>
  <an:preface><an:p><an:shortTitle>Accord franco-marocain</an:shortTitle></an:p></an:preface>
  <an:body>
   <an:article id="art1"><an:num>Article premier</an:num>
    <an:paragraph id="art1-para1"><an:num>1.</an:num>
     <an:content><an:blockList id="art1-para1-list1">
      <an:listIntroduction>Chaque Partie:</an:listIntroduction>
      <an:item id="art1-para1-list1-itma"><an:num>a)</an:num><an:p>notifie ses mesures;</an:p></an:item>
      <an:item id="art1-para1-list1-itmb"><an:num>b)</an:num><an:p>publie ses lois.</an:p></an:item>
     </an:blockList></an:content>
    </an:paragraph>
   </an:article>
   <an:article id="art2"><an:num>Article 2</an:num><an:heading>Modification</an:heading>
    <an:content><an:p>L'article 4 de l'accord de 1980 est ainsi
     r\u00e9dig\u00e9 : <an:embeddedStructure><an:article id="q-art4"><an:num>Article 4</an:num>
      <an:content><an:p>Les Parties se consultent.</an:p></an:content></an:article></an:embeddedStructure></an:p>
    </an:content>
   </an:article>
  </an:body>
 </an:act>
</an:akomaNtoso>
"""


def _by_citation(parsed):
    return {c.citation: c for c in parsed.clauses}


def test_akn3_metadata():
    t = akn.read(Path("can-chl.xml"), AKN3.encode(), "h").treaty
    assert t.treaty_id == "akn-un-act-treaty-2001-can-chl-en"
    assert t.title == "Agreement between Canada and the Republic of Chile on Investment"
    assert (t.date_signed, t.date_in_force) == (date(2001, 2, 3), date(2002, 1, 1))
    assert t.parties == ("CAN", "CHL")  # the <party> elements, in order; the Secretariat is no party
    assert t.language == "en"
    assert t.source_ids["FRBRthis"] == "/akn/un/act/treaty/2001/can-chl/!main"
    assert t.source_ids["FRBRExpression"] == "/akn/un/act/treaty/2001/can-chl/eng@/!main"
    assert t.source_ids["FRBRcountry"] == "un"


def test_akn3_hierarchy_citations_and_context():
    parsed = akn.read(Path("can-chl.xml"), AKN3.encode(), "h")
    arts = [(c.citation, c.heading) for c in parsed.clauses if c.level == "article"]
    assert arts == [
        ("Preamble", "Preamble"), ("Art. 1", "Definitions"), ("Art. 2", "Expropriation"),
        ("Art. 3", "Amendment of the 1990 Agreement"), ("Annex I, Art. 1", "Scope"), ("Annex I, Art. 2", ""),
        ("Annex II", ""),
    ]
    c = _by_citation(parsed)
    assert c["Art. 1"].text == "For the purposes of this Agreement:"  # the unnumbered list's intro
    assert c["Art. 1(b)"].text == '"Party" means a State.'
    assert c["Art. 1(b)"].source["eId"] == "chp_I__art_1__list_1__point_b"
    assert c["Art. 2(1)(b)(ii)"].source["eId"] == "chp_I__art_2__para_1"  # the innermost part with an id
    assert c["Art. 2(1)(b)(ii)"].text == "adequate."
    assert c["Art. 2(1)(b)(ii)"].level == "item"
    assert c["Art. 2(1)(b)(ii)"].context == (
        "No Party shall expropriate an investment except:\non payment of compensation that is:"
    )
    assert c["Art. 2(1)(b)"].parent_id == c["Art. 2(1)"].clause_id
    assert not c["Art. 2(1)"].is_leaf and c["Art. 2(2)"].is_leaf
    assert c["Art. 2"].chapter == "Chapter I: General Provisions"
    assert c["Art. 3"].chapter == "Chapter II: Amendments"  # "Chapter" is not repeated
    assert "Resolved to promote investment" in c["Preamble"].text


def test_quoted_articles_stay_text_of_the_amending_clause():
    parsed = akn.read(Path("can-chl.xml"), AKN3.encode(), "h")
    cites = [c.citation for c in parsed.clauses]
    assert "Art. 7" not in cites and "Art. 7(1)" not in cites
    assert [x for x in cites if x.startswith("Art. 3")] == ["Art. 3", "Art. 3(1)", "Art. 3(2)"]
    amended = _by_citation(parsed)["Art. 3(1)"]
    assert "Article 7 is replaced by" in amended.text and "Each Party shall permit transfers freely." in amended.text


def test_annexes_prefix_citations_and_keep_text_without_articles():
    parsed = akn.read(Path("can-chl.xml"), AKN3.encode(), "h")
    c = _by_citation(parsed)
    assert c["Annex I, Art. 1"].text == "This Annex applies to goods."
    assert c["Annex I, Art. 1"].source["annex"] == "Annex I"
    # an article without <num>bered parts is split by its text: "1." / "2."
    assert c["Annex I, Art. 2(2)"].text == "Each Party shall list them."
    assert "mining and fisheries" in c["Annex II"].text
    assert c["Annex I, Art. 1"].clause_id != c["Art. 1"].clause_id


def test_clause_ids_are_unique_and_stable():
    first = akn.read(Path("can-chl.xml"), AKN3.encode(), "h")
    again = akn.read(Path("can-chl.xml"), AKN3.encode(), "h")
    ids = [c.clause_id for c in first.clauses]
    assert ids == [c.clause_id for c in again.clauses]
    assert len(ids) == len(set(ids))
    assert [c.order for c in first.clauses] == list(range(len(ids)))
    assert "akn-un-act-treaty-2001-can-chl-en/art-2/1/b/ii" in ids


def test_akn2_namespace_blocklist_and_embedded_structure():
    parsed = akn.read(Path("fr-ma.xml"), AKN2.encode(), "h")
    t = parsed.treaty
    assert t.title == "Accord franco-marocain"
    assert t.date_signed == date(1999, 6, 30) and t.language == "fr"
    assert t.parties == ("FRA", "MAR")  # from the TLC organisations; the person is skipped
    cites = [c.citation for c in parsed.clauses]
    assert cites == ["Preamble", "Art. 1", "Art. 1(1)", "Art. 1(1)(a)", "Art. 1(1)(b)", "Art. 2"]
    c = _by_citation(parsed)
    assert c["Preamble"].text == "Accord franco-marocain"  # the preface
    assert c["Art. 1"].source == {"FRBRthis": "/fr/act/1999-06-30/7/main", "article": "1", "eId": "art1"}
    assert c["Art. 1(1)"].text == "Chaque Partie:" and c["Art. 1(1)(a)"].text == "notifie ses mesures;"
    assert c["Art. 1(1)(b)"].source["eId"] == "art1-para1-list1-itmb"
    assert "Les Parties se consultent." in c["Art. 2"].text  # quoted, so no "Art. 4"


def test_an_amendment_quoting_articles_is_one_clause_with_no_articles_of_its_own():
    doc = """<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><amendment><amendmentBody>
      <amendmentContent><blockContainer><p><mod>Article 5 shall read: <quotedStructure><article eId="a5">
      <num>Article 5</num><content><p>New text.</p></content></article></quotedStructure></mod></p>
      </blockContainer></amendmentContent><amendmentJustification><p>Clarity.</p></amendmentJustification>
      </amendmentBody></amendment></akomaNtoso>"""
    parsed = akn.read(Path("amendment.xml"), doc.encode(), "h")
    assert [c.citation for c in parsed.clauses] == ["Amendment", "Justification"]
    assert "Article 5 shall read: Article 5 New text." in " ".join(parsed.clauses[0].text.split())


def test_sniff():
    assert akn.is_akoma_ntoso(AKN3.encode()) and akn.is_akoma_ntoso(AKN2.encode())
    assert akn.is_akoma_ntoso(b"<akomaNtoso><act/></akomaNtoso>")
    assert akn.is_akoma_ntoso(AKN3.encode("utf-16"))
    assert not akn.is_akoma_ntoso(b"<?xml version='1.0'?><treaty><meta/><body/></treaty>")


@pytest.mark.parametrize(
    "payload, problem",
    [
        (AKN3[: len(AKN3) // 2], "invalid XML"),
        ("<treaty><meta/><body/></treaty>", "not an Akoma Ntoso document"),
        ('<akomaNtoso xmlns="http://www.akomantoso.org/2.0"/>', "holds no document"),
        ('<akomaNtoso xmlns="http://www.akomantoso.org/2.0"><act><body><p>Hello</p></body></act></akomaNtoso>',
         "no provisions found"),
        ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><akomaNtoso>&x;</akomaNtoso>',
         "unsafe"),
        ("<akomaNtoso><act><body>" + "<p>" * 5000 + "</p>" * 5000 + "</body></act></akomaNtoso>", "nested"),
    ],
)
def test_broken_akn_is_one_line_naming_the_file(payload: str, problem: str):
    with pytest.raises(ReadError) as err:
        akn.read(Path("broken.xml"), payload.encode(), "h")
    message = str(err.value)
    assert message.startswith("broken.xml: ") and problem in message and "\n" not in message


PLAIN_HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="windows-1252"><title>Agreement between Alpha and Beta</title>
<style>p { color: red } Article 9 Styles</style><script>var x = "Article 8 Script";</script></head>
<body>
<nav><ul><li><a href="#a1">Article 1 Objective</a></li><li><a href="#a2">Article 2 Withdrawal</a></li></ul></nav>
<h1>AGREEMENT BETWEEN ALPHA AND BETA</h1>
<p>The Parties have agreed as follows:</p>
<h2>CHAPTER I</h2>
<h3 id="a1">Article 1</h3><p><b>Objective</b></p>
<p>The objective is free trade between the Parties\x92 territories.</p>
<h3 id="a2">Article 2 \x96 Withdrawal</h3>
<table><tr><td>1.</td><td>A Party may withdraw by written notice.</td></tr>
<tr><td>2.</td><td>Withdrawal takes effect<br>after six months.</td></tr></table>
</body></html>
"""


def test_plain_html_treaty():
    parsed = html.read(Path("alpha-beta.html"), PLAIN_HTML.encode("latin-1"), "h")
    t = parsed.treaty
    assert t.title == "Agreement between Alpha and Beta" and t.language == "en"
    arts = [(c.citation, c.heading) for c in parsed.clauses if c.level == "article"]
    assert arts == [("Preamble", "Preamble"), ("Art. 1", "Objective"), ("Art. 2", "Withdrawal")]
    c = _by_citation(parsed)
    assert c["Art. 1"].text == "The objective is free trade between the Parties’ territories."  # cp1252 quote
    assert c["Art. 1"].chapter == "CHAPTER I"
    assert c["Art. 2(2)"].text == "Withdrawal takes effect after six months."
    assert not any("Script" in x.text or "Styles" in x.text for x in parsed.clauses)


def test_html_utf8_bom_and_meta_charset():
    page = "<html><body><p>Article 1</p><p>Les Parties coopèrent.</p></body></html>"
    for data in (b"\xef\xbb\xbf" + page.encode("utf-8"),
                 b'<meta charset="iso-8859-1">' + page.encode("latin-1"),
                 page.encode("utf-8")):
        parsed = html.read(Path("p.html"), data, "h")
        assert parsed.clauses[-1].text == "Les Parties coopèrent."


AKN_HTML = """<html><head><title>Treaty on Gamma</title></head><body>
<div class="akn-akomaNtoso"><span class="akn-act">
<section class="akn-preamble" id="preamble"><span class="akn-p">The States Parties, desiring peace,</span></section>
<span class="akn-body">
<section class="akn-chapter" id="chp_1" data-eId="chp_1"><h2>Chapter 1<br>General</h2>
<section class="akn-article" id="art_1" data-eId="art_1"><h2>Article 1 – Obligations</h2>
 <section class="akn-paragraph" data-eId="art_1__para_1"><span class="akn-num">1.</span>
  <span class="akn-content"><span class="akn-p">Each Party shall:</span>
  <span class="akn-blockList">
  <section class="akn-item" data-eId="art_1__para_1__item_a"><span class="akn-num">(a)</span>
   <span class="akn-p">report yearly; and</span></section>
  <section class="akn-item"><span class="akn-num">(b)</span><span class="akn-p">cooperate.</span></section></span>
 </span></section>
 <section class="akn-paragraph"><span class="akn-num">2.</span><span class="akn-content"><span class="akn-p">Article 2
  of the 1980 Treaty is replaced by:</span><span class="akn-quotedStructure">
  <section class="akn-article"><h2>Article 2 – Old</h2><section class="akn-paragraph"><span class="akn-num">1.</span>
  <span class="akn-p">Quoted words.</span></section></section></span></span></section>
</section>
<section class="akn-article" data-name="article"><span class="akn-num">Article 3</span>
 <span class="akn-heading">Final</span><span class="akn-content"><span class="akn-p">Done.</span></span></section>
</section></span></span></div></body></html>
"""


def test_html_declared_charset_wins_over_the_fallbacks():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7"></head>'
    page += "<body><p>Article 1</p><p>Τα Μέρη συνεργάζονται.</p></body></html>"
    parsed = html.read(Path("el.html"), page.encode("iso-8859-7"), "h")
    assert parsed.clauses[-1].text == "Τα Μέρη συνεργάζονται."


def test_akn_rendered_html_follows_the_markup():
    parsed = html.read(Path("gamma.html"), AKN_HTML.encode(), "h")
    assert parsed.treaty.title == "Treaty on Gamma"
    cites = [c.citation for c in parsed.clauses]
    assert cites == ["Preamble", "Art. 1", "Art. 1(1)", "Art. 1(1)(a)", "Art. 1(1)(b)", "Art. 1(2)", "Art. 3"]
    c = _by_citation(parsed)
    assert c["Art. 1"].heading == "Obligations" and c["Art. 1"].chapter == "Chapter 1: General"
    assert c["Art. 1(1)(a)"].text == "report yearly; and" and c["Art. 1(1)(a)"].context == "Each Party shall:"
    assert c["Art. 1(1)(a)"].source["eId"] == "art_1__para_1__item_a"
    assert "Quoted words." in c["Art. 1(2)"].text  # the quoted article is text, not "Art. 2"
    assert c["Art. 3"].heading == "Final" and c["Art. 3"].text == "Done."


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"<html><body><p>Minutes of the lunch meeting.</p></body></html>", "no article headings"),
        (b"<html><head><title>Agreement</title></head><body><p>The Parties, desir", "no article headings"),
    ],
)
def test_bad_html_is_one_line_naming_the_file(data: bytes, problem: str):
    with pytest.raises(ReadError) as err:
        html.read(Path("bad.html"), data, "h")
    message = str(err.value)
    assert message.startswith("bad.html: ") and problem in message and "\n" not in message


def test_html_entities_are_not_expanded_from_a_doctype():
    page = ('<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "BOOM">]>'
            "<html><body><p>Article 1</p><p>Text &x; &y; here.</p></body></html>")
    parsed = html.read(Path("e.html"), page.encode(), "h")
    text = " ".join(c.text for c in parsed.clauses)
    assert "root:" not in text and "BOOM" not in text


NS3 = 'xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"'
COLLECTION = f"""<akomaNtoso {NS3}><documentCollection name="billWithMemorandum">
 <meta><identification source="#x"><FRBRWork><FRBRthis value="/akn/za/bill/2019/7/!main"/>
  <FRBRuri value="/akn/za/bill/2019/7"/><FRBRdate date="2019-03-01" name="signature"/><FRBRcountry value="za"/>
  </FRBRWork><FRBRExpression><FRBRthis value="/akn/za/bill/2019/7/eng@/!main"/>
  <FRBRlanguage language="eng"/></FRBRExpression></identification></meta>
 <collectionBody>
  <component eId="cmp_1"><doc name="explanatoryMemorandum">
   <preface><p><docTitle>Explanatory Memorandum</docTitle></p></preface>
   <mainBody><p>The Bill gives effect to the Agreement.</p><p>It creates no new offence.</p></mainBody></doc>
  </component>
  <component eId="cmp_2"><bill name="bill">
   <preface><p><docTitle>Trade Agreement Implementation Bill</docTitle></p></preface>
   <body><part eId="part_1"><num>1</num><heading>Preliminary</heading>
    <section eId="sec_1"><num>1.</num><heading>Definitions</heading>
     <content><p>In this Act "Agreement" means the Agreement.</p></content></section>
    <section eId="sec_4"><num>4</num><heading>Duties</heading>
     <subsection eId="sec_4__subsec_1"><num>(1)</num><content><p>The Minister shall publish the tariff.</p></content>
     </subsection>
     <subsection eId="sec_4__subsec_2"><num>(2)</num><intro><p>The notice must state:</p></intro>
      <paragraph eId="sec_4__subsec_2__para_a"><num>a</num><content><p>the goods;</p></content></paragraph>
      <paragraph eId="sec_4__subsec_2__para_b"><num>b</num><content><p>the rate.</p></content></paragraph>
     </subsection></section>
   </part></body></bill>
  </component>
 </collectionBody></documentCollection></akomaNtoso>"""


def test_a_collection_reads_its_bill_as_the_main_text_and_cites_sections_as_sections():
    parsed = akn.read(Path("bill.xml"), COLLECTION.encode(), "h")
    c = _by_citation(parsed)
    assert parsed.treaty.title == "Trade Agreement Implementation Bill"
    assert parsed.treaty.date_signed == date(2019, 3, 1) and parsed.treaty.language == "en"
    assert [x for x in c if x.startswith("s.")] == ["s. 1", "s. 4", "s. 4(1)", "s. 4(2)", "s. 4(2)(a)", "s. 4(2)(b)"]
    assert c["s. 4(2)(a)"].text == "the goods;" and c["s. 4(2)"].text == "The notice must state:"
    assert c["s. 1"].heading == "Definitions" and c["s. 1"].chapter == "Part 1: Preliminary"
    assert c["s. 4"].source["section"] == "4"
    memo = c["Explanatory Memorandum"]
    assert "It creates no new offence." in memo.text and memo.source["annex"] == "Explanatory Memorandum"


def _act(body: str, name: str = "act") -> bytes:
    return f"<akomaNtoso {NS3}><{name}><body>{body}</body></{name}></akomaNtoso>".encode()


def test_rules_regulations_and_top_level_paragraphs_are_provisions():
    rules = _act('<rule eId="r1"><num>1</num><heading>Scope</heading><content><p>These rules apply.</p></content>'
                 "</rule>"
                 '<rule eId="r2"><num>Rule 2</num><subrule><num>(1)</num><content><p>A panel sits.</p></content>'
                 "</subrule></rule>")
    assert [c.citation for c in akn.read(Path("r.xml"), rules, "h").clauses] == ["r. 1", "r. 2", "r. 2(1)"]
    regs = _act('<regulation><num>3</num><content><p>Fees are due.</p></content></regulation>')
    assert [c.citation for c in akn.read(Path("g.xml"), regs, "h").clauses] == ["reg. 3"]
    paras = _act('<paragraph><num>1.</num><content><p>The Parties met.</p></content></paragraph>'
                 '<paragraph><num>2.</num><subparagraph><num>(a)</num><content><p>They agreed.</p></content>'
                 "</subparagraph></paragraph>", name="doc")
    assert [c.citation for c in akn.read(Path("p.xml"), paras, "h").clauses] == ["para. 1", "para. 2", "para. 2(a)"]


def test_sections_group_articles_where_the_document_has_articles():
    body = ('<section><num>Section 1</num><heading>Goods</heading><article><num>Article 1</num><content><p>Duties.'
            "</p></content></article></section>")
    clause = akn.read(Path("a.xml"), _act(body), "h").clauses[0]
    assert clause.citation == "Art. 1" and clause.chapter == "Section 1: Goods"


def test_a_judgment_without_provisions_reads_its_body_blocks():
    doc = (f"<akomaNtoso {NS3}><judgment><judgmentBody><introduction><p>The claimant is an investor.</p>"
           "</introduction><motivation><p>The measure was not arbitrary.</p></motivation><decision><p>The claim is "
           "dismissed.</p></decision></judgmentBody></judgment></akomaNtoso>")
    parsed = akn.read(Path("j.xml"), doc.encode(), "h")
    assert [(c.citation, c.text) for c in parsed.clauses] == [
        ("Introduction", "The claimant is an investor."), ("Reasons", "The measure was not arbitrary."),
        ("Decision", "The claim is dismissed.")]
