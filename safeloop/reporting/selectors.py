"""Every read of reports and reward mechanisms, through `core.scope`.

Who sees what:
- regulators see the reports of their area (a department: its categories, and what was
  transferred to it); the system administrator sees all;
- an enterprise account sees only the *internal* reports about its enterprise (a citizen's
  report about it is the regulators' business: never shown to it, 404);
- the reporter's identity (`identity_for`) only to the handlers of that report: the township of a
  report it handles, the department it was transferred to, the enterprise's designated handler
  when the reporter chose to be named to the enterprise. Nobody else, whatever their role.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.scope import area_q, scope_q, visible
from safeloop.registry.models import Enterprise, Region
from safeloop.reporting.models import (
    Channel,
    HandlerKind,
    Report,
    ReporterIdentity,
    ReportingPolicy,
    RewardMechanism,
)

DATA = Path(__file__).parent / "data"


# ---------------------------------------------------------------- mechanism deadlines (安委〔2024〕7号)


@dataclass(frozen=True)
class Phase:
    code: str
    deadline: date
    label: str
    source: str


@cache
def phases() -> dict[str, Phase]:
    with (DATA / "mechanism_deadlines.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["phase"]: Phase(r["phase"], date.fromisoformat(r["deadline"]), r["label"], r["source"]) for r in rows}


def phase_of(enterprise: Enterprise) -> Phase:
    """Key sectors (registry's Category.key_sector, the 14 of 安委〔2024〕7号) by 2025-06-30, others by 2025-12-31."""
    return phases()["key" if enterprise.category.key_sector else "other"]


class MechanismState:
    ESTABLISHED = "established"  # in time
    ESTABLISHED_LATE = "established_late"
    PENDING = "pending"  # not yet, deadline not passed
    LATE = "late"  # not established, deadline passed


STATE_LABELS = {
    MechanismState.ESTABLISHED: "按期建立",
    MechanismState.ESTABLISHED_LATE: "逾期建立",
    MechanismState.PENDING: "未建立（未到期）",
    MechanismState.LATE: "逾期未建立",
}


def mechanism_state(deadline: date, mechanism: RewardMechanism | None, today: date) -> str:
    if mechanism is not None and mechanism.established:
        on = mechanism.established_on
        return MechanismState.ESTABLISHED_LATE if on is not None and on > deadline else MechanismState.ESTABLISHED
    return MechanismState.LATE if today > deadline else MechanismState.PENDING


def mechanism_of(enterprise: Enterprise) -> RewardMechanism | None:
    return RewardMechanism.objects.filter(enterprise=enterprise).select_related("handler").first()


def mechanism_enterprise(user: Any, enterprise_id: Any) -> Enterprise | None:
    """The enterprise, when the user may see it (else None: 404)."""
    return visible(user, Enterprise.objects.select_related("category", "region")).filter(pk=enterprise_id).first()


# ---------------------------------------------------------------- city policy


def policy_for(region_id: str) -> ReportingPolicy | None:
    """The policy of the region or of the nearest region above it that has one."""
    codes = []
    region = Region.objects.filter(code=region_id).select_related("parent").first()
    while region is not None:
        codes.append(region.code)
        region = region.parent
    found = {p.region_id: p for p in ReportingPolicy.objects.filter(region_id__in=codes)}
    return next((found[c] for c in codes if c in found), None)


# ---------------------------------------------------------------- reports


def _is_active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def reports_visible(user: Any) -> QuerySet[Report]:
    if not _is_active(user):
        return Report.objects.none()
    if user.role == Role.ENTERPRISE:
        return Report.objects.filter(channel=Channel.INTERNAL, enterprise_id=user.enterprise_id)
    if user.role == Role.EXPERT:
        return Report.objects.none()
    q = scope_q(user, Report)
    return Report.objects.none() if q is None else Report.objects.filter(q)


def report_list(
    user: Any,
    *,
    status: str = "",
    channel: str = "",
    region: str = "",
    overdue: bool = False,
    today: date | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Report]:
    qs = reports_visible(user).select_related("enterprise", "region", "category", "department")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if region:
        qs = qs.filter(area_q("region", region))
    if overdue and today is not None:
        qs = qs.filter(first_response_at__isnull=True, respond_by__lt=today)
    if received_from is not None:  # local days, both ends included
        qs = qs.filter(created_at__gte=_day_start(received_from))
    if received_to is not None:
        qs = qs.filter(created_at__lt=_day_start(received_to + timedelta(days=1)))
    return qs.order_by("-created_at", "-pk")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def report_for(user: Any, pk: Any) -> Report | None:
    return (
        reports_visible(user)
        .select_related("enterprise", "region", "category", "department", "hazard")
        .filter(pk=pk)
        .first()
    )


def is_handler(user: Any, report: Report) -> bool:
    """The unit handling the report now: the enterprise's designated handler, the township's
    accounts, or the accounts of the department it was transferred to."""
    if not _is_active(user):
        return False
    if report.handler_kind == HandlerKind.ENTERPRISE:
        mechanism = mechanism_of(report.enterprise) if report.enterprise is not None else None
        return (
            user.role == Role.ENTERPRISE
            and mechanism is not None
            and mechanism.handler_id == user.pk
            and user.enterprise_id == report.enterprise_id
        )
    if report.handler_kind == HandlerKind.TOWNSHIP:
        return user.role == Role.TOWNSHIP and user.region_id == report.region_id
    return user.role == Role.DEPARTMENT and bool(user.department_id) and user.department_id == report.department_id


def is_supervisor(user: Any, report: Report) -> bool:
    """A county or city account above the report's township (oversight, transfers, rewards)."""
    if not _is_active(user) or user.role not in AREA_ROLES or user.role == Role.TOWNSHIP:
        return False
    return reports_visible(user).filter(pk=report.pk).exists()


def identity_for(user: Any, report: Report) -> ReporterIdentity | None:
    """What the reporter gave about themselves, for the handlers of this report only."""
    identity = ReporterIdentity.objects.filter(report=report).first()
    if identity is None or not is_handler(user, report):
        return None
    if report.handler_kind == HandlerKind.ENTERPRISE and not identity.named_to_enterprise:
        return None
    return identity


def report_by_code(code: str) -> Report | None:
    """The public lookup: by tracking code only (normalised: case and spaces do not matter)."""
    code = "".join((code or "").split()).upper().replace("-", "")
    if not code or len(code) > 16:
        return None
    return Report.objects.select_related("hazard").filter(code=code).first()
