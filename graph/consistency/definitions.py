"""Each defined term of a state's agreements, its wordings side by side: the definitions the state report sets
beside each other, with what makes two of them one wording (form, spelling, a scan's spacing, a few added words, a
lead-in without its items), what is no wording to compare (a pointer elsewhere, a list of each party's own entries)
and which are two notions rather than two wordings (a term defined for chapters of different subjects)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.conflicts.compare import KEY_TERMS
from graph.conflicts.reading import read, term_key
from graph.conflicts.words import content_stems, jaccard, tokens
from graph.consistency.variants import differing, words_of
from ingest.annotate.quantities import quantities
from ingest.annotate.terms import MAX_DEFINITION, trim_definition
from ingest.metadata.infer import countries_in, without_countries
from ingest.records import Clause, DefinedTerm, Treaty, text_key


@dataclass(frozen=True)
class Definition:
    """One wording of a defined term and the agreements using it; ``spans`` mark its words that the state's most
    common wording lacks."""

    text: str
    clause_ids: tuple[str, ...]
    treaties: tuple[Treaty, ...]
    spans: tuple[tuple[int, int], ...] = ()
    why: str = ""  # why what it covers may differ from the most common wording's ("" for that one, or words only)


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


# Words that say a definition meets another provision's test ("a material that qualifies as originating under
# Article 4.2", "that fulfils the criteria set out in either Article 3.3 or Article 3.4").
_POINTING = frozenset(content_stems("qualifies fulfils fulfills meets satisfies complies criteria requirements "
                                    "conditions set out laid down provided specified established referred pursuant "
                                    "accordance under"))


def _points_only(term: str, definition: str) -> bool:
    """A definition that names the term and points to the provision with its test: a reference, and at most one
    word of its own besides the term's and the pointing words."""
    if not _REFERENCE.search(definition):
        return False
    own = _substance(definition) - content_stems(term) - _POINTING
    return len(own) <= 1


# An entry of one party's in a definition: "with respect to Japan, ...", "(b) in the case of Chile, ...".
_PARTY_ENTRY = re.compile(r"(?:^|[;:,.\n]\s*|\band\s+)(?:\(\w{1,4}\)\s*)?(?:with\s+respect\s+to|in\s+the\s+case\s+of|"
                          r"as\s+regards|in\s+respect\s+of|for)\s+(?:the\s+)?[A-Z]")


def _per_party(definition: str) -> bool:
    """A list of each party's own entries ("with respect to Japan, the Minister of Finance ...; with respect to
    Chile, the Director of ..."): it names two or more countries, so two agreements' wordings differ by their
    partners whatever the state's own entry says."""
    named = countries_in(definition)
    return named is not None and len(named) >= 2 and len(_PARTY_ENTRY.findall(definition)) >= 2


# Permanent residents, whom one agreement counts as its natural persons (or nationals, or investors) and another
# does not: a difference of whom the agreement protects (CHN-11, CHN-14, PER-12 and MYS-12 of the lists)
_RESIDENTS = re.compile(r"\bpermanent(?:ly)?\s+resid", re.I)
# ... claimed only of the terms that name persons: in another term's text such words are the next definition's,
# run on ("measure ... ; national means ... a permanent resident": AUS-06 and CHN-00 of round 23)
_PERSONS = re.compile(r"\b(?:natural\s+persons?|nationals?|citizens?|individuals?)\b")


@dataclass(frozen=True)
class _Wording:
    """What a definition says, for telling wordings apart: its content words, and its letters and digits alone
    (text run together or split by a scan, "obtaininggoods", "Co-operation", is the same wording)."""

    words: frozenset[str]
    letters: str
    lead_in: bool = False  # ends with ":": its items were not read with it
    carve_out: frozenset[str] = frozenset()  # the words after "does not include", "excluding" (titles in brackets
                                             # of what it cites left out)
    carves: bool = False  # it says "does not include" (its items may not have been read with it)
    carve_heads: tuple[frozenset[str], ...] = ()  # the first words of each item of its carve-out: what it names
    carve_tokens: tuple[tuple[str, bool, str], ...] = ()  # its carve-out's words in order: (stem, content, word)
    amounts: frozenset[str] = frozenset()  # the periods, shares and amounts it sets
    residents: bool = False  # it counts permanent residents (``_RESIDENTS``)


