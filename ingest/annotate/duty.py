"""What a clause does in law: its modality, who bears it, the action, its conditions and time limits.

Rules over the clause's main sentence, deterministic and explained: each
result keeps the words that decided it. Time limits are normalised
("within sixty (60) days" -> 60 days, within; "not less than six months'
notice" -> 6 months, at least).
"""

from __future__ import annotations

import re

from ingest.annotate.quantities import quantities
from ingest.records import MODALITIES, Deadline, Duty

__all__ = ["MODALITIES", "Deadline", "Duty", "analyse", "deadlines"]

# The main verb: a modal not inside a subordinate clause ("measures that may affect trade", "in so far as
# they may"). "will" counts only where no sentence has shall/must/may: treaties that say "shall" use "will"
# descriptively ("The Joint Committee will be informed"), treaties written in "will" use it as their "shall".
_MODAL = re.compile(r"\b(shall|must|may|will)\b", re.I)
_SUBORDINATOR = re.compile(r"\b(?:that|which|who|whom|whose|if|unless|where|when|whenever|whether|although|"
                           r"though|because|until|once|while|as)\b", re.I)
_FINITE = re.compile(r"(?:is|are|was|were|has|have|had|does|do|did|[a-z]+(?:s|ed))", re.I)
_NOT_FINITE = {"its", "this", "his", "us", "as", "thus", "those", "these", "less", "unless", "various", "goods",
               "parties", "states", "members", "measures", "products", "services", "investors", "persons"}
# "that" pointing, not relating: "the schedule of that Party shall", "that other Party may"
_DEMONSTRATIVE = re.compile(r"(?:(?:of|to|by|for|with|in|from|on|against|upon)\s+that|\w+\s+that\s+(?:other|party|"
                            r"state|member|good|person|measure|country|product|investor|investment)\b)", re.I)
_TRAILING_SUBORDINATOR = re.compile(r"\b(?:that|which|if|where|when|unless|whether|as)\s*$", re.I)
_NOUN_WILL = re.compile(r"\b(?:the|good|political|its|their|mutual|own)\s+$", re.I)
_MONTH_MAY = re.compile(r"\d\s*$")
# Sentences that state a rule without a modal verb: "this Chapter applies to", "X means", "is prohibited".
_OPERATIVE = re.compile(r"\b(?:means|undertakes?\s+to|agrees?\s+to|(?:is|are)\s+(?:prohibited|entitled\s+to|"
                        r"required\s+to|incompatible\s+with)|ha(?:s|ve)\s+the\s+right\s+to|(?:does|do)\s+not\s+"
                        r"(?:apply|create|impose)|appl(?:y|ies)\s+to|covers|comprises|nothing\s+in\s+th(?:is|e)\b|"
                        r"hereby\s+establish|(?:is|are)\s+without\s+prejudice)", re.I)
_PRESENT = re.compile(r"\b(?:appl(?:y|ies)\s+(?:only\s+)?to|covers|comprises|consists\s+of|undertakes?\s+to|"
                      r"agrees?\s+to|(?:is|are)\s+(?:entitled|required)\s+to|ha(?:s|ve)\s+the\s+right\s+to)\b", re.I)
_ACTIVE = re.compile(r"^(?:undertakes?|agrees?|(?:is|are)\s+(?:entitled|required)|ha(?:s|ve)\s+the\s+right)\b", re.I)
_ASIDE_START = re.compile(r"\s*(?:on|at|in|by|with|for|under|subject|as|after|before|within|upon|pursuant|"
                          r"through|without|except|where|if|when|unless|including|inter\s+alia|acting)\b", re.I)
_ASIDE = re.compile(r"^\s*,[^,]{0,120},\s*")  # "shall, in accordance with its law, adopt"
_ADVERBS = re.compile(r"^(?:(?:also|however|further|furthermore|nevertheless|thereafter|then|only|"
                      r"(?!(?:apply|comply|supply|rely|reply)\b)[a-z]+ly),?\s+)+", re.I)
_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=[A-Z(])")

_INSTRUMENT = (r"(?:this|the|present)\s+(?:agreement|chapter|section|article|protocol|annex|part|title|"
               r"convention|treaty)\b")
_BODY_NOUN = (r"(?:committee|council|commission|sub-committee|subcommittee|secretariat|working\s+group|"
              r"board|forum|joint\s+body|secretary-general)s?")
