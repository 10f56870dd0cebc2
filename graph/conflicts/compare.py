"""The comparison unit: two annotated clauses in, the clashes between them out.

Pure and deterministic: each rule reads what ``reading`` found in both clauses and, when it fires, says
which words clash (spans in each clause's full text), why in plain words, and the severity with its
reason. ``a`` is the clause under review (a draft's, or the later agreement's), ``b`` the existing one.
Which agreements bind whom (and so whether a clash is a legal conflict) is for the caller: see ``vclt``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from graph.conflicts.forums import ARBITRAL, LABELS, ForumRule
from graph.conflicts.model import Clash, Comparison, Kind, Severity, Span
from graph.conflicts.reading import Reading, read
from graph.conflicts.stance import CLASHING, CONDITION, DROPPED
from graph.conflicts.words import content_stems, jaccard, overlap, tokens
from ingest.annotate.quantities import Quantity
from ingest.records import Clause

# Clause types whose numbers govern the agreement's own life (its entry into force, review, withdrawal):
# a different period there is a divergence of practice, not a clash of obligations.
OWN_PROCEDURE_TYPES = frozenset({"duration_termination", "entry_into_force", "amendment", "accession", "review",
                                 "final_provisions", "institutions"})
KEY_TERMS = frozenset({"investment", "investments", "investor", "investor of a party", "covered investment",
                       "enterprise", "measure", "measures", "originating", "originating goods", "originating good",
                       "service supplier", "services supplier", "service suppliers", "national", "natural person",
                       "juridical person", "person", "territory", "financial service", "financial services", "goods",
                       "customs duty", "customs duties", "state enterprise", "monopoly", "public entity",
                       "investment agreement", "trade in services", "cross-border trade in services", "return",
                       "returns", "freely usable currency", "government procurement", "subsidy", "subsidies"})
RESTATE_SIMILARITY = 0.86   # cosine above which a clause with the same duty and numbers restates the other
RESTATE_WORDS = 0.72        # Jaccard of content words above which it does, when no cosine is given
SUBJECT_SIMILARITY = 0.62   # cosine at which two clauses are taken to treat the same subject
SUBJECT_WORDS = 0.5         # overlap of content words at which they are, when no cosine is given


def same_subject(ra: Reading, rb: Reading, similarity: float | None, cosine: float = SUBJECT_SIMILARITY,
                 words: float = SUBJECT_WORDS) -> bool:
    lexical = overlap(ra.stems, rb.stems)
    if similarity is not None and similarity >= cosine:
        return lexical >= 0.25
    return lexical >= words + (0.15 if similarity is not None else 0.0)


def _token_spans(text: str, start: int, end: int, stems: set[str] | frozenset[str], limit: int = 8) -> list[Span]:
    """Offsets in ``text`` of the words between ``start`` and ``end`` whose stems are in ``stems``."""
    return [(start + t.start, start + t.end) for t in tokens(text[start:end]) if t.stem in stems][:limit]


def _shown(text: str, stems: set[str] | frozenset[str], limit: int = 6, start: int = 0, end: int | None = None) -> str:
    """The words of ``text`` whose stems are ``stems``, as the text writes them ("customs duties", not "duti"),
    each stem once, in reading order: what an explanation quotes to a lawyer."""
    seen: dict[str, str] = {}
    for t in tokens(text[start:end]):
        if t.stem in stems and t.stem not in seen:
            seen[t.stem] = text[start + t.start:start + t.end].lower()
    return ", ".join([*seen.values(), *sorted(stems - set(seen))][:limit])


# A chapeau cut off before its object ("The Parties shall hold the consultations within:" then "(a) 15 days following
# the receipt of the request ... regarding urgent matters"): each item finishes its sentence, so the chapeau's words
# are the item's step (PER-02 of Peru's list: both agreements' items shared only where the period starts).
_OPEN_CHAPEAU = re.compile(r"\b(?:within|than|of|after|before|by|exceeding|exceed|for|to|from|following|during|"
                           r"least|until)\s*:\s*$", re.I)


def _anchor(r: Reading, q: Quantity, before: int = 16, after: int = 10) -> set[str]:
    """The content words around a number: what the number is the limit of."""
    toks = r.tokens
    i = next((n for n, t in enumerate(toks) if t.start >= q.start), len(toks))
    j = next((n for n, t in enumerate(toks) if t.start >= q.end), len(toks))
    # within its sentence, and within its own item: a list's chapeau ("The following conditions shall apply:")
    # is shared by every item and says nothing of which step this number limits
    sentence_start = max(r.text.rfind(". ", 0, q.start), r.text.rfind(";", 0, q.start),
                         r.text.rfind(":\n", 0, q.start), r.text.rfind("\n", 0, q.start))
    if _OPEN_CHAPEAU.search(r.text, 0, sentence_start + 1):  # the item completes the chapeau's sentence
        sentence_start = max(r.text.rfind(". ", 0, sentence_start), r.text.rfind(";", 0, sentence_start),
                             r.text.rfind("\n", 0, sentence_start))
    window = [t for t in toks[max(0, i - before):j + after] if t.start > sentence_start and not (
        q.start <= t.start < q.end)]
    return {t.stem for t in window if t.content}


# Words that name which version of a step a number limits: the urgent-case period against the normal one, the
# interim report against the final one, an extension against the first period. Two numbers whose nearest such
# words differ are limits of different steps, however much else their sentences share.
_STAGE = {"urgenc": "urgent", "urgent": "urgent", "perish": "urgent",
          "interim": "early", "initi": "early", "preliminari": "early", "draft": "early",
          "final": "final", "extens": "extended", "extend": "extended", "addit": "extended", "further": "extended",
          # the reply to a request against entering into what was requested: "shall reply to the request within
          # 10 days ... and enter into consultations within 30 days" (judged pairs JPN-20, KOR-09 of round 21)
          "repli": "reply", "respond": "reply", "respons": "reply", "answer": "reply"}


# A sentence that only refers back ("In no case should it do so later than four months from that date") limits the
# step of the sentence before it, and so takes that sentence's stage words.
_BACK_REFERENCE = re.compile(r"\b(?:do(?:es)?\s+so|that\s+(?:date|period|time)|such\s+(?:a\s+)?period|"
                             r"this\s+period|aforementioned)\b|^\W*(?:under\s+no\s+circumstances?|in\s+no\s+case|"
                             r"in\s+any\s+case)\b", re.I | re.M)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or list item) around ``start``-``end``."""
    first = max(text.rfind(". ", 0, start), text.rfind(";", 0, start), text.rfind("\n", 0, start))
    ends = [e for e in (text.find(". ", end), text.find(";", end), text.find("\n", end)) if e >= 0]
    return first, min(ends, default=len(text))


