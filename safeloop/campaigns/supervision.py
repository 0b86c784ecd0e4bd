"""Deadline supervision of campaign tasks: the same ladder as hazards (`core.ladder`, the
hazards' settings). A reminder `SAFELOOP_REMIND_WORKDAYS` working days before the deadline; when
overdue by the first and third of `SAFELOOP_ESCALATE_WORKDAYS` working days, 督办 and then 约谈
(挂牌督办 is for major hazards, not for tasks). Each escalation is an event of the task's chain;
the message goes to the task's assignee (the enterprise, the township or county, the department)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.accounts.notifications import notify
from safeloop.campaigns.models import Route, Task, TaskEvent, TaskStatus
from safeloop.core.chain import chain_append
from safeloop.core.ladder import Ladder, LadderReport, Rung
from safeloop.hazards.models import Escalation


def _rungs() -> tuple[Rung, ...]:
    first, _second, third = settings.SAFELOOP_ESCALATE_WORKDAYS
    return (Rung(level=Escalation.SUPERVISED, after=first), Rung(level=Escalation.INTERVIEW, after=third))


def _record(task: Task, rung: Rung, overdue: int) -> None:
    name = str(Escalation(rung.level).label)
    payload = {
        "level": rung.level,
        "level_name": name,
        "overdue_workdays": overdue,
        "deadline": task.deadline.isoformat(),
    }
    chain_append(
        events=TaskEvent,
        owner=task,
        action="escalate",
        actor=None,
        actor_role="system",
        at=timezone.now(),
        from_status=task.status,
        payload=payload,
    )
    text = _("已逾期%(days)s个工作日，升级为%(level)s") % {"days": overdue, "level": name}
    transaction.on_commit(lambda: _tell(task.pk, "escalate", text))


def _remind(task: Task, left: int) -> None:
    _tell(
        task.pk,
        "remind",
        _("距任务期限还有%(days)s个工作日（%(deadline)s）") % {"days": left, "deadline": task.deadline},
    )


def assignees(task: Task) -> list[User]:
    """Who must act on the task: its enterprise's accounts, the township (and county) users of its
    place, or its department's users."""
    region = task.enterprise.region_id
    if task.route == Route.ENTERPRISE:
        q = Q(role=Role.ENTERPRISE, enterprise_id=task.enterprise_id)
    elif task.route == Route.TOWNSHIP:
        q = Q(role=Role.TOWNSHIP, region_id=region) | Q(role=Role.COUNTY, region_id=region[:6])
    else:
        q = Q(role=Role.DEPARTMENT, department_id=task.department_id) if task.department_id else Q(pk__in=[])
    return list(User.objects.filter(q, is_active=True))


def _tell(task_id: int, kind: str, text: str) -> None:
    task = Task.objects.select_related("enterprise", "campaign").get(pk=task_id)
    title = f"{task.campaign.title} · {task.enterprise.name}：{text}"
    notify(users=assignees(task), kind=f"campaign_{kind}", title=title, url=reverse("campaigns:task", args=[task.pk]))


LADDER = Ladder(
    rows=lambda: Task.objects.filter(status__in=(TaskStatus.PENDING, TaskStatus.IN_PROGRESS)),
    columns=("code", "status", "campaign_id", "enterprise_id", "route", "department_id"),
    rungs=_rungs,
    remind_before=lambda: settings.SAFELOOP_REMIND_WORKDAYS,
    record=_record,
    remind=_remind,
)


def supervise(*, today: date | None = None) -> LadderReport:
    return LADDER.run(today=today)
