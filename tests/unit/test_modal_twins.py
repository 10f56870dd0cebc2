"""Two versions of one provision that bind differently (graph/consistency/modal.py). Sentences from ToTA
agreements (Turkey's, Chile's)."""

from __future__ import annotations

from graph.consistency.modal import modal_twins
from ingest.records import Clause

LABELS = ("Later Art. 1", "Earlier Art. 9")


def _twins(a: str, b: str) -> list[tuple[str, str]]:
    found = modal_twins(Clause("a/1", "a", "paragraph", "Art. 1", a, 0),
                        Clause("b/9", "b", "paragraph", "Art. 9", b, 0), LABELS)
    return [(c.rule, c.severity.value) for c in found]


def test_may_against_shall_in_the_same_sentence_is_a_divergence_with_the_words_marked():
    may = ("The Joint Committee may examine such request and, where appropriate, may make recommendations, "
           "particularly with a view to opening negotiations.")
    shall = may.replace("may examine", "shall examine")
    [clash] = modal_twins(Clause("a/1", "a", "paragraph", "Art. 1", may, 0),
                          Clause("b/9", "b", "paragraph", "Art. 9", shall, 0), LABELS)
    assert clash.rule == "modality.twin_sentences.permitted-vs-binding"
    assert may[slice(*clash.spans_a[0])] == "may examine" and shall[slice(*clash.spans_b[0])] == "shall examine"
    assert clash.explanation.startswith("Later Art. 1 permits ('may examine') where Earlier Art. 9 binds")


def test_efforts_against_a_binding_undertaking():
    seek = ("The Parties shall seek to widen the scope of the Agreement to cover the right of establishment of firms "
            "of one Party in the territory of the other Party.")
    agree = seek.replace("shall seek to widen", "agree to widen")
    assert _twins(seek, agree) == [("modality.twin_sentences.efforts-vs-binding", "low")]


def test_same_binding_written_differently_or_different_acts_are_no_divergence():
    neither_may = ("Neither Party may adopt or maintain any prohibition or restriction on the importation of any good "
                   "of the other Party.")
    assert _twins(neither_may, neither_may.replace("may", "shall")) == []  # both forbid
    appoint = "Each Party shall appoint one arbitrator, who may be its national, within 30 days of the request."
    chair = "The Parties shall agree on and appoint the chair, who shall not be a national, within 45 days."
    assert _twins(appoint, chair) == []  # different first acts
    other = ("The Joint Committee may adopt its own rules of procedure and shall meet once a year at the level of "
             "ministers in each Party alternately.")
    published = "The Parties shall publish their laws and regulations promptly in each official journal."
    assert _twins(other, published) == []


def test_may_not_against_may_only_in_nearly_identical_sentences():
    may_not = "Where the panel finds only a sector other than financial services, the Party may not suspend benefits."
    may = "Where the panel finds only the financial services sector, the Party may suspend benefits in that sector."
    assert _twins(may_not, may) == []  # other conditions besides the negation
    assert _twins("The importing Party may not suspend concessions on agricultural goods under this Article.",
                  "The importing Party may suspend concessions on agricultural goods under this Article.") == [
        ("modality.twin_sentences.prohibited-vs-permitted", "medium")]


def test_aims_bind_no_one_however_they_are_worded():
    # judged pair CHL-07 of round 17 (Hong Kong - Chile Art. 6.8(2) against TPSEP Art. 7.14(1))
    explore = ("The Parties shall explore opportunities for further cooperation and collaboration on sanitary or "
               "phytosanitary matters of mutual interest consistent with the provisions of this Chapter.")
    assert _twins(explore.replace("shall explore", "may explore"), explore) == []
    consult = ("If any provision of the WTO Agreement that the Parties have incorporated into this Agreement is "
               "amended, the Parties shall consult on whether to amend this Agreement.")  # CHL-05, judged real
    assert _twins(consult.replace("shall consult", "may consult"), consult) == [
        ("modality.twin_sentences.permitted-vs-binding", "low")]  # an act, not an aim: still a divergence


def _twins_at(a: str, b: str, cosine: float) -> list[str]:
    found = modal_twins(Clause("a/1", "a", "paragraph", "Art. 1", a, 0),
                        Clause("b/9", "b", "paragraph", "Art. 9", b, 0), LABELS, cosine)
    return [c.rule for c in found]


