"""The consistency report of one state: its agreements over time, the subjects each covers, where its commitments
diverge by subject (numbers, forums, duties, scope, priority clauses, definitions), the versions of each provision
across its agreements (``variants``), and the clashes between its
agreements in force, labelled legal conflict (the two bind the same partner) or inconsistency (different
partners). A read of the stored CONFLICTS_WITH links and terms (``edges`` keeps them current)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from graph.conflicts.compare import KEY_TERMS
from graph.conflicts.model import Kind, Severity
from graph.conflicts.reading import read, term_key
from graph.conflicts.vclt import ConflictClause, PriorityNote, priority_note
from graph.conflicts.words import content_stems, jaccard
from graph.consistency.positions import Position, positions
from graph.consistency.variants import VariantGroup, differing, variant_groups, words_of
from graph.records import ConflictLink
from graph.store import GraphStore
from ingest.annotate.terms import MAX_DEFINITION, trim_definition
from ingest.metadata.infer import countries_in, without_countries
from ingest.records import Clause, DefinedTerm, Treaty, text_key
from search.index import ClauseIndex

# How much a kind of divergence matters to a negotiator, most first.
WEIGHT = {"forum": 0, "modality": 1, "priority": 2, "scope": 3, "numeric": 4, "definition": 5}


@dataclass(frozen=True)
class Pair:
    """One stored clash between two of the state's agreements: ``later`` against ``earlier`` clause."""

    link: ConflictLink
    later: Clause
    later_treaty: Treaty
    earlier: Clause
    earlier_treaty: Treaty
    legal: bool  # the two agreements bind the same partner: a legal conflict, else an inconsistency
    note: PriorityNote | None


@dataclass(frozen=True)
class Group:
    """The divergences of one kind within one subject (clause type), with the state's most common and most
    recent wording among the clauses involved."""

    clause_type: str
    kind: str
    pairs: tuple[Pair, ...]
    most_common: Clause | None
    most_common_count: int
    most_recent: Clause | None


@dataclass(frozen=True)
class Definition:
    """One wording of a defined term and the agreements using it; ``spans`` mark its words that the state's most
    common wording lacks."""

    text: str
    clause_ids: tuple[str, ...]
    treaties: tuple[Treaty, ...]
    spans: tuple[tuple[int, int], ...] = ()


@dataclass
class StateReport:
    party: str
    as_of: date
    treaties: list[Treaty]
    in_force: set[str]
    types: list[str]
    coverage: dict[str, Counter[str]]
    never: list[str]
    groups: list[Group] = field(default_factory=list)
    definitions: dict[tuple[str, str | None], list[Definition]] = field(default_factory=dict)  # (term, subject)
    conflicts: list[Pair] = field(default_factory=list)
    variants: list[VariantGroup] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)


def _coverage(index: ClauseIndex, treaty_ids: Sequence[str]) -> dict[str, Counter[str]]:
    """Clause types per agreement, counted over its searchable clauses (read from the index, not the graph)."""
    codes = {t: n for n, t in enumerate(index.treaties)}
    out: dict[str, Counter[str]] = {}
    types = np.asarray(index.types, dtype=object)
    for t in treaty_ids:
        rows = np.flatnonzero(index.row_treaty == codes[t]) if t in codes else np.zeros(0, dtype=np.int64)
        out[t] = Counter(x for x in types[rows] if x)
    return out


def _conflict_clauses(graph: GraphStore, index: ClauseIndex, treaty_ids: set[str]) -> list[ConflictClause]:
    wanted = {n for n, t in enumerate(index.treaties) if t in treaty_ids}
    rows = [cid for cid, code, kind in zip(index.clause_ids, index.row_treaty.tolist(), index.types, strict=True)
            if code in wanted and kind == "relation_to_other_agreements"]
    out = []
    for c in graph.get_clauses(rows).values():
        out += [ConflictClause(c.treaty_id, c, claim.stance, c.full_text[claim.start:claim.end])
                for claim in read(c).priority]
    return out


