"""Two versions of one provision that bind differently: the same sentence but for how it binds, one "shall
consult" where the other "may consult", "shall publish" where the other "is encouraged to publish", "the parties
agree to widen" where the other "shall seek to widen". A divergence of commitment a negotiator reads at a glance,
which no number shows and the draft check's clash rules (opposite duties) do not look for.

Only sentences that are the same but for their modal words (content words, Jaccard ``TWIN``) are compared, at the
first modal verb of each, and only where both govern the same verb: a sentence's other words decide nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.conflicts.model import Clash, Kind, Severity, Span
from graph.conflicts.words import content_stems, jaccard
from ingest.records import Clause

TWIN = 0.6             # content-word Jaccard (modal words left out) from which two sentences say the same thing
NEAR_TWIN = 0.4        # ... or this much where the two clauses are close versions of one provision (cosine CLOSE):
CLOSE = 0.85           # "each Party shall provide a reasonable opportunity for comments" against "shall, in
                       # accordance with ..., endeavour to provide ... a reasonable opportunity for comments"
GRAM = 5               # letters per n-gram in the comparison that ignores spacing ("respectivelaws", OCR-glued)
MIN_WORDS = 5          # content words a sentence needs to be compared

# A phrase set off by commas may stand between the modal and what it governs: "shall, in accordance with its laws
# and regulations, endeavour to, prior to the importation of a good, issue"
_ASIDE = r"(?:\s*,[^,;.:]{3,160},)?"
# An adverb before the verb ("shall promptly notify"), but not a verb ending in -ly ("may apply", "shall comply",
# "shall supply": read as adverbs, they left "a" or "with" as the act, and the next modal was compared instead)
_NOT_A_VERB = r"(?!(?:apply|comply|supply|rely|reply|imply|multiply)\b)"
_MODAL = re.compile(
    r"\b(?P<modal>shall|must|may|should|will|agrees?\s+to|undertakes?\s+to|(?:are|is)\s+encouraged\s+to)\b"
    r"(?P<neg>\s+not\b)?" + _ASIDE +
    r"(?P<soft>\s+(?:endeavou?r|seek|strive|consider|(?:make|exert|use)\s+(?:(?:its|their|all)\s+)?"
    r"(?:every|best|all\s+reasonable|reasonable)\s+(?:efforts?|endeavou?rs))\b)?(?:\s+to)?" + _ASIDE +
    r"\s+(?:" + _NOT_A_VERB + r"\w+ly\s+)?(?P<verb>[A-Za-z]+(?:-[A-Za-z]+)?)", re.I)
_NEGATED_SUBJECT = re.compile(r"\b(?:neither|no|nor)\s+(?:\w+\s+){0,3}$", re.I)
# Auxiliaries and words that are no act: "shall be", "may have", "shall not only"
_NO_ACT = frozenset({"be", "have", "not", "also", "only", "in", "the", "a", "to", "its", "their", "upon", "after",
                     "where", "within", "as", "at", "by", "on", "for", "with", "either", "each", "any"})
# Acts that are aims rather than duties (first five letters, as ``_first_modal`` keeps them): "shall explore
# opportunities for further cooperation" against "may explore" binds no one to anything more (judged pair CHL-07
# of round 17)
# "shall endeavour to agree" against "shall agree" on a period: agreement cannot be compelled either way (CHN-22 of
# round 23)
_AIMS = frozenset({"explo", "agree"})  # "should foster" against "may foster" was judged real (FRA-11 of round 16)
# A panel's decisions by consensus, by majority failing that: "shall endeavour to take its decisions by consensus"
# and "shall take ... by consensus" both end in a vote (CHN-14 of round 23)
_CONSENSUS = re.compile(r"\bconsensus\b", re.I)
_MODAL_WORDS = frozenset(content_stems("shall must may should will not endeavour endeavor seek strive consider "
                                       "encouraged best efforts every undertake agree"))
_SENTENCE = re.compile(r"(?:[^.;:\n]|[.:](?=\S))+")
BINDS = {"binding": "binds", "prohibited": "forbids", "permitted": "permits", "efforts": "asks only for efforts",
         "efforts_not": "asks only for efforts not to do it", "qualified": "binds only as far as possible"}
# A duty owed only as far as it can be done, said as an aside of its own ("shall, to the extent possible, adopt";
# "To the extent possible, each customs authority shall publish"): not "wherever possible in electronic form",
# which qualifies the form, not the duty (pairs CHN-16 and MYS-10 of the Chinese and Malaysian lists)
# ("When possible": CHL-01 of round 24)
_POSSIBLE = (r"(?:to\s+the\s+(?:(?:maximum|fullest|greatest|full)\s+)?(?:extent|degree)|as\s+far\s+as|"
             r"(?:where|when)(?:ever)?)\s+(?:possible|practicable|feasible)")
# ... and, right after the modal or opening the sentence, "where appropriate" (FRA-12 of round 24), which a few
# words after the verb may belong to the next act ("shall examine such request and, where appropriate, may make")
_QUALIFIER = r"(?:" + _POSSIBLE + r"|(?:where|when|as|if)\s+appropriate)"
_QUALIFIED_ASIDE = re.compile(r",\s*" + _QUALIFIER + r"(?:\s+and\s[^,;]{0,80})?\s*,", re.I)
_QUALIFIED_OPENING = re.compile(r"^\W*" + _QUALIFIER + r"\s*,", re.I)
# ... or set off by commas a few words after its verb: "shall provide, to the extent practicable, relevant
# information" (Canada - Peru Art. 606(3): PER-01 of round 23), "harmonise its customs procedures, as far as
# possible, with"; not in a list the duty names ("shall notify ... including, to the greatest extent practicable,
# those that are prospective": the duty to notify is whole)
_QUALIFIED_AFTER = re.compile(r"(?P<words>(?:\s+[\w'’-]+){0,4}?)\s*,\s*" + _POSSIBLE +
                              r"(?:\s+and\s[^,;]{0,80})?\s*(?:,|:|$)", re.I)


def _binding(m: re.Match[str], sentence: str) -> str:
    modal = m["modal"].lower()
    negated = bool(m["neg"]) or bool(_NEGATED_SUBJECT.search(sentence[max(0, m.start() - 40):m.start()]))
    if m["soft"] or modal in ("should",) or "encouraged" in modal:
        return "efforts"
    if modal == "may":
        return "prohibited" if negated else "permitted"
    after = _QUALIFIED_AFTER.match(sentence, m.end())
    if not negated and (_QUALIFIED_ASIDE.search(m.group()) or _QUALIFIED_OPENING.search(sentence[:m.start()]) or (
            after and "including" not in after["words"].lower())):
        return "qualified"
    return "prohibited" if negated else "binding"


# "shall strive to ensure that it does not waive": the act is the one ensured not to happen (against "shall not
# waive" elsewhere, the same prohibition asked only as an effort; pair USA-09 of the United States' list)
_ENSURE_NOT = re.compile(r"\s*that\s+(?:[\w'’-]+\s+){0,6}?(?:does|do|will|shall)?\s*not\s+"
                         r"(?:" + _NOT_A_VERB + r"\w+ly\s+)?(?P<verb>[A-Za-z]+)", re.I)


# "a safeguard measure, which shall take the form of an increase in the rate of duty": what a measure is, no act
# (judged items of rounds 20 and 22: MYS-05, MYS-11, PER-21)
_FORM = re.compile(r"\s+the\s+form\b", re.I)


def _acts(sentence: str) -> Iterator[tuple[str, str, re.Match[str]]]:
    """Each modal of a sentence that governs an act, in order: (verb stem, binding, match). A duty to ensure that
    something is not done is a prohibition of that act ("efforts_not" where only efforts are asked)."""
    for m in _MODAL.finditer(sentence):
        verb = m["verb"].lower().replace("-", "")  # "co-operate" is "cooperate"
        if verb in _NO_ACT or (verb == "take" and _FORM.match(sentence, m.end())):
            continue
        binding = _binding(m, sentence)
        inner = _ENSURE_NOT.match(sentence, m.end()) if verb == "ensure" and binding in (
            "binding", "efforts") else None
        if inner and inner["verb"].lower() not in _NO_ACT:
            yield inner["verb"].lower()[:5], "efforts_not" if binding == "efforts" else "prohibited", m
        else:
            yield verb[:5], binding, m


def _first_modal(sentence: str) -> tuple[str, str, re.Match[str]] | None:
    """The first modal of a sentence that governs an act (``_acts``)."""
    return next(_acts(sentence), None)


def _all_modals(sentence: str) -> frozenset[tuple[str, str]]:
    """Every (verb stem, binding) the modals of a sentence govern, not only the first."""
    return frozenset(act[:2] for act in _acts(sentence))


_WORD = re.compile(r"[a-z]+")
_MODAL_FORMS = frozenset({"shall", "must", "may", "should", "will", "not", "no", "neither", "nor"})


def _bare(sentence: str) -> list[str]:
    """A sentence's words without its modal words and negations."""
    return [w for w in _WORD.findall(sentence.lower()) if w not in _MODAL_FORMS]


