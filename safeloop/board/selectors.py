"""What the map board (挂图作战) reads: everything through the scope mechanism, aggregated per
county and township in the database, cached per scope (users with the same role and area see
the same figures) so a leader's open and the command centre's refresh read the cache.

The board's region is a province, city, county or township code inside the user's area; any
other code is missing (404), as everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import User
from safeloop.board.permissions import can_open_board  # noqa: F401 - re-exported for the views
from safeloop.core.datetext import moment_text
from safeloop.core.regions import subtree_prefix, year_start
from safeloop.core.roles import Role
from safeloop.core.scope import region_in_scope, region_q, user_area, visible
from safeloop.hazards.models import DEADLINE_STATUSES, OPEN_STATUSES, Level, Status
from safeloop.hazards.selectors import hazard_queryset
from safeloop.registry.models import Enterprise, Region, RiskLevel
from safeloop.registry.reference import HUNAN, YIYANG
from safeloop.targets import figures as fig
from safeloop.targets.indicators import indicators

CACHE_SECONDS = 120  # the big screen refreshes every 60 s: at most one computation per scope in two
RISK_ORDER = (RiskLevel.BLUE, RiskLevel.YELLOW, RiskLevel.ORANGE, RiskLevel.RED)  # drawn bottom to top
DEATH_RATE = "deaths_per_100k_industrial_workers"
ZERO_MONTHS = 12


def level_of(code: str) -> str:
    return {2: "province", 4: "city", 6: "county"}.get(len(subtree_prefix(code)), "township")


def default_region(user: User) -> str:
    area = user_area(user)
    if area:
        return area
    return HUNAN if Region.objects.filter(pk=HUNAN).exists() else YIYANG


def board_region(user: User, code: str | None) -> Region:
    """The region asked for (default: the user's area), or 404 when missing or outside the area."""
    code = code or default_region(user)
    region = Region.objects.filter(pk=code).first()
    if region is None or not region_in_scope(user, code):
        raise Http404(code)
    return region


def scope_key(user: User) -> str:
    """Users who see the same rows share the cached figures."""
    if user.role == Role.SYSADMIN:
        return "all"
    if user.role == Role.DEPARTMENT:
        return f"d{user.department_id}"
    return f"r{user.region_id}"


def cached(user: User, what: str, region: str, compute):
    key = f"board:{what}:{scope_key(user)}:{region}:{timezone.localdate().isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def enterprises_in(user: User, region: str):
    return visible(user, Enterprise.objects.filter(region_q("region", subtree_prefix(region))))


def hazards_in(user: User, region: str):
    """The hazards the user sees in the region: the region joins the scope's one
    `enterprise IN (…)`, which does not drive the query (`scope.InWithoutIndex`). Driven from a
    province's 200,000 enterprises, SQLite took 14 s for what the hazards' own (status, deadline)
    index answers in well under a second."""
    return hazard_queryset(user, (region_q("region", subtree_prefix(region)),), scan=True)


def _round(value: Any, places: int = 5) -> float | None:
    return None if value is None else round(float(value), places)


# ---------------------------------------------------------------- townships and counties


def townships(user: User, region: str) -> list[dict[str, Any]]:
    """Per township of the region: its enterprises by risk level and the centre of their
    coordinates (no township polygons exist offline: a township is drawn as this point)."""

    def compute():
        risk = {level: Count("pk", filter=Q(risk_level=level)) for level in RiskLevel.values}
        rows = (
            enterprises_in(user, region)
            .values("region_id")
            .annotate(n=Count("pk"), lat=Avg("lat"), lng=Avg("lng"), **risk)
            .order_by("region_id")
        )
        rows = list(rows)
        names = dict(Region.objects.filter(code__in=[r["region_id"] for r in rows]).values_list("code", "name"))
        return [
            {
                "code": r["region_id"],
                "name": names.get(r["region_id"], r["region_id"]),
                "county": r["region_id"][:6],
                "lng": _round(r["lng"], 4),
                "lat": _round(r["lat"], 4),
                "enterprises": r["n"],
                "risk": {level: r[level] for level in RiskLevel.values},
            }
            for r in rows
        ]

    return cached(user, "townships", region, compute)


def cells(user: User, region: str) -> list[dict[str, Any]]:
    """The points a wide area's aggregated layers are drawn at: townships at a city, counties at
    a province (a province's ~2,000 townships would be ~8,000 circles to draw: slow on a phone)."""
    towns = townships(user, region)
    if level_of(region) != "province":
        return towns
    where = centres(user, region, 6)
    names = dict(Region.objects.filter(code__in=list(where)).values_list("code", "name"))
    merged: dict[str, dict[str, Any]] = {}
    for t in towns:
        code = t["code"][:6]
        m = merged.setdefault(
            code,
            {
                "code": code,
                "name": names.get(code, code),
                "county": code,
                "lng": where.get(code, (None, None))[0],
                "lat": where.get(code, (None, None))[1],
                "enterprises": 0,
                "risk": dict.fromkeys(RiskLevel.values, 0),
            },
        )
        m["enterprises"] += t["enterprises"]
        for k, n in t["risk"].items():
            m["risk"][k] += n
    return list(merged.values())


def centres(user: User, region: str, length: int) -> dict[str, tuple[float, float]]:
    """The centre of a region's enterprises per code prefix of `length` (6: counties, 9: townships)."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for t in townships(user, region):
        if t["lng"] is None:
            continue
        s = sums[t["code"][:length]]
        s[0] += t["lng"] * t["enterprises"]
        s[1] += t["lat"] * t["enterprises"]
        s[2] += t["enterprises"]
    return {code: (round(s[0] / s[2], 4), round(s[1] / s[2], 4)) for code, s in sums.items() if s[2]}


def units(user: User, region: Region) -> list[Region]:
    """The units the board colours and lists: a province's and a city's counties (functional zones
    included), a county's townships; a township is its own unit."""
    level = level_of(region.code)
    if level == "county":
        return list(Region.objects.filter(parent_id=region.code).order_by("code"))
    if level == "township":
        return [region]
    return list(Region.objects.filter(level="county", code__startswith=subtree_prefix(region.code)).order_by("code"))


def hazard_counts(user: User, region: str, length: int) -> dict[str, dict[str, int]]:
    """Per unit (code prefix of `length`): open major hazards, and the hazards due for
    rectification and of them overdue (every level)."""

    def compute():
        today = timezone.localdate()
        qs = hazards_in(user, region).filter(status__in=OPEN_STATUSES)
        rows = (
            qs.annotate(unit=Substr("enterprise__region_id", 1, length))
            .values("unit")
            .annotate(
                open_major=Count("pk", filter=Q(level=Level.MAJOR)),
                overdue_major=Count(
                    "pk", filter=Q(level=Level.MAJOR, status__in=DEADLINE_STATUSES, deadline__lt=today)
                ),
                due=Count("pk", filter=Q(status__in=DEADLINE_STATUSES)),
                overdue=Count("pk", filter=Q(status__in=DEADLINE_STATUSES, deadline__lt=today)),
            )
            .order_by()
        )
        return {r["unit"]: {k: r[k] for k in ("open_major", "overdue_major", "due", "overdue")} for r in rows}

    return cached(user, f"hazards{length}", region, compute)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    definition: str


def metrics() -> list[Metric]:
    return [
        Metric("open_major", _("未销号重大隐患"), _("项"), _("已确认、尚未销号的重大事故隐患")),
        Metric(
            "overdue_rate",
            _("隐患逾期率"),
            "%",
            _("整改期内（已交办、整改中）的隐患中已过整改期限的比例，各等级合计"),
        ),
        Metric(
            "death_rate",
            _("工矿商贸十万从业人员死亡率"),
            _("人/10万人"),
            _("本年工矿商贸事故死亡人数 ÷ 工矿商贸就业人员数 × 10万（目标考核指标）"),
        ),
    ]


def death_rates(user: User, codes: list[str]) -> dict[str, dict[str, Any]]:
    """The targets' 工矿商贸十万从业人员死亡率 per county, this year to date; the worker count is
    the registry of denominators (this year's, else last year's, named); none: 暂无数据 and why."""
    indicator = indicators()[DEATH_RATE]
    now = timezone.now()
    year = timezone.localdate().year
    current = fig.period_figures(user, year_start(year), now)
    result: dict[str, dict[str, Any]] = {}
    for used_year in (year, year - 1):
        wanted = {code: current.get(code) or fig.Figures() for code in codes if code not in result}
        fig.attach_denominators(user, wanted, used_year)
        for code, f in wanted.items():
            if f.industrial_employees:
                value = indicator.round(indicator.compute(f))
                result[code] = {
                    "value": None if value is None else float(value),
                    "deaths": f.gongmao_deaths,
                    "workers": f.industrial_employees,
                    "workers_year": used_year,
                }
    for code in codes:
        result.setdefault(code, {"value": None, "reason": _("未录入该区划的工矿商贸就业人员数（统计分母），无法计算")})
    return result


# ---------------------------------------------------------------- 压茬清零


def month_ends(today: date, months: int = ZERO_MONTHS) -> list[date]:
    ends, d = [], today
    for _i in range(months - 1):
        first = d.replace(day=1)
        ends.append(d)
        d = first - timedelta(days=1)
    ends.append(d)
    return list(reversed(ends))


def zero_series(user: User, region: str, length: int) -> dict[str, Any]:
    """Open major hazards at each month's end over the past year, per unit and in all: a major
    hazard counts as open on a day when it was found by then and not closed (销号) by then; a
    withdrawn or unconfirmed one never counts."""

    def compute():
        ends = month_ends(timezone.localdate())
        qs = (
            hazards_in(user, region)
            .filter(level=Level.MAJOR)
            .exclude(status__in=(Status.WITHDRAWN, Status.REPORTED))
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=ends[0]))
        )
        counts = {
            f"m{i}": Count("pk", filter=Q(found_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end)))
            for i, end in enumerate(ends)
        }
        rows = qs.annotate(unit=Substr("enterprise__region_id", 1, length)).values("unit").annotate(**counts).order_by()
        by_unit = {r["unit"]: [r[f"m{i}"] for i in range(len(ends))] for r in rows}
        total = [sum(series[i] for series in by_unit.values()) for i in range(len(ends))]
        return {"months": [e.strftime("%Y-%m") for e in ends], "total": total, "units": by_unit}

    return cached(user, f"zero{length}", region, compute)


