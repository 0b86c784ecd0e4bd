"""Reads of the flood records; every one through `scope.visible`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field

from safeloop.core.filters import Filters
from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import complete_area, get_visible_or_404, region_q, visible
from safeloop.flood.models import (
    Alert,
    AlertStatus,
    Danger,
    DangerStatus,
    DroughtReport,
    DutyLog,
    DutyShift,
    Item,
    Patrol,
    PatrolPhoto,
    RescueTeam,
    RiskPoint,
    Stock,
    ZeroReport,
)
from safeloop.flood.reference import Level, levels, minimum_stock
from safeloop.registry.models import Region, RegionLevel


class FloodFilters(Filters):
    region: str = Field("", title=gettext_noop("区划代码"), description=gettext_noop("县级6位或乡镇9位"))
    kind: str = Field("", title=gettext_noop("类型"))


def _in_region(qs: QuerySet, region: str, path: str = "region") -> QuerySet:
    if region.isdigit() and len(region) in (6, 9):
        qs = qs.filter(region_q(path, subtree_prefix(region)))
    return qs


def risk_point_list(user: Any, filters: FloodFilters) -> QuerySet[RiskPoint]:
    qs = _in_region(visible(user, RiskPoint.objects.select_related("region")), filters.region)
    return qs.filter(kind=filters.kind) if filters.kind else qs


def risk_point_get(user: Any, pk: int) -> RiskPoint:
    return get_visible_or_404(user, RiskPoint.objects.select_related("region"), pk=pk)


def patrol_list(user: Any, filters: FloodFilters) -> QuerySet[Patrol]:
    qs = visible(user, Patrol.objects.select_related("risk_point", "region"))
    return _in_region(qs, filters.region)


def danger_list(user: Any, *, open_only: bool = False) -> QuerySet[Danger]:
    qs = visible(user, Danger.objects.select_related("risk_point", "region"))
    return qs.exclude(status=DangerStatus.CLEARED) if open_only else qs


def danger_get(user: Any, pk: int) -> Danger:
    return get_visible_or_404(user, Danger.objects.select_related("risk_point", "region", "patrol"), pk=pk)


def alert_list(user: Any, *, active_only: bool = False) -> QuerySet[Alert]:
    qs = visible(user, Alert.objects.select_related("region", "response"))
    return qs.filter(status=AlertStatus.ACTIVE) if active_only else qs


def alert_get(user: Any, pk: int) -> Alert:
    return get_visible_or_404(user, Alert.objects.select_related("region", "response"), pk=pk)


def covering_alerts(user: Any) -> list[Alert]:
    """Active alerts a user's area lies in or contains: a city's warning covers its townships
    (the alert's region is the city, above a township user's area)."""
    area = complete_area(user)
    if area is None:
        return []
    rows = Alert.objects.filter(status=AlertStatus.ACTIVE).select_related("region")
    return [a for a in rows if a.region_id.startswith(area) or area.startswith(subtree_prefix(a.region_id))]


@dataclass
class Overdue:
    point: RiskPoint
    last: datetime | None
    due: datetime
    level: Level


def overdue_patrols(user: Any, now: datetime | None = None) -> list[Overdue]:
    """Risk points under an active warning or response whose last patrol is older than the
    interval of the strictest level covering them (data/levels.csv)."""
    now = now or timezone.now()
    alerts = covering_alerts(user)
    if not alerts:
        return []
    points = visible(user, RiskPoint.objects.select_related("region")).annotate(last=Max("patrols__patrolled_at"))
    out = []
    for point in points:
        covering = [a for a in alerts if point.region_id.startswith(subtree_prefix(a.region_id))]
        if not covering:
            continue
        strictest = min((levels()[(a.kind, a.level)] for a in covering), key=lambda lv: lv.patrol_hours)
        started = max(a.started_at for a in covering)
        since = max(point.last, started) if point.last else started
        due = since + strictest.patrol_interval
        if due < now:
            out.append(Overdue(point, point.last, due, strictest))
    return sorted(out, key=lambda o: o.due)


def townships_in_area(user: Any) -> QuerySet[Region]:
    area = complete_area(user)
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    return qs.none() if area is None else qs.filter(code__startswith=area) if area else qs


@dataclass
class ZeroStatus:
    day: date
    due: datetime
    overdue: bool  # the deadline has passed
    reported: list[ZeroReport]
    missing: list[Region]


def zero_report_status(user: Any, day: date | None = None, now: datetime | None = None) -> ZeroStatus:
    """The townships of the user's area that have (not) reported for `day`; the report of a day
    is due by SAFELOOP_FLOOD_ZERO_REPORT_HOUR:00 of that day."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    due = timezone.make_aware(datetime.combine(day, time(settings.SAFELOOP_FLOOD_ZERO_REPORT_HOUR)))
    reported = list(visible(user, ZeroReport.objects.filter(on_date=day).select_related("region")))
    done = {r.region_id for r in reported}
    missing = [t for t in townships_in_area(user) if t.code not in done]
    return ZeroStatus(day, due, now >= due, reported, missing)


def duty_today(user: Any, day: date | None = None) -> dict[str, Any]:
    day = day or timezone.localdate()
    shifts = visible(user, DutyShift.objects.filter(on_date=day).select_related("region"))
    logs = visible(user, DutyLog.objects.select_related("region", "author"))[:20]
    return {"day": day, "shifts": list(shifts), "logs": list(logs)}


@dataclass
class Shortfall:
    township: Region
    item: str
    label: str
    have: int
    minimum: int

    @property
    def short(self) -> int:
        return self.minimum - self.have


def shortfalls(user: Any) -> list[Shortfall]:
    """Each township of the area with depots, per item below the minimum stock (data/minimum_stock.csv)."""
    rows = visible(user, Stock.objects.all()).values("depot__region_id", "item").annotate(n=Sum("quantity"))
    have: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        have[r["depot__region_id"]][r["item"]] = r["n"]
    depots = set(visible(user, Stock.objects.all()).values_list("depot__region_id", flat=True))
    names = {r.code: r for r in Region.objects.filter(code__in=depots)}
    labels = dict(Item.choices)
    out = []
    for code in sorted(depots):
        for item, minimum in minimum_stock().items():
            n = have[code].get(item, 0)
            if n < minimum:
                out.append(Shortfall(names[code], item, str(labels[item]), n, minimum))
    return out


def teams(user: Any) -> QuerySet[RescueTeam]:
    return visible(user, RescueTeam.objects.select_related("region"))


def drought_list(user: Any) -> QuerySet[DroughtReport]:
    return visible(user, DroughtReport.objects.select_related("region"))


def patrol_photo_files():
    """(label, storage name, SHA-256) of every patrol photo, for `core.filecheck`."""
    rows = PatrolPhoto.objects.order_by("pk").values_list("patrol__risk_point__name", "file", "sha256")
    for name, stored, sha256 in rows.iterator(chunk_size=5000):
        yield _("%(name)s 的巡查照片") % {"name": name}, stored, sha256
