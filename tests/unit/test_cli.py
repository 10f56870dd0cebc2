import json
import subprocess
import sys

import pytest

from app.cli import build_parser, main

# every command the parser knows, so that a new one cannot go without help text
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_the_command_list_is_complete():
    assert {"ingest", "search", "check", "tune", "neo4j"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert f"pacta {command}" in out and len(out.splitlines()) > 3
    sub = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert sub.description


def test_light_commands_do_not_import_heavy_libraries(tmp_path):
    code = (
        "import sys; from app.cli import main; main(['--store', sys.argv[1], 'stats', '--json']); "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'bm25s') if m in sys.modules]; "
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s")], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]):
    for argv in (["search", "x", "--in-force-on", "2020-13-01"], ["search", "x", "--party", "XYZ"],
                 ["search", "x", "-k", "0"], ["frobnicate"], ["tune", "--minutes", "0"], ["tune", "--minutes", "-1"],
                 ["ingest", "x.xml", "--ray-address", "auto"], ["search"], ["search", "  "],
                 ["search", "x", "--batch", "q.jsonl"], ["search", "x", "--mode", "semantic"],
                 ["obligations", "t", "--party", "CAN,XYZ"], ["ingest", "x.xml", "--parties", ","]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2
    assert "unknown party 'XYZ'" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["--signed", "2020-13-01"], "--signed '2020-13-01' is not a date; use YYYY-MM-DD"),
    (["--in-force", "1 May 2020"], "--in-force '1 May 2020' is not a date; use YYYY-MM-DD"),
    (["--title", ""], "--title must not be empty"), (["--title", "  "], "--title must not be empty"),
])
def test_bad_ingest_metadata_flags_are_usage_errors(argv: list[str], message: str,
                                                    capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as done:
        main(["ingest", "x.xml", *argv])
    assert done.value.code == 2 and message in capsys.readouterr().err


def test_bad_input_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]):
    assert main(["show", "no-such-treaty"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "pacta: no stored agreement with id 'no-such-treaty' (see 'pacta list')"


def test_stats_json_is_one_document(capsys: pytest.CaptureFixture[str]):
    assert main(["stats", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["treaties"] == 0 and doc["index_generation"] is None
