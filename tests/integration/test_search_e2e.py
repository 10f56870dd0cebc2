"""End to end on real ToTA agreements with the real model, FAISS and BM25."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import SAMPLE
from tests.integration.conftest import run_json

pytestmark = pytest.mark.integration
CLAUSE_FIELDS = {"clause_id", "treaty_id", "treaty_name", "citation", "text", "parties", "source"}
HIT_FIELDS = CLAUSE_FIELDS | {"score", "clause_type", "also_in"}


def test_withdrawal_clauses_of_canadas_agreements(sample_store: Path, capsys):
    code, doc = run_json(capsys, ["--store", str(sample_store), "search",
                                  "withdrawal from the agreement by written notice", "--party", "CAN", "-k", "5"])
    assert code == 0
    hits = doc["hits"]
    assert all("CAN" in h["parties"] for h in hits)
    by_cite = {(h["treaty_name"], h["citation"]) for h in hits}
    # EFTA - Canada, Art. 40 "Withdrawal and Termination", paragraph 1: withdrawal by written notification
    assert ("EFTA - Canada", "Art. 40(1)") in by_cite
    top = hits[0]
    assert top["heading"] == "Withdrawal And Termination" and "withdraw" in top["text"].lower()
    # EFTA - Egypt has the same kind of clause but Canada is not a party to it
    assert not any(h["treaty_name"] == "EFTA - Egypt" for h in hits)


def test_hits_carry_every_field_product_md_names(sample_store: Path, capsys):
    code, doc = run_json(capsys, ["--store", str(sample_store), "search", "national treatment of goods", "-k", "5"])
    assert code == 0 and len(doc["hits"]) == 5
    for hit in doc["hits"]:
        assert hit.keys() >= HIT_FIELDS
        assert set(hit["source"]) == {"treaty_identifier", "chapter_identifier", "article_identifier"}
        assert hit["citation"].startswith(("Art. ", "Preamble"))
        for other in hit["also_in"]:
            assert {"treaty_id", "treaty_name", "citation", "source"} <= other.keys()


def test_identical_texts_collapse_and_no_collapse_shows_copies(sample_store: Path, capsys):
    query = "The Parties may agree on any modification of or addition to this Agreement"
    _, collapsed = run_json(capsys, ["--store", str(sample_store), "search", query, "-k", "5"])
    _, every = run_json(capsys, ["--store", str(sample_store), "search", query, "-k", "5", "--no-collapse"])
    texts = [" ".join(h["text"].lower().split()) for h in collapsed["hits"]]
    assert len(texts) == len(set(texts))
    top = collapsed["hits"][0]
    # the amendment clause is word for word the same in Canada - Chile, - Israel and - Costa Rica
    assert {top["treaty_name"], *(o["treaty_name"] for o in top["also_in"])} == {
        "Canada - Chile", "Canada - Israel", "Canada - Costa Rica"}
    copies = {h["clause_id"] for h in every["hits"][: 1 + len(top["also_in"])]}
    assert copies == {top["clause_id"], *(o["clause_id"] for o in top["also_in"])}


def test_in_force_filter(sample_store: Path, capsys):
    _, every = run_json(capsys, ["--store", str(sample_store), "search", "rules of origin", "-k", "10"])
    _, doc = run_json(capsys, ["--store", str(sample_store), "search", "rules of origin",
                               "--in-force-on", "1998-01-01", "-k", "10"])
    # Of the sample, only Canada - Israel (1997-01-01) and Canada - Chile (1997-07-05) were in force then; both
    # have rules of origin, and without the filter later agreements come up too.
    then = {"Canada - Israel", "Canada - Chile"}
    assert doc["hits"] and {h["treaty_name"] for h in doc["hits"]} <= then
    assert {h["treaty_name"] for h in every["hits"]} - then


def test_similar_finds_other_agreements(sample_store: Path, capsys):
    _, doc = run_json(capsys, ["--store", str(sample_store), "search", "withdraw written notification Depositary",
                               "--treaty", "tota-143", "-k", "1"])
    clause_id = doc["hits"][0]["clause_id"]
    code, sim = run_json(capsys, ["--store", str(sample_store), "similar", clause_id, "-k", "5"])
    assert code == 0 and sim["hits"]
    assert all(h["clause_id"] != clause_id for h in sim["hits"])
    assert any("terminat" in h["text"].lower() or "withdraw" in h["text"].lower() for h in sim["hits"])


def test_batch_search_one_line_per_query(sample_store: Path, tmp_path: Path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "query": "termination by written notification", "party": ["JOR"], "k": 2}),
        "not json",
        json.dumps({"id": "b", "query": "customs duties on imports", "k": 3}),
    ]))
    code = main(["--store", str(sample_store), "search", "--batch", str(batch), "--json"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert code == 1  # the malformed line is reported, the others answered
    assert [x["id"] for x in lines] == ["a", 2, "b"]
    assert len(lines[0]["hits"]) == 2 and all("JOR" in h["parties"] for h in lines[0]["hits"])
    assert "error" in lines[1] and len(lines[2]["hits"]) == 3


def test_batch_lines_without_a_party_take_the_command_lines_and_errors_carry_the_lines_id(
        sample_store: Path, tmp_path: Path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "own", "query": "customs duties on imports", "party": "EGY", "k": 3}),
        json.dumps({"id": "default", "query": "customs duties on imports", "k": 3}),
        json.dumps({"id": "bad-party", "query": "customs duties", "party": ["Atlantis"]}),
        json.dumps({"id": "bad-k", "query": "customs duties", "k": 0}),
    ]))
    code = main(["--store", str(sample_store), "search", "--batch", str(batch), "--party", "JOR", "--json"])
    captured = capsys.readouterr()
    lines = {x["id"]: x for x in map(json.loads, captured.out.splitlines())}
    assert code == 1 and list(lines) == ["own", "default", "bad-party", "bad-k"]
    assert lines["own"]["hits"] and all("EGY" in h["parties"] for h in lines["own"]["hits"])
    assert lines["default"]["hits"] and all("JOR" in h["parties"] for h in lines["default"]["hits"])
    assert "Atlantis" in lines["bad-party"]["error"] and not lines["bad-party"]["hits"]
    assert "'k'" in lines["bad-k"]["error"]
    assert "(id bad-party)" in captured.err and "Traceback" not in captured.err


def test_show_and_list(sample_store: Path, capsys):
    _, doc = run_json(capsys, ["--store", str(sample_store), "show", "tota-143"])
    assert doc["treaty_name"] == "EFTA - Canada" and doc["date_in_force"] == "2009-07-01"
    cites = [c["citation"] for c in doc["clauses"]]
    assert cites.index("Art. 40") < cites.index("Art. 40(1)") < cites.index("Art. 40(2)")
    _, listing = run_json(capsys, ["--store", str(sample_store), "list", "--party", "EGY"])
    assert [t["treaty_id"] for t in listing["treaties"]] == ["tota-5"]


def test_reingest_is_idempotent_and_changes_replace(tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("pta_143.xml", "pta_5.xml"):
        shutil.copy(SAMPLE / name, corpus / name)
    store = ["--store", str(tmp_path / "store")]
    code, first = run_json(capsys, [*store, "ingest", "-q", str(corpus)])
    assert code == 0 and first["totals"]["ingested"] == 2
    code, again = run_json(capsys, [*store, "ingest", "-q", str(corpus)])
    assert code == 0 and {f["status"] for f in again["files"]} == {"unchanged"}
    assert again["totals"]["embedded"] == 0 and again["totals"]["index_rows"] == 0  # nothing rebuilt
    # change one clause of EFTA - Canada: that agreement is replaced, the other untouched
    path = corpus / "pta_143.xml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "may withdraw from this Agreement by means of a written\n  notification",
        "may denounce this Agreement by a diplomatic note"), encoding="utf-8")
    code, changed = run_json(capsys, [*store, "ingest", "-q", str(corpus)])
    status = {Path(f["path"]).name: f["status"] for f in changed["files"]}
    assert status == {"pta_143.xml": "ingested", "pta_5.xml": "unchanged"}
    assert changed["totals"]["embedded"] == 1  # only the changed clause text is embedded again
    _, doc = run_json(capsys, [*store, "search", "denounce by diplomatic note", "-k", "1", "--mode", "lexical"])
    assert doc["hits"][0]["citation"] == "Art. 40(1)" and "diplomatic note" in doc["hits"][0]["text"]
    _, old = run_json(capsys, [*store, "search", "withdraw by means of a written notification", "--treaty", "tota-143"])
    assert not any("withdraw from this Agreement by means of a written" in h["text"] for h in old["hits"])
    _, stats = run_json(capsys, [*store, "stats"])
    assert stats["treaties"] == 2


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE / "pta_143.xml", corpus / "good.xml")
    (corpus / "truncated.xml").write_bytes((SAMPLE / "pta_5.xml").read_bytes()[:5000])
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "junk.xml").write_bytes(bytes(range(256)) * 10)
    (corpus / "xxe.xml").write_text('<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><treaty>&x;</treaty>')
    code = main(["--store", str(tmp_path / "store"), "ingest", "-q", str(corpus), "--json"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 1
    status = {Path(f["path"]).name: f["status"] for f in doc["files"]}
    assert status == {"good.xml": "ingested", "truncated.xml": "error", "empty.txt": "error",
                      "junk.xml": "error", "xxe.xml": "error"}
    errors = [line for line in captured.err.splitlines() if line.startswith("pacta: ")]
    assert len(errors) == 4 and "Traceback" not in captured.err
    assert all(Path(line.split(": ")[1]).name in status for line in errors)


def test_same_file_name_in_two_folders_is_refused_not_flip_flopped(tmp_path: Path, capsys):
    for folder, body in (("a", "Article 1\nEach Party may withdraw."), ("b", "Article 1\nNo Party may withdraw.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "treaty.txt").write_text(body)
    store = ["--store", str(tmp_path / "store")]
    code, doc = run_json(capsys, [*store, "ingest", "-q", str(tmp_path / "a"), str(tmp_path / "b")])
    assert code == 1
    assert [f["status"] for f in doc["files"]] == ["ingested", "error"]
    assert "already taken by" in doc["files"][1]["error"]
    code, again = run_json(capsys, [*store, "ingest", "-q", str(tmp_path / "a")])
    assert code == 0 and again["files"][0]["status"] == "unchanged"


def _tota_text(name: str, articles: int) -> str:
    """The first ``articles`` articles of a real ToTA agreement as a plain-text treaty."""
    from ingest.readers import tota_xml

    parsed = tota_xml.read(SAMPLE / name, (SAMPLE / name).read_bytes(), "h")
    arts = [c for c in parsed.clauses if c.level == "article" and c.citation.startswith("Art.")][:articles]
    body = "\n\n".join(f"Article {c.citation.split()[-1]}\n" + "\n".join(
        x.text for x in parsed.clauses if x.clause_id == c.clause_id or x.clause_id.startswith(c.clause_id + "/"))
        for c in arts)
    return f"{parsed.treaty.title}\n\n{body}\n"


def _pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "Official copy", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()}", align="C")

    pdf = Paged()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text.splitlines():
        pdf.multi_cell(0, 5, line.encode("latin-1", "replace").decode("latin-1") or " ", new_x="LMARGIN",
                       new_y="NEXT")
    pdf.output(str(path))


def test_the_same_agreement_in_two_formats_is_recognised_not_refused(tmp_path: Path, capsys):
    text = _tota_text("pta_143.xml", 6)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fta.txt").write_text(text)
    _pdf(text, corpus / "fta.pdf")  # same stem: the same agreement id
    _pdf(text, corpus / "fta-signed.pdf")  # another stem: another id, the same text
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "fta.txt").write_text(_tota_text("pta_5.xml", 6))  # same stem, another agreement
    store = ["--store", str(tmp_path / "store")]
    code, doc = run_json(capsys, [*store, "ingest", "-q", str(corpus / "fta.txt"), str(corpus / "fta.pdf"),
                                  str(corpus / "fta-signed.pdf"), str(tmp_path / "other" / "fta.txt")])
    files = {f["path"].removeprefix(str(tmp_path) + "/"): f for f in doc["files"]}
    assert [f["status"] for f in files.values()] == ["ingested", "duplicate", "duplicate", "error"]
    assert files["corpus/fta.pdf"]["note"] == f"same text as {corpus / 'fta.txt'}, skipped"
    assert files["corpus/fta-signed.pdf"]["treaty_id"] == "fta" and doc["totals"]["duplicate"] == 2
    assert "already taken by" in files["other/fta.txt"]["error"]  # a different text is still refused
    # against the store, in a later run
    code, again = run_json(capsys, [*store, "ingest", "-q", str(corpus / "fta.pdf")])
    assert code == 0 and again["files"][0]["status"] == "duplicate"


def test_reranked_hits_explain_their_place_and_no_rerank_keeps_the_fused_order(sample_store: Path, capsys):
    query = "the Joint Committee shall meet within 30 days of a request"
    _, reranked = run_json(capsys, ["--store", str(sample_store), "search", query, "-k", "8", "--rerank"])
    _, fused = run_json(capsys, ["--store", str(sample_store), "search", query, "-k", "8", "--no-rerank"])
    hits = reranked["hits"]
    assert reranked["request"]["rerank"] is True and len(hits) == 8
    scores = [h["rerank"]["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    fused_ids = [h["clause_id"] for h in fused["hits"]]
    for hit in hits:
        explained = hit["rerank"]
        assert hit["score"] == explained["score"]
        assert explained["score"] == pytest.approx(sum(explained["contributions"].values()), abs=1e-3)
        # each hit comes from the fused top 50 and says where it stood there (the fused top 8 are those of
        # the same search not reranked: the candidates are found as deep as for 8 hits)
        assert 1 <= explained["fused_rank"] <= 50
        if explained["fused_rank"] <= 8:
            assert fused_ids[explained["fused_rank"] - 1] == hit["clause_id"]
    assert any(h["rerank"]["fused_rank"] <= 8 for h in hits)
    assert all("rerank" not in h for h in fused["hits"])
    _, default = run_json(capsys, ["--store", str(sample_store), "search", query, "-k", "8"])
    adopted = json.loads((Path(__file__).parents[2] / "search" / "rerank.json").read_text())["adopted"]
    assert [h["clause_id"] for h in default["hits"]] == (
        [h["clause_id"] for h in hits] if adopted else fused_ids)