def pastdue(user: User, region: str, limit: int = 30) -> list[dict[str, Any]]:
    """Open major hazards, the ones past their deadline first (most overdue first), then by deadline."""

    def compute():
        today = timezone.localdate()
        qs = (
            hazards_in(user, region)
            .filter(level=Level.MAJOR, status__in=OPEN_STATUSES)
            .order_by(F("deadline").asc(nulls_last=True), "pk")
            .values("pk", "code", "status", "deadline", "enterprise__name", "enterprise__region_id")
        )
        late = Q(status__in=DEADLINE_STATUSES, deadline__lt=today)
        rows = list(qs.filter(late)[:limit])
        if len(rows) < limit:
            rows += list(qs.exclude(late)[: limit - len(rows)])
        names = dict(
            Region.objects.filter(code__in={r["enterprise__region_id"][:6] for r in rows}).values_list("code", "name")
        )
        labels = dict(Status.choices)
        return [
            {
                "id": r["pk"],
                "code": r["code"],
                "enterprise": r["enterprise__name"],
                "county": names.get(r["enterprise__region_id"][:6], ""),
                "status": str(labels.get(r["status"], r["status"])),
                "deadline": r["deadline"].isoformat() if r["deadline"] else "",
                "days_overdue": max((today - r["deadline"]).days, 0)
                if r["deadline"] and r["status"] in DEADLINE_STATUSES
                else 0,
            }
            for r in rows
        ]

    return cached(user, "pastdue", region, compute)


