"""Where a clause sends disputes: the forums it names, whether it makes them exclusive, and whether it is
a choice-of-forum (fork-in-the-road) rule between this agreement and others."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Forum id -> how texts name it. Order matters only for overlapping names (checked longest first per forum).
FORUMS: dict[str, str] = {
    "icsid": r"\bICSID\b|International\s+Centre\s+for\s+(?:the\s+)?Settlement\s+of\s+Investment\s+Disputes|"
             r"Convention\s+on\s+the\s+Settlement\s+of\s+Investment\s+Disputes|Additional\s+Facility",
    "uncitral": r"\bUNCITRAL\b|United\s+Nations\s+Commission\s+on\s+International\s+Trade\s+Law",
    "icc": r"International\s+Chamber\s+of\s+Commerce|\bICC\s+(?:Rules|Court|Arbitration)",
    "scc": r"Stockholm\s+Chamber\s+of\s+Commerce|Arbitration\s+Institute\s+of\s+the\s+Stockholm|\bSCC\b",
    "pca": r"Permanent\s+Court\s+of\s+Arbitration|\bPCA\b",
    "lcia": r"London\s+Court\s+of\s+International\s+Arbitration|\bLCIA\b",
    "icj": r"International\s+Court\s+of\s+Justice",
    "wto": r"\bWTO\s+(?:Agreement|dispute|Dispute\s+Settlement)|Dispute\s+Settlement\s+Understanding|\bDSU\b|"
           r"Dispute\s+Settlement\s+Body|Understanding\s+on\s+Rules\s+and\s+Procedures\s+Governing\s+the\s+"
           r"Settlement\s+of\s+Disputes|\bGATT\s+1994\b|\bunder\s+the\s+WTO\b|\bthe\s+WTO\b",
    "domestic_courts": r"(?:competent\s+)?(?:local|domestic|national|municipal)\s+courts?|(?:courts?|judicial|"
                       r"administrative)(?:\s+or\s+administrative)?\s+(?:courts?|tribunals?|bodies|authorities)\s+of\s+"
                       r"(?:the|a|that|either)\s+(?:disputing\s+|host\s+)?(?:Contracting\s+)?(?:Party|State)|"
                       r"courts\s+of\s+the\s+host\s+(?:State|Party|country)",
    "regional_court": r"Court\s+of\s+Justice\s+of\s+the\s+European\s+(?:Union|Communities)|EFTA\s+Court|"
                      r"COMESA\s+Court|Caribbean\s+Court\s+of\s+Justice|East\s+African\s+Court\s+of\s+Justice|"
                      r"Andean\s+(?:Court|Tribunal)|SADC\s+Tribunal|ECOWAS\s+Court|Court\s+of\s+Justice\s+of\s+the\s+"
                      r"(?:Community|Common\s+Market)",
    "agreement": r"(?:procedures?|mechanism|arbitral\s+(?:panel|tribunal)|panel)s?\s+(?:set\s+out\s+|established\s+|"
                 r"provided\s+(?:for\s+)?)?(?:in|under|by|pursuant\s+to)\s+this\s+(?:Agreement|Chapter|Section|Annex|"
                 r"Article|Protocol)|(?:provisions?|procedures?)\s+of\s+this\s+(?:Chapter|Section|Article)|\bthis\s+"
                 r"Chapter['’]s\s+procedures|\b(?:initiated|brought|settled|submitted|resolved|arising|referred)\s+"
                 r"(?:exclusively\s+|only\s+|solely\s+)?(?:under|pursuant\s+to|in\s+accordance\s+with)\s+(?:both\s+)?"
                 r"this\s+(?:Agreement|Chapter|Article|Section|Protocol)\b",
    # the mechanism of another, named agreement ("the procedures ... set out in the ASEAN-India DSM Agreement")
    "other_agreement": r"(?:procedures|mechanisms?)\s+(?:and\s+mechanisms\s+)?(?:as\s+)?(?:set\s+out|"
                       r"provided(?:\s+for)?|laid\s+down)\s+(?:in|under)\s+the\s+(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,6})\s+"
                       r"(?:Agreement|Protocol|Understanding)",
    # consent to international arbitration of investor claims, no institution named
    "arbitration": r"\bconsents?\s+to\s+the\s+submission\s+of\s+(?:a\s+)?claims?\s+to\s+arbitration|"
                   r"\bsubmit\s+(?:the|a)\s+claim\s+to\s+(?:international\s+)?arbitration\b",
}
_FORUM_RE = {k: re.compile(v, re.I) for k, v in FORUMS.items()}
LABELS = {
    "icsid": "ICSID arbitration", "uncitral": "UNCITRAL arbitration", "icc": "ICC arbitration",
    "scc": "SCC (Stockholm) arbitration", "pca": "the Permanent Court of Arbitration", "lcia": "LCIA arbitration",
    "icj": "the International Court of Justice", "wto": "WTO dispute settlement",
    "domestic_courts": "the domestic courts", "regional_court": "a regional court",
    "agreement": "this agreement's own dispute settlement",
    "other_agreement": "another agreement's dispute settlement mechanism", "arbitration": "international arbitration",
}
ARBITRAL = frozenset({"icsid", "uncitral", "icc", "scc", "pca", "lcia", "arbitration"})
# "neither Party consents to the submission of such a dispute to international arbitration"
_REFUSED_ARBITRATION = re.compile(r"\b(?:neither|no)\s+(?:Contracting\s+)?Party\s+consents\s+to\b[^.;]{0,80}?"
                                  r"\barbitration\b|"
                                  r"\bshall\s+not\s+be\s+(?:submitted|referred)\s+to\s+(?:international\s+)?arbitration\b|"
                                  r"\binvestor-State\s+arbitration\s+(?:shall\s+not|is\s+not)\b", re.I)
_EXCLUSIVE = re.compile(r"\bexclusive(?:ly)?\b|\bto\s+the\s+exclusion\s+of\b|\bsole(?:ly)?\b|\bonly\s+(?:be\s+)?"
                        r"(?:submitted|settled|referred|resolved|brought|through|under|to|by|in)\b|\bshall\s+not\s+"
                        r"(?:be\s+)?(?:submit|refer|resort|have\s+recourse|bring|initiate)\w*\s+(?:\w+\s+){0,6}?to\s+"
                        r"(?:any\s+)?other\b|\bno\s+(?:other\s+)?(?:recourse|claim)\s+(?:may|shall)\b|\bwaive\w*\s+"
                        r"(?:\w+\s+){0,3}right\s+to\s+initiate", re.I)
_CHOICE = re.compile(r"\bat\s+the\s+discretion\s+of\s+the\s+complaining\b|\bin\s+either\s+forum\b|\b(?:the\s+)?"
                     r"(?:complaining|claimant|requesting)\s+Party\s+may\s+(?:select|choose)\b|\b(?:forum|procedure|"
                     r"tribunal|panel)\s+(?:thus\s+)?(?:selected|chosen)\b|\bonce\s+(?:\w+\s+){0,8}?(?:initiated|"
                     r"submitted|selected|chosen|requested)\b.{0,400}?\bshall\s+(?:be\s+used\s+to\s+the\s+exclusion|not\s+(?:initiate|"
                     r"submit|bring|resort))|\bchoice\s+(?:of\s+(?:forum|procedure)\s+)?shall\s+be\s+final\b|"
                     r"\belection\s+shall\s+be\s+final\b|\bfork\s+in\s+the\s+road\b", re.I | re.S)
_INVESTOR = re.compile(r"\binvestors?\b|\bclaimants?\b|\bdisputing\s+investor\b|\binvestment\s+disputes?\b|"
                       r"\bnational\s+or\s+(?:company|enterprise)\b|\bcovered\s+investments?\b", re.I)
_INVESTOR_CONTEXT = re.compile(r"\binvestor|\bisds\b|investment_protection", re.I)
_DISPUTE = re.compile(r"\bdisputes?\b|\bclaims?\b|\barbitrat|\bsettle", re.I)


@dataclass(frozen=True)
class ForumRule:
    """The forums a clause names (``forums``: ids of ``FORUMS`` with each mention's offsets), for which
    disputes (``between``: "investor-state" or "state-state"), whether it makes them exclusive (``exclusive``,
    with the words and offsets), and whether it is a choice-of-forum rule (``choice``)."""

    forums: dict[str, tuple[tuple[int, int], ...]]
    between: str
    exclusive: tuple[int, int] | None
    choice: tuple[int, int] | None
    exclusive_forums: frozenset[str] = frozenset()  # the forums the exclusivity words are about
    refuses_arbitration: tuple[int, int] | None = None  # words refusing consent to international arbitration

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.forums)


def forum_rule(text: str, clause_type: str | None = None, context: str = "") -> ForumRule | None:
    """The dispute-settlement forums ``text`` provides, or None when it names none or is not about disputes.

    >>> forum_rule("Any dispute shall be settled exclusively by the courts of the host Party.").exclusive is not None
    True
    """
    if not _DISPUTE.search(text) and clause_type not in ("isds", "state_dispute_settlement"):
        return None
    forums: dict[str, tuple[tuple[int, int], ...]] = {}
    refused = _REFUSED_ARBITRATION.search(text)
    for fid, pattern in _FORUM_RE.items():
        spans = tuple((m.start(), m.end()) for m in pattern.finditer(text)
                      if not (refused and refused.start() <= m.start() < refused.end() + 40))
        if spans:
            forums[fid] = spans
    choice = _CHOICE.search(text)
    if not forums and not choice and not refused:
        return None
    # ``context`` (heading, chapter, secondary type) tells investor-state rules whose own words do not
    investor = clause_type == "isds" or bool(_INVESTOR.search(text)) or bool(_INVESTOR_CONTEXT.search(context))
    exclusive = _EXCLUSIVE.search(text)
    only: frozenset[str] = frozenset()
    if exclusive and choice:
        # "the forum selected shall be used to the exclusion of the others": the chosen forum is exclusive, none
        # named is; a fork in the road, not an exclusive forum
        exclusive = None
    if exclusive:
        # the forum named nearest to "exclusively" in its sentence ("settled exclusively under this Agreement")
        start = max(text.rfind(".", 0, exclusive.start()), text.rfind(";", 0, exclusive.start()))
        end = min((i for i in (text.find(".", exclusive.end()), text.find(";", exclusive.end())) if i >= 0),
                  default=len(text))
        near = [(min(abs(a - exclusive.start()), abs(b - exclusive.end())), fid)
                for fid, spans in forums.items() for a, b in spans if start < a < end]
        only = frozenset({min(near)[1]}) if near else frozenset()
    return ForumRule(forums, "investor-state" if investor else "state-state",
                     exclusive.span() if exclusive else None, choice.span() if choice else None, only,
                     refused.span() if refused else None)
