"""Every read of the inspections app, through `core.scope`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field

from safeloop.core.fields import FieldSpec
from safeloop.core.filters import DAY, RECORD_ID, YEAR, Filters
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.rows import detail_url, labels
from safeloop.core.scope import NotVisible, area_q, region_q, user_area, visible
from safeloop.hazards.models import Hazard
from safeloop.inspections.models import Draw, Finding, Inspection, Kind, OverCapReason, Plan, Status
from safeloop.registry.models import Department, Enterprise, OfficerCertificate, Region, RiskLevel

DEFAULT_YEARLY_CAP = 2  # per enforcement body per enterprise per year (RULES.md §6.2: 娄底, 咸宁 ≤2)
GOVERNMENT_ROLES = frozenset({Role.CITY, Role.COUNTY})


def yearly_cap(enterprise: Enterprise) -> int:
    """The published yearly cap for the enterprise's category; settings
    SAFELOOP_INSPECTION_CAPS = {"<category code>": n} overrides the default."""
    caps: dict[str, int] = getattr(settings, "SAFELOOP_INSPECTION_CAPS", {}) or {}
    return int(caps.get(enterprise.category_id, DEFAULT_YEARLY_CAP))


def may_inspect(user: Any) -> bool:
    """Regulators organise inspections: a department's users, the city's and counties' accounts."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role in (Role.DEPARTMENT, Role.CITY, Role.COUNTY, Role.SYSADMIN)


def bodies_for(user: Any) -> QuerySet[Department, Any]:
    """The departments the user may act for (name as the enforcement body, plan, draw): a user
    with a department, its own; a city or county account, the departments of its area."""
    if not may_inspect(user):
        return Department.objects.none()
    if user.role == Role.SYSADMIN:
        return Department.objects.all()
    if user.department_id:
        return Department.objects.filter(pk=user.department_id)
    area = user_area(user)
    if area is None:
        return Department.objects.none()
    return Department.objects.filter(region_q("region", subtree_prefix(area))) if area else Department.objects.all()


def inspections_visible(user: Any) -> QuerySet[Inspection, Any]:
    qs = Inspection.objects.select_related("enterprise", "enforcement_body")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.role == Role.DEPARTMENT and user.department_id:
        seen = visible(user, Inspection.objects.all()).values("pk")
        return qs.filter(Q(enforcement_body_id=user.department_id) | Q(pk__in=seen))
    return visible(user, qs)


def inspection_detail(user: Any, pk: int) -> Inspection:
    try:
        return inspections_visible(user).prefetch_related("participants", "check_ins", "findings").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Inspection, {"pk": pk}) from exc


def plans_visible(user: Any) -> QuerySet[Plan, Any]:
    return Plan.objects.filter(department__in=bodies_for(user)).select_related("department")


def plan_detail(user: Any, pk: int) -> Plan:
    try:
        return plans_visible(user).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Plan, {"pk": pk}) from exc


def draws_visible(user: Any) -> QuerySet[Draw, Any]:
    return Draw.objects.filter(department__in=bodies_for(user)).select_related("department", "plan")


def draw_detail(user: Any, pk: int) -> Draw:
    try:
        return draws_visible(user).get(pk=pk)
    except (Draw.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Draw, {"pk": pk}) from exc


def public_draw(pk: int) -> Draw:
    """Any draw, for the public result page (公开): it shows no personal data."""
    try:
        return Draw.objects.select_related("department").get(pk=pk)
    except (Draw.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Draw, {"pk": pk}) from exc


def counted(qs: QuerySet[Inspection, Any]) -> QuerySet[Inspection, Any]:
    """Inspections that count as visits (a cancelled one does not)."""
    return qs.exclude(status=Status.CANCELLED)


def visits_this_year(enterprise: Enterprise, body: Department, year: int) -> int:
    return counted(
        Inspection.objects.filter(enterprise=enterprise, enforcement_body=body, planned_on__year=year)
    ).count()


def plan_progress(plan: Plan) -> list[dict[str, Any]]:
    """Inspections of the plan's body in the plan's year, by month (done = closed), against an
    even monthly share of the target."""
    qs = counted(Inspection.objects.filter(enforcement_body_id=plan.department_id, planned_on__year=plan.year))
    by_month: dict[int, dict[str, int]] = {m: {"all": 0, "closed": 0} for m in range(1, 13)}
    for planned_on, status in qs.values_list("planned_on", "status"):
        by_month[planned_on.month]["all"] += 1
        by_month[planned_on.month]["closed"] += status == Status.CLOSED
    rows, done = [], 0
    for month in range(1, 13):
        done += by_month[month]["closed"]
        rows.append(
            {
                "month": month,
                "inspections": by_month[month]["all"],
                "closed": by_month[month]["closed"],
                "cumulative": done,
                "target": round(plan.target_total * month / 12),
            }
        )
    return rows


