"""Provisions the conflict rules look for by their wording: priority (conflict) clauses, scope inclusions
and exclusions, most-favoured-nation clauses and their integration exceptions, and grants of treatment."""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- priority clauses ---------------------------------------------------------------------------------------
_PREVAIL = re.compile(r"\b(?:shall|will|is\s+to)\s+prevail\b|\bprevails?\b|\bshall\s+(?:take|have)\s+precedence\b|"
                      r"\bshall\s+apply\s+to\s+the\s+extent\s+of\s+(?:the|any\s+such)\s+inconsistency\b", re.I)
_SELF = re.compile(r"\b(?:this|the\s+present)\s+(?:Agreement|Chapter|Protocol|Treaty|Convention)\b|"
                   r"\bprovisions\s+of\s+this\s+(?:Agreement|Chapter)\b", re.I)
_BETWEEN = re.compile(r"\b(?:inconsisten\w*|conflict|incompatib\w*|divergen\w*)\s+between\s+(?P<a>.{3,120}?)\s+and\s+"
                      r"(?P<b>.{3,160}?)(?:,|\s+(?:the|this)\s)", re.I | re.S)
_YIELD = re.compile(r"\b(?:shall|will|does)\s+not\s+(?:affect|derogate\s+from|prejudice|impair|modify)\s+(?:the\s+)?"
                    r"(?:existing\s+)?(?:rights\s+and\s+obligations|rights|obligations)\b|\bwithout\s+prejudice\s+to\s+"
                    r"(?:the\s+)?(?:(?:their|its)\s+)?(?:existing\s+)?(?:rights\s+and\s+obligations|obligations|rights)\b"
                    r"|\bnothing\s+in\s+this\s+Agreement\s+shall\s+(?:derogate\s+from|affect)\s+(?:the\s+)?"
                    r"(?:existing\s+)?(?:rights|obligations)\b|\bnot\s+(?:be\s+)?incompatible\s+with\b", re.I)


@dataclass(frozen=True)
class PriorityClaim:
    """What a conflict clause says of its own agreement: it ``prevails`` over ``other`` (the words naming the
    other agreements: "any other agreement", "the WTO Agreement") or ``yields`` to it; offsets of the words."""

    stance: str
    other: str
    start: int
    end: int


_OWN_PART = re.compile(r"^(?:the\s+|any\s+)?(?:other\s+|another\s+)?(?:chapters?|sections?|articles?|annex(?:es)?|"
                       r"parts?|provisions?\s+of\s+this)\b"
                       # "without prejudice to the rights and obligations of the Parties under Chapter 19" / "provided
                       # for in this Agreement": a part of the same agreement, or the agreement itself
                       r"|^(?:(?:and\s+obligations\s+)?of\s+(?:the\s+Parties|(?:a|either|each)\s+Party)\s+)?"
                       r"(?:provided\s+for\s+)?(?:in|under)\s+this\s+(?:Agreement|Chapter|Section|Annex|Part)\b"
                       r"|^(?:(?:and\s+obligations\s+)?of\s+(?:the\s+Parties|(?:a|either|each)\s+Party)\s+)?"
                       r"(?:provided\s+for\s+)?(?:in|under)\s+(?:Chapters?|Sections?|Articles?|Annex(?:es)?|Parts?)"
                       r"\s+\w", re.I)
# "The English text shall prevail": which language version governs, not which agreement.
_LANGUAGE = re.compile(r"\b(?:texts?|versions?|languages?)\b", re.I)


def priority_claims(text: str) -> list[PriorityClaim]:
    """The priority claims of ``text`` towards other agreements: "this Agreement shall prevail" (prevails), "the
    WTO Agreement shall prevail", "without prejudice to their rights and obligations under" (yields). Rules
    between parts of one agreement ("the other Chapter shall prevail", "without prejudice to the rights provided
    for in this Agreement") and which language version prevails are not claims towards others."""
    return [c for c in _claims(text) if not _own_part(c.other) and not _LANGUAGE.search(text[c.start:c.end])]


