"""Same agreement text across formats, on real ToTA agreements built from one template."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ingest.readers import tota_xml
from ingest.sametext import differing_words, same_text, text_of
from tests.conftest import SAMPLE


def _clauses(path: Path):
    return tota_xml.read(path, path.read_bytes(), "h").clauses


def test_a_rendering_with_page_numbers_and_a_stray_header_is_the_same_text():
    clauses = _clauses(SAMPLE / "pta_143.xml")
    paged = [replace(c, text=f"Official copy {c.text} {n}") for n, c in enumerate(clauses)]  # header, page no.
    assert same_text(text_of(clauses), text_of(paged))
    once = [replace(clauses[0], text="not " + clauses[0].text), *clauses[1:]]
    assert not same_text(text_of(clauses), text_of(once))  # a one-off added word may change the meaning


def test_one_number_changed_makes_another_text():
    clauses = _clauses(SAMPLE / "pta_143.xml")
    i = next(i for i, c in enumerate(clauses) if " 30 " in c.text or " 60 " in c.text)
    old, new = (" 30 ", " 45 ") if " 30 " in clauses[i].text else (" 60 ", " 45 ")
    changed = [*clauses[:i], replace(clauses[i], text=clauses[i].text.replace(old, new, 1)), *clauses[i + 1:]]
    assert not same_text(text_of(clauses), text_of(changed))  # a revised version is not the stored one
    shall = next(i for i, c in enumerate(clauses) if " shall " in c.text)
    may = [*clauses[:shall], replace(clauses[shall], text=clauses[shall].text.replace(" shall ", " may ", 1)),
           *clauses[shall + 1:]]
    assert differing_words(text_of(clauses), text_of(may)) == (1, 1)
    assert not same_text(text_of(clauses), text_of(may))


def test_agreements_from_one_template_are_not_the_same_text(tota: Path):
    # The ``tota`` fixture ($PACTA_TOTA or ../shared/corpora/tota/xml) skips, saying why, without the corpus.
    czech_romania, slovak_romania = _clauses(tota / "pta_202.xml"), _clauses(tota / "pta_301.xml")
    assert min(differing_words(text_of(czech_romania), text_of(slovak_romania))) > 4
    assert not same_text(text_of(czech_romania), text_of(slovak_romania))