def _stages(r: Reading, q: Quantity) -> frozenset[str]:
    """The stage words that belong to ``q`` (``_own_stages``); a number of a sentence that has none and only
    refers back to the sentence before ("do so", "that date") takes those of that sentence's numbers."""
    own = _own_stages(r, q)
    start, end = _sentence(r.text, q.start, q.end)
    if own or start <= 0 or not _BACK_REFERENCE.search(r.text[start + 1:end]):
        return own
    before, _ = _sentence(r.text, start, start)
    return frozenset().union(*(_own_stages(r, x) for x in r.quantities if before <= x.start < start))


# What a panel delivers at a stage ("an initial report", "its final award")
_DELIVERABLE = frozenset({"report", "award", "determin", "rule", "decis", "opinion", "find"})


def _own_stages(r: Reading, q: Quantity) -> frozenset[str]:
    """The stage words of ``q``'s sentence that belong to ``q``, among the numbers of ``q``'s kind (a period's stage
    is not that of "the two arbitrators"): a stage word belongs to the number of its own comma-delimited part
    ("within 60 days in cases of urgency"), else to the first number after it ("in cases of urgency, ... within 60
    days"; "..., except for perishable goods, in which case within 20 days"); one with no number in its part or
    after it qualifies none ("does not exceed 65 per cent, and the final process of
    manufacture is performed" names no stage of the 65 per cent)."""
    start, end = _sentence(r.text, q.start, q.end)
    numbers = [x for x in r.quantities if start <= x.start < end and x.dimension == q.dimension]
    out = set()
    for n, t in enumerate(r.tokens):
        if not start < t.start < end or (stage := _stage_word(r, n, start, end)) is None:
            continue
        # parts end at commas and colons, not at brackets: "sixty (60) days of the initial report" is one part
        part_start = max(start, *(r.text.rfind(c, 0, t.start) for c in ",:"))
        part_end = min([end, *(e for c in ",:" if (e := r.text.find(c, t.end)) >= 0)])
        own = [x for x in numbers if part_start <= x.start < part_end]
        after = [x for x in numbers if x.start > t.start]
        owner = min(own, key=lambda x: abs(x.start - t.start)) if own else after[0] if after else None
        if owner is None and stage in ("early", "final") and n + 1 < len(r.tokens) and \
                r.tokens[n + 1].stem in _DELIVERABLE:
            # "shall, within 120 days after ..., present ... an initial report": the report the period is for
            # (PER-01 of Peru's list), not a stage of nothing
            owner = next((x for x in reversed(numbers) if x.start < t.start), None)
        if owner is q:
            out.add(stage)
    return frozenset(out)


# Who a step of forming a panel is for: the chair (the third arbitrator, the presiding member) against the members
# each Party appoints; read only in a sentence about arbitrators or a panel ("the Joint Committee shall be chaired
# alternately" names no step of a panel's forming).
_CHAIR = frozenset({"chair", "chairperson", "chairman", "chairwoman"})
_CHAIR_BEFORE = frozenset({"third", "presid"})  # "the third arbitrator", "the presiding member"
_MEMBER = frozenset({"arbitr", "member", "panelist", "panellist"})
_PANEL = frozenset({"arbitr", "panel", "panelist", "panellist", "tribun"})


def _stage_word(r: Reading, n: int, start: int, end: int) -> str | None:
    """The stage token ``n`` of ``r`` names (``_STAGE``, or "chair"), else None; ``start``-``end``: its sentence."""
    toks = r.tokens
    stem = toks[n].stem
    if stem in _STAGE:
        # "the respondent" is a party to the dispute, not its reply ("within six months of the receipt by the
        # respondent of a request for consultations" is the cooling-off period; AUS-03 of Australia's list)
        return None if toks[n].text.lower().startswith("respondent") else _STAGE[stem]
    chair = stem in _CHAIR or (stem in _CHAIR_BEFORE and n + 1 < len(toks) and toks[n + 1].stem in _MEMBER)
    if chair and any(t.stem in _PANEL for t in toks if start < t.start < end):
        return "chair"
    return None


_WORKING = re.compile(r"\b(?:working|business)\s+days?\b")
WORKING_WEEK = 7 / 5  # calendar days per working day
COUNTED_APART = 0.15  # how far a period in working days may stray from one in calendar time and still be the same


def _same(qa: Quantity, qb: Quantity) -> bool:
    """The same number (six months and 180 days count as the same; so do 60 working days and three months, a
    period counted in working days being only roughly a calendar one)."""
    a, b = qa.normalised, qb.normalised
    tolerance = 0.05
    if qa.dimension == "time" and bool(_WORKING.search(qa.unit)) != bool(_WORKING.search(qb.unit)):
        a, b = (a * WORKING_WEEK, b) if _WORKING.search(qa.unit) else (a, b * WORKING_WEEK)
        tolerance = COUNTED_APART
    bigger = max(a, b)
    return bigger == 0 or abs(a - b) / bigger <= tolerance