# A part of an agreement named without any other agreement ("any provision contained in any other Chapter of",
# "the provisions of Part A of a Sectoral Annex"): a rule between the parts of this one.
_A_PART = re.compile(r"\b(?:chapters?|sections?|articles?|annex(?:es)?|parts?|appendix|appendices)\b", re.I)
_AN_AGREEMENT = re.compile(r"(?<!this\s)\b(?:agreements?|conventions?|treat(?:y|ies)|protocols?|GATT|WTO|GATS)\b",
                           re.I)


def _own_part(other: str) -> bool:
    """``other`` names a part of this agreement, or the agreement itself, and no other agreement ("Annex 1A of the
    WTO Agreement" is another's)."""
    return bool(_OWN_PART.match(other) or _A_PART.search(other)) and not _AN_AGREEMENT.search(other)


def _claims(text: str) -> list[PriorityClaim]:
    claims = []
    for m in _PREVAIL.finditer(text):
        before = text[max(0, m.start() - 90):m.start()]
        subject = re.split(r"[,;:]", before)[-1]
        between = None
        for b in _BETWEEN.finditer(text[:m.start()]):
            between = b
        own = bool(_SELF.search(subject))
        other = ""
        if between:
            a, b_ = between["a"], between["b"]
            other = b_ if _SELF.search(a) else a
        elif not own:
            other = subject.strip()
        # "this Agreement shall prevail" with no other instrument named claims priority only where its sentence
        # speaks of other agreements or of an inconsistency
        near = text[max(0, m.start() - 200):m.end() + 80]
        if (not other.strip() or (own and not between)) and not (
                own and re.search(r"\bother\s+(?:international\s+)?agreements?\b|\binconsisten", near, re.I)):
            continue
        claims.append(PriorityClaim("prevails" if own else "yields", " ".join(other.split()) or "other agreements",
                                    m.start() - len(subject) + (len(subject) - len(subject.lstrip())), m.end()))
    for m in _YIELD.finditer(text):
        after = text[m.end():m.end() + 160]
        other = re.split(r"[.;]", after)[0].strip() or "other agreements"
        claims.append(PriorityClaim("yields", " ".join(other.split())[:120], m.start(), m.end()))
    return claims


# -- scope ----------------------------------------------------------------------------------------------------
SUBJECTS: dict[str, str] = {
    "air services": r"\bair\s+(?:transport\s+)?services\b|\bair\s+transport\b|\baviation\b|\btraffic\s+rights\b",
    "maritime transport": r"\bmaritime\s+(?:transport|services|shipping)\b|\bcabotage\b",
    "audiovisual services": r"\baudio-?\s?visual\b|\bbroadcasting\b",
    "cultural industries": r"\bcultural\s+industr(?:y|ies)\b",
    "financial services": r"\bfinancial\s+services\b",
    "government procurement": r"\bgovernment(?:al)?\s+procurement\b|\bprocurement\s+by\s+(?:a\s+Party|government)",
    "subsidies": r"\bsubsid(?:y|ies)\b|\bgrants?\b(?!\s+(?:of|access))|\bgovernment-supported\s+loans\b",
    "taxation": r"\btaxation\s+measures\b|\btax(?:ation)?\s+measures\b|\btaxation\b",
    "governmental authority": r"\bexercise\s+of\s+governmental\s+authority\b",
    "immigration and employment": r"\baccess\s+to\s+(?:its|the)\s+employment\s+market\b|\bcitizenship\b|"
                                  r"\bpermanent\s+residence\b|\bemployment\s+on\s+a\s+permanent\s+basis\b",
    "social services": r"\bsocial\s+services\b|\bsocial\s+security\b|\bpublic\s+(?:health|education)\b",
    "fisheries": r"\bfisher(?:y|ies)\b",
    "agriculture": r"\bagricultur(?:e|al\s+(?:products|goods))\b",
    "energy": r"\benergy\b|\bhydrocarbons?\b|\boil\s+and\s+gas\b",
    "intellectual property": r"\bintellectual\s+property\b",
    "labour": r"\blabou?r\s+(?:standards|law|rights)\b",
    "state enterprises": r"\bstate\s+enterprises?\b|\bstate-owned\s+enterprises?\b",
    "investment": r"\binvestments?\b",
    "services": r"\b(?:cross-border\s+)?trade\s+in\s+services\b",
}
_SUBJECT_RE = {k: re.compile(v, re.I) for k, v in SUBJECTS.items()}
_EXCLUDES = re.compile(r"\b(?:shall|does|do|will)\s+not\s+(?:apply|cover|extend)\s+to\b|"
                       r"\bnothing\s+in\s+(?:\w+\s+){1,6}?(?:shall|does|will)\s+(?:apply|extend)\s+to\b|\bnot\s+(?:be\s+)?applicable\s+"
                       r"to\b|\b(?:is|are|shall\s+be)\s+excluded\b|\bexclud(?:es|ing)\b|\bother\s+than\b|"
                       r"\bwith\s+the\s+exception\s+of\b|\bexcept\s+(?:for\s+)?\b", re.I)
