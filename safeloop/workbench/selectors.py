"""Figures for the workbench, all through the scope mechanism."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from safeloop.accounts.models import User
from safeloop.hazards.models import OPEN_STATUSES, Level
from safeloop.hazards.selectors import hazard_queryset, overdue_q, todo
from safeloop.registry.models import RiskLevel
from safeloop.registry.selectors import enterprise_queryset


def workbench_figures(user: User) -> dict:
    qs = enterprise_queryset(user)
    by_risk = dict(qs.order_by().values_list("risk_level").annotate(n=Count("pk")))
    by_category = list(qs.order_by().values("category__name").annotate(n=Count("pk")).order_by("-n")[:8])
    return {
        "total": sum(by_risk.values()),
        "by_risk": [(value, label, by_risk.get(value, 0)) for value, label in RiskLevel.choices],
        "by_category": by_category,
        "key_sector": qs.filter(key_sector=True).count(),
        "hazards": hazard_figures(user),
    }


def hazard_figures(user: User) -> dict:
    today = timezone.localdate()
    qs = hazard_queryset(user)
    return {
        "todo": todo(user, today).count(),
        "overdue": qs.filter(overdue_q(today)).count(),
        "open_major": qs.filter(level=Level.MAJOR, status__in=OPEN_STATUSES).count(),
    }