def _pairs(graph: GraphStore, party: str, treaties: dict[str, Treaty], in_force: set[str], as_of: date,
           conflict_clauses: list[ConflictClause], types: set[str] | None) -> list[Pair]:
    links = [c for c in graph.conflicts(sorted(in_force)) if c.source.split("/")[0] in in_force
             and c.target.split("/")[0] in in_force]
    clauses = graph.get_clauses({x for c in links for x in (c.source, c.target)})
    out = []
    for link in links:
        a, b = clauses.get(link.source), clauses.get(link.target)
        if a is None or b is None:
            continue
        if types and not ({a.clause_type, b.clause_type} & types):
            continue
        ta, tb = treaties[a.treaty_id], treaties[b.treaty_id]
        partners = (set(ta.parties) & set(tb.parties)) - {party}
        note = None
        if partners:
            own = [ConflictClause("draft" if c.treaty_id == ta.treaty_id else c.treaty_id, c.clause, c.stance, c.words)
                   for c in conflict_clauses if c.treaty_id in (ta.treaty_id, tb.treaty_id)]
            raw = priority_note(Kind(link.kind), ta.parties, tb, as_of, a, b, own)
            note = PriorityNote(raw.rules, raw.note.replace("once in force, the draft would prevail",
                                                            f"{ta.title} prevails").replace("The draft", ta.title)
                                .replace("the draft", ta.title))
        out.append(Pair(link, a, ta, b, tb, bool(partners), note))
    return out


def _groups(pairs: list[Pair], index: ClauseIndex) -> list[Group]:
    by: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        by[(p.later.clause_type or p.earlier.clause_type or "other", p.link.kind)].append(p)
    copies = Counter(index.text_keys)  # how many agreements carry each wording (identical template texts)
    out = []
    for (ctype, kind), items in by.items():
        involved = {c.clause_id: (c, t) for p in items for c, t in ((p.later, p.later_treaty),
                                                                       (p.earlier, p.earlier_treaty))}
        common = max(involved.values(), key=lambda ct: copies.get(ct[0].text_key, 1), default=None)
        recent = max(involved.values(), key=lambda ct: (ct[1].date_signed or date.min, ct[1].treaty_id), default=None)
        items.sort(key=lambda p: (not p.legal, p.link.severity != "high", p.later.clause_id))
        out.append(Group(ctype, kind, tuple(items), common[0] if common else None,
                         copies.get(common[0].text_key, 1) if common else 0, recent[0] if recent else None))
    out.sort(key=lambda g: (WEIGHT.get(g.kind, 9), -sum(p.legal for p in g.pairs), -len(g.pairs)))
    return out


# A reference by number says where, not what: "Annex 1A of the WTO Agreement" and "Annex 1A to it" agree.
_REFERENCE = re.compile(r"\b(?:articles?|chapters?|annex(?:es)?|sections?|paragraphs?|sub-?paragraphs?|parts?)\s+"
                        r"(?:[\w.()-]*\d[\w.()-]*|[IVXLC]+\b)", re.I)
SAME_WORDING = 0.8  # content-word Jaccard from which two definitions differ only in form (quotes, articles, refs)


MIN_SUBSTANCE = 3   # content words below which a stored definition is a fragment (":", "the following"), not one
# British and American spellings of one word ("Centre"/"Center", "labour"/"labor", "organisation"): one word.
_SPELLING = ((re.compile(r"(?<=\w)tre\b", re.I), "ter"), (re.compile(r"(?<=\w{3})our(?=s?\b)", re.I), "or"),
             (re.compile(r"(?<=\w)is(?=(?:e|es|ed|ing|ation|ations)\b)", re.I), "iz"),
             (re.compile(r"\bprogramme", re.I), "program"), (re.compile(r"(?<=\w)ence\b", re.I), "ense"))


