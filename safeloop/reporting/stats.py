"""Reads for the regulators' statistics: mechanism compliance by county and category with year on
year, the late list, and the reports' figures (by channel and outcome, verification rate, time to
first response, share of hazards that came from reports). Everything through `core.scope`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from safeloop.core.roles import Role
from safeloop.core.scope import visible
from safeloop.hazards.models import Hazard, Source
from safeloop.registry.models import Department, Enterprise, Region
from safeloop.registry.selectors import DepartmentResolver
from safeloop.reporting.models import Channel, ReportStatus
from safeloop.reporting.selectors import STATE_LABELS, MechanismState, mechanism_state, phases, reports_visible

GROUPS = ("county", "category", "department")


def may_see_stats(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_regulator or user.role == Role.SYSADMIN))


@dataclass
class Tally:
    total: int = 0
    established: int = 0  # by the end of the period
    late: int = 0  # not established, deadline passed by the end of the period
    established_before: int = 0  # by the end of the year before

    @property
    def rate(self) -> float | None:
        return self.established / self.total if self.total else None

    @property
    def rate_before(self) -> float | None:
        return self.established_before / self.total if self.total else None

    @property
    def change(self) -> float | None:
        rate, before = self.rate, self.rate_before
        return None if rate is None or before is None else rate - before


@dataclass
class ComplianceRow:
    key: str
    label: str
    tally: Tally = field(default_factory=Tally)


@dataclass
class Compliance:
    year: int
    as_of: date
    by: str
    rows: list[ComplianceRow]
    total: Tally
    key_sector: Tally
    other: Tally


def _rows(user: Any) -> Any:
    return visible(user, Enterprise.objects.all()).values_list(
        "pk",
        "region_id",
        "category_id",
        "category__name",
        "category__key_sector",
        "reward_mechanism__established",
        "reward_mechanism__established_on",
        "supervising_department_override_id",
    )


def _established(flag: Any, on: date | None, as_of: date) -> bool:
    return bool(flag) and on is not None and on <= as_of


def compliance(user: Any, *, year: int, by: str, today: date) -> Compliance:
    """Enterprises of the current register counted as of the end of `year` (today for the
    current year), against their sector's deadline; the year before as of its end."""
    as_of = min(date(year, 12, 31), today)
    before = date(year - 1, 12, 31)
    deadlines = {key: phase.deadline for key, phase in phases().items()}
    groups: dict[str, ComplianceRow] = {}
    total, key_sector, other = Tally(), Tally(), Tally()
    counties = {r.code: r.name for r in Region.objects.filter(level="county")}
    resolver = DepartmentResolver() if by == "department" else None
    departments = {d.pk: d.name for d in Department.objects.all()} if resolver else {}
    for _pk, region, category, category_name, is_key, flag, on, override in _rows(user).iterator(chunk_size=2000):
        if by == "category":
            key, label = category, category_name
        elif resolver is not None:
            found = override or getattr(resolver.derived(region, category), "pk", None)
            key, label = str(found or ""), departments.get(found, "") if found else _("未明确监管部门")
        else:
            key = region[:6]
            label = counties.get(key, key)
        row = groups.setdefault(key, ComplianceRow(key, label))
        deadline = deadlines["key" if is_key else "other"]
        now_in = _established(flag, on, as_of)
        for tally in (row.tally, total, key_sector if is_key else other):
            tally.total += 1
            tally.established += now_in
            tally.late += (not now_in) and as_of > deadline
            tally.established_before += _established(flag, on, before)
    rows = sorted(groups.values(), key=lambda r: r.key)
    return Compliance(year, as_of, by, rows, total, key_sector, other)


def late_enterprises(user: Any, *, today: date) -> Any:
    """Enterprises without a mechanism whose sector deadline has passed (as of today)."""
    key_deadline, other_deadline = phases()["key"].deadline, phases()["other"].deadline
    without = Q(reward_mechanism__isnull=True) | Q(reward_mechanism__established=False)
    late_phase = Q(category__key_sector=True) if today > key_deadline else Q(pk__in=[])
    if today > other_deadline:
        late_phase = Q()
    return (
        visible(user, Enterprise.objects.all())
        .filter(without)
        .filter(late_phase)
        .select_related("region", "category")
        .order_by("region_id", "name")
    )