_MODAL_PHRASE = re.compile(r"\b(?:shall|must|may|should|will|not|endeavou?r|seek|strive|to)\b", re.I)


def _grams(sentence: str) -> frozenset[str]:
    """The sentence's letters, modal words left out and spacing ignored, as overlapping ``GRAM``-letter pieces: a
    comparison that words glued by a scan ("controllinganticompetitive") do not defeat."""
    letters = re.sub(r"[^a-z]", "", _MODAL_PHRASE.sub(" ", sentence.lower()))
    return frozenset(letters[i:i + GRAM] for i in range(len(letters) - GRAM + 1))


# A chapeau ending in its modal ("the competent authorities shall, ..., endeavour to:") governs the verb of each
# sub-paragraph ("(b) provide, within a reasonable period ..."): read as one sentence.
_GOVERNS_LIST = re.compile(r"\b(?:shall|must|may|should|will|to)(?:\s*,[^,;.:\n]{3,160},)?"
                           r"(?P<gap>\s*:\s*(?:\([a-z0-9]{1,4}\)\s*)?)(?=[a-z])")


def _sentences(text: str) -> Iterator[tuple[int, str, frozenset[str]]]:
    # the colon, line break and item label become spaces of the same length: offsets stay the clause's own
    text = _GOVERNS_LIST.sub(lambda m: m.group()[:m.start("gap") - m.start()] + " " * len(m["gap"]), text)
    for s in _SENTENCE.finditer(text):
        words = frozenset(content_stems(s.group())) - _MODAL_WORDS
        if len(words) >= MIN_WORDS:
            yield s.start(), s.group(), words