def key_not_inspected(plan: Plan) -> QuerySet[Enterprise, Any]:
    """重点检查企业 with no closed inspection by the plan's body this year (应急〔2025〕11号: ≥1)."""
    done = Inspection.objects.filter(
        enforcement_body_id=plan.department_id, planned_on__year=plan.year, status=Status.CLOSED
    ).values("enterprise_id")
    return plan.key_enterprises.exclude(pk__in=done)


def burden(user: Any, enterprise_id: int, year: int) -> dict[str, Any]:
    """为企业减负: the enterprise's inspections in a year, by body, against the cap; repeats and
    inspections never checked in at the gate are flagged."""
    enterprise = visible(user, Enterprise.objects.all()).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotVisible(Enterprise, {"pk": enterprise_id})
    qs = counted(Inspection.objects.filter(enterprise=enterprise, planned_on__year=year)).select_related(
        "enforcement_body"
    )
    cap = yearly_cap(enterprise)
    by_body = [
        {
            "body": row["enforcement_body__name"],
            "body_id": row["enforcement_body_id"],
            "count": row["n"],
            "over": row["n"] > cap,
        }
        for row in qs.values("enforcement_body_id", "enforcement_body__name").annotate(n=Count("pk")).order_by("-n")
    ]
    inspections = list(qs.order_by("planned_on", "pk").prefetch_related("participants"))
    # 综合查一次: a joint inspection is one visit for the enterprise, whatever the bodies.
    visits = len({i.joint_code or i.code for i in inspections})
    return {
        "visits": visits,
        "enterprise": enterprise,
        "year": year,
        "cap": cap,
        "total": len(inspections),
        "by_body": by_body,
        "repeats": sum(1 for row in by_body if row["over"]),
        "inspections": inspections,
        "not_checked_in": [i for i in inspections if i.status == Status.CLOSED and i.checked_in_at is None],
    }


def burden_ranking(user: Any, year: int, limit: int = 50) -> list[dict[str, Any]]:
    """The enterprises of the user's scope with the most visits this year, across departments."""
    enterprises = visible(user, Enterprise.objects.all()).values("pk")
    rows = (
        counted(Inspection.objects.filter(planned_on__year=year, enterprise_id__in=enterprises))
        .values("enterprise_id", "enterprise__name")
        .annotate(n=Count("pk"), bodies=Count("enforcement_body", distinct=True))
        .order_by("-n", "enterprise_id")[:limit]
    )
    return [dict(r) for r in rows]


def is_flagged_not_checked_in(inspection: Inspection, today: date | None = None) -> bool:
    return inspection.status == Status.CLOSED and inspection.checked_in_at is None


class InspectionFilters(Filters):
    """The list's filters (page and API share them; Excel export)."""

    typed: ClassVar[dict[str, FieldSpec]] = {
        "year": YEAR,
        "enterprise": RECORD_ID,
        "planned_from": DAY,
        "planned_to": DAY,
    }
    status: str = Field("", title=gettext_noop("状态"))
    enterprise: str = Field("", title=gettext_noop("企业"), description=gettext_noop("企业编号"))
    year: str = Field("", title=gettext_noop("年份"))
    flag: str = Field("", title=gettext_noop("标记"), description=gettext_noop("not_checked_in：未扫码入企"))
    region: str = Field(
        "", title=gettext_noop("区划代码"), description=gettext_noop("企业所在区划（县级6位或乡镇9位）")
    )
    planned_from: str = Field("", title=gettext_noop("检查日期起"))
    planned_to: str = Field("", title=gettext_noop("检查日期止"))


def inspection_list(user: Any, filters: InspectionFilters) -> QuerySet[Inspection, Any]:
    qs = inspections_visible(user)
    if filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(planned_on__year=int(filters.year))
    if filters.enterprise:
        qs = qs.filter(enterprise_id=int(filters.enterprise))
    if filters.flag == "not_checked_in":
        qs = qs.filter(status=Status.CLOSED, checked_in_at__isnull=True)
    if filters.region.isdigit() and len(filters.region) in (6, 9, 12):
        qs = qs.filter(enterprise__in=Enterprise.objects.filter(area_q("region", filters.region)).values("pk"))
    if filters.planned_from:  # canonical ISO dates (InspectionFilters.typed)
        qs = qs.filter(planned_on__gte=filters.planned_from)
    if filters.planned_to:
        qs = qs.filter(planned_on__lte=filters.planned_to)
    return qs.order_by("-planned_on", "-pk")


