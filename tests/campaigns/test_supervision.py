"""Overdue campaign tasks climb the hazards' ladder: 督办, then 约谈, each an event, the assignee told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safeloop.accounts.models import Notification
from safeloop.campaigns.models import Task, TaskEvent
from safeloop.campaigns.services import campaign_create, campaign_launch
from safeloop.campaigns.supervision import supervise
from safeloop.core.workdays import add_workdays
from safeloop.hazards.models import Escalation
from tests.campaigns.conftest import campaign_data

pytestmark = pytest.mark.django_db


def test_an_overdue_task_is_supervised_then_interviewed_and_the_township_is_told(
    dust, ziyang_user, township_user, django_capture_on_commit_callbacks
):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data(route="township"))
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    task = Task.objects.get(campaign=campaign, enterprise=dust["seed"])
    with django_capture_on_commit_callbacks(execute=True):
        report = supervise(today=add_workdays(task.deadline, 2).date)
    task.refresh_from_db()
    assert task.escalation == Escalation.SUPERVISED and report.escalated == 3
    assert TaskEvent.objects.get(task=task, action="escalate").payload["level"] == Escalation.SUPERVISED
    told = Notification.objects.filter(user=township_user, kind="campaign_escalate")
    assert told.count() == 3 and told.filter(title__contains=dust["seed"].name).count() == 1
    supervise(today=add_workdays(task.deadline, 12).date)
    task.refresh_from_db()
    assert task.escalation == Escalation.INTERVIEW


def test_a_task_on_time_is_only_reminded(dust, ziyang_user, township_user, settings):
    campaign = campaign_create(actor=ziyang_user, data=campaign_data(route="township"))
    campaign = campaign_launch(actor=ziyang_user, campaign_id=campaign.pk, version=campaign.version)
    task = Task.objects.get(campaign=campaign, enterprise=dust["seed"])
    today = task.deadline - timedelta(days=1)
    while add_workdays(today, settings.SAFELOOP_REMIND_WORKDAYS).date != task.deadline:
        today -= timedelta(days=1)
    report = supervise(today=today)
    assert report.escalated == 0 and report.reminded == 3
    assert Notification.objects.filter(user=township_user, kind="campaign_remind").exists()
