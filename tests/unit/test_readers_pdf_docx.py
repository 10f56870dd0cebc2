"""PDF and DOCX readers, on documents made here: fpdf2 writes the PDFs, python-docx the Word files."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from fpdf import FPDF
from PIL import Image

from ingest.errors import ReadError
from ingest.readers import docx as docx_reader
from ingest.readers import pdf as pdf_reader

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RUNNING_HEADER = "Agreement between Alpha and Beta - Draft of 3 May 2021"
# (article, title, paragraphs); page breaks before article 2, inside article 3 and before article 4
ARTICLES = [
    (1, "Scope", ["This Agreement applies to trade in goods between the Parties."]),
    (2, "Definitions", ["For the purposes of this Agreement, a customs duty means any duty on imports.",
                        "A measure includes any law, regulation or practice."]),
    (3, "National Treatment", ["Each Party shall accord national treatment to the goods of the other Party.",
                               "Paragraph 1 does not apply to the measures listed in the Annex."]),
    (4, "Withdrawal", ["A Party may withdraw from this Agreement by written notice.",
                       "Withdrawal takes effect six months after the notice is received."]),
]
BREAKS = {(2, 1), (3, 2), (4, 1)}  # (article, paragraph) a new page starts with


class _Draft(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 6, RUNNING_HEADER, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 6, f"- {self.page_no()} -", align="C")


def _line(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


def _treaty_pdf() -> bytes:
    pdf = _Draft()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    _line(pdf, "AGREEMENT BETWEEN ALPHA AND BETA")
    _line(pdf, "The Parties have agreed as follows:")
    for num, title, paras in ARTICLES:
        if (num, 1) in BREAKS:
            pdf.add_page()
        _line(pdf, f"Article {num}")
        _line(pdf, title)
        for i, para in enumerate(paras, start=1):
            if i > 1 and (num, i) in BREAKS:
                pdf.add_page()
            _line(pdf, f"{i}. {para}" if len(paras) > 1 else para)
    return bytes(pdf.output())


def test_pdf_articles_pages_and_running_lines():
    parsed = pdf_reader.read(Path("draft.pdf"), _treaty_pdf(), "h")
    arts = [c for c in parsed.clauses if c.level == "article"]
    assert [(a.citation, a.heading) for a in arts] == [
        ("Preamble", "Preamble"), ("Art. 1", "Scope"), ("Art. 2", "Definitions"),
        ("Art. 3", "National Treatment"), ("Art. 4", "Withdrawal"),
    ]
    assert [a.source.get("page") for a in arts[1:]] == ["1", "2", "2", "4"]
    assert parsed.treaty.title == "AGREEMENT BETWEEN ALPHA AND BETA"  # not the running header
    everything = "\n".join(c.full_text for c in parsed.clauses)
    assert "Draft of 3 May" not in everything
    assert "- 2 -" not in everything and "- 4 -" not in everything
    # Article 3 runs onto page 3: its second paragraph is clean of the footer and header between
    art3_1 = next(c for c in parsed.clauses if c.citation == "Art. 3(1)")
    art3_2 = next(c for c in parsed.clauses if c.citation == "Art. 3(2)")
    assert art3_1.text == "Each Party shall accord national treatment to the goods of the other Party."
    assert art3_2.text == "Paragraph 1 does not apply to the measures listed in the Annex."


def test_running_lines_keep_article_headings_that_follow_the_page_number():
    bodies = ["The Parties shall cooperate.", "Each Party shall notify.", "No Party shall impose.", "Done at Bern."]
    pages = [[f"Article {n}", body, f"Page {n} of 4"] for n, body in enumerate(bodies, start=1)]
    kept = pdf_reader.strip_running_lines(pages)
    assert kept == [[f"Article {n}", body] for n, body in enumerate(bodies, start=1)]


def test_encrypted_pdf_is_refused():
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "Article 1 Scope")
    with pytest.raises(ReadError, match="the PDF is encrypted") as err:
        pdf_reader.read(Path("locked.pdf"), bytes(pdf.output()), "h")
    assert str(err.value).startswith("locked.pdf: ") and "\n" not in str(err.value)


def test_pdf_with_owner_password_only_is_read():
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")  # opens without a password: printing rights only
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    _line(pdf, "Article 1")
    _line(pdf, "Each Party shall publish its laws and regulations promptly.")
    parsed = pdf_reader.read(Path("owner.pdf"), bytes(pdf.output()), "h")
    assert [c.citation for c in parsed.clauses] == ["Art. 1"]


def test_scanned_pdf_asks_for_ocr():
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("RGB", (400, 560), "white"), x=10, y=10, w=180)
    with pytest.raises(ReadError, match="no text layer.*OCR.*ocrmypdf"):
        pdf_reader.read(Path("scan.pdf"), bytes(pdf.output()), "h")


@pytest.mark.parametrize("kind", ["truncated", "junk"])
def test_truncated_or_junk_pdf_is_one_clear_error(kind: str, caplog: pytest.LogCaptureFixture):
    data = _treaty_pdf()
    data = data[: len(data) // 2] if kind == "truncated" else b"%PDF-1.7\n junk that is no PDF"
    with warnings.catch_warnings(record=True) as seen, pytest.raises(ReadError, match="damaged or truncated") as err:
        warnings.simplefilter("always")
        pdf_reader.read(Path("cut.pdf"), data, "h")
    assert str(err.value).startswith("cut.pdf: ") and "\n" not in str(err.value)
    assert err.value.__suppress_context__  # the library's exception is not chained into the report
    assert not seen and not caplog.records


# DOCX: abstractNum 90 numbers articles ("Article %1", linked to Heading 2), paragraphs ("%2.") and
# items ("(%3)"); abstractNum 91 numbers chapters ("Chapter %1", upper roman, linked to Heading 1).
NUMBERING = f"""<w:numbering {W_NS}>
<w:abstractNum w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>
    <w:lvlText w:val="Article %1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:pStyle w:val="Heading1"/>
    <w:lvlText w:val="Chapter %1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num w:numId="91"><w:abstractNumId w:val="91"/></w:num>