# A limit to aim for, not one to keep ("shall, as far as possible, be completed within 180 days ... in no case
# exceed one year"): compared only where its clause sets no binding limit of the same kind beside it.
_SOFT = re.compile(r"\b(?:as\s+far\s+as\s+(?:possible|practicable)|(?:where|if|whenever)\s+(?:possible|practicable)|"
                   r"normally|endeavou?r\w*|(?:every|best)\s+efforts?|to\s+the\s+extent\s+possible)\b", re.I)


def _soft(r: Reading, q: Quantity) -> bool:
    """The words between the number before ``q`` (or its sentence's start) and ``q`` make it a target."""
    begin = max([r.text.rfind(c, 0, q.start) + 1 for c in ".;\n"]
                + [x.end for x in r.quantities if x.end <= q.start])
    return bool(_SOFT.search(r.text, max(begin, q.start - 100), q.start))


def _beside_a_binding_limit(r: Reading, q: Quantity) -> bool:
    """``q`` is a target and its clause also sets a binding limit of its kind."""
    return _soft(r, q) and any(x.dimension == q.dimension and x is not q and not _soft(r, x) for x in r.quantities)


# Words around a number that name where a period starts or how it is bounded, not which step it limits ("three
# years after the date of entry into force", "within 30 days of the receipt of the request"): two numbers that
# share only these are limits of different steps as often as of the same one.
_REFERENCE_POINT = frozenset({"date", "entri", "forc", "request", "receipt", "submiss", "later", "agre", "otherwis",
                              "unless", "follow", "least", "more", "less", "exceed", "than", "period", "time",
                              # "from the date on which it was issued": the day a period starts, not a step (a
                              # certificate valid for one year against records kept five years, judged JPN-24)
                              "issu"})
# Who acts, not what is done: "the exporting Party shall respond within 30 days" and "the exporting Party shall
# provide the information within 60 days" share only the actor (judged JPN-07 of round 19)
_ACTOR = frozenset({"export", "import", "parti", "member", "contract", "countri", "state", "signatori"})
SCHEDULE = 3  # distinct percentages from which a clause is a list of rates (a tariff phase-out), each its own step


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _schedule(r: Reading) -> bool:
    return len({q.normalised for q in r.quantities if q.dimension == "percent"}) >= SCHEDULE


def _dated_schedule(r: Reading) -> bool:
    """A timetable: two or more rates each set for its own date ("on 1 January 2015 ... reduced to 35%"; "five
    years after entry into force ... to 88 %"). Its numbers are points of one agreement's timetable for its own
    product lists; another timetable's points are not the same steps, whatever words they share."""
    dated = set()
    for q in r.quantities:
        if q.dimension != "percent":
            continue
        start = max(r.text.rfind(c, 0, q.start) for c in ",;-\n\u2013")
        if _YEAR.search(r.text, start + 1, q.start) or any(
                x.dimension == "time" and start < x.start < q.start for x in r.quantities):
            dated.add(q.normalised)
    return len(dated) >= 2


def _restated(r: Reading, q: Quantity) -> bool:
    """``q`` restates a limit set earlier in its clause, in a sentence that refers back to it ("cannot submit its
    draft award within the aforementioned 90 or 60 days period"): the same limit again, not another step's."""
    start, end = _sentence(r.text, q.start, q.end)
    return bool(_BACK_REFERENCE.search(r.text[start + 1:end])) and any(
        x.end <= start and x.dimension == q.dimension and _same(x, q) for x in r.quantities)


def number_pairs(a: Reading, b: Reading, similarity: float | None,
                 stages: bool = False) -> list[tuple[float, Quantity, Quantity, set[str]]]:
    """For each number of ``a``, the number of ``b`` that is the limit of the same step, if any, with how sure
    that is (0-1) and the words they share; best first. Two close clauses with one number of a kind each set it
    for the same step; otherwise the words around the numbers must agree. Shared words that only name the
    reference point ("after entry into force") do not make a step; percentages of two schedules are not paired,
    nor any number of a timetable."""
    if _dated_schedule(a) or _dated_schedule(b):
        return []
    close = (similarity if similarity is not None else jaccard(a.stems, b.stems) + 0.25) >= 0.75
    schedules = _schedule(a) or _schedule(b)  # a list of rates: none of them is another clause's one rate
    best: dict[int, tuple[float, Quantity, Quantity, set[str]]] = {}
    # read once, not per number of a
    targets_b = {q.start for q in b.quantities if _beside_a_binding_limit(b, q) or _restated(b, q)}
    for qa in a.quantities:
        if (schedules and qa.dimension == "percent") or _beside_a_binding_limit(a, qa) or _restated(a, qa):
            continue
        anchor_a = _anchor(a, qa)
        kin_a = [q for q in a.quantities if q.dimension == qa.dimension]
        for qb in b.quantities:
            if qa.dimension != qb.dimension or (qa.dimension in ("money", "count") and qa.unit != qb.unit):
                continue
            # how often ("once every two years") against how soon ("within one year"): no step in common (judged
            # pair KOR-18 of round 21)
            if (qa.kind == "periodic") != (qb.kind == "periodic"):
                continue
            if qb.start in targets_b:
                continue
            anchor_b = _anchor(b, qb)
            shared = anchor_a & anchor_b
            if not shared - _REFERENCE_POINT - _ACTOR or (stages and _stages(a, qa) != _stages(b, qb)):
                continue
            score = (overlap(anchor_a, anchor_b) + jaccard(anchor_a, anchor_b)) / 2
            alone = close and len(kin_a) == 1 and sum(1 for q in b.quantities if q.dimension == qb.dimension) == 1
            if alone and shared:
                score = 0.5 + score / 2
            elif not (shared and len(shared) >= min(2, len(anchor_a), len(anchor_b)) and score >= 0.4):
                continue
            if qa.start not in best or score > best[qa.start][0]:
                best[qa.start] = (score, qa, qb, shared)
    return sorted(best.values(), key=lambda p: -p[0])