def _one_wording(a: _Wording, b: _Wording) -> bool:
    """Two definitions say the same: the same letters, nearly the same words, one the other's lead-in only
    ("measures adopted or maintained by:", its items not read), or one holds all of the other's words and adds only
    a few (a clarification: "pursuant to the Tariff Elimination Schedules")."""
    if a.letters == b.letters:
        return True
    if _left_out(a, b) or _left_out(b, a) or _carved_otherwise(a, b) or _carved_otherwise(b, a):
        # one more thing left out, or a carve-out in other words, is no clarification, however few its words
        return False
    short, long = sorted((a, b), key=lambda w: len(w.letters))
    if short.lead_in and short.letters and long.letters.startswith(short.letters):
        return True
    if a.amounts != b.amounts:  # "employed for not less than one year": a condition, however few its words
        return False
    if a.residents != b.residents and not a.lead_in and not b.lead_in:  # "or a permanent resident": whom it covers
        return False
    if jaccard(a.words, b.words) >= SAME_WORDING:
        return True
    small, large = sorted((a.words, b.words), key=len)
    return bool(small) and small <= large and len(large - small) <= ELABORATION


# Words that say where a carve-out's rule is and how it is cited, not what it leaves out ("imposed consistently with
# Article III of GATT 1994", "in accordance with the provisions of Title IV below").
_WHERE = frozenset(content_stems("GATT WTO agreement article annex chapter paragraph title below above provisions "
                                 "consistently conformity accordance hereinafter referred relevant"))
CARVED = 2  # words in a row a carve-out joins by "and" / "or" before it leaves out one more thing


def _left_out(a: _Wording, b: _Wording) -> bool:
    """``a`` leaves out something ``b`` does not: an item of its carve-out naming what no item of ``b``'s names
    ("safeguard duties applied in accordance with Article XIX" among the charges left out), or a thing joined by
    "and" / "or" to what both leave out ("antidumping or countervailing duties ... and safeguard measures"); not the
    other words of a carve-out, which as often reword the same thing ("fees ... that do not represent a direct or
    indirect protection")."""
    if b.carves and not b.carve_out:  # b's carve-out is a lead-in whose items were not read: nothing to compare
        return False
    named = frozenset().union(*b.carve_heads)
    if b.carve_heads and any(not head & named and head - b.words for head in a.carve_heads):
        return True
    return _joined_thing(a.carve_tokens, b.words)


def _carved_otherwise(a: _Wording, b: _Wording) -> bool:
    """``a``'s carve-out has ``CARVED`` or more words ``b`` lacks anywhere, beyond the names of instruments and
    numbers: it may leave out something ``b`` does not, or say the same in other words."""
    if b.carves and not b.carve_out:
        return False
    return len({w for w in (a.carve_out - b.words) if not w.isdigit() and w not in _WHERE}) >= CARVED


_PHRASE_ARTICLES = frozenset({"a", "an", "the", "any"})


def _joined_thing(carve: tuple[tuple[str, bool, str], ...], theirs: frozenset[str]) -> bool:
    """Words ``theirs`` lacks, ``CARVED`` or more in a row, joined by "and" / "or" to a word both have."""
    def known(t: tuple[str, bool, str]) -> bool:
        return t[0] in theirs or t[0] in _WHERE or t[2].isdigit()

    for i, (_, _, word) in enumerate(carve):
        if word not in ("and", "or"):
            continue
        before = next((t for t in reversed(carve[:i]) if t[1] or t[2].isdigit()), None)
        if before is None or not known(before):
            continue
        run = 0
        for t in carve[i + 1:]:
            if not t[1]:
                if t[2] in _PHRASE_ARTICLES:
                    continue
                break
            if known(t):
                break
            run += 1
        if run >= CARVED:
            return True
    return False


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")
_PREFIXED = re.compile(r"\b(anti|non|co|re|pre|sub|inter|intra|multi|cross)-(?=\w)", re.I)  # "anti-dumping": one word
_ARTICLES = re.compile(r"\b(?:the|a|an)\b")