def test_a_phrase_between_the_modal_and_its_verb_and_words_glued_by_a_scan():
    # Japan - Mexico Art. 4588 against India - Japan Art. 13615 (the first as scanned: "respectivelaws")
    binding = ("The Parties shall, in accordance with their respectivelaws and regulations, cooperate in the field "
               "of controllinganticompetitive activities.")
    efforts = ("The Parties shall, in accordance with their respective laws and regulations, endeavour to cooperate "
               "in the field of controlling anticompetitive activities subject to their available resources.")
    assert _twins_at(binding, efforts, 0.5) == ["modality.twin_sentences.binding-vs-efforts"]


def test_reworded_versions_of_one_provision_count_only_when_the_clauses_are_close():
    # Japan - Australia Art. 13650 against Japan - Thailand Art. 5 (public comment)
    binding = ("Subject to its laws and regulations, each Party shall provide a "
               "reasonable opportunity for comments on any measure of general application it proposes to adopt.")
    efforts = ("The Government of each Party shall, in accordance with the laws and regulations of the Party, "
               "endeavour to provide, except in cases of emergency, a reasonable opportunity for comments by the "
               "public before the adoption of regulations of general application.")
    assert _twins_at(binding, efforts, 0.90) == ["modality.twin_sentences.binding-vs-efforts"]
    assert _twins_at(binding, efforts, 0.80) == []


def test_a_chapeau_ending_in_its_modal_governs_each_sub_paragraph():
    chapeau = "Where administrative decisions are taken, the competent authorities shall:"
    item = "(a) make the criteria for decisions as specific as possible and make those criteria public."
    found = modal_twins(Clause("a/1/a", "a", "subparagraph", "Art. 1(a)", item, 0, context=chapeau),
                        Clause("b/9/a", "b", "subparagraph", "Art. 9(a)", item, 0,
                               context=chapeau.replace("shall:", "shall endeavour to:")), LABELS, 0.95)
    assert [c.rule for c in found] == ["modality.twin_sentences.binding-vs-efforts"]
    a_text = f"{chapeau}\n{item}"
    assert a_text[slice(*found[0].spans_a[0])].startswith("shall")


def test_a_reworded_twin_is_not_called_the_same_sentence():
    binding = ("Subject to its laws and regulations, each Party shall provide a "
               "reasonable opportunity for comments on any measure of general application it proposes to adopt.")
    efforts = ("The Government of each Party shall, in accordance with the laws and regulations of the Party, "
               "endeavour to provide, except in cases of emergency, a reasonable opportunity for comments by the "
               "public before the adoption of regulations of general application.")
    [clash] = modal_twins(Clause("a/1", "a", "paragraph", "Art. 1", binding, 0),
                          Clause("b/9", "b", "paragraph", "Art. 9", efforts, 0), LABELS, 0.9)
    assert "in a reworded version of the same sentence" in clash.explanation
    assert "same sentence otherwise" not in clash.explanation


def test_a_duty_to_ensure_an_act_is_not_done_is_a_prohibition_of_that_act():
    # US-Bahrain Art. 16.2(2) against US-Peru Art. 18.3(2) (pair USA-09 of the United States' hand-read list)
    strive = ("Each Party shall strive to ensure that it does not waive or otherwise derogate from, or offer to waive "
              "or otherwise derogate from, its environmental laws in a manner that weakens or reduces the protections "
              "afforded in those laws as an encouragement for trade with the other Party.")
    shall_not = ("A Party shall not waive or otherwise derogate from, or offer to waive or otherwise derogate "
                 "from, its environmental laws in a manner that weakens or reduces the protections afforded in those "
                 "laws in a manner affecting trade or investment between the Parties.")
    [clash] = modal_twins(Clause("a/1", "a", "paragraph", "Art. 1", shall_not, 0),
                          Clause("b/9", "b", "paragraph", "Art. 9", strive, 0), LABELS, 0.93)
    assert clash.rule == "modality.twin_sentences.prohibited-vs-efforts_not"
    assert strive[slice(*clash.spans_b[0])] == "shall strive to ensure"
    assert "asks only for efforts not to do it" in clash.explanation
    # a binding duty to ensure it is not done forbids it as "shall not" does: no divergence
    assert _twins(shall_not, strive.replace("shall strive to ensure", "shall ensure")) == []
    # "shall not waive" against "shall strive to waive" is no version of one provision
    assert _twins(shall_not, strive.replace("ensure that it does not waive", "waive")) == []