def agreed_numbers(a: Reading, b: Reading, similarity: float | None) -> tuple[tuple[int, float], ...]:
    """The numbers of ``a`` that ``b`` sets alike for the same step: (offset in ``a``, how sure)."""
    return tuple((qa.start, score) for score, qa, qb, _ in number_pairs(a, b, similarity) if _same(qa, qb))


def _set_alike_beside(a: Reading, b: Reading, qa: Quantity, qb: Quantity) -> bool:
    """``b`` also sets ``qa``'s number, for a step whose words are ``qa``'s (two or more shared besides reference
    points and actors): the paired ``qb`` is a neighbouring step's ("comments on the draft award within 15 days"
    against "the draft award in no case later than 150 days" where the same clause gives 15 days for comments,
    judged JPN-06 of round 19); a number of another stage is not it (an ordinary ruling in 45 days against another
    agreement's 90 days, whose 45 days are for urgent cases)."""
    anchor_a, stages_a = _anchor(a, qa), _stages(a, qa)
    return any(x is not qb and x.dimension == qa.dimension and _same(qa, x) and _stages(b, x) == stages_a
               and len((anchor_a & _anchor(b, x)) - _REFERENCE_POINT - _ACTOR) >= 2 for x in b.quantities)


def _both_in_both(a: Reading, b: Reading, qa: Quantity, qb: Quantity) -> bool:
    """Each text also has the other's number (both set 70% and 80%): two steps paired crosswise, not a clash."""
    return any(_same(qb, q) for q in a.quantities if q.dimension == qb.dimension) and any(
        _same(qa, q) for q in b.quantities if q.dimension == qa.dimension)


# Article headings that name a whole field rather than one step ("Dispute Settlement", "General Provisions"): they
# say nothing of which step an article's numbers limit.
_FIELD_HEADING = frozenset({"disput", "settlement", "general", "provis", "final", "institut", "procedur", "object",
                            "scope", "definit", "miscellan", "other",
                            # "Additional Dispute Settlement Procedures": one article for every step (US-Singapore)
                            "addit"})


def _other_steps(a: Reading, b: Reading) -> bool:
    """The two clauses stand in articles whose headings name different steps: no content word in common, neither
    a field's name ("Reasonable Period of Time for Compliance" against "Review of Any Measure Taken to Comply";
    "Preservation of Certificate of Origin" against "Certificate and Declaration of Origin" share words)."""
    ha, hb = content_stems(a.clause.heading), content_stems(b.clause.heading)
    return bool(ha and hb and not ha & hb and not ha <= _FIELD_HEADING and not hb <= _FIELD_HEADING)


# A named body: "the Committee on Trade in Goods", "the EEA Council", "the Joint Committee". Numbers of two bodies'
# rules (how often each meets) are limits of different steps, however alike the sentences.
_BODY = r"(?:Sub-?\s*)?(?:Committee|Council|Commission|Working\s+Group|Board)"
_NAME_BEFORE = re.compile(r"\b((?:[A-Z][\w'-]*[ \t]+(?:and[ \t]+)?){1,5})" + _BODY + r"\b")  # within a line
_NAME_AFTER = re.compile(r"\b" + _BODY + r"[ \t]+(?:on|for)[ \t]+((?:[A-Z][\w'-]*|and|in|of|the)"
                         r"(?:[ \t,]+(?:[A-Z][\w'-]*|and|in|of|the))*)")
# The names of an agreement's own governing body, which differ from one agreement to the next for the same role
_MAIN_BODY = frozenset({"joint", "free", "associ", "partnership", "cooper", "ministeri", "stabilis", "stabiliz"})
# Words of many bodies' names that tell none apart ("the Committee on Trade in Goods", "... on Trade in Services")
_NAME_FILLER = frozenset({"trade", "matter", "measur", "issu", "relat"})
# Subjects usually named by their initials ("the SPS Committee", "the Committee on Technical Barriers to Trade")
_INITIALS = {"sps": frozenset({"sanitari", "phytosanitari"}), "tbt": frozenset({"technic", "barrier"})}


def _bodies(r: Reading) -> set[frozenset[str]]:
    """The names of the bodies ``r`` speaks of (its heading too), each as its content stems; none for a body
    named only by its kind ("the Committee")."""
    text = f"{r.clause.heading}\n{r.text}"
    out = set()
    for m in (*_NAME_BEFORE.finditer(text), *_NAME_AFTER.finditer(text)):
        name = content_stems(m.group(1)) - _NAME_FILLER
        name |= frozenset().union(*(_INITIALS.get(s, frozenset()) for s in name))
        if name:
            out.add(frozenset(name))
    return out


def _other_bodies(a: Reading, b: Reading) -> bool:
    """Each clause names a body and no body of one can be one of the other's: their names share no word, and
    they are not both an agreement's governing body under two names (a Joint Committee, a Free Trade Commission).
    The SPS Committee's numbers against the Committee on Trade in Services' (judged pair KOR-13 of round 17)."""
    ba, bb = _bodies(a), _bodies(b)
    return bool(ba and bb) and all(not (x & y) and not (x & _MAIN_BODY and y & _MAIN_BODY) for x in ba for y in bb)


