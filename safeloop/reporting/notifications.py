"""Who hears what: the handlers of a new report (never the reporter's identity in the message),
and, monthly, the accounts of enterprises late with their reward mechanism (安委〔2024〕7号)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from safeloop.accounts.models import Role, User
from safeloop.accounts.notifications import notify
from safeloop.core.schedule import Tally, each
from safeloop.registry.models import Enterprise
from safeloop.reporting.models import HandlerKind, Report, RewardMechanism
from safeloop.reporting.selectors import phases

KIND_REPORT, KIND_MECHANISM = "report", "reward_mechanism"


def handlers_of(report: Report) -> list[User]:
    users = User.objects.filter(is_active=True)
    if report.handler_kind == HandlerKind.ENTERPRISE:
        if report.enterprise_id is None:
            return []
        mechanism = RewardMechanism.objects.filter(enterprise_id=report.enterprise_id).first()
        return [mechanism.handler] if mechanism is not None and mechanism.handler is not None else []
    if report.handler_kind == HandlerKind.TOWNSHIP:
        return list(users.filter(role=Role.TOWNSHIP, region_id=report.region_id))
    if report.department_id is None:
        return []
    return list(users.filter(role=Role.DEPARTMENT, department_id=report.department_id))


def notify_handlers(report_id: int) -> int:
    """After commit of a submission or a transfer."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return 0
    title = _("新的隐患报告 %(code)s 待受理") % {"code": report.reference}
    if report.respond_by:
        title += _("（请于 %(day)s 前首次响应）") % {"day": report.respond_by.isoformat()}
    url = reverse("reporting:detail", args=[report.pk])
    return notify(
        users=handlers_of(report), kind=KIND_REPORT, title=title, url=url, key=f"report:{report.pk}:{report.version}"
    )


def late_without_mechanism(today: date) -> Any:
    key, other = phases()["key"].deadline, phases()["other"].deadline
    late = (Q(category__key_sector=True) if today > key else Q(pk__in=[])) | (Q() if today > other else Q(pk__in=[]))
    without = Q(reward_mechanism__isnull=True) | Q(reward_mechanism__established=False)
    return Enterprise.objects.filter(without).filter(late)


def mechanism_reminders(today: date | None = None, tally: Tally | None = None) -> int:
    """Once a month per enterprise (the key), its active accounts are reminded."""
    today = today or timezone.localdate()
    late_ids = late_without_mechanism(today).values("pk")
    accounts = User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise_id__in=late_ids)
    by_enterprise: dict[int, list[User]] = {}
    for user in accounts.order_by("enterprise_id"):
        by_enterprise.setdefault(user.enterprise_id or 0, []).append(user)
    sent = 0

    def remind(item: tuple[int, list[User]]) -> None:
        nonlocal sent
        enterprise_id, users = item
        title = _("本企业尚未建立事故隐患内部报告奖励机制，已超过规定期限，请尽快建立并填报")
        url = reverse("reporting:mechanism", args=[enterprise_id])
        sent += notify(
            users=users, kind=KIND_MECHANISM, title=title, url=url, key=f"mechanism-late:{enterprise_id}:{today:%Y-%m}"
        )

    each(by_enterprise.items(), remind, job="mechanism_reminders", atomic=True, tally=tally)
    return sent


@task()
def remind_mechanisms() -> dict:
    tally = Tally()
    sent = mechanism_reminders(tally=tally)
    return {"sent": sent, "failed": tally.failed, "failures": tally.failures}
