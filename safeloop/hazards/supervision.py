"""Deadline supervision (节点化督办): reminders before due, escalation when overdue.

Run daily (the `supervise_hazards` task or command). Overdue-ness is derived from the
deadline; the escalation level reached is recorded on the hazard and, like every change, as
an event — once per level, so running the pass twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safeloop.core.workdays import WorkdayCalendar
from safeloop.hazards.events import event_append
from safeloop.hazards.models import DEADLINE_STATUSES, Escalation, Hazard, Level
from safeloop.hazards.notifications import hazard_notify

BATCH = 5000


@dataclass
class SupervisionReport:
    checked: int = 0
    reminded: int = 0
    escalated: int = 0


def escalation_due(hazard: Hazard, overdue_workdays: int) -> int:
    """督办 after the first threshold; 挂牌督办 (major hazards only) after the second; 约谈 after the third."""
    first, second, third = settings.SAFELOOP_ESCALATE_WORKDAYS
    if overdue_workdays >= third:
        return Escalation.INTERVIEW
    if overdue_workdays >= second and hazard.level == Level.MAJOR:
        return Escalation.LISTED
    return Escalation.SUPERVISED if overdue_workdays >= first else Escalation.NONE


def supervise(*, today: date | None = None) -> SupervisionReport:
    today = today or timezone.localdate()
    calendar = WorkdayCalendar(date(today.year - 2, 1, 1), date(today.year + 1, 12, 31))
    report = SupervisionReport()
    last_id = 0
    while True:
        batch = list(
            Hazard.objects.filter(status__in=DEADLINE_STATUSES, deadline__isnull=False, pk__gt=last_id)
            .order_by("pk")
            .only("pk", "code", "level", "deadline", "escalation", "enterprise_id", "status")[:BATCH]
        )
        if not batch:
            return report
        for hazard in batch:
            _check(hazard, today, calendar, report)
        report.checked += len(batch)
        last_id = batch[-1].pk


def _check(hazard: Hazard, today: date, calendar: WorkdayCalendar, report: SupervisionReport) -> None:
    if hazard.deadline < today:
        overdue, _ = calendar.workdays_between(hazard.deadline, today)
        level = escalation_due(hazard, overdue)
        if level > hazard.escalation:
            _escalate(hazard.pk, level, overdue)
            report.escalated += 1
    elif hazard.escalation == Escalation.NONE:
        left, _ = calendar.workdays_between(today, hazard.deadline)
        if left == settings.SAFELOOP_REMIND_WORKDAYS:
            _remind(hazard, left)
            report.reminded += 1


def _escalate(hazard_id: int, level: int, overdue: int) -> None:
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard_id)
        if level <= hazard.escalation or hazard.status not in DEADLINE_STATUSES:
            return  # someone acted (or another pass ran) since the batch was read
        hazard.escalation = level
        hazard.version += 1
        hazard.save(update_fields=["escalation", "version", "updated_at"])
        event_append(
            hazard=hazard,
            action="escalate",
            actor=None,
            actor_role="system",
            at=timezone.now(),
            from_status=hazard.status,
            payload={
                "level": level,
                "level_name": str(Escalation(level).label),
                "overdue_workdays": overdue,
                "deadline": hazard.deadline.isoformat(),
            },
        )
        transaction.on_commit(
            lambda: _tell(hazard, "escalate", f"已逾期{overdue}个工作日，升级为{Escalation(level).label}")
        )


def _remind(hazard: Hazard, left: int) -> None:
    _tell(hazard, "remind", f"距整改期限还有{left}个工作日（{hazard.deadline:%Y-%m-%d}）")


def _tell(hazard: Hazard, kind: str, text: str) -> None:
    hazard_notify(hazard=hazard, action=kind, title=f"{hazard.code}：{text}")