# A definition that only points elsewhere ("as defined in Article 16.9", "has the meaning assigned in Chapter 4")
# has no wording of its own to set beside another's.
_BY_REFERENCE = re.compile(r"\b(?:as\s+defined\s+(?:in|under|by)|(?:has|have|shall\s+have)\s+the\s+(?:same\s+)?meaning|"
                           r"within\s+the\s+meaning\s+of|as\s+set\s+out\s+in|as\s+referred\s+to\s+in|"
                           r"(?:set\s+out|established|provided\s+for|specified|laid\s+down)\s+in\s+(?:chapter|article|annex|"
                           r"section|part)\b)", re.I)
_BRACKETS = re.compile(r"\([^()]*\)")
ELABORATION = 5  # content words one wording may add to another that holds all of its own and still be one wording


def _by_reference(definition: str) -> bool:
    """Only a pointer to another provision: a reference and few words of its own (the title of the chapter it
    names, in brackets, not counted)."""
    own = _BRACKETS.sub(" ", definition)
    return bool(_BY_REFERENCE.search(definition)) and len(_substance(own)) < MIN_SUBSTANCE + 3


# An entry of one party's in a definition: "with respect to Japan, ...", "(b) in the case of Chile, ...".
_PARTY_ENTRY = re.compile(r"(?:^|[;:,.\n]\s*|\band\s+)(?:\(\w{1,4}\)\s*)?(?:with\s+respect\s+to|in\s+the\s+case\s+of|"
                          r"as\s+regards|in\s+respect\s+of|for)\s+(?:the\s+)?[A-Z]")


def _per_party(definition: str) -> bool:
    """A list of each party's own entries ("with respect to Japan, the Minister of Finance ...; with respect to
    Chile, the Director of ..."): it names two or more countries, so two agreements' wordings differ by their
    partners whatever the state's own entry says."""
    named = countries_in(definition)
    return named is not None and len(named) >= 2 and len(_PARTY_ENTRY.findall(definition)) >= 2


@dataclass(frozen=True)
class _Wording:
    """What a definition says, for telling wordings apart: its content words, and its letters and digits alone
    (text run together or split by a scan, "obtaininggoods", "Co-operation", is the same wording)."""

    words: frozenset[str]
    letters: str
    lead_in: bool = False  # ends with ":": its items were not read with it


def _one_wording(a: _Wording, b: _Wording) -> bool:
    """Two definitions say the same: the same letters, nearly the same words, one the other's lead-in only
    ("measures adopted or maintained by:", its items not read), or one holds all of the other's words and adds only
    a few (a clarification: "pursuant to the Tariff Elimination Schedules")."""
    if a.letters == b.letters or jaccard(a.words, b.words) >= SAME_WORDING:
        return True
    short, long = sorted((a, b), key=lambda w: len(w.letters))
    if short.lead_in and short.letters and long.letters.startswith(short.letters):
        return True
    small, large = sorted((a.words, b.words), key=len)
    return bool(small) and small <= large and len(large - small) <= ELABORATION


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def _plain(definition: str) -> str:
    """The definition without cross-reference numbers, spelling variants or the names of countries (each
    agreement's "Parties" are its own)."""
    text = _REFERENCE.sub(" ", without_countries(definition))
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


def _wording(definition: str) -> _Wording:
    text = _plain(definition)
    return _Wording(frozenset(content_stems(text)), _NOT_LETTERS.sub("", text.lower()), text.rstrip().endswith(":"))


def _substance(definition: str) -> frozenset[str]:
    return _wording(definition).words


def _subject(clause: Clause | None) -> str | None:
    """The subject a definition is given for: its chapter's clause type ("taxation", "rules_of_origin"), or None
    for one of general application."""
    if clause is None:
        return None
    return next((t for t in (clause.clause_type, clause.secondary_type) if t and t != "definitions"), None)


