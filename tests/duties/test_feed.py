"""Duty tasks in the change feed (core.changes): a county follows the tasks its units lead."""

from __future__ import annotations

from safeloop.duties.models import Task
from tests.feed.helpers import assert_county_copy


def test_the_countys_copy_holds_the_tasks_its_units_lead(client, duty_city):
    ziyang = set(Task.objects.filter(lead_unit__region__code__startswith="430902").values_list("pk", flat=True))
    mine = assert_county_copy(client, duty_city["ziyang"], duty_city["heshan"], ["duty_task"], {"duty_task": ziyang})
    project = duty_city["project"]
    assert [c["data"]["budget"] for c in mine if c["id"] == project.pk and c["type"] == "duty_task"][-1]
