"""Every read of the expert pool, through `core.scope`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.scope import NotVisible, user_area, visible
from safeloop.experts.models import (
    Expert,
    MatchingRow,
    MatchingRun,
    Specialty,
    Stationing,
    StationingStatus,
    Visit,
    VisitStatus,
)
from safeloop.registry.models import Enterprise

RECENT_VISIT_DAYS = 90  # a visit keeps its enterprise in the expert's scope this long (city policy)


def expert_of(user: Any) -> Expert | None:
    if getattr(user, "role", None) != Role.EXPERT:
        return None
    return Expert.objects.filter(user_id=user.pk, active=True).first()


def expert_enterprise_ids(user: Any, today: date | None = None) -> QuerySet[Enterprise, Any]:
    """The scope provider for experts: the enterprises of the expert's current stationings and of
    their planned or recent (RECENT_VISIT_DAYS) visits, as an id subquery."""
    today = today or timezone.localdate()
    stationed = Stationing.objects.filter(
        expert__user_id=user.pk, expert__active=True, status=StationingStatus.ACTIVE
    ).values("enterprise_id")
    visited = Visit.objects.filter(expert__user_id=user.pk, expert__active=True).filter(
        Q(status=VisitStatus.PLANNED) | Q(on__gte=today - timedelta(days=RECENT_VISIT_DAYS))
    )
    return Enterprise.objects.filter(Q(pk__in=stationed) | Q(pk__in=visited.values("enterprise_id"))).values("pk")


def may_see_pool(user: Any) -> bool:
    """The pool is the city's: regulators (area roles, departments) and the system administrator
    see it; an expert sees their own profile only; enterprises see none of it."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role in AREA_ROLES or user.role in (Role.DEPARTMENT, Role.SYSADMIN)


def sees_visits(user: Any) -> bool:
    """The 专家服务 menu entry: the expert's own visits and stationings, an enterprise's visits."""
    return user.is_authenticated and user.role in (Role.EXPERT, Role.ENTERPRISE)


def may_plan(user: Any) -> bool:
    """Planning (matching, stationing) is the city's and counties' work."""
    return may_see_pool(user) and user.role != Role.TOWNSHIP


def experts_visible(user: Any) -> QuerySet[Expert, Any]:
    if may_see_pool(user):
        return Expert.objects.all()
    if getattr(user, "role", None) == Role.EXPERT and user.is_active:
        return Expert.objects.filter(user_id=user.pk)
    return Expert.objects.none()


def expert_list(
    user: Any, *, category: str = "", active: bool | None = None, county: str = "", q: str = ""
) -> QuerySet[Expert, Any]:
    qs = experts_visible(user).select_related("county").prefetch_related("specialties__category")
    if category:
        qs = qs.filter(pk__in=Specialty.objects.filter(category_id=category).values("expert_id"))
    if active is not None:
        qs = qs.filter(active=active)
    if county:
        qs = qs.filter(county_id=county)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(employer__contains=q))
    return qs.order_by("name", "pk")


def expert_detail(user: Any, pk: int) -> Expert:
    qs = experts_visible(user).select_related("county", "user")
    try:
        return qs.prefetch_related("specialties__category", "certificates", "conflicts__enterprise").get(pk=pk)
    except (Expert.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Expert, {"pk": pk}) from exc


def stationing_detail(user: Any, pk: int) -> Stationing:
    try:
        return stationings_visible(user).get(pk=pk)
    except (Stationing.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Stationing, {"pk": pk}) from exc


def stationings_visible(user: Any) -> QuerySet[Stationing, Any]:
    qs = Stationing.objects.select_related("expert", "enterprise").order_by("-starts_on", "-pk")
    if getattr(user, "role", None) == Role.EXPERT:
        return qs.filter(expert__user_id=user.pk)
    return visible(user, qs) if may_see_pool(user) else qs.none()


def visits_visible(user: Any) -> QuerySet[Visit, Any]:
    """An expert's own visits; the regulators' within their scope; an enterprise's at itself
    (it sees who helped it and rates the visit)."""
    qs = Visit.objects.select_related("expert", "enterprise")
    role = getattr(user, "role", None)
    if role == Role.EXPERT:
        return qs.filter(expert__user_id=user.pk)
    return visible(user, qs) if may_see_pool(user) or role == Role.ENTERPRISE else qs.none()


def workload(expert: Expert, *, since: date | None = None) -> dict[str, Any]:
    """Visits done and planned, hazards found on them, signatures, active stationings, the mean
    rating, and the time to respond: mean days from a visit being arranged to its being done."""
    from safeloop.hazards.models import HazardEvent

    visits = expert.visits.all()
    if since:
        visits = visits.filter(on__gte=since)
    done = list(visits.filter(status=VisitStatus.DONE).values_list("rating", "created_at", "done_at"))
    signatures = HazardEvent.objects.filter(action="sign", actor_id=expert.user_id).count() if expert.user_id else 0
    ratings = [r for r, *_ in done if r]
    waits = [(d - c).total_seconds() / 86400 for _r, c, d in done if c and d]
    hazards = Visit.hazards.through.objects.filter(visit__in=visits).count()
    return {
        "visits": len(done),
        "planned": visits.filter(status=VisitStatus.PLANNED).count(),
        "hazards_found": hazards,
        "signatures": signatures,
        "stationings": expert.stationings.filter(status=StationingStatus.ACTIVE).count(),
        "rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "response_days": round(sum(waits) / len(waits), 1) if waits else None,
    }


def runs_visible(user: Any) -> QuerySet[MatchingRun, Any]:
    """Matching runs: a planner's own, and those run by planners within their area (a city
    account sees its counties' runs). Their rows are read through the enterprise scope."""
    if not may_plan(user):
        return MatchingRun.objects.none()
    area = user_area(user)
    q = Q(created_by_id=user.pk)
    if area and user.role in AREA_ROLES:
        q |= Q(area__startswith=subtree_prefix(area))
    return MatchingRun.objects.filter(q).select_related("created_by")


def run_detail(user: Any, pk: int) -> MatchingRun:
    try:
        return runs_visible(user).get(pk=pk)
    except (MatchingRun.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(MatchingRun, {"pk": pk}) from exc


def run_rows(user: Any, run: MatchingRun) -> QuerySet[MatchingRow, Any]:
    qs = run.rows.select_related("enterprise", "enterprise__region", "expert").order_by(
        F("expert__name").asc(nulls_last=True), "enterprise__name", "pk"
    )
    return visible(user, qs)


def visit_detail(user: Any, pk: int) -> Visit:
    try:
        return visits_visible(user).prefetch_related("hazards").get(pk=pk)
    except (Visit.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(Visit, {"pk": pk}) from exc