# ---------------------------------------------------------------- the board's one payload


def parent_of(region: Region) -> Region | None:
    return Region.objects.filter(pk=region.parent_id).first() if region.parent_id else None


def unit_rows(user: User, region: Region) -> list[dict[str, Any]]:
    """The units the board colours and lists, each with its figures (counties at a province or
    city, townships at a county)."""
    level = level_of(region.code)
    length = 9 if level in ("county", "township") else 6
    shown = units(user, region)
    hazards = hazard_counts(user, region.code, length)
    towns = townships(user, region.code)
    risk: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RiskLevel.values, 0))
    enterprises: dict[str, int] = defaultdict(int)
    for t in towns:
        enterprises[t["code"][:length]] += t["enterprises"]
        for k, n in t["risk"].items():
            risk[t["code"][:length]][k] += n
    where = centres(user, region.code, length)
    rates = death_rates(user, [u.code for u in shown]) if length == 6 else {}
    rows = []
    for u in shown:
        h = hazards.get(u.code, {})
        due, overdue = h.get("due", 0), h.get("overdue", 0)
        row = {
            "code": u.code,
            "name": u.name,
            "kind": "township" if length == 9 else ("county" if u.statutory else "zone"),
            "lng": where.get(u.code, (None, None))[0],
            "lat": where.get(u.code, (None, None))[1],
            "enterprises": enterprises.get(u.code, 0),
            "risk": risk[u.code],
            "open_major": h.get("open_major", 0),
            "overdue_major": h.get("overdue_major", 0),
            "due": due,
            "overdue": overdue,
            "overdue_rate": round(100 * overdue / due, 1) if due else None,
        }
        if length == 6:
            row["death_rate"] = rates[u.code]
        rows.append(row)
    return rows


