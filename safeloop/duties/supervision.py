"""Late milestones of annual tasks: the same ladder as hazards and campaign tasks (`core.ladder`,
the hazards' settings): a reminder before the date, then 督办 and 约谈 by working days late. Each
escalation is an event of the task's chain; the lead unit's users are told."""

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
from safeloop.core.chain import chain_append
from safeloop.core.ladder import Ladder, LadderReport, Rung
from safeloop.duties.models import Milestone, Task, TaskEvent, TaskStatus, Unit
from safeloop.hazards.models import Escalation


def _rungs() -> tuple[Rung, ...]:
    first, _second, third = settings.SAFELOOP_ESCALATE_WORKDAYS
    return (Rung(level=Escalation.SUPERVISED, after=first), Rung(level=Escalation.INTERVIEW, after=third))


def unit_users(unit: Unit) -> list[User]:
    if unit.department_id:
        q = Q(role=Role.DEPARTMENT, department_id=unit.department_id)
    else:
        q = Q(role__in=(Role.CITY, Role.COUNTY, Role.TOWNSHIP), region_id=unit.region_id)
    return list(User.objects.filter(q, is_active=True))


def _record(milestone: Milestone, rung: Rung, overdue: int) -> None:
    task = Task.objects.select_for_update().get(pk=milestone.task_id)
    if rung.level > task.escalation:
        Task.objects.filter(pk=task.pk).update(escalation=rung.level)
        task.escalation = rung.level  # what the chain's feed entry records (core.chain → core.changes)
    name = str(Escalation(rung.level).label)
    chain_append(
        events=TaskEvent,
        owner=task,
        action="escalate",
        actor=None,
        actor_role="system",
        at=timezone.now(),
        from_status=task.status,
        payload={
            "milestone": milestone.title,
            "due_on": milestone.due_on.isoformat(),
            "level": rung.level,
            "level_name": name,
            "overdue_workdays": overdue,
        },
    )
    text = _("节点“%(m)s”已逾期%(days)s个工作日，升级为%(level)s") % {
        "m": milestone.title,
        "days": overdue,
        "level": name,
    }
    transaction.on_commit(lambda: _tell(task.pk, "escalate", text))


def _remind(milestone: Milestone, left: int) -> None:
    _tell(
        milestone.task_id, "remind", _("节点“%(m)s”距时限还有%(days)s个工作日") % {"m": milestone.title, "days": left}
    )


def _tell(task_id: int, kind: str, text: str) -> None:
    task = Task.objects.select_related("lead_unit").get(pk=task_id)
    notify(
        users=unit_users(task.lead_unit),
        kind=f"duty_task_{kind}",
        title=f"{task.title}：{text}",
        url=reverse("duties:task", args=[task.pk]),
    )


LADDER = Ladder(
    rows=lambda: Milestone.objects.filter(done_on=None).exclude(task__status=TaskStatus.DONE),
    columns=("task_id", "title"),
    rungs=_rungs,
    remind_before=lambda: settings.SAFELOOP_REMIND_WORKDAYS,
    record=_record,
    remind=_remind,
    deadline_field="due_on",
)


def supervise(*, today: date | None = None) -> LadderReport:
    return LADDER.run(today=today)
