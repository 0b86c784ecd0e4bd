"""What the matching page's map draws: the city's county outlines (registry boundaries), each
matched enterprise and its expert, a line between them; the unmatched in another colour.
The browser draws it with ECharts (static/js/expertmap.js)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safeloop.experts.models import MatchingRow, MatchingRun
from safeloop.registry.models import Region, RegionLevel

LINE = _("%(expert)s → %(enterprise)s（%(km).1f 公里）")
MAP_LINES = 3000  # lines drawn at most (a phone draws 3,000 lines smoothly); the table has all


def run_map(run: MatchingRun, rows: QuerySet[MatchingRow, Any]) -> dict[str, Any]:
    picked = rows.filter(enterprise__lat__isnull=False).values_list(
        "enterprise__name",
        "enterprise__lat",
        "enterprise__lng",
        "expert_id",
        "expert__name",
        "expert__home_lat",
        "expert__home_lng",
        "metres",
    )[: MAP_LINES + 1]
    enterprises, unmatched, lines, experts = [], [], [], {}
    for name, lat, lng, expert_id, expert_name, e_lat, e_lng, metres in picked[:MAP_LINES]:
        point = [float(lng), float(lat)]
        if expert_id is None:
            unmatched.append({"name": name, "value": point})
            continue
        enterprises.append({"name": name, "value": point})
        expert_point = [float(e_lng), float(e_lat)]
        experts.setdefault(expert_id, {"name": expert_name, "value": expert_point, "count": 0})["count"] += 1
        lines.append(
            {
                "coords": [expert_point, point],
                "name": LINE % {"expert": expert_name, "enterprise": name, "km": (metres or 0) / 1000},
            }
        )
    return {
        "boundaries": reverse("registry:region_map", args=[_city(run)]),
        "enterprises": enterprises,
        "unmatched": unmatched,
        "experts": list(experts.values()),
        "lines": lines,
        "cut": len(picked) > MAP_LINES,
    }


def _city(run: MatchingRun) -> str:
    """The city the run's planner works in (its counties are drawn, whatever the planner's level)."""
    if run.area and len(run.area) >= 4 and not run.area.endswith("0000"):
        return run.area[:4] + "00"
    return Region.objects.filter(level=RegionLevel.CITY).order_by("code").values_list("code", flat=True).first() or ""
