"""Every page of the app through Streamlit's AppTest, on the demo-sample store with the real model: inputs set,
outputs asserted, errors shown as one sentence; and a checked draft leaves nothing behind."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.context import Context, Settings

pytestmark = pytest.mark.integration

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "web" / "main.py")
DRAFT = Path(__file__).resolve().parents[1] / "data" / "drafts" / "can_chl_draft.txt"


@pytest.fixture
def app(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PACTA_HOME", str(sample_store))
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


def _html(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _open(at: AppTest, page: str, **params: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def test_search_with_a_party_filter_highlights_and_collapses_templates(app: AppTest):
    app.text_area(key="query").input("customs duties on imports")
    app.button[0].click().run()  # Search
    assert not app.exception and app.subheader[0].value.startswith("Results for")
    assert '<div class="pacta-cite">Art. 2.2(2)' in _html(app)
    assert '<mark class="hit">' in _html(app)  # the matching words are marked
    also = [e.label for e in app.expander if e.label.startswith("Also in")]
    assert also and "3 other agreements" in also[0]  # a template text collapsed with its copies
    assert [d.proto.label for d in app.get("download_button")] == ["Download CSV", "Download JSON"]

    app.multiselect(key="parties").select("JOR")
    app.button[0].click().run()
    cards = [e.proto.body for e in app.get("html") if 'class="pacta-hit"' in e.proto.body]
    assert len(cards) == 10 and all("Canada - Jordan (tota-352)" in c for c in cards), cards

    app.button(key=next(b.key for b in app.button if b.label == "More like this")).click().run()
    assert app.subheader[0].value.startswith("Clauses like")


def test_search_explains_an_empty_query_and_no_results(app: AppTest):
    app.button[0].click().run()
    assert "Type some words" in app.warning[0].value
    app.text_area(key="query").input("customs duties")
    app.selectbox(key="treaty").select("tota-352")
    app.multiselect(key="parties").select("EGY")  # Egypt is not a party to Canada - Jordan
    app.button[0].click().run()
    assert not app.exception and "No clause matches" in app.info[0].value


def test_clause_page_shows_context_annotations_and_a_side_by_side_difference(app: AppTest):
    _open(app, "clause", clause="tota-352/27177")
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value.startswith("Art. 16-5")
    text = _markdown(app)
    assert "**Type:** Duration, termination and withdrawal" in text and "six months" in text
    assert app.radio(key="compare").options  # similar clauses of other agreements to compare with
    html = _html(app)
    assert "<del>" in html and "<ins>" in html  # the words that differ, marked on each side
    assert app.get("graphviz_chart")  # the neighbourhood drawn


def test_clause_page_says_plainly_when_the_id_is_unknown(app: AppTest):
    _open(app, "clause", clause="tota-999/1")
    assert "no stored clause with id 'tota-999/1'" in app.error[0].value


def test_agreement_page_metadata_contents_related_and_register(app: AppTest):
    _open(app, "agreement", treaty="tota-101")
    assert app.title[0].value == "Canada - Chile"
    text = _markdown(app)
    assert "Canada (CAN), Chile (CHL)" in text and "1997-07-05" in text and "(from source)" in text
    assert [t.label for t in app.tabs] == ["Contents", "Related agreements", "Obligation register"]
    assert any(d.proto.label == "Download the register (CSV)" for d in app.get("download_button"))
    assert any("obligations and prohibitions" in c.value for c in app.caption)


def test_agreement_page_with_an_unknown_id_offers_the_list(app: AppTest):
    _open(app, "agreement", treaty="nope")
    assert "No stored agreement with id 'nope'" in app.error[0].value
    assert app.selectbox[0].options  # the stored agreements to choose from


def _check(app: AppTest, text: str, parties: list[str]) -> AppTest:
    _open(app, "check")
    app.text_area(key="draft_text").input(text)
    for p in parties:
        app.multiselect(key="parties").select(p)
    from datetime import date

    app.date_input(key="as_of").set_value(date(2015, 1, 1))
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def test_draft_check_finds_the_planted_clashes_and_keeps_the_draft_in_memory(
        app: AppTest, sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    marker = f"Confidential-{uuid.uuid4().hex}"
    text = DRAFT.read_text() + f"\nArticle 12 - Marker\n1. The Parties shall cooperate on {marker}.\n"
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with Context(Settings(store=sample_store)) as ctx:
        before = (ctx.graph.generation(), ctx.graph.stats())
    files_before = sorted(p.name for p in sample_store.rglob("*"))

    _check(app, text, ["CAN", "CHL"])
    assert [s.value for s in app.subheader][:2] == ["Draft Agreement on Trade between Canada and the Republic of Chile",
                                                    "High severity (2)"]
    found = _markdown(app)
    assert "**HIGH · priority** — draft **Art. 1(2)** against **Art. A-03(2)**" in found
    assert "**HIGH · modality** — draft **Art. 3(1)** against **Art. C-12**" in found
    assert "**Priority:**" in found and "Art. 30(3)" in found
    assert '<mark class="clash">' in _html(app)
    assert [d.proto.label for d in app.get("download_button")] == ["Report (HTML)", "Report (Markdown)",
                                                                    "Result (JSON)"]

    with Context(Settings(store=sample_store)) as ctx:
        assert (ctx.graph.generation(), ctx.graph.stats()) == before
    assert sorted(p.name for p in sample_store.rglob("*")) == files_before
    assert not list(temp.iterdir())  # no temporary file either
    for p in sample_store.rglob("*"):
        if p.is_file():
            assert marker.encode() not in p.read_bytes(), p


def test_draft_check_errors_are_sentences(app: AppTest):
    _open(app, "check")
    app.text_area(key="draft_text").input("Article 1\nThe Parties shall cooperate.")
    app.button[0].click().run()
    assert "Choose the states" in app.warning[0].value
    _check(app, "   \n", ["CAN"])
    assert "Paste the draft" in app.warning[0].value
    _check(app, "hello", ["CAN"])
    assert app.error and app.error[0].value.startswith("pasted draft.txt: no article headings")
    assert "Traceback" not in app.error[0].value


def test_state_page_shows_the_report(app: AppTest):
    _open(app, "state")
    app.selectbox(key="party").select("CAN")
    app.button[0].click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.subheader[0].value.startswith("Canada — as of")
    labels = [m.label for m in app.metric]
    assert labels[:2] == ["Agreements", "In force"] and int(app.metric[0].value) == 5
    assert 'alt="timeline of the agreements" style="max-width:100%" src="data:image/svg+xml;base64,' in _html(app)
    assert any(t.label.startswith("Conflicts (") for t in app.tabs)


def test_empty_store_says_how_to_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PACTA_HOME", str(tmp_path / "empty"))
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    assert "No agreements are stored yet" in at.info[0].value
    assert any(b.label.startswith("Load the demo sample") for b in at.button)


def test_a_neo4j_server_that_is_down_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PACTA_HOME", str(tmp_path / "store"))
    monkeypatch.setenv("PACTA_GRAPH", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # nothing listens there
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.run()
    assert not at.exception
    assert at.error and "bolt://127.0.0.1:9" in at.error[0].value and "Traceback" not in at.error[0].value


def test_the_app_on_the_neo4j_store_searches_and_checks(sample_store: Path, neo4j_uri: str,
                                                        monkeypatch: pytest.MonkeyPatch):
    """``pacta app --graph neo4j``: the same pages on a real Neo4j server."""
    from app.cli import main
    from graph.stores.neo4j import Neo4jGraphStore
    from tests.conftest import SAMPLE

    wipe = Neo4jGraphStore(neo4j_uri)
    wipe.wipe()
    wipe.close()
    neo = ["--store", str(sample_store), "--graph", "neo4j", "--neo4j-uri", neo4j_uri]
    # in one process: after AppTest runs in this process, ``__main__`` is the app's script, which a spawned reading
    # process would run again
    assert main([*neo, "ingest", "-q", "--workers", "1", str(SAMPLE)]) == 0
    monkeypatch.setenv("PACTA_HOME", str(sample_store))
    monkeypatch.setenv("PACTA_GRAPH", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "(neo4j) · 6 agreements" in at.sidebar.caption[0].value
    at.text_area(key="query").input("customs duties on imports")
    at.multiselect(key="parties").select("JOR")
    at.button[0].click().run()
    cards = [e.proto.body for e in at.get("html") if 'class="pacta-hit"' in e.proto.body]
    assert len(cards) == 10 and all("Canada - Jordan (tota-352)" in c for c in cards)
    _check(at, DRAFT.read_text(), ["CAN", "CHL"])
    assert "High severity (2)" in [s.value for s in at.subheader]