def test_the_form_a_measure_takes_is_no_act_and_apply_is_a_verb():
    # MYS-05 of round 22: "may apply a provisional measure, which shall take the form of ..." against "may take a
    # provisional measure": "apply" was read as an adverb, and "shall take" compared with "may take"
    apply = ("In critical circumstances, a Party may apply a provisional measure, which shall take the form of the "
             "measure set out in Article 5.2, pursuant to a preliminary determination of serious injury.")
    take = ("In critical circumstances, a Party may take a provisional measure, pursuant to a preliminary "
            "determination of serious injury.")
    assert _twins(apply, take) == [] and _twins(take, apply) == []
    # the form a measure takes says what it is, however it is worded
    form = "The provisional measure shall take the form of an increase in the rate of customs duty on the good."
    assert _twins(form, form.replace("shall take", "may take")) == []
    assert _twins("The Parties shall take the measures necessary to implement the decisions of the Committee.",
                  "The Parties may take the measures necessary to implement the decisions of the Committee.") == [
        ("modality.twin_sentences.binding-vs-permitted", "low")]
    # a verb ending in -ly is the act: "shall comply" against "may comply"
    assert _twins("Each Party shall comply with the procedures set out in Annex 3 when it notifies a measure.",
                  "Each Party may comply with the procedures set out in Annex 3 when it notifies a measure.") == [
        ("modality.twin_sentences.binding-vs-permitted", "low")]


def test_best_efforts_and_a_duty_qualified_as_far_as_possible_are_soft():
    # Turkey - Malaysia Art. 10.2(1) against Chile - Malaysia Art. 10.3(1)
    ensure = ("Each Party shall ensure, wherever possible in electronic form, that its laws, regulations, procedures "
              "and administrative rulings of general application are promptly published.")
    efforts = ensure.replace("shall ensure", "shall exert its best efforts to ensure")
    assert _twins(efforts, ensure) == [("modality.twin_sentences.efforts-vs-binding", "low")]
    # "wherever possible in electronic form" qualifies the form, not the duty; "to the extent possible" the duty
    publish = ("Each customs authority shall publish in advance any new or amended regulations of general "
               "application governing customs matters that it proposes to adopt.")
    qualified = "To the extent possible, e" + publish[1:]
    assert _twins(qualified, publish) == [("modality.twin_sentences.qualified-vs-binding", "low")]
    aside = publish.replace("shall publish", "shall, to the extent possible, publish")
    assert _twins(aside, publish) == [("modality.twin_sentences.qualified-vs-binding", "low")]
    # both only as far as the party can: no divergence
    assert _twins(aside, publish.replace("shall publish", "shall endeavour to publish")) == []


def test_a_hyphenated_verb_is_one_act():
    cooperate = ("The Parties shall co-operate, subject to their national laws and through their competent "
                 "authorities, on issues concerning competition law enforcement.")
    efforts = cooperate.replace("shall co-operate", "shall make best efforts to co-operate")
    assert _twins(efforts, cooperate) == [("modality.twin_sentences.efforts-vs-binding", "low")]


def test_rules_29_read_what_each_sentence_binds_whole():
    # each sentence also binds as the other does (Turkey - Malaysia Art. 12.9(7), Pakistan - Malaysia Art. 120(11))
    two = ("The Arbitration Panel shall take its decisions by consensus. In the event where the Arbitration Panel is "
           "unable to reach a consensus, it may take its decisions by majority vote.")
    one = ("An arbitral tribunal shall take its decisions by consensus, provided that where an arbitral tribunal is "
           "unable to reach consensus it may take its decisions by majority vote.")
    assert _twins(two, one) == []
    # a qualifier after the verb qualifies the duty (Canada - Peru Art. 606(3)), "the maximum extent" too
    share = ("At the request of a Party that has an interest in developing a technical regulation similar to that "
             "of the other Party, the other Party shall provide{} relevant information, studies, or other documents "
             "on which it has relied.")
    assert _twins(share.format(", to the extent practicable,"), share.format("")) == [
        ("modality.twin_sentences.qualified-vs-binding", "low")]
    assert _twins(share.format(", to the maximum extent possible,"), share.format(", to the extent practicable,")) == []
    # agreement cannot be compelled: "shall endeavour to agree" against "shall agree" is no divergence
    agree = ("The Parties shall {} on a reasonable period of time to comply within 30 days of the notification of the "
             "report.")
    assert _twins(agree.format("endeavour to agree"), agree.format("agree")) == []


def test_when_possible_and_where_appropriate_qualify_a_duty():
    notify = ("{} each Party shall notify the other Party of any proposed or actual measure that might affect the "
              "Agreement.")
    assert _twins(notify.format("When possible,"), notify.format("To the extent possible,")) == []
    use = ("The Parties {}, where appropriate, use the Customs Blueprints of the European Union as benchmarks to "
           "improve their customs administrations.")
    assert _twins(use.format("will"), use.format("may")) == []  # both as the parties find fit
