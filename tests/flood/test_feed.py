"""Flood patrols, dangers and warnings/responses in the change feed (core.changes)."""

from __future__ import annotations

from safeloop.flood.workflow import FLOW
from tests.feed.helpers import assert_county_copy
from tests.flood.test_outsiders import ziyang_flood  # noqa: F401 (a fixture)


def test_the_countys_copy_holds_its_patrols_dangers_and_alerts(client, ziyang_flood, ziyang_user, heshan_user):  # noqa: F811
    danger = ziyang_flood["danger"]
    FLOW.act(pk=danger.pk, actor=ziyang_user, action="handle", version=danger.version, data={"measures": "反滤围井"})
    assert_county_copy(client, ziyang_user, heshan_user, ["flood_patrol", "flood_danger", "flood_alert"])