INSPECTION_ROW_FIELDS = (
    "pk",
    "code",
    "enterprise__name",
    "enforcement_body__name",
    "kind",
    "over_cap_reason",
    "planned_on",
    "status",
    "checked_in_at",
)


def inspection_rows(qs: QuerySet[Inspection, Any]) -> list[dict[str, Any]]:
    """One page of the inspection list as dicts of ready-to-show values, from one narrow query
    (docs/performance.md: no model instances, `get_FOO_display` or `{% url %}` per row)."""
    kinds, statuses, reasons = labels(Kind), labels(Status), labels(OverCapReason)
    url = detail_url("inspections:detail")
    rows = []
    for pk, code, enterprise, body, kind, reason, planned, status, checked_in in qs.values_list(*INSPECTION_ROW_FIELDS):
        rows.append(
            {
                "url": url(pk),
                "code": code,
                "enterprise": enterprise,
                "body": body or "",
                "kind": kinds.get(kind, kind),
                "over_cap": reasons.get(reason, reason) if reason else "",
                "planned": f"{planned:%Y-%m-%d}",
                "status": statuses.get(status, status),
                "checked_in": f"{timezone.localtime(checked_in):%m-%d %H:%M}" if checked_in else "",
                "not_checked_in": not checked_in and status == Status.CLOSED,
            }
        )
    return rows


def officer_choices(user: Any) -> list[tuple[str, str]]:
    """The certified officers of the bodies the user may act for, as form options."""
    certs = (
        OfficerCertificate.objects.filter(active=True, user__is_active=True, user__department__in=bodies_for(user))
        .select_related("user", "user__department")
        .order_by("user__department_id", "user_id")
    )
    return [(str(c.user_id), f"{c.user}（{c.user.department}，{c.certificate_no}）") for c in certs]


def open_inspections_at(user: Any, enterprise: Enterprise) -> QuerySet[Inspection, Any]:
    """The inspections of this enterprise the user is an officer of and that are not done."""
    return (
        Inspection.objects.filter(
            enterprise=enterprise,
            status__in=(Status.PLANNED, Status.IN_PROGRESS),
            participants__user_id=user.pk,
            participants__role="officer",
        )
        .select_related("enforcement_body")
        .order_by("planned_on", "pk")
    )


def is_officer(user: Any) -> bool:
    if not (user.is_authenticated and user.is_active and user.department_id):
        return False
    return OfficerCertificate.objects.filter(user_id=user.pk, active=True).exists()


# ---------------------------------------------------------------- statistics

GAP_MONTHS = 12  # default "not inspected for N months"


def _period(year: int, today: date) -> tuple[date, date, date, date]:
    """This year's period and the same period a year earlier: the whole year for a past year;
    1 January to today for the current year (so the year-on-year change compares like with like)."""
    end = today if year == today.year else date(year, 12, 31)
    start = date(year, 1, 1)
    before_end = end.replace(year=year - 1) if not (end.month == 2 and end.day == 29) else date(year - 1, 2, 28)
    return start, end, date(year - 1, 1, 1), before_end


def _change(now: int, before: int) -> float | None:
    return None if before == 0 else round((now - before) * 100 / before, 2)


def statistics(user: Any, year: int, *, months: int = GAP_MONTHS, today: date | None = None) -> dict[str, Any]:
    """Counts of the user's scope. Definitions (docs/inspections.md): an inspection counts when it
    is not cancelled and its planned date lies in the period; an enterprise is inspected when it
    has at least one such inspection; year on year = (this period − same period last year) ÷ same
    period last year × 100%."""
    today = today or timezone.localdate()
    start, end, b_start, b_end = _period(year, today)
    scoped = counted(inspections_visible(user))
    now = scoped.filter(planned_on__range=(start, end))
    before = scoped.filter(planned_on__range=(b_start, b_end))
    n_now, n_before = now.count(), before.count()
    e_now = now.values("enterprise_id").distinct().count()
    e_before = before.values("enterprise_id").distinct().count()
    findings = Finding.objects.filter(inspection__in=now.values("pk")).count()

    def by(field: str) -> list[dict[str, Any]]:
        return [
            dict(row)
            for row in now.values(field)
            .annotate(inspections=Count("pk"), enterprises=Count("enterprise_id", distinct=True))
            .order_by("-inspections")
        ]

    by_month = dict.fromkeys(range(1, 13), 0)
    for planned_on in now.values_list("planned_on", flat=True):
        by_month[planned_on.month] += 1
    return {
        "year": year,
        "period": (start, end),
        "before_period": (b_start, b_end),
        "inspections": n_now,
        "inspections_before": n_before,
        "inspections_change": _change(n_now, n_before),
        "enterprises": e_now,
        "enterprises_before": e_before,
        "enterprises_change": _change(e_now, e_before),
        "hazards_per_inspection": round(findings / n_now, 2) if n_now else None,
        "by_department": by("enforcement_body__name"),
        "by_county": _by_county(now),
        "by_category": by("enterprise__category__name"),
        "by_month": sorted(by_month.items()),
        "not_checked_in": now.filter(status=Status.CLOSED, checked_in_at__isnull=True).count(),
        "gaps": coverage_gaps(user, months=months, today=today),
        "months": months,
        "unsupervised": unsupervised(user),
        "key_missing": key_missing(user, year),
    }