def numeric(a: Reading, b: Reading, similarity: float | None, stages: bool = False) -> list[Clash]:
    """A different time limit, percentage, amount or count for the same step of the same procedure. With
    ``stages``, numbers in articles whose headings name different steps, or of differently named bodies, are not
    compared."""
    if not same_subject(a, b, similarity, cosine=0.7, words=0.6) or (stages and (
            _other_steps(a, b) or _other_bodies(a, b))):
        return []
    out = []
    used_b: set[int] = set()
    for score, qa, qb, shared in number_pairs(a, b, similarity, stages):
        if qb.start in used_b:
            continue
        used_b.add(qb.start)
        if _same(qa, qb) or _both_in_both(a, b, qa, qb) or _set_alike_beside(a, b, qa, qb):
            continue
        own = bool({a.clause.clause_type, b.clause.clause_type} & OWN_PROCEDURE_TYPES)
        severity, reason = ((Severity.LOW, "each agreement sets this period for its own procedure: a divergence "
                             "of practice, not a clash of obligations") if own else
                            (Severity.MEDIUM, "both limits apply to the same step; the parties can meet both only "
                             "by keeping to the stricter one, and a dispute could turn on which applies"))
        words = _shown(a.text, set(shared), 5)
        out.append(Clash(
            Kind.NUMERIC, severity, f"numeric.{qa.dimension}",
            f"The draft sets {qa.shown} ('{qa.words}') where the existing clause sets {qb.shown} ('{qb.words}') "
            f"for the same step (both speak of: {words}).", reason,
            ((qa.start, qa.end),), ((qb.start, qb.end),),
            {"draft_value": qa.shown, "existing_value": qb.shown, "anchor": sorted(shared), "step_match":
             round(score, 3)}))
    return out


