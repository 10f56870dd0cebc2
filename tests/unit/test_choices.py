"""The closed sets of choices: one enum each, errors that list the values, and the command line's choices
derived from the enums (so a new value cannot be accepted in one place and refused in another)."""

from __future__ import annotations

import argparse

import pytest

from app.cli import build_parser
from app.context import GraphKind
from app.ingesting import FileStatus
from graph.conflicts.model import Severity
from ingest.atomic import write_atomic
from ingest.choices import Choice
from ingest.errors import InputError, NoSuchAgreement, PactaError
from search.embed import Precision
from search.fusion import reciprocal_rank_fusion
from search.index import SearchMode
from search.vectors import IndexKind

ENUMS = [SearchMode, IndexKind, Precision, FileStatus, GraphKind, Severity]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_from_str_reads_any_case_and_lists_the_values_when_wrong(enum: type[Choice]):
    first = next(iter(enum))
    assert enum.from_str(f"  {first.value.upper()} ") is first
    with pytest.raises(InputError) as err:
        enum.from_str("nonsense")
    assert f"unknown {enum.label()} 'nonsense'" in str(err.value)
    assert all(v in str(err.value) for v in enum.values())


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    out = {}
    for action in parser._actions:
        for flag in action.option_strings:
            out[flag] = action
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out |= {f"{name} {k}": v for k, v in _options(sub).items()}
    return out


@pytest.mark.parametrize(("flag", "enum"), [
    ("search --mode", SearchMode), ("ingest --index", IndexKind), ("--precision", Precision),
    ("--graph", GraphKind), ("check --min-severity", Severity), ("search --precision", Precision),
])
def test_command_line_choices_are_the_enums_values(flag: str, enum: type[Choice]):
    action = _options(build_parser())[flag]
    assert tuple(action.choices) == enum.values()


def test_library_errors_a_caller_can_cause_are_pacta_errors():
    with pytest.raises(PactaError):
        reciprocal_rank_fusion([[1, 2]], weights=[1.0, 2.0])
    with pytest.raises(PactaError):
        SearchMode.from_str("semantic")
    assert str(NoSuchAgreement("x-1")) == "no stored agreement with id 'x-1' (see 'pacta list')"


def test_write_atomic_replaces_whole_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "m.json"
    write_atomic(target, "old")
    write_atomic(target, "new")
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["m.json"]
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing-folder" / "m.json", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