def _by_county(qs: QuerySet[Inspection, Any]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for region_id in qs.values_list("enterprise__region_id", flat=True):
        counts[region_id[:6]] = counts.get(region_id[:6], 0) + 1
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return [{"county": names.get(c, c), "inspections": n} for c, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def coverage_gaps(user: Any, *, months: int, today: date) -> list[dict[str, Any]]:
    """Enterprises of the scope with no inspection dated in the last `months` months (N × 30.44
    days), by risk level."""
    since = today - timedelta(days=round(months * 30.44))  # N average months
    inspected = counted(Inspection.objects.filter(planned_on__gte=since, planned_on__lte=today)).values("enterprise_id")
    rows = (
        visible(user, Enterprise.objects.all()).exclude(pk__in=inspected).values("risk_level").annotate(n=Count("pk"))
    )
    labels = dict(RiskLevel.choices)
    order = [value for value, _label in RiskLevel.choices] + [""]
    found = {row["risk_level"]: row["n"] for row in rows}
    return [
        {"risk_level": str(labels.get(level, "未评级")), "enterprises": found[level]}
        for level in order
        if level in found
    ]


def unsupervised(user: Any, limit: int = 100) -> dict[str, Any]:
    """监管空白: enterprises whose category no department of their county or city supervises, and
    with no supervising department named for them."""
    pairs = set(Department.categories.through.objects.values_list("department__region_id", "category_id"))
    rows = (
        visible(user, Enterprise.objects.filter(supervising_department_override__isnull=True))
        .values_list("pk", "name", "region_id", "category_id")
        .order_by("pk")
    )
    missing = []
    for pk, name, region_id, category_id in rows.iterator(chunk_size=5000):
        county, city = region_id[:6], region_id[:4] + "00"
        if (county, category_id) not in pairs and (city, category_id) not in pairs:
            missing.append({"id": pk, "name": name})
    return {"count": len(missing), "sample": missing[:limit]}


def key_missing(user: Any, year: int) -> list[dict[str, Any]]:
    """重点检查企业 of the plans the user sees that no inspection of the plan's body closed this year."""
    out = []
    for plan in plans_visible(user).filter(year=year):
        for enterprise in key_not_inspected(plan):
            out.append({"plan": plan.name, "department": plan.department.name, "enterprise": enterprise.name})
    return out


# ---------------------------------------------------------------- no-disturb list (无事不扰)

CLEAN_DAYS = 365  # a clean record: no hazard found in the last year (city policy, docs/inspections.md)


def no_disturb(user: Any, today: date | None = None) -> QuerySet[Enterprise, Any]:
    """Low-risk (blue) enterprises of the scope with a clean record: no hazard found in the last
    CLEAN_DAYS days. Routine visits to them are warned against (not refused: random draws and
    complaints still reach them)."""
    today = today or timezone.localdate()
    recent = Hazard.objects.filter(found_on__gte=today - timedelta(days=CLEAN_DAYS)).values("enterprise_id")
    return visible(user, Enterprise.objects.filter(risk_level="blue")).exclude(pk__in=recent)


def is_no_disturb(enterprise: Enterprise, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    if enterprise.risk_level != "blue":
        return False
    return not Hazard.objects.filter(enterprise=enterprise, found_on__gte=today - timedelta(days=CLEAN_DAYS)).exists()


class PlanFilters(Filters):
    typed: ClassVar[dict[str, FieldSpec]] = {"year": YEAR}
    year: str = Field("", title=gettext_noop("年度"))
