"""The obligation register's plain lines and who a duty binds (app/obligations.py)."""

from __future__ import annotations

from app.obligations import binds, plain_line
from ingest.records import Deadline, Duty


def test_plain_line_names_bearer_action_and_deadline():
    duty = Duty("obligation", "shall", bearer="each Party", action="notify the other Party of the measure",
                deadlines=(Deadline(60, "days", "within", "within 60 days"),))
    assert plain_line(duty, "ignored") == "Each Party must notify the other Party of the measure (within 60 days)."
    one = Duty("prohibition", "shall not", bearer="a Party", action="impose export duties;",
               deadlines=(Deadline(1, "years", "after", "after one year"),))
    assert plain_line(one, "ignored") == "A Party must not impose export duties (after 1 year)."


def test_plain_line_falls_back_to_the_clause_words_when_bearer_or_action_is_missing():
    text = "The customs authorities of the importing Party shall " + "verify the origin of the goods " * 10
    line = plain_line(Duty("obligation", "shall"), text)
    assert line.startswith("The customs authorities of the importing Party shall verify") and line.endswith(" …")
    assert len(line) <= 160  # cut, and says so
    short = plain_line(Duty("obligation", "shall", deadlines=(Deadline(30, "days", "within", "within 30 days"),)),
                       "The Committee shall meet;")
    assert short == "The Committee shall meet (within 30 days)."


def test_binds_generic_bearers_every_party_and_named_ones_their_state():
    assert binds(None, "CAN") and binds("each Party", "CAN") and binds("the Parties", "CHL")
    assert binds("Canada", "CAN") and binds("the Government of Chile", "CHL")
    assert not binds("Canada", "CHL") and not binds("the Joint Committee", "CAN")


def test_binds_matches_codes_and_names_as_whole_words_never_inside_another_word():
    assert not binds("the Mexican authorities", "CAN") and not binds("the operator", "PER")  # mexiCAN, oPERator
    assert not binds("the Indonesian authorities", "IND") and not binds("the Nigerian authorities", "NER")
    assert binds("the Mexican authorities", "MEX") and binds("the Canadian authorities", "CAN")
    assert binds("the Nigerian authorities", "NGA") and binds("the authorities of CAN", "CAN")
    assert binds("Turkey", "TUR") and binds("the Government of the Republic of Korea", "KOR")
    assert binds("the European Union", "EUU") and not binds("the authorities can act", "CAN")
