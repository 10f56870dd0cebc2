"""Every file of the real ToTA corpus parses into a treaty with citable clauses (reader only, no model)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.readers import read

pytestmark = pytest.mark.integration


def test_all_450_tota_files_parse(tota: Path):
    files = sorted(tota.glob("*.xml"))
    assert len(files) == 450
    languages: dict[str, int] = {}
    no_parties = 0
    for path in files:
        data = path.read_bytes()
        parsed = read(path, data, hashlib.sha256(data).hexdigest())
        t = parsed.treaty
        assert t.treaty_id.startswith("tota-") and t.title and t.date_signed is not None, path
        assert all(len(p) == 3 and p.isupper() for p in t.parties), path
        no_parties += not t.parties
        languages[t.language or "?"] = languages.get(t.language or "?", 0) + 1
        ids = [c.clause_id for c in parsed.clauses]
        assert len(ids) == len(set(ids)), f"{path}: clause ids repeat"
        assert parsed.clauses and all(c.citation for c in parsed.clauses), path
        assert [c.order for c in parsed.clauses] == list(range(len(parsed.clauses))), path
        parents = set(ids)
        assert all(c.parent_id in parents for c in parsed.clauses if c.parent_id), path
    assert languages == {"en": 424, "es": 24, "fr": 2}
    assert no_parties < 10
