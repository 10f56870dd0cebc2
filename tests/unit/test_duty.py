import pytest

from ingest.annotate import annotate
from ingest.annotate.duty import analyse, deadlines
from ingest.records import Clause


@pytest.mark.parametrize("text, modality, bearer", [
    ("Each Party shall notify the other Party within sixty (60) days of adopting the measure.", "obligation",
     "Each Party"),
    ("No Party shall expropriate a covered investment, except for a public purpose.", "prohibition", "each Party"),
    ("A Party may withdraw from this Agreement by written notice.", "permission", "A Party"),
    # for an exception the bearer is the party it benefits, when written
    ("Nothing in this Agreement shall be construed to prevent a Party from protecting public morals.", "exception",
     "a Party"),
    ("This Chapter shall not apply to government procurement.", "exception", None),
    ("The Parties hereby establish a Joint Committee.", "institutional", None),
    ("The Joint Committee shall meet once a year.", "institutional", "The Joint Committee"),
    ('"investment" means every kind of asset owned by an investor;', "definition", None),
    ("The Parties recognise the importance of cooperation in tourism.", "declaration", None),
    ("The importing Party shall be free to apply the measure.", "permission", "The importing Party"),
])
def test_modality_and_bearer(text: str, modality: str, bearer: str | None):
    duty = analyse(text)
    assert (duty.modality, duty.bearer) == (modality, bearer)
    assert duty.cue  # the words that decided are kept


@pytest.mark.parametrize("text, modality, bearer, cue", [
    # the main verb, not a modal in a subordinate clause
    ("The following are incompatible with the proper functioning of the Agreement in so far as they may affect "
     "trade between the Community and Israel: abuse of a dominant position;", "prohibition", None,
     "are incompatible with the proper functioning"),
    ("The Parties recognise that, in certain circumstances, subsidies may have distortive effects. A Party which "
     "considers that it is adversely affected by a subsidy of another Party may request consultations.",
     "permission", "A Party", "may"),
    ("Each Party shall ensure that its authorities shall not require a licence.", "obligation", "Each Party", "shall"),
    ("If a Party reduces its rate before the end of the period, the schedule of that Party shall apply to the reduced "
     "rate.", "obligation", None, "shall"),
    # passive standstills are prohibitions; "shall be abolished" is an obligation
    ("No new customs duties on imports shall be introduced in trade between the Community and Iceland.", "prohibition",
     None, "No new customs duties on imports shall"),
    ("Any measure of an internal fiscal nature which discriminates between like products shall be prohibited.",
     "prohibition", None, "shall be prohibited"),
    ("Quantitative restrictions on imports shall be abolished on the date of entry into force of this Agreement.",
     "obligation", None, "shall"),
    ("The Community may not introduce any new charge having equivalent effect.", "prohibition", "The Community",
     "may not"),
    ("Sides will refrain from applying quantitative restrictions in reciprocal trade.", "prohibition", "Sides",
     "will refrain"),
    # carve-outs
    ("This Agreement shall not preclude the maintenance or establishment of customs unions.", "exception", None,
     "shall not preclude"),
    ("Nothing in the Agreement shall prevent a Contracting Party from taking any measures: which it considers "
     "necessary;", "exception", "a Contracting Party", "Nothing in the Agreement shall"),
    ("A Party shall not apply restrictions on current payments.", "prohibition", "A Party", "shall not"),
    # final clauses, incorporation and aims state facts
    ("This Agreement shall enter into force on the first day of the second month following the last notification.",
     "declaration", None, "shall enter into force"),
    ("This Agreement is drawn up in duplicate in the English and Turkish languages. It shall enter into force on "
     "1 January 1998.", "declaration", None, "shall enter into force"),
    ("This Agreement shall remain in force for an unlimited period.", "declaration", None, "shall remain in force"),
    ("The Annexes and Protocols to this Agreement shall form an integral part thereof.", "declaration", None,
     "shall form an integral part"),
    ("Cooperation shall aim at promoting the modernisation of industry.", "declaration", None, "shall aim at"),
    ("The Government of Ukraine and the Government of Georgia, striving to develop trade that may be of mutual "
     "benefit, have agreed as follows:", "declaration", None, "have agreed as follows"),
    # scope, coverage and fixed values are definitions by convention; an extended rule is not
    ("Except as otherwise provided, this Chapter applies to trade in goods of a Party.", "definition", None,
     "this Chapter applies"),
    ("The Agreement shall apply to products originating in the Community or Finland.", "definition", None,
     "The Agreement shall apply"),
    ("The provisions concerning the abolition of customs duties shall also apply to customs duties of a fiscal "
     "nature.", "obligation", None, "shall"),
    ("General technical co-operation shall comprise inter alia: exchanges of staff;", "definition", None,
     "shall comprise"),
    ("For each product the basic duty shall be the rate actually applied on 1 January 1997.", "definition", None,
     "shall be the"),
    ("The notification referred to in paragraph 5 shall include: the details of the measure;", "obligation", None,
     "shall"),
    # bodies: their working is institutional, their substantive powers are permissions
    ("The Governing Board shall be composed of persons with experience in industry.", "institutional",
     "The Governing Board", "shall be composed of"),
    ("Expenditures of the Council shall be covered by common revenues.", "institutional", None,
     "Expenditures of the Council shall"),
    ("In the framework of the objectives of Article 71, the Centre's functions shall be to: carry out studies;",
     "institutional", "the Centre", "functions shall be"),
    ("The Joint Committee may decide to amend Annex II and Protocol A.", "permission", "The Joint Committee", "may"),
    ("The Joint Committee may establish working groups.", "institutional", "The Joint Committee",
     "bearer: 'The Joint Committee'"),
    ("The Parties hereby establish a Sub-Committee on Agriculture that shall: submit reports to the Committee;",
     "institutional", "the Sub-Committee on Agriculture", "hereby establish a Sub-Committee"),
])
def test_modality_reads_the_operative_verb(text: str, modality: str, bearer: str | None, cue: str):
    duty = analyse(text)
    assert (duty.modality, duty.bearer, duty.cue) == (modality, bearer, cue)


