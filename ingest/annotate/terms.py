"""Defined terms: "'investment' means ..." read off the defining clause, and the clauses that use the term.

A quoted term followed by "means", "shall mean", "includes", "refers to"
or "has the meaning" defines it wherever it stands, and so does the term an
article is titled with when its first words define it ("Customs Duty": "A
customs duty includes ..."). An unquoted one
("investment means every kind of asset") defines it only at the start of
a line or list item of a definitions article (its heading says
"definition", or it sits under "For the purposes of ..."), where a lawyer
reads it as a definition and not as "a means of payment". A definition
made "for the purposes of this Chapter" reaches the clauses of that
chapter; any other reaches the whole agreement.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.records import Clause, DefinedTerm

_VERB = r"(?:means|shall\s+mean|includes|shall\s+include|refers\s+to|has\s+the\s+meaning)"
_ANY_VERB = re.compile(rf"{_VERB}\b", re.I)
# A quoted term may be qualified outside its quotes ("‘subsidiary’ of a juridical person of a Party means"): the
# term is the quoted words and their qualifier, as an unquoted "subsidiary of a juridical person of a Party means".
_QUOTED = re.compile(
    rf"(?:the\s+terms?\s+)?[\"“”'‘—](?P<term>[^\"“”'‘’—\n]{{2,80}}?)[\"“”'’]"
    rf"(?P<qualifier>\s+of\s+(?:an?|the)\s+[A-Za-z][\w-]*(?:\s+[\w-]+){{0,5}}?(?=\s+{_VERB}\b))?"
    rf"\s*(?:\([^)\n]{{1,30}}\)\s*)?,?\s*"
    rf"(?:or\s+[\"“'‘][^\"“”'’\n]{{2,80}}[\"”'’]\s*)?{_VERB}\b", re.I)
# matched at an item's start (``match`` at a position: a "^" here would only ever match the text's first item)
_BARE = re.compile(rf"(?:the\s+terms?\s+)?(?P<term>[A-Za-z][\w()’'/-]*(?:\s+[\w()’'/-]+){{0,7}}?)\s+{_VERB}\b", re.I)
# An article titled with the term it defines, in its first words: "Customs Duty" / "A customs duty includes ...".
_TITLED = re.compile(rf"\s*(?:an?\s+|the\s+)?(?P<term>[A-Za-z][\w’'/-]*(?:\s+[\w’'/-]+){{0,5}}?)\s+{_VERB}\b", re.I)
_ITEM_START = re.compile(r"(?:^|\n|;\s*(?:and\s+|or\s+)?|\.\s+)(?=\S)")
_NOT_A_TERM = re.compile(r"\b(?:shall|this|that|which|by|any|a|the|such|it|its|where|if|for|of|in|to)$|^(?:for|this|it|"
                         r"such|each|which|that|where|provided|nothing|by|any)\b", re.I)
_DEFINITIONS_CONTEXT = re.compile(r"\bdefinition|\bfor\s+(?:the\s+)?purposes?\s+of\b|\bmeaning", re.I)
_CHAPTER_SCOPE = re.compile(r"\bfor\s+(?:the\s+)?purposes?\s+of\s+this\s+(?:chapter|section|annex|part)\b", re.I)
MAX_DEFINITION = 300
_TAIL = re.compile(r"[\s;,]*(?:\b(?:and|or)\b)?[\s;,]*$")  # "...; and" before the next definition


# A definition that runs on into the next one, glued without a line break ("... as amended. TBT Agreement means"):
# the next term, capitalised or quoted, after the end of a sentence or clause, then a defining verb.
_GLUED_NEXT = re.compile(rf"(?:(?<=[.;:])|(?<=[.;:][\"”’']))\s*(?:and\s+|or\s+)?[\"“‘']?[A-Z][\w’'/-]*"
                         rf"(?:\s+[\w’'/()-]+){{0,6}}?[\"”’']?\s+{_VERB}\b")
_DANGLING = re.compile(rf"\s+[\"“‘']?[A-Z][\w’'/-]*(?:\s+[\w’'/()-]+){{0,5}}?[\"”’']?\s+{_VERB}\s*:?\s*$")
# The same, lower-case, after the semicolon that ends a list item ("...by a Party; territory means"); not "means" as
# a noun ("; or by any other means").
_NOT_A_NEXT_TERM = r"(?!(?:and|or|any|by|all|such|other|similar|the|a|an|through|in|with|its|their)\b)"
_DANGLING_ITEM = re.compile(rf"(?<=;)\s*(?:and\s+|or\s+)?{_NOT_A_NEXT_TERM}[a-z][\w’'/-]*(?:\s+[\w’'/()-]+){{0,4}}?"
                            rf"\s+{_VERB}\s*:?\s*$")


# What a scan glues after a definition that is not part of it: a heading line in capitals ("\nADMINISTRATIVE AND
# INSTITUTIONAL PROVISIONS"), or the next numbered paragraph or annex after a full stop ("... residence. 13-2 In
# addition ...", "... Law. Annex G-09.1 1. For the purpose ...").
_GLUED_HEADING = re.compile(r"\n[^\S\n]*[A-Z][A-Z ,&'’–-]{6,}[^\S\n]*(?=\n|$)")
_GLUED_PARAGRAPH = re.compile(r"(?<=\.)\s+(?=(?:\d+(?:[.-]\d+)+\s+[A-Z]|(?i:annex)\s+[A-Z0-9][\w.()-]*\s|"
                              r"(?i:article)\s+\d+[\w.()-]*\s))")
# A next definition run together by a scan, without spaces ("...Organization; WTOAgreementmeans the ...").
_GLUED_UNSPACED = re.compile(r"(?<=;)\s*[A-Z][A-Za-z]*(?:means|includes)\b")
# The next definition of a list stored as one block, on its own line after the semicolon that ends this one, in
# any case ("... weekends and holidays;\nGATS mean the General Agreement ...", "... free of customs duty;\nexport
# subsidies shall have the meaning assigned ...", "...;\ngoods and products shall be understood to have the same
# meaning"); a list item of this definition has no defining verb.
_GLUED_LINE = re.compile(rf"(?<=;)[^\S\n]*\n\s*(?:and\s+|or\s+)?{_NOT_A_NEXT_TERM}[\"“‘']?[\w][\w’'/-]*"
                         rf"(?:\s+[\w’'/()-]+){{0,6}}?[\"”’']?\s+(?:{_VERB}|mean|shall\s+have\s+the\s+meaning|"
                         rf"(?:shall|is\s+to|are\s+to)\s+be\s+understood)\b")


# A footnote a scan ran into the text, its marker glued to the word it annotates and repeated before its own text
# ("any person that supplies a service10; 10 Where the service is not supplied directly ...").
_GLUED_FOOTNOTE = re.compile(r"(?<=[a-z)])(?P<n>\d{1,3})\s*[;,.]?\s+(?P=n)\s+(?=[A-Z])")


def trim_definition(definition: str) -> str:
    """A definition without the start of the next one glued to it ("...; and TBT Agreement means"), nor a heading,
    a footnote or the next numbered paragraph a scan glued on."""
    for debris in (_GLUED_FOOTNOTE, _GLUED_HEADING, _GLUED_PARAGRAPH, _GLUED_UNSPACED, _GLUED_LINE):
        found = debris.search(definition, 1)
        if found:
            definition = definition[:found.start()]
    glued = _GLUED_NEXT.search(definition, 1)
    if glued:
        definition = definition[:glued.start()]
    # what stood between the verb and the words ("means:\n(a) ...", "means, with respect to ...") is no wording
    return _TAIL.sub("", _DANGLING_ITEM.sub("", _DANGLING.sub("", definition)).strip()).lstrip(" \n:;,")


def _normal(term: str) -> str:
    return " ".join(term.strip(" ,:;.").split())


def defined_in(c: Clause) -> list[tuple[str, str]]:
    """(term, definition) pairs the clause's own words define, in order; a definition ends where the next
    definition of the clause begins (a definitions article written as one block of lines)."""
    if not _ANY_VERB.search(c.text):  # every pattern below ends in a defining verb: most clauses have none
        return []
    found: list[tuple[int, int, str]] = []  # where the term starts, where its definition starts, the term
    for m in _QUOTED.finditer(c.text):
        found.append((m.start(), m.end(), _normal(m["term"] + (m["qualifier"] or ""))))
    if _DEFINITIONS_CONTEXT.search(f"{c.heading}\n{c.context}\n{c.text[:200]}"):
        for start in _ITEM_START.finditer(c.text):
            bare = _BARE.match(c.text, start.end())
            if bare and not _NOT_A_TERM.search(bare["term"]) and not bare["term"][0].isdigit() and not any(
                    s <= bare.start() < e for s, e, _ in found):
                found.append((bare.start(), bare.end(), _normal(bare["term"])))
    titled = _TITLED.match(c.text)
    if titled and _normal(titled["term"]).lower() == _normal(c.heading or "").lower() and not any(
            s <= titled.start("term") < e for s, e, _ in found):
        found.append((titled.start("term"), titled.end(), _normal(titled["term"])))
    found.sort()
    out: dict[str, str] = {}
    for n, (_, begins, term) in enumerate(found):
        ends = min(found[n + 1][0] if n + 1 < len(found) else len(c.text), begins + MAX_DEFINITION)
        out.setdefault(term, trim_definition(c.text[begins:ends].strip()))
    return [(t, d) for t, d in out.items() if len(t) >= 2 and not t.lower().startswith("the term")]


def defined_terms(clauses: list[Clause]) -> list[DefinedTerm]:
    """The terms one agreement defines (clauses in reading order), each with the clauses that use it.

    A term defined twice (in two chapters) gives two records; a clause uses
    the definition of its own chapter where there is one.

    >>> [t.term for t in defined_terms([Clause("t/1", "t", "article", "Art. 1", '"investor" means a person', 0)])]
    ['investor']
    """
    definitions: list[tuple[DefinedTerm, str | None]] = []  # term, chapter it is confined to
    for c in clauses:
        scope = c.chapter if c.chapter and _CHAPTER_SCOPE.search(f"{c.context}\n{c.text}") else None
        definitions += [(DefinedTerm(term, c.clause_id, definition), scope) for term, definition in defined_in(c)]
    if not definitions:
        return []
    by_key: dict[str, list[int]] = defaultdict(list)
    for n, (d, _) in enumerate(definitions):
        by_key[d.term.lower()].append(n)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True)) + r")s?\b",
                         re.I)
    users: dict[int, list[str]] = defaultdict(list)
    definers = {d.clause_id for d, _ in definitions}
    for c in clauses:
        if not c.text or c.clause_id in definers:
            continue
        for key in dict.fromkeys(m.group(1).lower() for m in pattern.finditer(c.text)):
            candidates = by_key[key]
            same_chapter = [n for n in candidates if definitions[n][1] == c.chapter]
            everywhere = [n for n in candidates if definitions[n][1] is None]
            chosen = (same_chapter or everywhere)[:1]
            for n in chosen:
                users[n].append(c.clause_id)
    return [DefinedTerm(d.term, d.clause_id, d.definition, tuple(users[n])) for n, (d, _) in enumerate(definitions)]