def modality(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """Opposite duties on the same action: one requires what the other forbids, or permits what it forbids."""
    sa, sb = a.stance, b.stance
    if sa is None or sb is None or (sa.polarity, sb.polarity) not in CLASHING:
        return []
    shared = sa.action & sb.action
    # the action words must largely agree both ways: a long sentence covers a short one's words by chance
    if len(shared) < 3 or overlap(set(sa.action), set(sb.action)) < 0.6 or jaccard(sa.action, sb.action) < 0.3 \
            or not same_subject(a, b, similarity, 0.6):
        return []
    if not _same_verbs(a.text[sa.start:sa.end], b.text[sb.start:sb.end]):
        return []  # "eliminate customs duties" and "increase customs duties" are different actions
    if sa.defers or sb.defers:
        return []  # a rule made consistent with the parties' other obligations cannot contradict them
    own = set(sa.action - sb.action)  # what the draft's rule is about beyond the action both share
    for _, _, end in sb.carve_outs:
        carved = _words_after(b.text, end) - shared
        if len(carved & own) >= 2 and overlap(carved, own) >= 0.5:
            return []  # the existing clause's own exception ("unless ...", "other than ...") reaches the draft's rule
    pair = (sa.polarity, sb.polarity)
    said = {"must": "requires", "must_not": "forbids", "may": "permits"}
    if pair in (("must", "must_not"), ("must_not", "must")):
        severity, reason = Severity.HIGH, "no party can comply with both: one text requires what the other forbids"
    elif pair == ("may", "must_not"):
        severity, reason = Severity.HIGH, "acting on the draft's permission would breach the existing prohibition"
    else:
        severity, reason = Severity.MEDIUM, ("the parties can comply with both by refraining, but the draft takes "
                                             "away a right the existing agreement keeps")
    if sa.carve_outs:
        severity = severity.lowered()
        reason += f"; lowered because the draft's rule is qualified ('{sa.carve_outs[0][0]}')"
    words = _shown(a.text, set(shared), 6, sa.start, sa.end)
    return [Clash(
        Kind.MODALITY, severity, f"modality.{sa.polarity}-vs-{sb.polarity}",
        f"The draft {said[sa.polarity]} ('{sa.cue}') what the existing clause {said[sb.polarity]} ('{sb.cue}'), "
        f"on the same action (both speak of: {words}).", reason,
        ((sa.cue_start, sa.cue_end), *_token_spans(a.text, sa.start, sa.end, shared)),
        ((sb.cue_start, sb.cue_end), *_token_spans(b.text, sb.start, sb.end, shared)),
        {"draft_polarity": sa.polarity, "existing_polarity": sb.polarity, "shared_words": sorted(shared)})]


# Verbs that name the same act in treaty drafting.
_VERB_KIN = [{"impos", "adopt", "appli", "introduc", "maintain", "levi", "establish", "institut", "take", "enforc",
              "requir"},
             {"requir", "oblig", "compel", "condit", "mandat"},
             {"grant", "accord", "provid", "afford", "give", "extend"},
             {"restrict", "limit", "prohibit", "ban"}, {"permit", "allow", "authoris", "authoriz"},
             {"use", "employ"}, {"appoint", "nomin", "design"}]
# Verbs that only say how the rule binds ("permit the use", "prevent the use", "ensure that"): the act is what follows
_TRANSPARENT = frozenset({"permit", "allow", "prevent", "prohibit", "ensur", "provid", "preclud", "refus", "forbid"})
_DETERMINER = re.compile(r"^(?:any|the|a|an|its|their|such|all|new|existing)$", re.I)


def _verbs(action: str) -> set[str]:
    """The stems of the verbs an action opens with: its first content word and each verb coordinated with it
    ("adopt or maintain any measure")."""
    toks = tokens(action)
    out: set[str] = set()
    content = [t for t in toks if t.content]
    while len(content) > 1 and content[0].stem in _TRANSPARENT:
        content = content[1:]
    first = content[0] if content else None
    if first:
        out.add(first.stem)
    for n in range(1, len(toks) - 1):
        if toks[n - 1].text.lower() in ("or", "and") and toks[n].content and _DETERMINER.match(toks[n + 1].text):
            out.add(toks[n].stem)
    return out


def _same_verbs(act_a: str, act_b: str) -> bool:
    va, vb = _verbs(act_a), _verbs(act_b)
    if not va or not vb or va & vb:
        return True
    return any(va & kin and vb & kin for kin in _VERB_KIN)


def condition(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """The draft permits an action the existing clause permits only under a condition, and sets that condition
    aside ("without the consent of", "without regard to", "even where")."""
    sa, sb = a.stance, b.stance
    if sa is None or sb is None or sa.polarity != "may" or sb.polarity not in ("may", "must"):
        return []
    shared = sa.action & sb.action
    if len(shared) < 3 or overlap(set(sa.action), set(sb.action)) < 0.6 or not same_subject(a, b, similarity, 0.65):
        return []
    for d in DROPPED.finditer(a.text, sa.start, sa.end):
        dropped = _words_after(a.text, d.end(), 120)
        for c in CONDITION.finditer(b.text):
            kept = _words_after(b.text, c.end(), 200)
            common = dropped & kept
            if common and len(common) >= min(2, len(dropped), len(kept)) and overlap(dropped, kept) >= 0.4:
                return [Clash(
                    Kind.MODALITY, Severity.HIGH, "modality.condition-set-aside",
                    f"The existing clause permits this only under a condition ('{c.group(0)} ...'); the draft permits "
                    f"it '{d.group(0)}' that condition (both speak of: {_shown(a.text, set(common), 6, d.end())}).",
                    "acting on the draft's permission without the condition would breach the existing rule",
                    ((d.start(), d.end()), *_token_spans(a.text, d.end(), d.end() + 120, common)),
                    ((c.start(), c.end()), *_token_spans(b.text, c.end(), c.end() + 200, common)),
                    {"condition": c.group(0), "set_aside_by": d.group(0)})]
    return []


def _words_after(text: str, at: int, limit: int = 300) -> set[str]:
    """The content words from ``at`` to the end of its sentence (at most ``limit`` characters)."""
    rest = re.split(r"[.;]", text[at:at + limit], maxsplit=1)[0]
    return {t.stem for t in tokens(rest) if t.content}


def forum(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """Forums that cannot both apply: an exclusive forum against another one, or against a choice-of-forum rule."""
    fa, fb = a.forum, b.forum
    if fa is None or fb is None or fa.between != fb.between:
        return []
    if similarity is not None and similarity < 0.4:
        return []
    # "this Agreement's procedures" are each agreement's own, so never the same forum
    def named(rule: ForumRule, whose: str, names: frozenset[str]) -> set[str]:
        return {f"{n}:{whose}" if n == "agreement" else n for n in names}

    names_a, names_b = named(fa, "draft", fa.names), named(fb, "existing", fb.names)
    only_a, only_b = named(fa, "draft", fa.exclusive_forums), named(fb, "existing", fb.exclusive_forums)
    label = {**LABELS, "agreement:draft": "the draft's own procedure",
             "agreement:existing": "the existing agreement's own procedure"}

    def say(names: set[str]) -> str:
        return " and ".join(label[n] for n in sorted(names))

    found = None
    if fa.refuses_arbitration and names_b & ARBITRAL:
        found = (Severity.HIGH, "forum.refuses-arbitration",
                 f"The draft withholds consent to international arbitration, while the existing clause provides "
                 f"{say(names_b & ARBITRAL)} for the same {fa.between} disputes.",
                 "investors covered by both could claim in a forum the draft shuts")
    elif fb.choice and fa.exclusive:
        found = (Severity.MEDIUM, "forum.exclusive-vs-choice",
                 f"The existing clause lets the complaining party choose the forum ({say(names_b)}) and holds it to "
                 f"its choice; the draft makes {say(only_a) or 'its own forum'} exclusive.",
                 "the choice the existing agreement gives is taken away for disputes both agreements cover")
    elif fa.choice and fb.exclusive:
        found = (Severity.MEDIUM, "forum.choice-vs-exclusive",
                 f"The draft lets the complaining party choose the forum ({say(names_a)}); the existing clause "
                 f"makes {say(only_b) or 'its own forum'} exclusive.",
                 "the draft offers a choice the existing agreement rules out for disputes both cover")
    elif fb.choice and not fa.choice and not fa.exclusive and len(names_a) >= 2 and a.stance and \
            a.stance.polarity == "may":
        found = (Severity.MEDIUM, "forum.second-forum-vs-choice",
                 f"The draft lets a party take a matter to {say(names_a)} in turn, while the existing clause holds "
                 "it to the forum first chosen.", "the same dispute could run in two forums the existing agreement "
                 "keeps apart")
    elif only_a and names_b - only_a:
        found = (Severity.HIGH, "forum.exclusive-vs-other",
                 f"The draft makes {say(only_a)} exclusive, while the existing clause provides "
                 f"{say(names_b - only_a)} for the same {fa.between} disputes.",
                 "a dispute cannot go exclusively to one forum and also to another")
    elif only_b and names_a - only_b:
        found = (Severity.HIGH, "forum.other-vs-exclusive",
                 f"The existing clause makes {say(only_b)} exclusive, while the draft provides "
                 f"{say(names_a - only_b)} for the same {fa.between} disputes.",
                 "a dispute cannot go exclusively to one forum and also to another")
    if found is None:
        return []
    severity, rule, explanation, reason = found
    spans_a = [s for n in fa.forums.values() for s in n] + [x for x in (fa.exclusive, fa.refuses_arbitration) if x]
    spans_b = [s for n in fb.forums.values() for s in n] + [x for x in (fb.exclusive, fb.choice) if x]
    return [Clash(Kind.FORUM, severity, rule, explanation, reason, tuple(sorted(spans_a)), tuple(sorted(spans_b)),
                  {"draft_forums": sorted(names_a), "existing_forums": sorted(names_b), "disputes": fa.between})]


def definition(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """The same term defined materially differently: categories or exclusions one has and the other lacks."""
    out = []
    for term, (da_start, da_end) in a.definitions.items():
        if term not in b.definitions:
            continue
        db_start, db_end = b.definitions[term]
        if _POINTER.search(a.text[da_start:da_end][:120]) or _POINTER.search(b.text[db_start:db_end][:120]):
            continue  # "an 'enterprise' as defined in Article B-01": compared where it is defined
        term_stems = {t.stem for t in tokens(term)}
        sa = {t.stem for t in tokens(a.text[da_start:da_end]) if t.content} - term_stems
        sb = {t.stem for t in tokens(b.text[db_start:db_end]) if t.content} - term_stems
        if not sa or not sb:
            continue
        j = jaccard(sa, sb)
        excl_a, excl_b = _excludes(a.text[da_start:da_end]), _excludes(b.text[db_start:db_end])
        only_a, only_b = sa - sb, sb - sa
        # numbers inside a definition ("chapters 6 through 10", "25 per cent") are part of what it covers
        nums_a = {m.group() for m in _DIGITS.finditer(a.text, da_start, da_end)} | {
            f"{q.value:g}" for q in a.quantities if da_start <= q.start < da_end}
        nums_b = {m.group() for m in _DIGITS.finditer(b.text, db_start, db_end)} | {
            f"{q.value:g}" for q in b.quantities if db_start <= q.start < db_end}
        numbers_differ = bool(nums_a and nums_b and nums_a != nums_b)
        if not numbers_differ and excl_a == excl_b and (j >= 0.6 or len(only_a) + len(only_b) < 3):
            continue  # the same definition, or one a word or two apart
        key = term in KEY_TERMS
        severity = Severity.MEDIUM if key else Severity.LOW
        reason = ("a key term of the agreement: what it covers decides who and what the obligations reach" if key
                  else "a term of narrower reach")
        extra = ""
        if numbers_differ:
            extra += f" The numbers differ: {', '.join(sorted(nums_a))} against {', '.join(sorted(nums_b))}."
            only_a |= {t.stem for t in tokens(a.text[da_start:da_end]) if t.text in nums_a - nums_b}
            only_b |= {t.stem for t in tokens(b.text[db_start:db_end]) if t.text in nums_b - nums_a}
        if excl_a != excl_b:
            extra += f" Only the {'draft' if excl_a else 'existing'} definition carves things out of it."
        out.append(Clash(
            Kind.DEFINITION, severity, "definition.diverges",
            f"'{term}' is defined differently (shared words {j:.0%}). Only the draft's: "
            f"{', '.join(sorted(only_a)[:8]) or '-'}; only the existing one's: {', '.join(sorted(only_b)[:8]) or '-'}."
            + extra, reason,
            tuple(_token_spans(a.text, da_start, da_end, only_a, 12)),
            tuple(_token_spans(b.text, db_start, db_end, only_b, 12)),
            {"term": term, "word_overlap": round(j, 2)}))
    return out


_POINTER = re.compile(r"\bas\s+defined\s+(?:in|under|by)\b|\bhas\s+the\s+(?:same\s+)?meaning\s+(?:given|assigned|"
                      r"set\s+out)|\bas\s+(?:set\s+out|specified|described|listed)\s+in\s+(?:Annex|Article|Appendix|"
                      r"Schedule)\b", re.I)
_DIGITS = re.compile(r"\b\d+(?:[.,]\d+)?\b")


def _excludes(definition_text: str) -> bool:
    return bool(re.search(r"\b(?:does|do|shall)\s+not\s+(?:include|mean|cover)|\bexclud(?:es|ing)\b|\bbut\s+not\b",
                          definition_text, re.I))


_OWN_PART = re.compile(r"\bthis\s+(?:chapter|section|part|title)\b", re.I)
_CHAPTER_WORDS = frozenset({"chapter", "section", "part", "titl", "general", "provis", "trade", "product", "measur"})


def _other_chapters(a: Reading, b: Reading) -> bool:
    """Both clauses set the scope of their own chapter ("This Chapter shall apply to ...") and the chapters are on
    different subjects (Financial Services and Investment): each scope is its chapter's, so they do not meet."""
    ca, cb = (content_stems(r.clause.chapter) - _CHAPTER_WORDS for r in (a, b))
    return bool(ca and cb and not ca & cb and _OWN_PART.search(a.text) and _OWN_PART.search(b.text))


def scope(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """A subject one clause brings into the scope and the other takes out."""
    if not a.scope or not b.scope or not same_subject(a, b, similarity, 0.55, 0.4) or _other_chapters(a, b):
        return []
    out = []
    for sa in a.scope:
        for sb in b.scope:
            if sa.polarity == sb.polarity:
                continue
            named = bool(sa.subject) and sa.subject == sb.subject
            shared = sa.stems & sb.stems
            phrased = not sa.subject and not sb.subject and len(shared) >= 2 and overlap(sa.stems, sb.stems) >= 0.6
            if named or phrased:
                what = sa.subject or " ".join(a.text[sa.start:sa.end].split()[:12])
                inc = "the draft brings in" if sa.polarity == "include" else "the draft leaves out"
                out.append(Clash(
                    Kind.SCOPE, Severity.MEDIUM, f"scope.{sa.polarity}-vs-{sb.polarity}",
                    f"On {what}, {inc} what the existing clause "
                    f"{'leaves out' if sb.polarity == 'exclude' else 'brings in'}.",
                    "the same measures fall under one agreement's rules and outside the other's",
                    ((sa.cue_start, sa.cue_end), (sa.start, sa.end)), ((sb.cue_start, sb.cue_end), (sb.start, sb.end)),
                    {"subject": what}))
                break
        if out:
            break
    return out


def priority(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """Both instruments claim to prevail in case of inconsistency."""
    pa = [c for c in a.priority if c.stance == "prevails"]
    pb = [c for c in b.priority if c.stance == "prevails"]
    if not pa or not pb:
        return []
    return [Clash(
        Kind.PRIORITY, Severity.HIGH, "priority.both-prevail",
        f"Both texts claim to prevail: the draft over '{pa[0].other}', the existing agreement over "
        f"'{pb[0].other}'.", "each conflict clause points to itself, so neither settles a clash between them",
        ((pa[0].start, pa[0].end),), ((pb[0].start, pb[0].end),), {})]


def mfn(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """The draft grants treatment in a field the existing clause's most-favoured-nation promise covers."""
    if a.grant is None or b.mfn is None:
        return []
    fields = a.grant.fields & b.mfn.fields
    if not fields:
        return []
    return [Clash(
        Kind.MFN, Severity.MEDIUM, "mfn.spill-over",
        f"The draft grants treatment to {', '.join(sorted(fields))} that the existing most-favoured-nation "
        "clause may oblige the party to extend to the other parties of that agreement.",
        "the draft's benefit may have to be given to third states without anything in return",
        ((a.grant.start, a.grant.end),), ((b.mfn.start, b.mfn.end),), {"fields": sorted(fields)})]


def duties(a: Reading, b: Reading, similarity: float | None) -> list[Clash]:
    """Opposite duties, or else a condition of the existing rule set aside by the draft."""
    return modality(a, b, similarity) or condition(a, b, similarity)


Rule = Callable[[Reading, Reading, float | None], list[Clash]]
RULES: tuple[Rule, ...] = (duties, numeric, forum, definition, scope, priority, mfn)
# The kind of clash each rule finds (``condition`` findings are modality findings).
RULE_KINDS: dict[Rule, Kind] = {duties: Kind.MODALITY, numeric: Kind.NUMERIC, forum: Kind.FORUM,
                                definition: Kind.DEFINITION, scope: Kind.SCOPE, priority: Kind.PRIORITY,
                                mfn: Kind.MFN}


_LABELS = ((re.compile(r"\bthe draft's\b"), "{a}'s"), (re.compile(r"\bThe draft's\b"), "{A}'s"),
           (re.compile(r"\bthe draft\b"), "{a}"), (re.compile(r"\bThe draft\b"), "{A}"),
           (re.compile(r"\bthe existing (?:clause|agreement|one)'s\b"), "{b}'s"),
           (re.compile(r"\bthe existing (?:clause|agreement|most-favoured-nation clause|rule|prohibition|"
                       r"definition)\b"), "{b}"), (re.compile(r"\bThe existing (?:clause|agreement)\b"), "{B}"))


def relabel(text: str, a: str, b: str) -> str:
    """A rule's words about "the draft" and "the existing clause" said of two other clauses (``a``, ``b``)."""
    for pattern, repl in _LABELS:
        text = pattern.sub(repl.format(a=a, b=b, A=a[:1].upper() + a[1:], B=b[:1].upper() + b[1:]), text)
    return text


def clashes_between(a: Clause, b: Clause, similarity: float | None = None, labels: tuple[str, str] | None = None,
                    stages: bool = False, kinds: frozenset[Kind] | None = None) -> list[Clash]:
    """The clashes ``compare`` finds between ``a`` and ``b``, only of ``kinds`` if given: the other rules are not
    run, nor the parts of the clauses' reading only they need."""
    ra, rb = read(a), read(b)
    rules = [r for r in RULES if kinds is None or RULE_KINDS[r] in kinds]
    if stages:
        rules = [partial(numeric, stages=True) if rule is numeric else rule for rule in rules]
    clashes = [clash for rule in rules for clash in rule(ra, rb, similarity)]
    if labels:  # "Canada - Chile Art. G-21" rather than "the draft" when two stored agreements are compared
        clashes = [replace(c, explanation=relabel(c.explanation, *labels),
                           severity_reason=relabel(c.severity_reason, *labels)) for c in clashes]
    return clashes


def compare(a: Clause, b: Clause, similarity: float | None = None,
            labels: tuple[str, str] | None = None, stages: bool = False) -> Comparison:
    """Every clash between clause ``a`` (under review) and clause ``b`` (existing), and whether ``a`` restates ``b``.

    ``similarity`` is how close in meaning search found the two (cosine, 0-1); None judges relatedness from
    the words they share. ``labels`` name the two clauses in the explanations (default "the draft" and "the
    existing clause"). With ``stages``, two numbers limit one step only if their stage words agree (the urgent
    case, an interim or final report, an extension) and their articles' headings do not name different steps:
    the state report compares so, where it raised the judged precision of number divergences; the draft check
    does not, where the stage words cost held-out recall (RESULTS). A
    clause restates another when they treat the same subject, nothing clashes, their duties point the same way
    and their numbers agree.

    >>> c = compare(Clause("d/1", "d", "paragraph", "Art. 1(1)", "Each Party shall notify within 60 days.", 0),
    ...             Clause("e/1", "e", "paragraph", "Art. 9(2)", "Each Party shall notify within 30 days.", 0))
    >>> [x.kind.value for x in c.clashes]
    ['numeric']
    """
    ra, rb = read(a), read(b)
    clashes = clashes_between(a, b, similarity, labels, stages)
    subject = same_subject(ra, rb, similarity)
    restates = False
    if not clashes and subject:
        close = similarity >= RESTATE_SIMILARITY if similarity is not None else jaccard(ra.stems, rb.stems) >= \
            RESTATE_WORDS
        polarity_a = ra.stance.polarity if ra.stance else None
        polarity_b = rb.stance.polarity if rb.stance else None
        restates = close and polarity_a == polarity_b
    agreed = agreed_numbers(ra, rb, similarity) if subject and ra.quantities and rb.quantities else ()
    return Comparison(tuple(clashes), restates, subject, agreed)
