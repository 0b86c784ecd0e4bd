"""Duty lists: versions per year, the history of who held a post, 我的职责 on the workbench with
each measure's current value, and the late-milestone ladder (an event of the task's chain)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import Position as AccountPosition
from safeloop.accounts.models import Role
from safeloop.core.chain import chain_verify_all
from safeloop.duties.models import DutyList, ListKind, Position, PositionHolder, PositionKind, TaskEvent
from safeloop.duties.services import duty_list_create, holder_change
from safeloop.duties.supervision import supervise
from safeloop.registry.models import Enterprise
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_new_holder_keeps_the_history_and_a_new_version_keeps_the_old(duty_city):
    unit = duty_city["units"]["430902"]
    post = Position.objects.create(unit=unit, kind=PositionKind.HEAD, title="资阳区区长")
    holder_change(position=post, person_name="甲", started_on=date(2024, 3, 1))
    holder_change(position=post, person_name="乙", started_on=date(2026, 6, 1))
    rows = list(PositionHolder.objects.filter(position=post).order_by("started_on"))
    assert [(h.person_name, h.ended_on) for h in rows] == [("甲", date(2026, 5, 31)), ("乙", None)]
    year = timezone.localdate().year
    first = duty_list_create(
        unit=unit,
        kind=ListKind.LEADERS,
        year=year,
        title="一",
        statement="",
        positions={"head": post},
        published_on=date(year, 2, 1),
    )
    second = duty_list_create(
        unit=unit,
        kind=ListKind.LEADERS,
        year=year,
        title="二",
        statement="",
        positions={"head": post},
        published_on=date(year, 7, 1),
    )
    assert (first.version, second.version) == (1, 2)
    assert DutyList.objects.get(pk=first.pk).items.count() == second.items.count() > 0


def test_my_duties_on_the_workbench_show_each_measure_value(duty_city, login):
    unit = duty_city["units"]["430902"]
    year = timezone.localdate().year
    duty_list_create(
        unit=unit,
        kind=ListKind.LEADERS,
        year=year,
        title="资阳区清单",
        statement="",
        positions={},
        published_on=date(year, 2, 1),
    )
    page = login(duty_city["ziyang"]).get(reverse("workbench:home"))
    my = page.context["figures"]["my_duties"]
    overdue = next(i for i in my.items if i.measure == "overdue_rate")
    assert overdue.value == "100.0%"  # the one hazard in its rectification period is overdue
    on_time = next(i for i in my.items if i.measure == "tasks_on_time")
    assert on_time.value == "50.0%"
    assert [t.title for t, _m in my.tasks][:1] == ["资阳区任务二（逾期）"]
    assert "我的职责" in page.content.decode()


def test_an_enterprise_account_sees_the_items_of_its_position(duty_city, login):
    year = timezone.localdate().year
    posts = {
        k: Position.objects.create(unit=None, kind=k, title=str(k.label))
        for k in (PositionKind.PRINCIPAL, PositionKind.SAFETY_MANAGER)
    }
    duty_list_create(
        unit=None,
        kind=ListKind.ENTERPRISE,
        year=year,
        title="通用",
        statement="",
        positions=posts,
        published_on=date(year, 2, 1),
    )
    chem = Enterprise.objects.get(name="资阳化工有限公司")
    boss = make_user(Role.ENTERPRISE, enterprise=chem, position=AccountPosition.PRINCIPAL)
    my = login(boss).get(reverse("workbench:home")).context["figures"]["my_duties"]
    assert my.positions == ["主要负责人"]
    values = {i.measure: i.value for i in my.items if i.measure}
    assert values == {"ent_overdue": "1", "ent_reward": "已建立"}


def test_a_late_milestone_is_escalated_once_on_the_tasks_chain(duty_city, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        first = supervise(today=today + timedelta(days=30))
        again = supervise(today=today + timedelta(days=30))
    assert first.escalated >= 1 and again.escalated == 0
    events = TaskEvent.objects.filter(action="escalate")
    assert events.exists() and all(e.payload["milestone"] for e in events)
    assert list(chain_verify_all(TaskEvent)) == []
