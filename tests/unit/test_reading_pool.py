"""The reading pool under a host that runs scripts as ``__main__`` (Streamlit, its AppTest): workers must not run
that script again (a CI run failed so, an ingest test right after the app's page tests)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from app.reading import make_job, read_all
from ingest.records import ParsedTreaty
from ingest.sources import Source

TEXT = b"Agreement between A and B\n\nArticle 1\nEach Party shall notify the other Party within 30 days.\n"


def test_workers_do_not_run_a_hosts_main_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('the host script ran in a worker')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)  # a script run by a host: a file, no module name
    monkeypatch.setitem(sys.modules, "__main__", page)
    jobs = [make_job(Source(f"t{n}.txt", tmp_path / f"t{n}.txt", TEXT), None) for n in range(3)]
    outcomes = list(read_all(jobs, workers=2))
    assert [isinstance(o.result, ParsedTreaty) for o in outcomes] == [True, True, True]
    assert sys.modules["__main__"] is page  # put back once the workers are done