_BODY = re.compile(rf"\b{_BODY_NOUN}\b", re.I)
_ACTOR = re.compile(r"\b(?:part(?:y|ies)|states?|governments?|community|union|sides?|signator(?:y|ies)|"
                    rf"members?|authorit(?:y|ies)|{_BODY_NOUN})\b", re.I)
_HEAD_END = re.compile(r"\s(?:of|in|for|to|according|under|between|on|concerning|relating|which|that|who|"
                       r"referred|as|by|from|with|established|designated|appointed|described|listed|specified|"
                       r"set\s+out|provided)\s", re.I)
_DOCUMENT = re.compile(r"\b(?:notifications?|requests?|reports?|applications?|notices?|certificates?|declarations?|"
                       r"communications?|submissions?|statements?|records?|invoices?|documents?|proposals?)\b", re.I)
_DEFINITION = (r"[\"“'‘][^\"”’]{1,60}[\"”’]\s+(?:means|shall\s+mean|includes|refers\s+to)\b|"
               r"^(?:[a-z][\w\s-]{0,60}?\s)?(?<!\bby\s)(?:means|shall\s+mean)\b|"
               r"\bfor\s+(?:the\s+)?purposes?\s+of\b.{0,80}?(?<!\bby\s)\b(?:means|shall\s+mean)\b")
_DEFINED = re.compile(r"\b(?:means?|includes?|refers?\s+to)\b|^\W*for\s+(?:the\s+)?purposes?\s+of\b", re.I)
_PREAMBLE = re.compile(r"\b(?:have|having|hereby)\s+agreed?\s+as\s+follows\b|^\W*preamble\b", re.I)
_ESTABLISH = (r"\b(?:hereby\s+)?establish(?:es|ed)?\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(?:committee|council|"
              r"commission|sub-committee|subcommittee|secretariat|working\s+group|body|forum|board|authority|centre|court)\b|"
              r"\bthere\s+(?:shall\s+be|is\s+hereby|are\s+hereby)\s+(?:established|set\s+up|created)\b")
_BODY_PART = (r"^(?:the\s+)?(?:decisions?|recommendations?|expenditures?|expenses|meetings?|sessions?|functions|"
              r"tasks|powers|composition|president|presidency|office\s+of\s+(?:the\s+)?(?:president|chair\w*)|"
              r"chair(?:man|person)?|members?|secretariat|budget|rules\s+of\s+procedure|proceedings)\s+of\s+(?:the\s+)?"
              rf"(?:(?:[\w-]+\s+){{0,3}}?{_BODY_NOUN}\b|(?-i:[A-Z][\w-]+\b))|{_BODY_NOUN}['’]s\b")

