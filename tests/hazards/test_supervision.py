from datetime import date

import pytest
import time_machine

from safeloop.accounts.models import Notification
from safeloop.hazards.models import Escalation
from safeloop.hazards.supervision import supervise


@pytest.fixture
def assigned(general_self_found, boss):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        general_self_found.act(boss, "confirm")
        general_self_found.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline="2026-11-06")
    return general_self_found


def test_reminder_three_working_days_before_due(assigned, boss):
    report = supervise(today=date(2026, 11, 3))
    assert report.reminded == 1
    assert Notification.objects.filter(user=boss, kind="remind").exists()


def test_overdue_hazard_is_escalated_once_per_level(assigned, boss):
    report = supervise(today=date(2026, 11, 9))  # Monday: one working day overdue
    assert report.escalated == 1
    assigned.hazard.refresh_from_db()
    assert assigned.hazard.escalation == Escalation.SUPERVISED
    assert supervise(today=date(2026, 11, 9)).escalated == 0
    event = assigned.hazard.events.get(action="escalate")
    assert (event.actor_id, event.payload["overdue_workdays"]) == (None, 1)


def test_general_hazard_skips_listed_supervision_and_goes_to_interview(assigned):
    supervise(today=date(2026, 11, 16))  # 6 working days overdue: still 督办 for a general hazard
    assigned.hazard.refresh_from_db()
    assert assigned.hazard.escalation == Escalation.SUPERVISED
    supervise(today=date(2026, 11, 20))  # 10 working days: 约谈
    assigned.hazard.refresh_from_db()
    assert assigned.hazard.escalation == Escalation.INTERVIEW


def test_escalation_is_part_of_the_verified_chain(assigned):
    from safeloop.hazards.events import verify_all

    supervise(today=date(2026, 11, 20))
    assert list(verify_all()) == []


def test_the_daily_task_runs_the_pass_and_refreshes_statistics(assigned):
    from safeloop.hazards.tasks import supervise_hazards

    assert supervise_hazards.call()["checked"] == 1
