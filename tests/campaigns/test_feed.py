"""Campaigns and their tasks in the change feed (core.changes): the tasks a launch makes in bulk
are there, each task's actions follow in order."""

from __future__ import annotations

from safeloop.campaigns.models import Task
from safeloop.campaigns.services import task_act
from tests.campaigns.test_outsiders import ziyang_campaign  # noqa: F401 (a fixture)
from tests.feed.helpers import assert_county_copy, drain


def test_the_countys_copy_holds_its_campaign_and_every_task(client, ziyang_campaign, ziyang_user, heshan_user):  # noqa: F811
    task = Task.objects.filter(campaign=ziyang_campaign).first()
    task_act(actor=ziyang_user, task_id=task.pk, action="cancel", version=task.version, data={"reason": "已关闭"})
    mine = assert_county_copy(client, ziyang_user, heshan_user, ["campaign", "campaign_task"])
    assert len([c for c in mine if c["type"] == "campaign_task" and c["op"] == "created"]) == Task.objects.count() > 1
    assert [c["data"]["status"] for c in mine if c["type"] == "campaign_task" and c["id"] == task.pk] == [
        "pending",
        "cancelled",
    ]


def test_an_enterprise_follows_its_own_task_only(client, ziyang_campaign, dust):  # noqa: F811
    from safeloop.core.roles import Role
    from tests.conftest import make_user

    owner = make_user(Role.ENTERPRISE, enterprise=dust["seed"])
    theirs, _ = drain(client, owner, types="campaign_task,campaign")
    assert [(c["type"], c["data"]["enterprise"]) for c in theirs] == [("campaign_task", dust["seed"].pk)]