# Ordered rules; the first that matches decides. Each reads one view of the main sentence: "sentence",
# "subject" (the words before the main verb in its clause), "pred" (what follows the modal, asides and
# adverbs removed), "clause" (subject + modal + pred) or "modal". Guards: "thing" = the subject's head is not
# a party or a body ("Cooperation shall comprise", not "The Parties shall cover the costs"); "nomodal" = the
# sentence has no main-clause modal ("The Parties undertake to").
_Rule = tuple[str, str, "re.Pattern[str]", str]
_RULES: list[_Rule] = [(m, v, re.compile(p, re.I), g) for m, v, p, g in [
    ("exception", "subject", r"^nothing\b", ""),
    ("definition", "sentence", _DEFINITION, ""),
    ("exception", "pred", r"^not\s+(?:apply\s+(?:to|in\s+respect\s+of|with\s+respect\s+to|where|if)|be\s+construed|"
     r"be\s+interpreted|derogate)\b|^be\s+without\s+prejudice\b", ""),
    ("exception", "pred", r"^not\s+apply\b", "thing"),
    ("exception", "pred", r"^not\s+(?:preclude|prevent|prejudice|affect|impair)\b", "thing"),
    ("exception", "sentence", r"\b(?:does|do)\s+not\s+apply\s+to\b|^notwithstanding\b|\bnothing\s+in\s+th(?:is|e)\s+"
     r"(?:agreement|chapter|article|section|protocol)\b|\b(?:is|are)\s+(?:excluded|exempt)\b|"
     r"\b(?:does|do)\s+not\s+(?:create|impose)\s+(?:any\s+)?(?:obligations?|rights?)\b|"
     r"\b(?:is|are)\s+without\s+prejudice\s+to\b", ""),
    # Final clauses and incorporation state facts (our convention: declaration).
    ("declaration", "pred", r"^(?:enter|come)\s+into\s+(?:force|effect)\b|^remain\s+(?:in\s+force|valid|in\s+effect)\b|"
     r"^be\s+concluded\s+for\b|^have\s+(?:an?\s+)?(?:\w+\s+)?duration\b|^take\s+effect\b|^expire\b|"
     r"^be\s+drawn\s+up\b|^be\s+(?:equally\s+)?authentic\b|^(?:form|be|constitute)\s+(?:an\s+)?integral\s+part\b|"
     r"^be\s+valid\s+for\b|^be\s+incorporated\s+(?:into|in)\b", ""),
    ("declaration", "sentence", r"\bexchange\s+of\s+(?:the\s+)?instruments\s+of\s+(?:ratification|approval|"
     r"acceptance)\s+shall\s+take\s+place\b", ""),
    ("declaration", "sentence", r"\b(?:is|are)\s+(?:hereby\s+)?incorporated\s+into\b", "nomodal"),
    ("declaration", "pred", r"^(?:aim|seek)\s+(?:at|to)\b|^be\s+(?:aimed|directed)\s+(?:at|to)\b", "thing"),
    ("declaration", "pred", r"^have\s+as\s+(?:its|their)?\s*(?:aims?|objectives?|purposes?)\b", ""),
    ("declaration", "subject", r"^(?:the\s+)?(?:main\s+|general\s+|specific\s+)?(?:objectives?|aims?|purposes?)\b", ""),
    # Scope of application is a definition by our convention; "the provisions on X shall also apply to" is not.
    ("definition", "clause", rf"^(?:the\s+provisions\s+of\s+)?{_INSTRUMENT}[^,;]{{0,30}}?\s(?:shall\s+|will\s+)?"
     r"(?:only\s+|also\s+)?(?:appl(?:y|ies)|covers?)\b", ""),
    ("institutional", "sentence", _ESTABLISH + r"|\b(?:committee|council|commission|sub-committee|subcommittee|"
     r"secretariat|working\s+group)\s+shall\s+(?:meet|be\s+composed|consist|comprise|be\s+co-chaired|adopt\s+its|"
     r"establish\s+its|act\s+by|take\s+decisions)\b|\bshall\s+be\s+composed\s+of\b|"
     r"\bfunctions\s*(?:shall|will)\s*(?:include|be|comprise|consist)", ""),
    ("institutional", "subject", _BODY_PART, ""),
    # What something covers or a value it is fixed at ("the basic duty ... shall be the rates in Article 15"),
    # and deeming ("a good shall be treated as originating").
    ("definition", "pred", r"^(?:comprise|cover|include|consist\s+of|comprises|covers|includes|consists\s+of)\b|"
     r"^be\s+(?:the|those|that|equal\s+to)\b(?!\s+(?:responsibility|subject|task|duty|obligation)\b)|"
     r"^(?:not\s+)?be\s+(?:considered|deemed|regarded|treated)\s+(?:as|to\s+be)\b", "thing"),
    ("prohibition", "subject", r"(?:^|\s)(?:no|neither|none)\s(?!(?:later|earlier|sooner|less|more|longer)\s+than)",
     ""),
    ("prohibition", "pred", r"^(?:not|never|refrain|abstain|in\s+no\s+case|under\s+no\s+circumstances|"
     r"be\s+prohibited|be\s+free\s+from\s+(?:all\s+|any\s+)?restrictions)\b", ""),
    ("prohibition", "sentence", r"\b(?:is|are)\s+prohibited\b|\b(?:are|is)\s+incompatible\s+with\s+the\s+"
     r"proper\s+functioning\b", "nomodal"),
    ("permission", "pred", r"^be\s+(?:free|entitled)\s+to\b|^have\s+the\s+right\s+to\b", ""),
    ("permission", "modal", r"^may$", ""),
    ("obligation", "modal", r"^(?:shall|must|will)$", ""),
    ("permission", "sentence", r"\b(?:is|are)\s+entitled\s+to\b|\bha(?:s|ve)\s+the\s+right\s+to\b", "nomodal"),
    ("obligation", "sentence", r"\bundertakes?\s+to\b|\b(?:is|are)\s+required\s+to\b|\bagrees?\s+to\b", "nomodal"),
    ("declaration", "sentence", r"\b(?:recogni[sz]e|affirm|reaffirm|acknowledge|confirm|agree\s+that|share\s+the|"
     r"note|consider|desire|aim|seek)s?\b|\bobjectives?\b", ""),
]]
# A body's own working is institutional; its substantive powers ("may decide to amend Annex I") are not.
_POWER = re.compile(r"^(?:decide\s+to\s+|by\s+decision\s+)?(?:amend|modify|revise|supplement|extend|suspend|"
                    r"adopt\s+amendments|take\s+(?:appropriate\s+)?measures)\b", re.I)
