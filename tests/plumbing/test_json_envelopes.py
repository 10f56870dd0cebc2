"""Every command's ``--json`` against its documented envelope (``app/envelopes.py``), on a real store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import build_parser, main
from app.envelopes import BATCH_LINE, ENVELOPES
from tests.conftest import ROOT, SAMPLE

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
DRAFT = ROOT / "tests" / "data" / "drafts" / "can_chl_draft.txt"


def test_every_command_has_a_documented_envelope():
    assert set(ENVELOPES) == set(COMMANDS)


def _argv(command: str, store: Path, clause_id: str) -> list[list[str]]:
    """The calls of ``command`` to check: every form whose answer differs in shape."""
    s = ["--store", str(store)]
    return {
        "search": [[*s, "search", "termination by written notification", "--party", "CAN"]],
        "similar": [[*s, "similar", clause_id, "-k", "3"]],
        "list": [[*s, "list"], [*s, "list", "--party", "CAN,CHL"]],
        "ingest": [[*s, "ingest", "-q", str(SAMPLE)]],
        "check": [[*s, "check", str(DRAFT), "--parties", "CAN,CHL", "--as-of", "2015-01-01"]],
        "state": [[*s, "state", "CAN", "--as-of", "2015-01-01"]],
        "show": [[*s, "show", "tota-143"]],
        "related": [[*s, "related", "tota-143", "-k", "2"]],
        "obligations": [[*s, "obligations", "tota-143"]],
        "tune": [[*s, "tune", "--revert", "-q"]],
        "neo4j": [[*s, "neo4j", "status"]],
        "stats": [[*s, "stats"]],
    }.get(command, [])


@pytest.fixture(scope="module")
def store(plumbing_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("envelopes") / "store"  # tune --revert re-indexes: not the shared store
    shutil.copytree(plumbing_store, copy)
    return copy


@pytest.mark.parametrize("command", [c for c in COMMANDS if ENVELOPES.get(c)])
def test_json_answer_has_its_envelope(command: str, store: Path, capsys: pytest.CaptureFixture[str]):
    main(["--store", str(store), "search", "withdraw written notification", "--json"])
    clause_id = json.loads(capsys.readouterr().out)["hits"][0]["clause_id"]
    calls = _argv(command, store, clause_id)
    assert calls, f"no call of '{command}' is checked here"
    envelope = ENVELOPES[command]
    assert envelope is not None
    for argv in calls:
        code = main([*argv, "--json"])
        out = capsys.readouterr().out
        assert code in (0, 1) and out.count("\n") == 1, (argv, code, out[-500:])  # one document, one line
        doc = json.loads(out)
        assert isinstance(doc, dict) and all(k in doc for k in envelope.keys), (argv, envelope, list(doc))


def test_hit_lists_echo_the_request(store: Path, capsys: pytest.CaptureFixture[str]):
    main(["--store", str(store), "search", "customs duties", "--party", "CAN,CHL", "-k", "3", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["request"]["query"] == "customs duties" and doc["request"]["party"] == ["CAN", "CHL"]
    assert doc["request"]["k"] == 3 and len(doc["hits"]) <= 3


def test_batch_lines_share_the_hit_list_envelope(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join([json.dumps({"id": "a", "query": "customs duties", "k": 2}),
                                json.dumps({"id": "b", "query": "customs duties", "k": 0}),
                                json.dumps({"query": "rules of origin"})]) + "\n")
    code = main(["--store", str(store), "search", "--batch", str(batch), "--party", "CHL", "--json"])
    captured = capsys.readouterr()
    lines = [json.loads(x) for x in captured.out.splitlines()]
    assert code == 1 and [x["id"] for x in lines] == ["a", "b", 3]
    assert all(all(k in x for k in BATCH_LINE.keys) for x in lines)
    assert lines[0]["request"]["party"] == ["CHL"] and len(lines[0]["hits"]) <= 2  # --party reaches each line
    assert lines[1]["hits"] == [] and "'k' must be a whole number of at least 1, not 0" in lines[1]["error"]
    assert "(id b)" in captured.err and lines[2]["request"]["k"] == 10


def test_party_flags_take_codes_comma_separated_or_repeated(store: Path, capsys: pytest.CaptureFixture[str]):
    def ids(*argv: str) -> list[str]:
        assert main(["--store", str(store), *argv, "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        return [t["treaty_id"] for t in doc["treaties"]] if "treaties" in doc else [
            o["clause_id"] for o in doc["obligations"]]

    both = ids("list", "--party", "ISR,JOR")
    assert both == ids("list", "--party", "ISR", "--party", "JOR") == ids("list", "--party", "Israel, Jordan")
    assert set(ids("list", "--party", "ISR")) < set(both)
    binding = ids("obligations", "tota-143", "--party", "CAN,NOR")
    assert binding == ids("obligations", "tota-143", "--party", "CAN", "--party", "NOR")