def state_of(enterprise: Enterprise, today: date) -> tuple[str, str]:
    mechanism = getattr(enterprise, "reward_mechanism", None)
    phase = phases()["key" if enterprise.category.key_sector else "other"]
    state = mechanism_state(phase.deadline, mechanism, today)
    return state, STATE_LABELS[state]


# ---------------------------------------------------------------- report figures


@dataclass
class ReportFigures:
    by_channel: list[tuple[str, str, dict[str, int]]]  # (channel, label, {status: n})
    total: int
    verified: int
    rejected: int
    verification_rate: float | None
    mean_hours_to_first_response: float | None
    overdue_first_response: int
    hazards_total: int
    hazards_from_reports: int
    share_from_reports: float | None
    rewards_paid: Any
    rewards_decided: Any


def report_figures(user: Any, *, year: int, today: date) -> ReportFigures:
    reports = reports_visible(user).filter(created_at__year=year)
    counts = reports.values("channel", "status").annotate(n=Count("pk"))
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ReportStatus.values, 0))
    for row in counts:
        table[row["channel"]][row["status"]] = row["n"]
    by_channel = [(c, str(label), table[c]) for c, label in Channel.choices]
    verified = sum(t[ReportStatus.VERIFIED] for _c, _l, t in by_channel)
    rejected = sum(t[ReportStatus.REJECTED] for _c, _l, t in by_channel)
    total = sum(sum(t.values()) for _c, _l, t in by_channel)
    waits = [
        (responded - created).total_seconds() / 3600
        for created, responded in reports.filter(first_response_at__isnull=False).values_list(
            "created_at", "first_response_at"
        )
        if responded is not None
    ]
    overdue = reports.filter(first_response_at__isnull=True, respond_by__lt=today).count()
    hazards = visible(user, Hazard.objects.filter(found_on__year=year))
    hazard_counts = hazards.aggregate(
        n=Count("pk"), reported=Count("pk", filter=Q(source__in=[Source.INTERNAL_REPORT, Source.PUBLIC_REPORT]))
    )
    money = reports.aggregate(
        paid=_sum_of("reward_amount", reward_status="paid"), decided=_sum_of("reward_amount", reward_status="decided")
    )
    return ReportFigures(
        by_channel=by_channel,
        total=total,
        verified=verified,
        rejected=rejected,
        verification_rate=verified / (verified + rejected) if verified + rejected else None,
        mean_hours_to_first_response=sum(waits) / len(waits) if waits else None,
        overdue_first_response=overdue,
        hazards_total=hazard_counts["n"],
        hazards_from_reports=hazard_counts["reported"],
        share_from_reports=hazard_counts["reported"] / hazard_counts["n"] if hazard_counts["n"] else None,
        rewards_paid=money["paid"] or 0,
        rewards_decided=money["decided"] or 0,
    )


def _sum_of(field_name: str, **conditions: Any) -> Any:
    return Sum(field_name, filter=Q(**conditions))


def reward_totals(user: Any, *, year: int) -> Any:
    """Rewards per enterprise (decided and paid), for the enterprises the user sees."""
    return (
        reports_visible(user)
        .filter(created_at__year=year, enterprise__isnull=False)
        .exclude(reward_status="")
        .values("enterprise_id", "enterprise__name")
        .annotate(
            decided=Sum("reward_amount", filter=Q(reward_status="decided")),
            paid=Sum("reward_amount", filter=Q(reward_status="paid")),
            n=Count("pk"),
        )
        .order_by("-paid", "enterprise__name")
    )


__all__ = ["GROUPS", "MechanismState", "compliance", "late_enterprises", "report_figures", "reward_totals"]
