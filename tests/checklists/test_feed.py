"""Checklists in the change feed (core.changes): every answer and the submission, in order."""

from __future__ import annotations

from safeloop.checklists.services import checklist_submit
from tests.checklists.conftest import answer_all
from tests.feed.helpers import assert_county_copy, drain


def test_the_countys_copy_holds_the_checklist_through_its_submission(
    client, checklist, enterprise_user, ziyang_user, heshan_user, heshan_enterprise
):
    answer_all(checklist, enterprise_user)
    checklist.refresh_from_db()
    checklist_submit(actor=enterprise_user, checklist_id=checklist.pk, version=checklist.version)
    mine = assert_county_copy(client, ziyang_user, heshan_user, ["checklist"])
    assert [c["data"]["status"] for c in mine if c["type"] == "checklist"][-1] == "submitted"
    own, _ = drain(client, enterprise_user, types="checklist")
    assert {c["id"] for c in own} == {checklist.pk}
