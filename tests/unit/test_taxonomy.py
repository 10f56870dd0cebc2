import pytest

from app.cli import main
from ingest.annotate import parse_clause_type, taxonomy
from ingest.errors import InputError


def test_taxonomy_is_complete_and_well_formed():
    types = taxonomy()
    assert 30 <= len(types) <= 45
    for must in ("definitions", "national_treatment", "mfn", "rules_of_origin", "sps", "tbt", "expropriation",
                 "isds", "state_dispute_settlement", "general_exceptions", "security_exceptions",
                 "duration_termination", "accession", "relation_to_other_agreements", "review"):
        assert must in types
    for t in types.values():
        assert t.label and t.description.endswith(".") and t.cues
        assert all(c == c.lower() for c in t.cues)


def test_clause_type_parsing():
    assert parse_clause_type("Expropriation") == "expropriation"
    assert parse_clause_type("rules of origin") == "rules_of_origin"
    with pytest.raises(InputError, match="unknown clause type 'nonsense' .choose one of: definitions, "):
        parse_clause_type("nonsense")


def test_search_type_flag_is_checked(capsys):
    with pytest.raises(SystemExit) as done:
        main(["search", "x", "--type", "nonsense"])
    assert done.value.code == 2 and "unknown clause type 'nonsense'" in capsys.readouterr().err


def test_typing_is_explained_by_its_cue():
    from ingest.annotate.clause_types import classify

    d = classify("Expropriation and Compensation", "Investment", "No Party shall expropriate or nationalise ...")
    assert d is not None and d.types[0] == "expropriation" and d.cue == "heading: 'expropriation'"
    assert 0 < d.confidence <= 1
    d = classify("Scope", "Sanitary and Phytosanitary Measures", "This Chapter applies to all SPS measures.")
    assert d is not None and set(d.types) == {"sps", "scope"}
    d = classify("Withdrawal", "Final Provisions", "A Party may withdraw from this Agreement by written notice.")
    assert d is not None and d.types[0] == "duration_termination"
    assert classify("", "", "The sky is blue.") is None


def test_clause_without_heading_is_typed_by_the_text_model_and_says_so():
    from ingest.annotate.clause_types import classify

    d = classify("", "", "Quantitative restrictions on imports and all measures having equivalent effect shall be "
                         "abolished on the entry into force of this Agreement.")
    assert d is not None and d.types == ("market_access_goods",) and d.cue.startswith("text model: ")
    d = classify("", "", "The Parties shall grant each other fair and equitable treatment of investments; "
                         "investors shall not be subject to unreasonable measures.")
    assert d is not None and d.types[0] == "investment_protection"
    # a heading that names the subject wins over the words
    d = classify("Customs Duties on Imports", "", "An investor of a Party shall ...")
    assert d is not None and d.types[0] == "market_access_goods" and d.cue.startswith("heading")
