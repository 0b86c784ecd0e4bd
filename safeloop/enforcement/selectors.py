"""Reads of 打非治违, all through the scope mechanism: lists, details, match candidates for an
unlicensed subject, the statistics page and the map layer of open cases."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from safeloop.core.maplayers import MapLayer, point
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import REGULATOR_ROLES
from safeloop.core.scope import area_q, get_visible_or_404, visible
from safeloop.enforcement import policy
from safeloop.enforcement.models import Case, CaseStatus, Clue, ClueKind, ClueStatus, Measure, Operation, Subject
from safeloop.registry.models import Enterprise, Region
from safeloop.registry.selectors import enterprise_queryset


def may_use(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in REGULATOR_ROLES)


def clues_visible(user: Any) -> QuerySet[Clue, Any]:
    return visible(user, Clue.objects.select_related("kind", "region", "department", "subject", "enterprise"))


def cases_visible(user: Any) -> QuerySet[Case, Any]:
    return visible(user, Case.objects.select_related("kind", "region", "department", "subject", "enterprise", "clue"))


def operations_visible(user: Any) -> QuerySet[Operation, Any]:
    return visible(user, Operation.objects.select_related("region").prefetch_related("departments"))


def clue_detail(user: Any, pk: Any) -> Clue:
    return get_visible_or_404(user, clues_visible(user), pk=pk)


def case_detail(user: Any, pk: Any) -> Case:
    return get_visible_or_404(user, cases_visible(user), pk=pk)


def subject_detail(user: Any, pk: Any) -> Subject:
    return get_visible_or_404(user, Subject.objects.select_related("region", "enterprise"), pk=pk)


def operation_detail(user: Any, pk: Any) -> Operation:
    return get_visible_or_404(user, operations_visible(user), pk=pk)


def clue_kinds() -> list[ClueKind]:
    return list(ClueKind.objects.all())


# ---------------------------------------------------------------- matching


def _similarity(subject: Subject, enterprise: Enterprise) -> float:
    name = fuzz.token_set_ratio(subject.name, enterprise.name)
    address = fuzz.token_set_ratio(subject.address, enterprise.address or "")
    return round(0.6 * name + 0.4 * address, 1)


def match_candidates(user: Any, subject: Subject, limit: int = 5) -> list[tuple[Enterprise, float, str]]:
    """Registered enterprises that may be this subject: the same credit code first, then those of
    its township whose name and address are similar (policy.MATCH_MIN_SCORE)."""
    pool = enterprise_queryset(user)
    found: list[tuple[Enterprise, float, str]] = []
    if subject.credit_code:
        found += [(e, 100.0, "credit_code") for e in pool.filter(credit_code=subject.credit_code)[:1]]
    seen = {e.pk for e, *_ in found}
    township = pool.filter(region_id=subject.region_id).exclude(pk__in=seen).only("pk", "name", "address")[:2000]
    scored = [(e, _similarity(subject, e), "similar") for e in township]
    scored = [row for row in scored if row[1] >= policy.MATCH_MIN_SCORE.value]
    found += sorted(scored, key=lambda row: -row[1])
    return found[:limit]


# ---------------------------------------------------------------- statistics


def _area_filter(qs: QuerySet, region: str | None) -> QuerySet:
    return qs.filter(area_q("region", region)) if region else qs


def statistics(user: Any, year: int, region: str | None = None) -> dict[str, Any]:
    """Clues and cases by type, township, department and month, this year against last; 取缔关闭
    counts, fines, police referrals, days from clue to action, flagged townships."""
    clues = _area_filter(clues_visible(user), region)
    cases = _area_filter(cases_visible(user), region)
    this_clues, last_clues = clues.filter(created_at__year=year), clues.filter(created_at__year=year - 1)
    this_cases, last_cases = cases.filter(filed_on__year=year), cases.filter(filed_on__year=year - 1)
    return {
        "year": year,
        "clues": this_clues.count(),
        "clues_last": last_clues.count(),
        "cases": this_cases.count(),
        "cases_last": last_cases.count(),
        "by_kind": _by(this_clues, last_clues, this_cases, last_cases, "kind__name"),
        "by_township": _by(this_clues, last_clues, this_cases, last_cases, "region__name"),
        "by_department": _by(this_clues, last_clues, this_cases, last_cases, "department__name"),
        "by_month": _months(this_clues, last_clues, this_cases, last_cases),
        **_measures(this_cases),
        "days_to_action": _days_to_action(this_clues),
        "flagged": _flagged(this_clues, this_cases),
        "open_cases": cases.exclude(status=CaseStatus.CLOSED).count(),
    }


def _counts(qs: QuerySet, key: str) -> dict[Any, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk")).order_by()}


def _by(this_clues, last_clues, this_cases, last_cases, key: str) -> list[dict[str, Any]]:
    parts = [_counts(qs, key) for qs in (this_clues, last_clues, this_cases, last_cases)]
    names = sorted({k for part in parts for k in part if k}, key=lambda k: -parts[0].get(k, 0))
    return [
        {
            "name": k,
            "clues": parts[0].get(k, 0),
            "clues_last": parts[1].get(k, 0),
            "cases": parts[2].get(k, 0),
            "cases_last": parts[3].get(k, 0),
        }
        for k in names
    ]


def _month_counts(qs: QuerySet, field: str) -> dict[int, int]:
    rows = qs.annotate(m=ExtractMonth(field)).values("m").annotate(n=Count("pk")).order_by()
    return {row["m"]: row["n"] for row in rows}


def _months(this_clues, last_clues, this_cases, last_cases) -> list[dict[str, int]]:
    parts = [
        _month_counts(this_clues, "created_at"),
        _month_counts(last_clues, "created_at"),
        _month_counts(this_cases, "filed_on"),
        _month_counts(last_cases, "filed_on"),
    ]
    return [
        {
            "month": m,
            "clues": parts[0].get(m, 0),
            "clues_last": parts[1].get(m, 0),
            "cases": parts[2].get(m, 0),
            "cases_last": parts[3].get(m, 0),
        }
        for m in range(1, 13)
    ]


def _measures(cases: QuerySet) -> dict[str, Any]:
    counted: Counter[str] = Counter()
    for measures in cases.values_list("measures", flat=True):
        for kind in {m.get("measure") for m in measures}:
            counted[kind] += 1
    fines = cases.aggregate(total=Sum("fine_total"))["total"] or Decimal(0)
    return {
        "banned_or_shut": counted[Measure.BAN] + counted[Measure.SHUT],
        "suspended": counted[Measure.SUSPEND],
        "confiscated": counted[Measure.CONFISCATE],
        "fines": Decimal(fines).quantize(Decimal("0.01")),
        "fined_cases": counted[Measure.FINE],
        "police": cases.filter(police_referred=True).count(),
    }


def _days_to_action(clues: QuerySet) -> dict[str, Any]:
    """Days from recording a clue to its first action (case opened, transferred, closed)."""
    rows = clues.filter(actioned_at__isnull=False).values_list("created_at", "actioned_at")
    days = sorted(max((timezone.localdate(b) - timezone.localdate(a)).days, 0) for a, b in rows)
    if not days:
        return {"count": 0, "median": None, "max": None}
    return {"count": len(days), "median": days[len(days) // 2], "max": days[-1]}


def _flagged(clues: QuerySet, cases: QuerySet) -> list[dict[str, Any]]:
    """Townships with many clues and few cases (policy.FLAG_MIN_CLUES, FLAG_MAX_CASE_SHARE)."""
    clue_n = _counts(clues, "region__name")
    case_n = _counts(cases, "region__name")
    flagged = []
    for name, n in clue_n.items():
        share = case_n.get(name, 0) / n
        if n >= policy.FLAG_MIN_CLUES.value and share < policy.FLAG_MAX_CASE_SHARE.value:
            flagged.append({"name": name, "clues": n, "cases": case_n.get(name, 0), "share": round(100 * share)})
    return sorted(flagged, key=lambda row: -row["clues"])


def clue_counts_by_status(user: Any) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in clues_visible(user).values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return dict(counts)


def open_clue_statuses() -> tuple[str, ...]:
    return (ClueStatus.RECEIVED, ClueStatus.CHECKED, ClueStatus.TRANSFERRED)


# ---------------------------------------------------------------- the map layer


def _case_position(case: Case) -> tuple[Any, Any]:
    if case.clue.lat is not None:
        return case.clue.lng, case.clue.lat
    if case.enterprise is not None:
        return case.enterprise.lng, case.enterprise.lat
    return None, None


def open_case_features(user: Any, region: str) -> list[dict[str, Any]]:
    qs = cases_visible(user).exclude(status=CaseStatus.CLOSED)
    if region:
        qs = qs.filter(area_q("region", region))
    features = []
    for case in qs[:5000]:
        lng, lat = _case_position(case)
        feature = point(
            lng,
            lat,
            name=str(case.subject or case.enterprise or case.code),
            code=case.code,
            kind=case.kind.name,
            status=case.status,
            url=reverse("enforcement:case", args=[case.pk]),
        )
        if feature:
            features.append(feature)
    return features


OPEN_CASES_LAYER = MapLayer(
    key="enforcement-cases",
    title=_("打非治违在办案件"),
    features=open_case_features,
    order=60,
    legend=((CaseStatus.FILED.value, _("已立案")), (CaseStatus.HANDLING.value, _("处理中"))),
    style_property="status",
)


def today() -> date:
    return timezone.localdate()


def townships_for(user: Any) -> list[Region]:
    from safeloop.core.scope import user_area

    area = user_area(user)
    if area is None:
        return []
    qs = Region.objects.filter(level="township")
    if area:
        qs = qs.filter(code__startswith=subtree_prefix(area))
    return list(qs.order_by("code")[:500])
