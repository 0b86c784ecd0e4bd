"""Who hears about a hazard event: the routing table, each audience, and the actor left out."""

from datetime import date

import pytest
import time_machine

from safeloop.accounts.models import Notification, Role
from safeloop.hazards.notifications import (
    COUNTY,
    COUNTY_IF_MAJOR,
    DEPARTMENT,
    ENTERPRISE,
    PARTICIPANTS,
    ROUTES,
    TOWNSHIP,
    recipients,
)
from safeloop.hazards.supervision import supervise
from safeloop.hazards.workflow import TRANSITIONS
from safeloop.registry.models import Department
from safeloop.registry.selectors import supervising_department
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, in_a_year, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def department_user(ziyang_enterprise):
    """A user of the department that supervises the enterprise (derived, 三管三必须)."""
    return make_user(Role.DEPARTMENT, department=supervising_department(ziyang_enterprise))


@pytest.fixture
def other_department_user(ziyang_enterprise):
    other = Department.objects.exclude(pk=supervising_department(ziyang_enterprise).pk).filter(region_id="430902")
    return make_user(Role.DEPARTMENT, department=other.first())


@pytest.fixture
def township(reference):
    return make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN)


@pytest.fixture
def other_township(reference):
    return make_user(Role.TOWNSHIP, region_id=HESHAN_TOWN)


@pytest.fixture
def heshan_county(reference):
    return make_user(Role.COUNTY, region_id="430903")


def told(kind=None):
    qs = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return set(qs.values_list("user__username", flat=True))


def names(*users):
    return {u.username for u in users}


def test_every_action_of_the_workflow_and_of_supervision_has_a_route():
    assert {t.action for t in TRANSITIONS} | {"report", "escalate", "remind"} <= set(ROUTES)


def test_the_table_reads_as_who_must_act_and_who_is_responsible():
    assert ROUTES["assign"].audiences == {ENTERPRISE, DEPARTMENT, TOWNSHIP, COUNTY_IF_MAJOR}
    assert ROUTES["submit_rectification"].audiences == {PARTICIPANTS, DEPARTMENT, TOWNSHIP, COUNTY_IF_MAJOR}
    assert COUNTY in ROUTES["escalate"].audiences
    assert ROUTES["remind"].audiences == {ENTERPRISE}
    assert all(route.message for route in ROUTES.values())


def test_a_reported_hazard_reaches_the_department_township_and_enterprise_not_the_reporter(
    django_capture_on_commit_callbacks,
    ziyang_user,
    ziyang_enterprise,
    boss,
    department_user,
    other_department_user,
    township,
    other_township,
    heshan_county,
):
    from safeloop.hazards.services import hazard_report

    with django_capture_on_commit_callbacks(execute=True):
        hazard_report(
            actor=ziyang_user,
            data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堵塞"},
        )
    assert told("report") == names(boss, department_user, township)  # general hazard: no county


def test_a_major_hazard_also_reaches_the_county(
    django_capture_on_commit_callbacks, city_user, ziyang_enterprise, ziyang_user, heshan_county, township
):
    from safeloop.hazards.services import hazard_report

    with django_capture_on_commit_callbacks(execute=True):
        hazard_report(
            actor=city_user,
            data={
                "enterprise": ziyang_enterprise.pk,
                "source": "regulator",
                "level": "major",
                "clause": "化工121-1",
                "description": "重大隐患",
            },
        )
    assert told("report") == names(ziyang_user, township)


def test_actions_reach_the_parties_and_never_the_actor(
    django_capture_on_commit_callbacks, general_self_found, boss, worker, department_user, township
):
    loop = general_self_found
    with django_capture_on_commit_callbacks(execute=True):
        loop.act(boss, "confirm")
    assert told("confirm") == names(worker, department_user, township)  # the boss confirmed
    with django_capture_on_commit_callbacks(execute=True):
        loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline=in_a_year())
        loop.act(worker, "start")
        loop.act(worker, "submit_rectification", note="已接地", attachments=[loop.upload(worker)])
    # who acted before (the boss) hears that the rectification waits for acceptance; the fixer does not
    assert told("submit_rectification") == names(boss, department_user, township)
    assert told("start") == names(boss)


def test_inactive_users_hear_nothing(django_capture_on_commit_callbacks, general_self_found, boss, worker, township):
    township.is_active = False
    township.save()
    with django_capture_on_commit_callbacks(execute=True):
        general_self_found.act(boss, "confirm")
    assert told("confirm") == names(worker)


def test_recipients_are_found_with_a_bounded_number_of_queries(
    general_self_found, department_user, township, django_assert_max_num_queries
):
    audiences = frozenset({ENTERPRISE, PARTICIPANTS, DEPARTMENT, TOWNSHIP, COUNTY})
    with django_assert_max_num_queries(3):  # enterprise, its department, the users
        recipients(general_self_found.hazard, audiences)


@pytest.fixture
def overdue(general_self_found, boss):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        general_self_found.act(boss, "confirm")
        general_self_found.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline="2026-11-06")
    return general_self_found


def test_an_escalation_reaches_the_county_department_and_township(
    django_capture_on_commit_callbacks, overdue, boss, worker, ziyang_user, heshan_county, department_user, township
):
    with django_capture_on_commit_callbacks(execute=True):
        supervise(today=date(2026, 11, 9))
    assert told("escalate") == names(boss, worker, ziyang_user, department_user, township)
    title = Notification.objects.filter(kind="escalate").values_list("title", flat=True).first()
    assert "已逾期1个工作日，升级为督办" in title


def test_a_reminder_reaches_the_enterprise_only(overdue, boss, worker, ziyang_user, department_user, township):
    supervise(today=date(2026, 11, 3))
    assert told("remind") == names(boss, worker)