_INCLUDES = re.compile(r"\b(?:shall\s+)?(?:also\s+)?(?:appl(?:y|ies)|extends?)\s+to\b|\bcovers?\b|\bincludes?\b",
                       re.I)
_INCLUDING = re.compile(r"\bincluding\b", re.I)  # keeps the polarity of the verb before it


@dataclass(frozen=True)
class ScopeStatement:
    """What a clause ``include``s in or ``exclude``s from a scope: a named ``subject`` (a key of ``SUBJECTS``), or
    the phrase the scope verb governs (``subject`` "" and its content ``stems``), at offsets."""

    subject: str
    polarity: str
    start: int
    end: int
    cue_start: int
    cue_end: int
    stems: frozenset[str] = frozenset()


# Words every scope phrase has; what is brought in or left out is in the others.
_SCOPE_WORDS = frozenset({"measur", "adopt", "maintain", "relat", "affect", "respect", "regard", "provis", "chapter",
                          "appli", "appl", "cover", "parti", "good", "servic", "trade", "matter", "concern",
                          "includ", "exclud", "section", "annex", "articl", "agreement"})
_SUBJECT_TO = re.compile(r"\b(?:shall|will)\s+(?P<neg>not\s+)?be\s+subject\s+to\b", re.I)


def _phrase_stems(phrase: str) -> frozenset[str]:
    from graph.conflicts.words import content_stems

    return frozenset(content_stems(phrase) - _SCOPE_WORDS)


def scope_statements(text: str) -> list[ScopeStatement]:
    """The subjects ``text`` brings into or takes out of a scope: "This Chapter shall not apply to air services"
    excludes air services; "applies to measures ... including financial services" includes them. Each subject
    is governed by the nearest scope verb before it in its sentence; a subject named before any is not counted.
    Besides the named subjects, the phrase each verb governs is kept, so that any subject can be matched; for
    "X shall (not) be subject to Y" the phrase is X.
    """
    out = []
    offset = 0
    for sentence in re.split(r"(?<=[.;])\s+", text):  # a chapeau's colon carries its verb to the items
        start = text.find(sentence, offset)
        offset = start + len(sentence)
        for m in _SUBJECT_TO.finditer(sentence):
            stems = _phrase_stems(sentence[:m.start()])
            if len(stems) >= 2:
                out.append(ScopeStatement("", "exclude" if m["neg"] else "include", start, start + m.start(),
                                          start + m.start(), start + m.end(), stems))
        excludes = list(_EXCLUDES.finditer(sentence))
        includes = [m for m in _INCLUDES.finditer(sentence)  # "shall not apply to" is no inclusion
                    if not any(x.start() <= m.start() < x.end() for x in excludes)]
        cues = sorted([("exclude", m) for m in excludes] + [("include", m) for m in includes],
                      key=lambda c: c[1].start())
        if not cues:
            continue
        for m in _INCLUDING.finditer(sentence):
            before = [c for c in cues if c[1].end() <= m.start()]
            cues.append((before[-1][0] if before else "include", m))
        cues.sort(key=lambda c: c[1].start())
        for subject, pattern in _SUBJECT_RE.items():
            for m in pattern.finditer(sentence, cues[0][1].end()):
                polarity, cue = [c for c in cues if c[1].end() <= m.start()][-1]
                out.append(ScopeStatement(subject, polarity, start + m.start(), start + m.end(),
                                          start + cue.start(), start + cue.end()))
                break
        for n, (polarity, cue) in enumerate(cues):
            end = cues[n + 1][1].start() if n + 1 < len(cues) else len(sentence)
            stems = _phrase_stems(sentence[cue.end():end])
            if len(stems) >= 2:
                out.append(ScopeStatement("", polarity, start + cue.end(), start + end, start + cue.start(),
                                          start + cue.end(), stems))
    return out