def _plain(definition: str) -> str:
    """The definition without cross-reference numbers, spelling variants or the names of countries (each
    agreement's "Parties" are its own)."""
    text = _PREFIXED.sub(r"\1", _REFERENCE.sub(" ", without_countries(definition)))
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


# Where a definition starts to say what it leaves out ("other than", "except" qualify a word more often than they
# carve anything out of the definition: "a juridical person other than a non-profit organisation").
_CARVE_OUT = re.compile(r"\b(?:does|do|shall)\s+not\s+(?:include|cover|mean)\b|\bexclud(?:es?|ing)\b|"
                        r"\bbut\s+not\b(?!\s+limited)", re.I)


_CLOSE = re.compile(r"[()]|\.(?=\s|$)")
_ITEMS = re.compile(r"[;\n]")


def _to_close(text: str, start: int) -> str:
    """The words from ``start`` to the end of their sentence or of the brackets they stand in ("(excluding
    insurance)"): a carve-out's own words, its list items included ("does not include any:\n(a) ...;\n(b) ...")."""
    depth = 0
    for m in _CLOSE.finditer(text, start):
        if m.group() == "(":
            depth += 1
        elif m.group() == ")":
            if depth == 0:
                return text[start:m.start()]
            depth -= 1
        elif depth == 0:
            return text[start:m.start()]
    return text[start:]


HEAD = 2  # words of a carve-out's item that name what it leaves out ("anti-dumping or countervailing duty")


def _heads(carved: str) -> tuple[frozenset[str], ...]:
    """The first content words of each item of a carve-out; the lines after an item ending in ":" are its
    conditions ("fees or other charges that:\n are limited ...;\n do not represent ..."), not items."""
    lines = _ITEMS.split(carved)
    if lines and lines[0].rstrip().endswith(":"):  # "does not include any:": the lead-in, not an item
        lines = lines[1:]
    items: list[str] = []
    for line in lines:
        if items and items[-1].rstrip().endswith(":"):
            continue
        items.append(line)
    out = []
    for item in items:
        words = [t.stem for t in tokens(item) if t.content and not t.text.isdigit() and t.stem not in _WHERE]
        if len(words) >= 2:
            out.append(frozenset(words[:HEAD]))
    return tuple(out)


@lru_cache(maxsize=16384)  # a definition is read for its subject, its merging and its reason: once
def _wording(definition: str) -> _Wording:
    text = _plain(definition)
    out = _CARVE_OUT.search(text)
    carved = _BRACKETS.sub(" ", _to_close(text, out.end())) if out else ""
    carve_out = frozenset(content_stems(carved))
    return _Wording(frozenset(content_stems(text)), _NOT_LETTERS.sub("", _ARTICLES.sub("", text.lower())),
                    text.rstrip().endswith(":"),
                    carve_out, out is not None, _heads(carved),
                    tuple((t.stem, t.content, t.text.lower()) for t in tokens(carved)),
                    frozenset(f"{q.value:g} {q.unit}" for q in quantities(text)), bool(_RESIDENTS.search(text)))


def _substance(definition: str) -> frozenset[str]:
    return _wording(definition).words


# The head nouns of the terms that open or close an agreement's investment protection to a claimant and an asset
# ("investment", "investor of a party", "covered investment"): each difference in their words can decide a tribunal's
# jurisdiction, so two wordings of one are a divergence to claim. Other terms that name who or what the obligations
# reach ("enterprise", "goods", "service supplier") were claimed so too until judged samples found 3 of 8 such items
# on the development states real (drafting variants: "legal" or "juridical" person, "privately or otherwise owned");
# they are listed under "Terms worded differently" unless a carve-out or a number sets their wordings apart.
_SCOPE_HEADS = frozenset({"investment", "investor"})
_HEAD_ENDS = re.compile(r"\s+(?:of|for|in|to|under|by|intended|not|which|that|who|from)\s+")