_PASSIVE = re.compile(r"^be\s+(?!(?:free|entitled|able|responsible|prepared|ready|liable|bound|obliged|required|"
                      r"competent|empowered|authori[sz]ed|deemed)\b)\w+(?:ed|en|wn|ne|de|t)\b", re.I)
_AGENT = re.compile(r"^be\s+\w+\s+by\s+(?P<agent>(?:the|each|a|an|both|all)\s+(?:[\w-]+\s+){0,3}?[\w-]+?)"
                    r"(?=\s+(?:in|on|at|with|within|according|for|to|under|from|upon|after|before|by|and|or|not)\b|"
                    r"[,.;:]|$)", re.I)
_DETERMINED = re.compile(r"^(?:each|every|a|an|the|any|no|neither|either|both|all|such|that|this|these|those)\s",
                         re.I)
_MENTION = re.compile(r"(?i:\b(?:each|a|an|the|any|either|that|such)\s+(?:[\w-]+\s+){0,2}?(?:part(?:y|ies)|states?|"
                      r"governments?|community|union|sides?)\b)|(?<=\s)(?!(?:Article|Annex|Protocol|Chapter|Agreement|"
                      r"Part|Title|Section|Schedule|Appendix|The|This|If|Where)\b)[A-Z][a-z]{2,}\b")
_AGENT_NOUN = re.compile(rf"{_ACTOR.pattern}|\b(?:tribunals?|panel(?:ist)?s?|arbitrators?|entit(?:y|ies)|"
                         r"investors?|suppliers?|applicants?|importers?|exporters?|producers?|persons?|"
                         r"administrations?|agenc(?:y|ies)|courts?|officials?|secretary|chair(?:man|person)?|"
                         r"depositary|banks?|centre|institutions?|organi[sz]ations?|countr(?:y|ies)|experts?|claimants?|"
                         r"respondents?)\b", re.I)
_ABSTRACT = re.compile(r"(?:tion|ment|ance|ence|ity|ure|ing|sion)$")
_BENEFICIARY = re.compile(r"\b(?:prevent|preclude|prohibit|restrict)\s+(?P<b>(?:a|an|any|the|either|each)\s+"
                          r"(?:[\w-]+\s+){0,2}?(?:part(?:y|ies)|states?|members?|governments?|sides?|community|"
                          r"union))\s+from\b", re.I)
_ESTABLISHED = re.compile(rf"\bestablish(?:es)?\s+(?:a|an)\s+(?P<b>(?:[\w-]+\s+){{0,2}}?{_BODY_NOUN}"
                          r"(?:\s+(?:on|for)\s+[\w\s-]{1,40}?)?)\s+(?:that|which)\s+shall\b", re.I)
_POSSESSOR = re.compile(r"^(?P<b>(?:the\s+)?[\w\s-]{1,40}?)['’`]s?\s+functions\b", re.I)
_CONDITION = re.compile(r"\b(unless|provided\s+that|except|subject\s+to|notwithstanding|in\s+accordance\s+with|"
                        r"where|if|in\s+the\s+event\s+(?:of|that)|to\s+the\s+extent)\b", re.I)
_REPORTING = re.compile(r"\b(notify|notification|inform|report|publish|make\s+publicly\s+available|provide\s+"
                        r"(?:the\s+other\s+part(?:y|ies)\s+with\s+)?information|submit|communicate)\b", re.I)
_ACTION_END = re.compile(r"[;:]|,\s*(?:unless|provided|except|if|where)\b", re.I)
_TIME_UNIT = re.compile(r"\b(?:day|week|month|year)s?\b|\bannually\b", re.I)


def deadlines(text: str) -> tuple[Deadline, ...]:
    """Every time limit in ``text`` (``quantities`` of time other than a bare duration), in order."""
    return tuple(Deadline(int(q.value), q.unit, q.kind, q.words) for q in quantities(text)
                 if q.dimension == "time" and q.kind != "exact")