def _by_subject(ds: list[DefinedTerm], subjects: dict[str, str | None]) -> list[tuple[str | None, list[DefinedTerm]]]:
    """A term's definitions split by the notion each is given for, where chapters of two or more subjects define it
    in wordings they do not share (a tax chapter's "competent authority" and a rules-of-origin chapter's are two
    notions, not two wordings of one); subjects sharing a wording are one notion ("the Customs Valuation Agreement"
    for customs procedures and for rules of origin), named by their subjects together. Definitions of general
    application go with every notion."""
    given = sorted({s for d in ds if (s := subjects.get(d.clause_id)) is not None})
    if len(given) < 2:
        return [(None, ds)]
    wordings = {s: [_wording(d.definition) for d in ds if subjects.get(d.clause_id) == s] for s in given}
    notion = {s: s for s in given}  # union-find over subjects that share a wording

    def root(s: str) -> str:
        while notion[s] != s:
            s = notion[s]
        return s

    for n, a in enumerate(given):
        for b in given[n + 1:]:
            if root(a) != root(b) and any(_one_wording(x, y) for x in wordings[a] for y in wordings[b]):
                notion[root(b)] = root(a)
    groups: dict[str, list[str]] = defaultdict(list)
    for s in given:
        groups[root(s)].append(s)
    if len(groups) < 2:
        return [(None, ds)]
    return [(", ".join(members), [d for d in ds if subjects.get(d.clause_id) in (*members, None)])
            for members in groups.values()]


def _definitions(terms: list[DefinedTerm], treaties: dict[str, Treaty],
                 subjects: dict[str, str | None] | None = None) -> dict[tuple[str, str | None], list[Definition]]:
    """Each key term (or term three or more agreements define) defined differently in two or more agreements, by
    the subject it is defined for (``subjects``: defining clause id -> subject, ``_subject``), its wordings side by
    side, the most common first, the words each lacks in the most common marked.

    Wordings that differ only in form (quotation marks, articles, the number of a cross-reference: content
    words nearly the same) or by a few added words (one holds all of the other's) are one wording, with all their
    agreements; a definition that only points to another provision, or lists each party's own entries, has no
    wording to compare; a wording found
    only in agreements that also carry the most common one (a chapter's own definition) is no divergence between
    agreements."""
    by: dict[str, list[DefinedTerm]] = defaultdict(list)
    for d in terms:
        d = replace(d, definition=trim_definition(d.definition))  # stores read before the trim was made
        if len(_substance(d.definition)) >= MIN_SUBSTANCE and not _by_reference(d.definition) and not _per_party(
                d.definition):
            by[term_key(d.term)].append(d)
    out = {}
    for term, ds in sorted(by.items()):
        for subject, group in _by_subject(ds, subjects or {}):
            wordings = _wordings(term, group, treaties)
            if wordings:
                out[(term, subject)] = wordings
    return out


def _wordings(term: str, ds: list[DefinedTerm], treaties: dict[str, Treaty]) -> list[Definition]:
    """The differing wordings of one term's definitions ``ds`` (none when fewer than two agreements differ)."""
    variants: dict[str, list[DefinedTerm]] = defaultdict(list)
    for d in ds:
        variants[text_key(d.definition)].append(d)
    users = {d.clause_id.split("/")[0] for d in ds}
    if len(users) < 2 or len(variants) < 2 or (term not in KEY_TERMS and len(users) < 3):
        return []
    ordered = sorted(variants.values(), key=lambda ds: -len({d.clause_id.split("/")[0] for d in ds}))
    merged: list[tuple[_Wording, list[DefinedTerm]]] = []
    for group in ordered:
        wording = _wording(group[0].definition)
        home = next((m for m in merged if _one_wording(m[0], wording)), None)
        if home is None:
            merged.append((wording, list(group)))
        else:
            home[1].extend(group)
    holders = [set(dict.fromkeys(d.clause_id.split("/")[0] for d in group)) for _, group in merged]
    kept = [0] + [n for n in range(1, len(merged)) if holders[n] - holders[0]]
    if len(kept) < 2:
        return []
    base = words_of(merged[0][1][0].definition)
    return [Definition(group[0].definition, tuple(d.clause_id for d in group),
                       tuple(treaties[t] for t in dict.fromkeys(d.clause_id.split("/")[0] for d in group)
                             if t in treaties), () if n == 0 else differing(group[0].definition, base))
            for n, (_, group) in ((n, merged[n]) for n in kept)]