def scope_term(term: str) -> bool:
    """The term opens or closes the investment protection (its head noun: "investor of a party", "covered
    investments"; not "investment agreement" or "investment authorisation", which name instruments)."""
    words = _HEAD_ENDS.split(term, maxsplit=1)[0].split()
    if not words:
        return False
    head = words[-1]
    if head.endswith("s") and not head.endswith("ss"):
        head = head[:-1]
    return head in _SCOPE_HEADS


def why_different(term: str, text: str, base: str) -> str:
    """Why the wording ``text`` may cover other ground than ``base``, the most common ("": the words differ, and
    nothing says the coverage does): one leaves out what the other does not, their carve-outs are worded
    differently (it may leave out more, or say the same in other words), the numbers differ, or the term opens or
    closes the investment protection (``scope_term``) and both wordings were read whole."""
    a, b = _wording(text), _wording(base)
    if _left_out(a, b) or _left_out(b, a):
        return "one leaves out what the other does not"
    if _carved_otherwise(a, b) or _carved_otherwise(b, a):
        return "their carve-outs are worded differently"
    if a.residents != b.residents and not a.lead_in and not b.lead_in and _PERSONS.search(term):
        return "one covers permanent residents, the other does not"
    na, nb = a.amounts, b.amounts
    if na != nb:
        return f"the numbers differ: {', '.join(sorted(na)) or 'none'} against {', '.join(sorted(nb)) or 'none'}"
    if scope_term(term) and not a.lead_in and not b.lead_in:  # a lead-in's items were not found: its words are
        return "the term decides whom or what the investment obligations protect"  # not all it covers
    return ""


def claimed(variants: list[Definition]) -> bool:
    """A term whose wordings are a divergence to claim: one of them may cover other ground than the most common."""
    return any(v.why for v in variants[1:])


def subject_of(clause: Clause | None) -> str | None:
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


