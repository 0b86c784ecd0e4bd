"""Briefings in the change feed (core.changes): a county's draft and its issue."""

from __future__ import annotations

from safeloop.briefings.services import briefing_generate, briefing_issue
from tests.feed.helpers import assert_county_copy


def test_the_countys_copy_holds_its_briefing_through_its_issue(client, county_writer, heshan_user):
    draft = briefing_generate(actor=county_writer, data={"kind": "annual", "year": "2026"})
    briefing_issue(actor=county_writer, pk=draft.pk, version=draft.version)
    mine = assert_county_copy(client, county_writer, heshan_user, ["briefing"])
    issued = [c["data"] for c in mine if c["type"] == "briefing"][-1]
    assert issued["status"] == "issued" and issued["number"]