def _whole(clauses_of: Callable[[str], list[Clause]], terms: list[DefinedTerm]) -> list[DefinedTerm]:
    """The definitions with the items listed below them ("'investment' means every kind of asset, including:"
    then (a), (b), ...), read from the defining clause and its sub-clauses; the key terms' are rebuilt, and any
    term's whose stored definition is only its lead-in ("establishment means:")."""
    from graph.conflicts.findings import with_items

    out = []
    for d in terms:
        lead_in = d.definition.rstrip().endswith(":") and len(_substance(d.definition)) < MIN_SUBSTANCE + 3
        cut = len(d.definition) >= MAX_DEFINITION - 5  # stopped at the reader's limit: read on in the clause
        if not cut and ((term_key(d.term) not in KEY_TERMS and not lead_in) or len(d.definition) >= 280):
            out.append(d)
            continue
        own = clauses_of(d.clause_id.split("/")[0])
        clause = next((c for c in own if c.clause_id == d.clause_id), None)
        if clause is None:
            out.append(d)
            continue
        whole = with_items(clause, own)
        span = read(whole).definitions.get(term_key(d.term))
        text = whole.full_text[span[0]:span[1]].strip() if span else d.definition
        out.append(DefinedTerm(d.term, d.clause_id, text[:1500] or d.definition))
    return out


def state_report(graph: GraphStore, index: ClauseIndex, party: str, as_of: date,
                 types: Sequence[str] = ()) -> StateReport:
    """The consistency report of ``party`` on ``as_of`` (its agreements in force that day), optionally limited to
    clause ``types``; CONFLICTS_WITH must be current (``edges.update_conflicts``)."""
    treaties = {t.treaty_id: t for t in graph.list_treaties((party,))}
    in_force = graph.treaty_ids((party,), False, as_of) & set(treaties)
    ordered = sorted(treaties.values(), key=lambda t: (t.date_signed or t.date_in_force or date.min, t.treaty_id))
    coverage = _coverage(index, [t.treaty_id for t in ordered])
    wanted = set(types) or None
    seen = sorted({x for c in coverage.values() for x in c if not wanted or x in wanted})
    from ingest.annotate import taxonomy

    never = [t for t in taxonomy() if t not in seen and (not wanted or t in wanted)]
    report = StateReport(party, as_of, ordered, in_force, seen, coverage, never)
    conflict_clauses = _conflict_clauses(graph, index, in_force)
    pairs = _pairs(graph, party, treaties, in_force, as_of, conflict_clauses, wanted)
    report.groups = _groups(pairs, index)
    # A clash of obligations, not a divergence of practice: two limits on one step of a shared procedure (the parties
    # keep both only by keeping the stricter one), not each agreement's period for its own entry into force or
    # withdrawal (those links are of low severity).
    report.conflicts = [p for p in pairs if p.link.severity != Severity.LOW.value]
    report.variants = variant_groups(graph, {t: treaties[t] for t in in_force}, [p.link for p in pairs], wanted)
    read: dict[str, list[Clause]] = {}

    def clauses_of(treaty_id: str) -> list[Clause]:
        if treaty_id not in read:
            read[treaty_id] = graph.clauses(treaty_id)
        return read[treaty_id]

    if not wanted or "definitions" in wanted:
        terms = _whole(clauses_of, graph.definitions(sorted(in_force)))
        defining = graph.get_clauses({d.clause_id for d in terms})
        report.definitions = _definitions(terms, treaties, {d.clause_id: _subject(defining.get(d.clause_id))
                                                           for d in terms})
    report.positions = positions((c for t in sorted(in_force) for c in clauses_of(t)),
                                 {t: treaties[t] for t in in_force})
    return report
