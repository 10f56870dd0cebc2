"""What a clause requires of its bearer, in a form two clauses can be compared by: must / must not / may /
need not do an action, and the carve-outs that qualify it.

The duty analysis (``Clause.duty``) gives the modality; this module corrects it where treaty drafting turns
a negation into a permission ("Nothing in this Agreement shall prevent a Party from ...": may; "No Party
shall be required to ...": need not), which is where clause comparison most often goes wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.conflicts.words import content_stems
from ingest.annotate.quantities import quantities
from ingest.records import Duty

_INSTRUMENT = r"(?:this|the\s+present)\s+(?:agreement|chapter|article|section|protocol|annex|part|title)"
_ACTOR = (r"(?:a|any|either|each|the|both|all|no|neither)\s+(?:\w+\s+){0,2}?"
          r"(?:part(?:y|ies)|states?|members?|signator(?:y|ies))")
_CONSTRUED = r"(?:be\s+(?:construed|interpreted|deemed)\s+(?:so\s+as\s+)?(?:to|as)\s+)?"
_NEED_NOT = [
    re.compile(rf"\bnothing\s+in\s+{_INSTRUMENT}\s+(?:shall|will|may)\s+{_CONSTRUED}(?:require|oblige|obligate|"
               rf"compel)s?\s+{_ACTOR}\s+to\s+(?P<act>[^.;]+)", re.I),
    re.compile(rf"\bnothing\s+in\s+{_INSTRUMENT}\s+(?:requires|obliges|obligates)\s+{_ACTOR}\s+to\s+(?P<act>[^.;]+)",
               re.I),
    re.compile(r"\b(?:shall|will|may)\s+not\s+be\s+(?:required|obliged|obligated|compelled|bound)\s+to\s+"
               r"(?P<act>[^.;]+)", re.I),
    re.compile(r"\b(?:is|are)\s+not\s+(?:required|obliged|obligated|bound)\s+to\s+(?P<act>[^.;]+)", re.I),
    re.compile(r"\b(?:no|neither)\s+(?:\w+\s+){0,2}?(?:part(?:y|ies)|states?|members?)\s+(?:shall|will|may)\s+be\s+"
               r"(?:required|obliged|obligated|compelled|bound)\s+to\s+(?P<act>[^.;]+)", re.I),
]
_MAY_DESPITE = [
    re.compile(rf"\bnothing\s+in\s+{_INSTRUMENT}\s+(?:shall|will|may)\s+{_CONSTRUED}(?:prevent|preclude|prohibit|"
               rf"restrict|limit|impede)s?\s+{_ACTOR}\s+from\s+(?P<act>[^.;]+)", re.I),
    re.compile(rf"\bnothing\s+in\s+{_INSTRUMENT}\s+(?:shall|will|may)\s+{_CONSTRUED}(?:affect|prejudice|impair)\s+"
               r"the\s+(?:sovereign\s+)?right\s+of\s+(?:a|any|either|each|the)\s+part(?:y|ies)\s+to\s+(?P<act>[^.;]+)",
               re.I),
    re.compile(r"\b(?:shall|will|may)\s+not\s+be\s+(?:prevented|precluded|prohibited)\s+from\s+(?P<act>[^.;]+)", re.I),
    re.compile(r"\b(?:retains?|reserves?|has|have|maintains?)\s+the\s+(?:sovereign\s+)?right\s+to\s+(?P<act>[^.;]+)",
               re.I),
    re.compile(r"\b(?:is|are|shall\s+be|remain)\s+(?:free|entitled)\s+to\s+(?P<act>[^.;]+)", re.I),
]
_MUST_NOT = [
    re.compile(r"\b(?:no(?!\.?\s*\d)|neither)\s+(?:[\w-]+\s+){0,5}?(?:shall|may|will|must)\s+(?!be\s+(?:required|obliged|"
               r"construed|interpreted|prevented|precluded)\b)(?P<act>[^.;]+)", re.I),
    re.compile(r"\b(?:shall|must|may|will)\s+not\s+(?!apply\b|be\s+(?:required|obliged|obligated|construed|"
               r"interpreted|deemed|prevented|precluded|prohibited\s+from|bound|affected|less|more)\b|"
               r"(?:prevent|preclude|affect|prejudice)\b)(?P<act>[^.;]+)", re.I),
    re.compile(r"\b(?:shall|must|will)\s+(?:refrain|abstain)\s+from\s+(?P<act>[^.;]+)", re.I),
    re.compile(r"\b(?:is|are|shall\s+be)\s+prohibited\b(?P<act>[^.;]*)", re.I),
]
# "may, as a condition for ..., require": the modal's words may be parted from it by an aside in commas
_MAY = re.compile(r"\bmay(?:\s*,[^,;.]{1,160},)?\s+(?!not\b|be\s+(?:required|necessary)\b)(?P<act>[^.;]+)", re.I)
_MUST = re.compile(r"\b(?:shall|must|undertakes?\s+to|agrees?\s+to|(?:is|are)\s+required\s+to|will)"
                   r"(?:\s*,[^,;.]{1,160},)?\s+(?!not\b)(?P<act>[^.;]+)", re.I)
# Words that take the edge off a rule: what follows them may remove an apparent clash.
CARVE_OUT = re.compile(r"\b(?:except(?:\s+(?:as|where|that|for|in|to\s+the\s+extent))?|unless|other\s+than|"
                       r"subject\s+to|provided\s+that|notwithstanding|save\s+(?:as|where|for)|excluding|with\s+the\s+"
                       r"exception\s+of)\b", re.I)
# A rule written to fit the other obligations: it cannot contradict them.
DEFERS = re.compile(r"\b(?:consistent|in\s+(?:conformity|accordance|compliance)|in\s+a\s+manner\s+consistent|"
                    r"compatible)\s+with\s+(?:(?:its|their|the)\s+)?(?:(?:rights\s+and\s+)?obligations|"
                    r"commitments)\s+under\b|\bin\s+accordance\s+with\s+(?:Article\s+[XVI]+\s+of\s+)?(?:the\s+)?"
                    r"(?:GATT|GATS|WTO\s+Agreement|Agreement\s+on)\b|\bto\s+the\s+extent\s+(?:permitted|allowed)\s+by\s+"
                    r"(?:the\s+)?(?:WTO|GATT|its\s+(?:international\s+)?obligations)|\b(?:subject\s+to|in\s+accordance\s+"
                    r"with|as\s+provided\s+(?:for\s+)?in)\s+(?:[^.;]|\.(?=\d)){0,100}?\bof\s+the\s+(?-i:(?:[A-Z][\w-]*\s+){1,8})"
                    r"(?:Agreement|Treaty|Convention)\b", re.I)

_DEONTIC = frozenset({"prevent", "preclud", "prohibit", "restrict", "limit", "imped", "requir", "oblig", "compel",
                      "constru", "interpret", "deem", "retain", "reserv", "right", "free", "entitl", "refrain",
                      "abstain", "affect", "prejudic", "impair", "sovereign", "bound", "undertak", "agre"})
_BREAK = re.compile(r"[.;](?=\s)|\n")
POLARITIES = ("must", "must_not", "may", "need_not")
# Pairs (draft, existing) that clash: what one requires the other forbids, or one permits what the other forbids.
CLASHING = {("must", "must_not"), ("must_not", "must"), ("may", "must_not"), ("must_not", "may")}


@dataclass(frozen=True)
class Stance:
    """``polarity`` (one of ``POLARITIES``) towards the action written at ``start``:``end`` of the text
    (from the words that decided, ``cue_start``:``cue_end``); ``action`` holds the action's content stems,
    ``carve_outs`` the qualifying words ("except ...", "subject to ...") with their offsets, ``defers``
    whether the rule declares itself consistent with other obligations."""

    polarity: str
    cue: str
    cue_start: int
    cue_end: int
    start: int
    end: int
    action: frozenset[str]
    carve_outs: tuple[tuple[str, int, int], ...] = ()
    defers: bool = False


_LIMIT_VERB = re.compile(r"^(?:(?:later|less|more|earlier|sooner|fewer|longer|shorter|greater|lower|higher)\s+than|"
                         r"be\s+(?:less|more|longer|shorter|greater|lower|higher)\s+than|exceed)\b", re.I)
# "shall ensure that the practice of zeroing is not used": a duty to see that something does not happen
_ENSURE_NOT = re.compile(r"^(?:ensure|provide|see\s+to\s+it|guarantee)\s+that\b[^.;]{0,160}?\b(?:is|are|be|shall|will|"
                         r"may)\s+not\b|"
                         r"^(?:provide\s+(?:the\s+)?(?:legal\s+)?means\s+(?:for\s+interested\s+parties\s+)?to\s+)?"
                         r"(?:prevent|prohibit|preclude|refuse|forbid|ban)\b", re.I)
# "without the consent of", "without regard to the proportion", "even where a lesser duty would be adequate": words
# that set aside a condition
DROPPED = re.compile(r"\b(?:without(?:\s+regard\s+to)?|regardless\s+of|irrespective\s+of|whether\s+or\s+not|even\s+"
                     r"(?:where|if|when|though))\b", re.I)
# "only if", "only with the consent of", "provided that", "on condition that": words that set a condition
CONDITION = re.compile(r"\bonly\s+(?:if|where|when|with|after|to\s+the\s+extent|in)\b|\bprovided\s+that\b|\bon\s+"
                       r"condition\s+that\b|\bsubject\s+to\s+the\s+(?:following\s+)?conditions?\b|\bif\s+such\b|"
                       r"\bwith\s+the\s+(?:prior\s+)?consent\s+of\b", re.I)


def _limit(act: str) -> bool:
    """Whether a negated verb only sets a number ("shall not exceed 45 days", "no later than"): that is a time
    limit or threshold, read by the numeric rule, not a prohibition of the action."""
    if re.match(r"(?:later|less|more|earlier|sooner|fewer)\s+than", act, re.I):
        return True
    return bool(_LIMIT_VERB.match(act)) and bool(quantities(act[:60]))


def _found(polarity: str, m: re.Match[str], text: str) -> Stance:
    act_start, act_end = m.span("act")
    # the sentence begins after the last full stop or semicolon followed by a space ("Annex 2.2" is no end), or line
    sentence_start = max((b.start() for b in _BREAK.finditer(text, 0, m.start())), default=-1)
    sentence = text[sentence_start + 1:act_end]
    carve = tuple((c.group(0), sentence_start + 1 + c.start(), sentence_start + 1 + c.end())
                  for c in CARVE_OUT.finditer(sentence))
    # The subject belongs to the action ("No new customs duties shall be introduced"): read from the sentence
    # start to the first carve-out after the verb, leaving out the words that only say how the rule binds
    # ("prevent ... from", "required to").
    cue = content_stems(text[m.start():act_start]) & _DEONTIC
    stop = min((start for _, start, _ in carve if start > act_start), default=act_end)
    action = frozenset(content_stems(text[sentence_start + 1:stop]) - cue)
    cue_end = m.start() + len(text[m.start():act_start].rstrip())
    return Stance(polarity, " ".join(text[m.start():act_start].split()), m.start(), cue_end, act_start, act_end,
                  action, carve, bool(DEFERS.search(sentence)))


def stance(text: str, duty: Duty | None) -> Stance | None:
    """The stance of the clause ``text`` whose duty analysis is ``duty``; None for definitions, declarations,
    institutional rules and clauses with no readable rule.

    >>> stance("Nothing in this Agreement shall prevent a Party from adopting measures to protect health.",
    ...        None).polarity
    'may'
    """
    for polarity, patterns in (("need_not", _NEED_NOT), ("may", _MAY_DESPITE)):
        for pattern in patterns:
            if m := pattern.search(text):
                return _found(polarity, m, text)
    modality = duty.modality if duty else None
    negative = next((m for p in _MUST_NOT for m in p.finditer(text) if not _limit(m["act"])), None)
    if modality == "prohibition" and negative:
        return _found("must_not", negative, text)
    if modality == "exception":  # "Notwithstanding paragraph 1, a Party may ...": the rule it makes, read as such
        may, must = _MAY.search(text), _MUST.search(text)
        first = min((x for x in (negative, may, must) if x is not None), key=lambda x: x.start(), default=None)
        if first is None:
            return None
        return _found("must_not" if first is negative else "may" if first is may else "must", first, text)
    if modality == "permission" and (m := _MAY.search(text)):
        first_negative = negative is not None and negative.start() < m.start()
        return _found("must_not", negative, text) if negative and first_negative else _found("may", m, text)
    if modality == "obligation" and (m := _MUST.search(text)):
        first_negative = negative is not None and negative.start() <= m.start()
        if negative and first_negative:
            return _found("must_not", negative, text)
        return _found("must_not" if _ENSURE_NOT.match(m["act"]) else "must", m, text)
    return None
