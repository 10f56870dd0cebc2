"""Comments and documents cite only files that are in the repository (issue 16: a clause-type table still
named ``ingest/annotate/typing.py``, and docs/scaling.md a measurement file kept outside the repository)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

FOLDERS = ("app", "benchmarks", "docs", "graph", "ingest", "search", "tests")
SUFFIXES = {".py", ".toml", ".md", ".yaml", ".yml"}
# A path inside the repository ("ingest/annotate/clause_types.py"), and a document named on its own ("RESULTS.md").
PATH = re.compile(r"(?<![\w./-])((?:app|benchmarks|data|docs|graph|ingest|search|tests)/[\w./-]*\w"
                  r"\.(?:py|toml|md|json|yaml))\b")
DOCUMENT = re.compile(r"(?<![\w./-])([A-Z][A-Z_]+\.md)\b")
PLACEHOLDERS = {"FILE.md"}  # "--report FILE.md": an argument, not a citation
KNOWN: set[tuple[str, str]] = set()  # (file, citation) pairs allowed to stay: none


def _sources() -> list[Path]:
    files = [p for folder in FOLDERS for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return [p for p in [*files, *ROOT.glob("*.md")] if p != Path(__file__)]  # not the examples above


def test_every_cited_repository_file_exists():
    sources = _sources()
    documents = {p.name for p in sources}
    missing = []
    for source in sources:
        text = source.read_text(encoding="utf-8", errors="replace")
        name = source.relative_to(ROOT).as_posix()
        missing += [(name, p) for p in PATH.findall(text) if not (ROOT / p).exists()]
        missing += [(name, d) for d in DOCUMENT.findall(text)
                    if d not in documents and d not in PLACEHOLDERS and (name, d) not in KNOWN]
    assert not missing, missing