def _subordinate(before: str) -> bool:
    """Whether a modal after ``before`` belongs to a subordinate clause: "measures that a Party may adopt",
    "in so far as they may affect"; not "A Party that adopts a measure shall", whose relative clause has its verb."""
    parts = re.split(r"[,;:()]", before)
    words = parts[-1].split()[-7:]
    subs = [i for i, w in enumerate(words) if _SUBORDINATOR.fullmatch(w) and not (
        w.lower() == "that" and _DEMONSTRATIVE.match(" ".join(words[max(0, i - 1):i + 2])))]
    if not subs:
        # "recognise that, in certain circumstances, subsidies may": the subordinator stands before an aside
        for prev in reversed(parts[:-1]):
            if _TRAILING_SUBORDINATOR.search(prev):
                return True
            if prev.strip() and not _ASIDE_START.match(prev):
                return False
        return False
    i = subs[-1] + 1
    # "A Party that adopts a measure shall": the relative clause has its own verb, the modal is the main one
    verb = i + 1 < len(words) and _FINITE.fullmatch(words[i]) and words[i].lower() not in _NOT_FINITE
    return not verb


def _main_modal(sentence: str, strong: bool, subordinate_ok: bool = False) -> re.Match[str] | None:
    """The modal verb of the main clause: shall/must/may (and "will" unless ``strong``), not in a subordinate clause."""
    for m in _MODAL.finditer(sentence):
        word, before = m.group(1), sentence[max(0, m.start() - 24):m.start()]
        if word.lower() == "will" and (strong or _NOUN_WILL.search(before)):
            continue
        if word == "May" and (_MONTH_MAY.search(before) or sentence[m.end():m.end() + 3].strip()[:1].isdigit()):
            continue  # the month
        if subordinate_ok or not _subordinate(sentence[:m.start()]):
            return m
    return None


def _sentences(text: str) -> list[str]:
    """Sentences of ``text``; a chapeau ending in a modal ("Each Party shall:") stays with its item."""
    out: list[str] = []
    for s in _SENTENCE.split(" ".join(text.split())):
        if out and out[-1].endswith(":") and _MODAL.search(out[-1][-40:]):
            out[-1] = f"{out[-1]} {s}"
        elif s:
            out.append(s)
    return out


def _main_sentence(sentences: list[str]) -> tuple[str, re.Match[str] | None]:
    """The operative sentence and its main modal: first one with shall/must/may or a modal-free rule
    ("applies to", "means"), else the first with "will", else the first with any modal."""
    for strong in (True, False):
        for s in sentences:
            if m := _main_modal(s, strong):
                return s, m
            if strong and (op := _OPERATIVE.search(s)):
                # "..., the schedule of that Party shall apply to": the modal of the operative verb
                return s, _MODAL.search(s, max(0, op.start() - 12), op.start())
    for s in sentences:
        if m := _main_modal(s, False, subordinate_ok=True):
            return s, m
    return (sentences[0] if sentences else ""), None


def _views(sentence: str, m: re.Match[str] | None) -> dict[str, str]:
    """The sentence cut at its main verb: subject (in its clause), modal, predicate."""
    if m:
        left, modal, right = sentence[:m.start()], m.group(1).lower(), sentence[m.end():]
    elif p := _PRESENT.search(sentence):
        left, modal, right = sentence[:p.start()], "", sentence[p.start():]
    else:
        left, modal, right = "", "", sentence
    subject = next((c.strip() for c in reversed(re.split(r"[,;:]", left)) if c.strip() and not _ASIDE_START.match(c)),
                   "") if left.strip() else ""
    rest = _ASIDE.sub("", right).lstrip(" :")
    pred = _ADVERBS.sub("", rest)
    main = "" if not m or _subordinate(sentence[:m.start()]) else "main"
    return {"sentence": sentence, "subject": subject, "modal": modal, "pred": pred, "rest": rest, "main": main,
            "clause": f"{subject} {modal} {pred}".replace("  ", " ")}


def _is_thing(subject: str) -> bool:
    """Whether the subject's head names no party, body or paper a party must produce: "Co-ordination of
    agricultural policies of the Parties shall comprise" defines, "The notification shall include" obliges."""
    head = _HEAD_END.split(f"{subject} ", 1)[0]
    return not (_ACTOR.search(head) or _DOCUMENT.search(head))


def _shorten(words: str, limit: int = 60) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else f"{words[:limit // 2 - 2]} ... {words[-(limit // 2 - 3):]}"


