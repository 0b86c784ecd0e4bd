"""Deadline supervision of hazards (节点化督办): the hazard's configuration of `core.ladder`.

Run daily (the `supervise_hazards` task or command): a reminder `SAFELOOP_REMIND_WORKDAYS`
working days before the deadline; when overdue by `SAFELOOP_ESCALATE_WORKDAYS` working days,
督办, then 挂牌督办 (major hazards only, unless a body has already listed it by hand: the
workflow's `list`), then 约谈 — each recorded once, as an event.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.ladder import Ladder, LadderReport, Rung
from safeloop.hazards.events import event_append
from safeloop.hazards.listing import open_listing
from safeloop.hazards.models import DEADLINE_STATUSES, Escalation, Hazard, Level
from safeloop.hazards.notifications import hazard_notify


def _not_listed_major(hazard: Hazard) -> bool:
    return hazard.level == Level.MAJOR and open_listing(hazard) is None


def _rungs() -> tuple[Rung, ...]:
    first, second, third = settings.SAFELOOP_ESCALATE_WORKDAYS
    return (
        Rung(level=Escalation.SUPERVISED, after=first),
        Rung(level=Escalation.LISTED, after=second, applies=_not_listed_major),
        Rung(level=Escalation.INTERVIEW, after=third),
    )


def _record(hazard: Hazard, rung: Rung, overdue: int) -> None:
    name = str(Escalation(rung.level).label)
    payload = {"level": rung.level, "level_name": name, "overdue_workdays": overdue}
    event_append(
        hazard=hazard,
        action="escalate",
        actor=None,
        actor_role="system",
        at=timezone.now(),
        from_status=hazard.status,
        payload=payload | {"deadline": hazard.deadline.isoformat()},
    )
    text = _("已逾期%(days)s个工作日，升级为%(level)s") % {"days": overdue, "level": name}
    transaction.on_commit(lambda: _tell(hazard, "escalate", text))


def _remind(hazard: Hazard, left: int) -> None:
    text = _("距整改期限还有%(days)s个工作日（%(deadline)s）") % {
        "days": left,
        "deadline": f"{hazard.deadline:%Y-%m-%d}",
    }
    _tell(hazard, "remind", text)


def _tell(hazard: Hazard, kind: str, text: str) -> None:
    hazard_notify(hazard=hazard, action=kind, title=f"{hazard.code}：{text}")


LADDER = Ladder(
    rows=lambda: Hazard.objects.filter(status__in=DEADLINE_STATUSES, deadline__isnull=False),
    columns=("code", "level", "enterprise_id", "status"),
    rungs=_rungs,
    remind_before=lambda: settings.SAFELOOP_REMIND_WORKDAYS,
    record=_record,
    remind=_remind,
)


def supervise(*, today: date | None = None) -> LadderReport:
    return LADDER.run(today=today)