<w:num w:numId="92"><w:abstractNumId w:val="90"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def _numbered(doc: docx.document.Document, text: str, num_id: int, ilvl: int) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def _link_style(doc: docx.document.Document, style: str, num_id: int) -> None:
    num_pr = parse_xml(f'<w:numPr {W_NS}><w:numId w:val="{num_id}"/></w:numPr>')
    doc.styles[style].element.get_or_add_pPr().append(num_pr)


def _treaty_docx() -> bytes:
    doc = docx.Document()
    part = doc.part.numbering_part
    part._element = parse_xml(NUMBERING)  # replace the template's list definitions with ours
    _link_style(doc, "Heading 1", 91)
    _link_style(doc, "Heading 2", 90)
    doc.add_paragraph("AGREEMENT BETWEEN ALPHA AND BETA")
    doc.add_paragraph("The Parties have agreed as follows:")
    doc.add_heading("General Provisions", level=1)  # "Chapter I General Provisions"
    doc.add_heading("Scope", level=2)  # "Article 1 Scope": the number comes from the style
    _numbered(doc, "This Agreement applies to trade in goods.", 90, 1)
    _numbered(doc, "It also applies to services in the following sectors:", 90, 1)
    _numbered(doc, "transport;", 90, 2)
    _numbered(doc, "finance.", 90, 2)
    doc.add_heading("Withdrawal", level=2)  # "Article 2": paragraph numbering restarts under it
    _numbered(doc, "A Party may withdraw by written notice.", 90, 1)
    table = doc.add_table(rows=2, cols=2)
    for r, row in enumerate([("Notice to", "Effect after"), ("the Depositary", "six months")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("ANNEX I")
    p = doc.add_paragraph("Rules of Origin", style="Heading 2")
    p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:numId w:val="92"/></w:numPr>'))  # restarts at 1
    _numbered(doc, "Goods wholly obtained in a Party originate there.", 92, 1)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_docx_automatic_numbering_gives_citations():
    parsed = docx_reader.read(Path("draft.docx"), _treaty_docx(), "h")
    assert [c.citation for c in parsed.clauses] == [
        "Preamble", "Art. 1", "Art. 1(1)", "Art. 1(2)", "Art. 1(2)(a)", "Art. 1(2)(b)",
        "Art. 2", "Art. 2(1)", "Annex I, Art. 1", "Annex I, Art. 1(1)",
    ]
    by_cite = {c.citation: c for c in parsed.clauses}
    assert by_cite["Art. 1"].heading == "Scope"
    assert by_cite["Art. 1"].chapter == "Chapter I General Provisions"
    assert by_cite["Art. 1(2)(b)"].text == "finance."
    assert by_cite["Art. 1(2)(b)"].context == "It also applies to services in the following sectors:"
    assert by_cite["Annex I, Art. 1"].heading == "Rules of Origin"
    # the table, row by row (cells joined by " | "), stays in Article 2's text
    assert by_cite["Art. 2(1)"].text == (
        "A Party may withdraw by written notice. Notice to | Effect after the Depositary | six months"
    )
    assert parsed.treaty.title == "AGREEMENT BETWEEN ALPHA AND BETA"


@pytest.mark.parametrize(
    "value, fmt, shown",
    [(3, "decimal", "3"), (28, "lowerLetter", "bb"), (2, "upperLetter", "B"), (14, "upperRoman", "XIV"),
     (9, "lowerRoman", "ix"), (7, "decimalZero", "07"), (1, "ordinalText", "First"), (4, "bullet", "")],
)
def test_number_formats(value: int, fmt: str, shown: str):
    assert docx_reader.number_text(value, fmt) == shown


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def _broken_docx(kind: str) -> bytes:
    good = _treaty_docx()
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "not a zip":
        return b"PK-ish but really just text"
    members = {n: zipfile.ZipFile(io.BytesIO(good)).read(n) for n in zipfile.ZipFile(io.BytesIO(good)).namelist()}
    if kind == "no document part":
        del members["word/document.xml"]
    else:
        members["word/document.xml"] = b"<w:document " + W_NS.encode() + b"><w:body><w:p>"
    return _zip(members)


@pytest.mark.parametrize("kind", ["truncated", "not a zip", "no document part", "broken XML"])
def test_corrupt_docx_is_one_clear_error(kind: str):
    with pytest.raises(ReadError, match="not a readable DOCX file") as err:
        docx_reader.read(Path("bad.docx"), _broken_docx(kind), "h")
    assert str(err.value).startswith("bad.docx: ") and "\n" not in str(err.value)