def _modality(v: dict[str, str]) -> tuple[str, str]:
    for modality, view, pattern, guard in _RULES:
        if (guard == "thing" and not _is_thing(v["subject"])) or (guard == "nomodal" and v["main"]):
            continue
        if m := pattern.search(v[view]):
            cue = {"subject": f"{v['subject']} {v['modal']}", "pred": f"{v['modal']} {m.group(0)}"}
            return modality, _shorten(cue.get(view, m.group(0)))
    return "declaration", ""


def _resolve(pronoun: str, before: str) -> str | None:
    """The party a pronoun stands for: "it" the first named earlier in the sentence, "the latter" the last."""
    mentions = [x.group(0) for x in _MENTION.finditer(before)]
    if not mentions:
        return None
    return mentions[-1] if pronoun.lower() in ("the latter", "this party") else mentions[0]


def _bearer(v: dict[str, str], modality: str) -> str | None:
    """Who bears the rule as written: the subject of the main verb, a passive's agent, a pronoun's antecedent."""
    sentence, subject, pred = v["sentence"], v["subject"], v["pred"]
    if modality == "exception":
        return b["b"] if (b := _BENEFICIARY.search(sentence)) else None
    if e := _ESTABLISHED.search(sentence):
        return f"the {e['b']}"
    if o := _POSSESSOR.match(subject):
        return o["b"]
    head = _HEAD_END.split(f"{subject} ", 1)[0].strip()
    if _PASSIVE.match(pred) or not (v["modal"] or _ACTIVE.match(pred)):
        if _BODY.search(head):
            return subject  # "The Joint Committee shall be composed of ...": the body organised bears it
        return a["agent"] if (a := _AGENT.match(pred)) and _AGENT_NOUN.search(a["agent"]) else None
    subject = re.sub(r"\s*\([^)]*\)|\s+(?:to|of)\s+(?:this|the\s+present)\s+agreement$", "", subject, flags=re.I)
    words = subject.split()
    if not words:
        return None
    if subject.lower() in ("it", "they", "the latter", "the former", "this party"):
        return _resolve(subject, sentence[:sentence.find(subject)])
    if _DETERMINED.match(subject):
        if not (_AGENT_NOUN.search(head) or any(w[:1].isupper() for w in head.split()[1:])):
            return None  # "The provisions concerning ...", "The above written communication" are no agents
        if len(words) > 8:  # "A Party that adopts a measure under paragraph 1 of Article 5" -> "A Party"
            subject = head
        return re.sub(r"(?i)^(no|neither)\b", "each", subject)
    if len(words) <= 4 and (_ACTOR.search(subject) or all(w[:1].isupper() and not _ABSTRACT.search(w) for w in words)):
        return subject
    return None


def analyse(text: str, heading: str = "") -> Duty:
    """The duty a clause expresses, read from its main sentence and that sentence's main verb.

    The main sentence is the first with shall/must/may in a main clause (or a modal-free rule such as
    "this Chapter applies to"); ``cue`` keeps the words that decided the modality.

    >>> analyse("Each Party shall notify the other Party within sixty (60) days.").deadlines[0].value
    60
    >>> analyse("No new customs duties shall be introduced between the Parties.").modality
    'prohibition'
    """
    sentences = _sentences(text)
    main, m = _main_sentence(sentences)
    v = _views(main, m)
    if heading.lower().strip() in ("definitions", "definition") and _DEFINED.search(text[:400]):
        modality, cue = "definition", f"heading: '{heading}'"
    elif p := _PREAMBLE.search(text):
        modality, cue = "declaration", p.group(0)
    else:
        modality, cue = _modality(v)
    bearer = action = None
    if modality not in ("definition", "declaration"):
        bearer = _bearer(v, modality)
    if bearer:
        action = " ".join(_ACTION_END.split(v["rest"])[0].split()[:25]) or None
        # a body's duties organise it; its "may" too, unless a substantive power ("may decide to amend Annex I")
        if _BODY.search(bearer) and (modality == "obligation" or (
                modality == "permission" and not _POWER.match(v["pred"]))):
            modality, cue = "institutional", f"bearer: '{bearer}'"
    conditions = tuple(dict.fromkeys(m.group(1).lower() for m in _CONDITION.finditer(text)))
    return Duty(modality, cue, bearer, action, conditions, deadlines(text) if _TIME_UNIT.search(text) else (),
                bool(_REPORTING.search(main)) and modality in ("obligation", "institutional"))
