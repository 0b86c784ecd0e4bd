"""Stationings in the change feed (core.changes)."""

from __future__ import annotations

from safeloop.experts.services import stationing_end
from tests.experts.test_outsiders import ziyang_things  # noqa: F401 (a fixture)
from tests.feed.helpers import assert_county_copy, drain


def test_the_countys_copy_holds_its_stationings(client, ziyang_things, ziyang_user, heshan_user):  # noqa: F811
    stationing = ziyang_things["stationing"]
    stationing_end(actor=ziyang_user, pk=stationing.pk, version=stationing.version)
    mine = assert_county_copy(client, ziyang_user, heshan_user, ["stationing"])
    assert [c["data"]["status"] for c in mine if c["type"] == "stationing"] == ["active", "ended"]
    theirs, _ = drain(client, ziyang_things["expert"])  # the expert stationed there follows it too
    assert {c["id"] for c in theirs if c["type"] == "stationing"} == {stationing.pk}
