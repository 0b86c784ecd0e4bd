"""Every read of the expert pool, through `core.scope`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.scope import NotVisible, visible
from safeloop.experts.models import Expert, Stationing, StationingStatus, Visit, VisitStatus
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


def may_plan(user: Any) -> bool:
    """Planning (matching, stationing) is the city's and counties' work."""
    return may_see_pool(user) and user.role != Role.TOWNSHIP


def experts_visible(user: Any) -> QuerySet[Expert, Any]:
    if may_see_pool(user):
        return Expert.objects.all()
    if getattr(user, "role", None) == Role.EXPERT and user.is_active:
        return Expert.objects.filter(user_id=user.pk)
    return Expert.objects.none()


def expert_list(user: Any, *, category: str = "", active: bool | None = None) -> QuerySet[Expert, Any]:
    qs = experts_visible(user).select_related("county").prefetch_related("specialties__category")
    if category:
        qs = qs.filter(specialties__category_id=category).distinct()
    if active is not None:
        qs = qs.filter(active=active)
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
    qs = Visit.objects.select_related("expert", "enterprise")
    if getattr(user, "role", None) == Role.EXPERT:
        return qs.filter(expert__user_id=user.pk)
    return visible(user, qs) if may_see_pool(user) else qs.none()


def workload(expert: Expert, *, since: date | None = None) -> dict[str, Any]:
    """Visits, hazards found, signatures and the mean days from a visit's planning to its date."""
    from safeloop.hazards.models import HazardEvent

    visits = expert.visits.all()
    if since:
        visits = visits.filter(on__gte=since)
    done = visits.filter(status=VisitStatus.DONE)
    signatures = HazardEvent.objects.filter(action="sign", actor_id=expert.user_id).count() if expert.user_id else 0
    ratings = [v for v in done.values_list("rating", flat=True) if v]
    return {
        "visits": done.count(),
        "planned": visits.filter(status=VisitStatus.PLANNED).count(),
        "hazards_found": sum(done.values_list("hazards_found", flat=True)),
        "signatures": signatures,
        "stationings": expert.stationings.filter(status=StationingStatus.ACTIVE).count(),
        "rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
    }