def modal_twins(a: Clause, b: Clause, labels: tuple[str, str], cosine: float = 0.0) -> list[Clash]:
    """The first sentence of ``a`` that has a twin in ``b`` binding differently, as a modality clash (``a`` the
    later agreement's clause); none where the two bind alike. ``cosine``: how close the two clauses are as wholes
    (the index's vectors); from ``CLOSE`` on, sentences sharing ``NEAR_TWIN`` of their words are twins."""
    theirs = [(start, s, words, _first_modal(s), _all_modals(s)) for start, s, words in _sentences(b.full_text)]
    for start_a, sa, words_a in _sentences(a.full_text):
        mine = _first_modal(sa)
        if mine is None or mine[0] in _AIMS or _CONSENSUS.search(sa):
            continue
        all_mine = _all_modals(sa)
        for start_b, sb, words_b, other, all_theirs in theirs:
            if other is None or other[0] != mine[0] or other[1] == mine[1]:
                continue
            # each sentence also binds as the other does ("shall take its decisions by consensus, provided that
            # ... it may take its decisions by majority vote" against the same in two sentences: MYS-11 of round 23)
            if mine[:2] in all_theirs or other[:2] in all_mine:
                continue
            pair = {mine[1], other[1]}
            # "shall" and "shall not", "shall not" and "shall endeavour to": the sentences say different things
            if pair in ({"binding", "prohibited"}, {"efforts", "prohibited"}, {"qualified", "prohibited"}):
                continue
            # both only as far as the party can, or finds fit: no difference of commitment ("will use, where
            # appropriate," against "may use, where appropriate,": FRA-12 of round 24)
            if pair in ({"qualified", "efforts"}, {"qualified", "permitted"}):
                continue
            if "efforts_not" in pair and pair != {"efforts_not", "prohibited"}:  # the act avoided against done
                continue
            close = max(jaccard(words_a, words_b), jaccard(_grams(sa), _grams(sb)))
            if close < (NEAR_TWIN if cosine >= CLOSE else TWIN):
                continue
            # "may suspend" against "may not suspend" only in sentences alike word for word: a negation usually
            # comes with other conditions ("only a sector other than financial services")
            if pair == {"prohibited", "permitted"} and _bare(sb) != _bare(sa):
                continue
            ma, mb = mine[2], other[2]
            span_a: Span = (start_a + ma.start(), start_a + ma.end())
            span_b: Span = (start_b + mb.start(), start_b + mb.end())
            severity = Severity.MEDIUM if "prohibited" in pair else Severity.LOW
            return [Clash(
                Kind.MODALITY, severity, f"modality.twin_sentences.{mine[1]}-vs-{other[1]}",
                f"{labels[0]} {BINDS[mine[1]]} ('{ma.group().strip()}') where {labels[1]} {BINDS[other[1]]} "
                f"('{mb.group().strip()}'), "
                + (f"in the same sentence otherwise ({close:.0%} of its words shared)." if close >= TWIN else
                   f"in a reworded version of the same sentence ({close:.0%} of its words shared; the two clauses "
                   f"are close versions of one provision)."),
                "the same provision binds the state differently in the two agreements"
                + ("; one forbids what the other permits" if pair == {"prohibited", "permitted"} else
                   "; one forbids what the other only asks the parties to try to avoid" if "efforts_not" in pair
                   else ""),
                (span_a,), (span_b,), {"binding_a": mine[1], "binding_b": other[1], "shared_words": round(close, 2)})]
    return []