def payload(user: User, region: Region) -> dict[str, Any]:
    """Everything the board draws at first, in one response (the outline comes from its own
    immutable URL, the layers not shown at first from the layer API when switched on)."""
    from safeloop.board import layers as board_layers
    from safeloop.core.maplayers import layers

    level = level_of(region.code)
    length = 9 if level in ("county", "township") else 6
    parent = parent_of(region) if level != "province" else None
    rows = unit_rows(user, region)
    return {
        "region": {"code": region.code, "name": region.name, "level": level},
        "parent": {"code": parent.code, "name": parent.name} if parent and region_in_scope(user, parent.code) else None,
        "generated": moment_text(),
        "metrics": [m.__dict__ for m in metrics()] if length == 6 else [m.__dict__ for m in metrics()[:2]],
        "units": rows,
        "totals": {
            k: sum(r[k] for r in rows) for k in ("enterprises", "open_major", "overdue_major", "due", "overdue")
        },
        "zero": zero_series(user, region.code, length),
        "pastdue": pastdue(user, region.code),
        "layers": [
            {
                "key": layer.key,
                "title": str(layer.title),
                "legend": [[value, str(label)] for value, label in layer.legend],
                "style": layer.style_property,
                "fields": [[name, str(label)] for name, label in layer.fields],
                "initial": layer.key in board_layers.INITIAL,
            }
            for layer in layers()
        ],
        "features": {key: layer_collection(user, key, region.code) for key in board_layers.INITIAL},
    }


def layer_collection(user: User, key: str, region: str) -> dict[str, Any]:
    from safeloop.core.maplayers import get_layer

    layer = get_layer(key)
    if layer is None:
        raise Http404(key)
    return {"type": "FeatureCollection", "features": layer.features(user, region)}
