"""Inspections in the change feed (core.changes)."""

from __future__ import annotations

from safeloop.inspections.services import inspection_create
from safeloop.inspections.workflow import inspection_act
from tests.feed.helpers import assert_county_copy, drain


def test_the_countys_copy_holds_the_inspection_from_plan_to_close(
    client, officers, ziyang_body, ziyang_enterprise, ziyang_user, heshan_user, heshan_officer
):
    data = {
        "enterprise": ziyang_enterprise.pk,
        "enforcement_body": ziyang_body.pk,
        "officers": [u.pk for u in officers],
    }
    inspection = inspection_create(actor=officers[0], data=data)
    inspection_act(
        pk=inspection.pk, actor=officers[0], action="close", version=inspection.version, data={"summary": "未发现问题"}
    )
    mine = assert_county_copy(client, ziyang_user, heshan_user, ["inspection"])
    assert [c["data"]["status"] for c in mine if c["type"] == "inspection"] == ["planned", "closed"]
    body, _ = drain(client, officers[1], types="inspection")
    assert {c["id"] for c in body} == {inspection.pk}
    assert not drain(client, heshan_officer, types="inspection")[0]
