"""The instruments a treaty cites (GATT 1994, the DSU, the ICSID Convention ...), found by their names.

``instruments.toml`` lists each instrument's id, name and the regular
expressions naming it; the first entry in file order that matches at a
position wins, so specific names come before the general names they contain.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ingest.errors import PactaError


@dataclass(frozen=True)
class Instrument:
    """An instrument of ``instruments.toml``: id, name and the regular expressions naming it."""

    id: str
    name: str
    patterns: tuple[str, ...]
    resolve_from: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def instruments() -> dict[str, Instrument]:
    """The instruments of ``instruments.toml``, by id, in file order."""
    raw = tomllib.loads(resources.files(__package__).joinpath("instruments.toml").read_text(encoding="utf-8"))
    return {
        i["id"]: Instrument(i["id"], i["name"], tuple(i["patterns"]), tuple(i.get("resolve_from", ())))
        for i in raw["instrument"]
    }


def _anchors(pattern: str) -> set[str]:
    """The literal words a match of ``pattern`` can start with ("(?:WTO )?Agreement on X": "WTO", "Agreement")."""
    m = re.match(r"\(\?:([^()]*)\)\?(.*)$", pattern)
    starts = [alt + m[2] for alt in m[1].split("|")] + [m[2]] if m else [pattern]
    out = {re.match(r"(?:[A-Za-z](?![?*+{]))*", start)[0] for start in starts}  # type: ignore[index]
    if "" in out:
        raise PactaError(f"instruments.toml: pattern '{pattern}' does not start with a word")
    return out


def _trie(words: list[str]) -> str:
    """A regular expression matching any of ``words``, factored by common prefix (re scans it far faster)."""
    if words == [""]:
        return ""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[:1], []).append(w[1:])
    alts = [re.escape(head) + _trie(rest) if head else "" for head, rest in groups.items()]
    optional = "" in alts
    alts = [x for x in alts if x]
    body = alts[0] if len(alts) == 1 and not optional else "(?:" + "|".join(alts) + ")"
    return body + "?" if optional else body


@lru_cache(maxsize=1)
def _instrument_regex() -> tuple[re.Pattern[str], re.Pattern[str], list[str]]:
    """(first words of any alias, one alternation of every pattern in file order, the id of each group)."""
    parts: list[str] = []
    ids: list[str] = []
    anchors: set[str] = set()
    for inst in instruments().values():
        for pat in inst.patterns:
            parts.append(f"(?P<g{len(ids)}>" + pat.replace(" ", r"\s*") + ")")
            ids.append(inst.id)
            anchors |= _anchors(pat)
    # A capital after a lower-case letter may start an alias (OCR glue: "theGeneral Agreement").
    start = re.compile(r"(?<![A-Z0-9_-])" + _trie(sorted(anchors)))
    return start, re.compile("(?:" + "|".join(parts) + r")(?![\w-])"), ids


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    instrument: str


def instrument_hits(text: str) -> list[Hit]:
    """The instruments named in ``text``, left to right; at one position the first in file order wins."""
    start, regex, ids = _instrument_regex()
    hits: list[Hit] = []
    pos = 0
    while (a := start.search(text, pos)) is not None:
        m = regex.match(text, a.start())
        if m is None or m.lastgroup is None:
            pos = a.start() + 1
            continue
        hits.append(Hit(m.start(), m.end(), ids[int(m.lastgroup[1:])]))
        pos = m.end()
    return hits