# -- most-favoured-nation -----------------------------------------------------------------------------------
_THIRD = (r"(?:any\s+(?:other\s+)?(?:non-Party|third\s+(?:country|State|Party|countries)|other\s+(?:country|State|"
          r"Party))|non-Parties|third\s+(?:countries|States|part(?:y|ies)))")
_MFN = re.compile(r"\btreatment\s+no\s+less\s+favou?rable\s+than\b[^.;]{0,80}?\b(?:accord|grant|give|given|extend)\w*"
                  rf"\b[^.;]{{0,160}}?\b{_THIRD}\b|\bmost[-\s]favou?red[-\s]nation\s+treatment\b|\bgrants?\b[^.;]{{0,80}}?"
                  rf"\b{_THIRD}\b[^.;]{{0,160}}?\bshall\s+(?:extend|accord|grant)\b", re.I | re.S)
_FIELDS = {
    "investment": re.compile(r"\binvest(?:or|ment)s?\b", re.I),
    "services": re.compile(r"\bservices?(?:\s+suppliers?)?\b", re.I),
    "goods": re.compile(r"\bgoods\b|\bproducts?\b|\bcustoms\s+dut(?:y|ies)\b|\btariffs?\b", re.I),
    "procurement": re.compile(r"\bprocurement\b", re.I),
}
_INTEGRATION = re.compile(r"\bcustoms\s+unions?\b|\bfree[-\s]trade\s+(?:areas?|agreements?)\b|\bregional\s+economic\s+"
                          r"integration\b|\beconomic\s+integration\s+(?:agreements?|organi[sz]ations?)\b|\bcommon\s+"
                          r"markets?\b|\beconomic\s+unions?\b|\bbilateral\s+or\s+multilateral\s+(?:international\s+)?"
                          r"agreements?\s+(?:in\s+force|signed)\s+(?:or\s+signed\s+)?prior\b", re.I)
_NOT_EXTEND = re.compile(r"\b(?:shall|does|do|will)\s+not\s+(?:apply|extend|be\s+construed|oblige)|"
                         r"\bnot\s+be\s+obliged|\bexcept(?:ion)?s?\b|\bshall\s+not\s+be\s+(?:required|obliged)", re.I)


@dataclass(frozen=True)
class MfnClause:
    """A most-favoured-nation promise: the ``fields`` it covers ("investment", "services", "goods",
    "procurement"), the words of the formula at offsets."""

    fields: frozenset[str]
    start: int
    end: int


def fields_of(text: str) -> frozenset[str]:
    return frozenset(f for f, p in _FIELDS.items() if p.search(text))


def mfn_clause(text: str, clause_type: str | None = None) -> MfnClause | None:
    """The MFN promise ``text`` makes, or None (an integration exception to MFN is not itself a promise)."""
    m = _MFN.search(text)
    if not m or (_INTEGRATION.search(text) and _NOT_EXTEND.search(text)):
        return None
    if "most" in m.group(0).lower() and not re.search(r"\b(?:shall|will)\s+(?:\w+\s+){0,3}?(?:accord|grant|extend|"
                                                       r"give)\b", text, re.I):
        return None  # a mention of MFN treatment ("governed by the GATS", "MFN tariff rate") is not a promise of it
    fields = fields_of(text)
    return MfnClause(fields, m.start(), m.end()) if fields else None


