"""Clues and cases in the change feed (core.changes): the county's copy follows every action in
order, another county sees none, a transferred clue leaves the first department's copy."""

from __future__ import annotations

from safeloop.enforcement.services import clue_record
from safeloop.enforcement.workflow import clue_act
from tests.enforcement.conftest import PHONE_CLUE
from tests.enforcement.test_outsiders import ziyang_records  # noqa: F401 (a fixture)
from tests.feed.helpers import assert_county_copy, copy_of, drain


def test_the_countys_copy_holds_its_clues_and_cases(client, ziyang_records, ziyang_user, heshan_user):  # noqa: F811
    mine = assert_county_copy(client, ziyang_user, heshan_user, ["clue", "case"])
    case = copy_of(mine)[("case", ziyang_records["case"].pk)]
    assert (case["status"], case["clue"]) == ("handling", ziyang_records["clue"].pk)


def test_a_transferred_clue_leaves_the_first_departments_copy(client, recorder, transport_officer, housing_officer):
    clue = clue_record(actor=recorder, data=PHONE_CLUE | {"kind": "illegal_transport", "name": "黑车"})
    before, cursor = drain(client, transport_officer)
    assert [(c["type"], c["op"]) for c in before] == [("clue", "created")]
    data = {"to_department": housing_officer.department.pk, "reason": "属违法建设"}
    clue_act(pk=clue.pk, actor=transport_officer, action="transfer", version=1, data=data)
    gone, _ = drain(client, transport_officer, cursor)
    assert [(c["type"], c["id"], c["op"], c["data"]) for c in gone] == [("clue", clue.pk, "deleted", None)]
    arrived, _ = drain(client, housing_officer)
    assert [(c["id"], c["data"]["status"]) for c in arrived if c["type"] == "clue"] == [(clue.pk, "transferred")]