def definitions(terms: list[DefinedTerm], treaties: dict[str, Treaty],
                 subjects: dict[str, str | None] | None = None) -> dict[tuple[str, str | None], list[Definition]]:
    """Each key term (or term three or more agreements define) defined differently in two or more agreements, by
    the subject it is defined for (``subjects``: defining clause id -> subject, ``subject_of``), its wordings side by
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
                d.definition) and not _points_only(d.term, d.definition):
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
        at = next((n for n, m in enumerate(merged) if _one_wording(m[0], wording)), None)
        if at is None:
            merged.append((wording, list(group)))
        elif merged[at][0].lead_in and not wording.lead_in:  # the wording read whole stands for the lead-in
            merged[at] = (wording, list(group) + merged[at][1])
        else:
            merged[at][1].extend(group)
    holders = [set(dict.fromkeys(d.clause_id.split("/")[0] for d in group)) for _, group in merged]
    kept = [0] + [n for n in range(1, len(merged)) if holders[n] - holders[0]]
    if len(kept) < 2:
        return []
    first = merged[0][1][0].definition
    base = words_of(first)
    return [Definition(group[0].definition, tuple(d.clause_id for d in group),
                       tuple(treaties[t] for t in dict.fromkeys(d.clause_id.split("/")[0] for d in group)
                             if t in treaties), () if n == 0 else differing(group[0].definition, base),
                       "" if n == 0 else why_different(term, group[0].definition, first))
            for n, (_, group) in ((n, merged[n]) for n in kept)]


# An item that starts the next definition ("distributor means ...", "‘enterprise’ includes ...").
_DEFINES = re.compile(r"^\W*[\"“‘']?[\w’' /()-]{1,60}?[\"”’']?\s+(?:means|shall\s+mean|includes|refers\s+to)\b", re.I)
_LAST_ITEM = re.compile(r"\b(?:and|or)\s*$")
# The next definition run on into an item after its semicolon ("...tariff preference levels; distilled spirits
# include ...", "...; goods imported for sports purposes means ...").
_NEXT_IN_ITEM = re.compile(r";\s+(?!(?:and|or|any|by|all|such|other|the|a|an|in|with|its|their)\b)[A-Za-z][\w’'/-]*"
                           r"(?:\s+[\w’'/()-]+){0,6}?\s+(?:means|includes?|shall\s+mean)\b")
MAX_ITEMS = 12


def _items_after(clause: Clause, own: list[Clause]) -> list[str]:
    """The items a definition's lead-in introduces where a scan made them its siblings, not its sub-clauses
    ("customs duty includes ... but does not include any:" then "(a) charge ...", "(b) antidumping ...; and",
    "(c) fee ..."): the clauses that follow it under the same parent, up to the item after an "and" or "or", one
    that ends a sentence, or the next definition."""
    at = next((n for n, c in enumerate(own) if c.clause_id == clause.clause_id), None)
    if at is None:
        return []
    items: list[str] = []
    last = False  # the item before ended in "and" / "or": this one is the list's last
    for c in own[at + 1:at + 1 + MAX_ITEMS]:
        if c.parent_id != clause.parent_id or not c.text.strip() or _DEFINES.match(c.text):
            break
        item = c.text.strip()
        run_on = _NEXT_IN_ITEM.search(item)
        items.append(item[:run_on.start()] if run_on else item)
        if run_on or last or item.endswith("."):
            break
        last = bool(_LAST_ITEM.search(items[-1]))
    return items


def whole(clauses_of: Callable[[str], list[Clause]], terms: list[DefinedTerm]) -> list[DefinedTerm]:
    """The definitions with the items listed below them ("'investment' means every kind of asset, including:"
    then (a), (b), ...), read from the defining clause and its sub-clauses; the key terms' are rebuilt, and any
    term's whose stored definition ends in its lead-in ("establishment means:", "a natural person who ... under the
    law of that Party:")."""
    from graph.conflicts.findings import with_items

    out = []
    for d in terms:
        # "investors means:" read with nothing after it (its items are its sub-clauses): a lead-in too
        lead_in = d.definition.rstrip().endswith(":") or not d.definition.strip()
        cut = len(d.definition) >= MAX_DEFINITION - 5  # stopped at the reader's limit: read on in the clause
        # ... or perhaps at the end of a lead-in whose colon the scan lost ("a natural person who under the law of
        # the Party" then "(a) is a citizen ...": CHN-11 of China's list): read on only into its own sub-clauses
        # (read on into the rest of a list, a definition took the next one's words: CAN-21 of round 23)
        unfinished = bool(d.definition.strip()) and d.definition.rstrip()[-1].isalpha()
        # read whole already: neither a key term nor a lead-in, or long enough
        ordinary = (term_key(d.term) not in KEY_TERMS and not lead_in) or len(d.definition) >= 280
        if not cut and not unfinished and ordinary:
            out.append(d)
            continue
        own = clauses_of(d.clause_id.split("/")[0])
        clause = next((c for c in own if c.clause_id == d.clause_id), None)
        has_items = clause is not None and any(c.parent_id == clause.clause_id for c in own)
        if clause is None or (not cut and unfinished and not has_items and ordinary):
            out.append(d)
            continue
        whole = with_items(clause, own)
        span = read(whole).definitions.get(term_key(d.term))
        text = whole.full_text[span[0]:span[1]].strip() if span else d.definition
        if span and text.endswith(",") and has_items and whole.full_text[span[1]:].strip():
            # "who under the law of the Party," then its items ("(i) for Australia, is ... a permanent resident"):
            # the items finish the definition
            text = whole.full_text[span[0]:].strip()
        if text.rstrip().endswith(":"):
            text = "\n".join([text, *_items_after(clause, own)])
        out.append(DefinedTerm(d.term, d.clause_id, text[:1500] or d.definition))
    return out