def integration_exception(text: str) -> tuple[int, int] | None:
    """Offsets of the words excepting customs unions, free-trade areas or integration agreements from MFN."""
    m = _INTEGRATION.search(text)
    if m and _NOT_EXTEND.search(text) and re.search(r"most[-\s]favou?red|favou?rable|non-Part|third|treatment|"
                                                      r"benefit|preference|advantage|privilege", text, re.I):
        return m.span()
    return None


# -- grants of treatment ------------------------------------------------------------------------------------
# Who a treatment is given to: the other party's investors, suppliers, goods, nationals ("investors of the other
# Party", "originating goods", "goods of Costa Rica").
_BENEFICIARY = re.compile(r"\b(?:investors?|investments?|service\s+suppliers?|services?\s+providers?|suppliers?|goods|"
                          r"products|nationals|enterprises|financial\s+institutions|persons|exporters)\s+(?:of|from|"
                          r"originating\s+in)\s+(?:the\s+other\s+Part(?:y|ies)|(?:a|any|each|either)\s+(?:other\s+)?"
                          r"Party|(?-i:[A-Z][a-z]+))|\boriginating\s+goods\b|\bcovered\s+investments?\b|"
                          r"\b(?:investors?|service\s+suppliers?)\s+of\s+(?:the\s+)?other\b|(?-i:\b(?!Party\b|Parties\b|"
                          r"State\b|Member\b|Committee\b|Council\b)[A-Z][a-z]+\s+shall\s+(?:recognise|recognize|grant|"
                          r"accord|allow|permit|eliminate|not\s+apply|not\s+require))", re.I)
# Duties that organise the relation rather than give anything: no treatment to extend.
_PROCEDURAL = re.compile(r"^(?:notify|inform|consult|publish|cooperate|co-operate|exchange|endeavou?r|review|meet|"
                         r"designate|establish|enter\s+into\s+consultations|make\s+(?:publicly\s+)?available|provide\s+"
                         r"information|submit|report|communicate|respond|reply|furnish|keep|maintain\s+a\s+contact|"
                         r"take\s+into\s+account|consider|encourage|promote)\b", re.I)


@dataclass(frozen=True)
class Grant:
    """Treatment a clause gives the other party's goods, services, investors or suppliers: its ``fields``
    and the words naming who receives it, at offsets."""

    fields: frozenset[str]
    start: int
    end: int


def grant(text: str, clause_type: str | None, modality: str | None, action: str | None = None) -> Grant | None:
    """The treatment ``text`` grants, or None: a party's obligation (or prohibition) in favour of the other
    party's investors, suppliers or goods; an MFN promise, an exception, a definition or a procedural duty
    (notify, consult, cooperate ...) grants none."""
    if modality not in ("obligation", "prohibition") or clause_type in _NOT_GRANTING or mfn_clause(text, clause_type):
        return None
    if action and _PROCEDURAL.match(action.strip()):
        return None
    m = _BENEFICIARY.search(text)
    if not m or not _GRANT_VERB.search(text):
        return None
    fields = fields_of(text)
    return Grant(fields, m.start(), m.end()) if fields else None


# Types of clause that organise procedures (disputes, remedies, origin, customs, institutions): they give no
# treatment an MFN clause could carry to third states.
_NOT_GRANTING = frozenset({"state_dispute_settlement", "isds", "trade_remedies", "rules_of_origin",
                           "customs_procedures", "institutions", "definitions", "final_provisions", "transparency",
                           "cooperation", "entry_into_force", "duration_termination", "amendment", "review"})
_GRANT_VERB = re.compile(r"\b(?:shall|will|must)\s+(?:\w+\s+)?(?:accord|grant|permit|allow|eliminate|reduce|abolish|"
                         r"recogni[sz]e|extend|afford)\b|\b(?:shall|will|must)\s+not\s+(?:\w+\s+)?(?:apply|require|"
                         r"impose|subject|adopt\s+or\s+maintain)\b", re.I)