@pytest.mark.parametrize("text, bearer", [
    ("Turkey shall abolish customs duties on imports of products originating in the Community.", "Turkey"),
    ("Each Party to this Agreement may withdraw from this Agreement by written notification.", "Each Party"),
    ("If a Party considers that a practice is incompatible with this Article, it may take appropriate measures.",
     "a Party"),
    ("To the extent that protective measures prove necessary for the development needs of Tunisia, the latter may "
     "withdraw concessions.", "Tunisia"),
    ("This Agreement shall be ratified by the signatory States according to their constitutional systems.",
     "the signatory States"),
    ("The reductions in customs duties shall be applied in the new Member States upon entry into force.", None),
    ("A Party that adopts a measure under paragraph 1 of Article 5 shall notify the Committee.", "A Party"),
    ("The above written communication shall at a minimum include the name of the exporter.", None),
    ("Each Party, through its customs administration, shall adopt procedures for the release of goods.",
     "Each Party"),
])
def test_bearer_is_the_agent_as_written(text: str, bearer: str | None):
    assert analyse(text).bearer == bearer


def test_will_counts_only_where_the_clause_has_no_shall():
    assert analyse("Sides will exchange information on laws concerning trade.").modality == "obligation"
    duty = analyse("The Parties shall adjust any State monopoly. The Joint Committee will be informed of the measures.")
    assert duty.bearer == "The Parties" and duty.action == "adjust any State monopoly."


def test_a_chapeau_keeps_its_item_and_may_the_month_is_no_permission():
    duty = analyse("Each Party shall: Adopt or maintain measures to prohibit anticompetitive conduct;")
    assert (duty.modality, duty.action) == ("obligation", "Adopt or maintain measures to prohibit anticompetitive "
                                                          "conduct")
    assert analyse("Date of signing: 24 May 1993. Effective date: 21 February 1994.").modality == "declaration"


def test_deadlines_are_normalised():
    assert [(d.value, d.unit, d.kind) for d in deadlines(
        "within sixty (60) days; not less than six months' notice; no later than 30 working days after; "
        "every three years; annually")] == [
        (60, "days", "within"), (6, "months", "at_least"), (30, "working days", "within"), (3, "years", "periodic"),
        (1, "years", "periodic")]


def test_conditions_and_reporting_duties():
    duty = analyse("Each Party shall notify the Committee of any measure, unless the measure is temporary, "
                   "provided that it informs the other Party.")
    assert duty.conditions == ("unless", "provided that") and duty.reporting
    assert duty.action == "notify the Committee of any measure"


def test_annotate_fills_types_and_duty():
    c = Clause("t/a1/1", "t", "paragraph", "Art. 1(1)", "No Party shall expropriate an investment.", 1,
               heading="Expropriation", chapter="Investment")
    [done] = annotate([c])
    assert done.clause_type == "expropriation" and done.type_cue == "heading: 'expropriation'"
    assert done.duty is not None and (done.duty.modality, done.duty.bearer) == ("prohibition", "each Party")
