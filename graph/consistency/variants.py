"""The versions of one provision across a state's agreements: the clauses joined by stored VARIANT_OF links
(nearest neighbours on one subject, ``edges``) grouped into connected sets, identical wordings collapsed with
their agreements listed, the most common and the most recent wording named, and the words each wording lacks
in the most common marked. A read of the stored links, as the rest of the state report is."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from graph.records import ConflictLink
from graph.store import GraphStore
from ingest.records import Clause, Treaty

_WORD = re.compile(r"\w[\w'’-]*")
# A provision stands once in an agreement (twice where it is split in sub-paragraphs); a set holding more of one
# agreement's clauses has drifted across provisions through chains of near neighbours, and is not shown.
MAX_PER_AGREEMENT = 2


@dataclass(frozen=True)
class Wording:
    """One wording of a provision (identical texts collapsed) and the clauses carrying it, in agreement order;
    ``spans`` mark its words that the most common wording lacks."""

    clauses: tuple[Clause, ...]
    treaties: tuple[Treaty, ...]
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def text(self) -> str:
        return self.clauses[0].full_text


@dataclass(frozen=True)
class VariantGroup:
    """One provision as the state's agreements word it: ``wordings`` most common first; ``most_recent`` is the
    index of the wording of the latest agreement; ``clashes`` counts the stored clashes inside, by kind."""

    clause_type: str
    wordings: tuple[Wording, ...]
    most_recent: int
    clashes: Mapping[str, int]

    @property
    def agreements(self) -> int:
        return len({t.treaty_id for w in self.wordings for t in w.treaties})


def _components(links: Iterable[tuple[str, str]]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for x in parent:
        groups[root(x)].add(x)
    return list(groups.values())


def words_of(text: str) -> list[str]:
    """The words of ``text``, lower case, as ``differing`` compares them."""
    return _WORD.findall(text.lower())


def differing(text: str, base: list[str]) -> tuple[tuple[int, int], ...]:
    """Offsets of the runs of words of ``text`` that the word list ``base`` does not have there."""
    words = list(_WORD.finditer(text))
    matcher = difflib.SequenceMatcher(a=base, b=[w.group().lower() for w in words], autojunk=False)
    return tuple((words[j1].start(), words[j2 - 1].end()) for op, _, _, j1, j2 in matcher.get_opcodes()
                 if op in ("replace", "insert") and j1 < j2)


def variant_groups(graph: GraphStore, treaties: Mapping[str, Treaty], conflicts: Iterable[ConflictLink],
                   types: set[str] | None = None) -> list[VariantGroup]:
    """The provisions the agreements ``treaties`` word in two or more ways, each a group of its wordings; the
    groups holding clashes first (by how many), then by how many agreements they span."""
    links = graph.variants(sorted(treaties))
    sets = [s for s in _components((v.source, v.target) for v in links)
            if max(Counter(c.split("/")[0] for c in s).values()) <= MAX_PER_AGREEMENT]
    clauses = graph.get_clauses({c for s in sets for c in s})
    clash_of: dict[str, Counter[str]] = defaultdict(Counter)
    for link in conflicts:
        clash_of[link.source][link.kind] += 1
    out = []
    for members in sets:
        found = sorted((clauses[c] for c in members if c in clauses), key=lambda c: (
            treaties[c.treaty_id].date_signed or date.min, c.treaty_id, c.order))
        if len({c.treaty_id for c in found}) < 2:
            continue
        ctype = Counter(c.clause_type or "other" for c in found).most_common(1)[0][0]
        if types and ctype not in types:
            continue
        by_text: dict[str, list[Clause]] = defaultdict(list)
        for c in found:
            by_text[c.text_key].append(c)
        if len(by_text) < 2:
            continue  # one wording in every agreement: consistent
        ordered = sorted(by_text.values(), key=lambda cs: (-len({c.treaty_id for c in cs}), found.index(cs[0])))
        base = words_of(ordered[0][0].full_text)
        wordings = tuple(Wording(tuple(cs), tuple(treaties[t] for t in dict.fromkeys(c.treaty_id for c in cs)),
                                 () if n == 0 else differing(cs[0].full_text, base)) for n, cs in enumerate(ordered))
        latest = found[-1].text_key
        recent = next(n for n, cs in enumerate(ordered) if cs[0].text_key == latest)
        clashes: Counter[str] = Counter()
        for c in found:
            clashes.update(clash_of.get(c.clause_id, {}))
        out.append(VariantGroup(ctype, wordings, recent, dict(clashes)))
    out.sort(key=lambda g: (-sum(g.clashes.values()), -g.agreements, g.clause_type, g.wordings[0].clauses[0].clause_id))
    return out
