import pytest

from ingest.annotate import annotate
from ingest.annotate.duty import analyse, deadlines
from ingest.records import Clause


@pytest.mark.parametrize("text, modality, bearer", [
    ("Each Party shall notify the other Party within sixty (60) days of adopting the measure.", "obligation",
     "Each Party"),
    ("No Party shall expropriate a covered investment, except for a public purpose.", "prohibition", "each Party"),
    ("A Party may withdraw from this Agreement by written notice.", "permission", "A Party"),
    ("Nothing in this Agreement shall be construed to prevent a Party from protecting public morals.", "exception",
     None),
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
    assert done.duty["modality"] == "prohibition" and done.duty["bearer"] == "each Party"
