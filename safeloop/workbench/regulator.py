"""The regulators' workbench: 整改率, 逾期率 and open major hazards by region and by department
(for a department: by its categories), the monthly trend, and the overdue list.

Every figure is a count of the hazard ledger: each measure is the ledger's own filter
(`hazards.selectors.filter_q` of the ledger's query parameters) over the hazards the user may
see (`hazards.selectors.hazard_queryset`, i.e. `scope.visible`), and each breakdown member is the
ledger's region, department or category filter, applied here to grouped rows. So a point opens
the ledger with the measure's parameters and the member's, and the ledger lists its count. The
breakdowns are one GROUP BY (region, category, department override), the trend one per series.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import user_area
from safeloop.core.workdays import WorkdayCalendar
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, filter_q, hazard_queryset, ledger, page_of_hazards
from safeloop.registry.selectors import category_options, category_tree, departments_for_user, region_options
from safeloop.workbench.charts import Chart, Point, Series, ledger_url, percent, rates

OPEN_MAJOR = {"level": "major", "list": "problems"}
OVERDUE_LIST = {"overdue": "1", "sort": "deadline"}
MEMBER_LIMIT = 20  # bars per breakdown; beyond, the members with most hazards found
COUNTY_CODE = 6
TOWNSHIP_CODE = 9  # region filter: a code this long names one township (exact), shorter a subtree


@dataclass(frozen=True)
class Member:
    """One bar of a breakdown: the ledger's filter for it (`param`) and the same test on a group
    of rows (region, category, department override) of the aggregate."""

    label: str  # as the chart's axis shows it
    param: dict[str, str]
    title: str = ""  # the full name, for the tooltip (default: the label)
    region_prefix: str = ""
    categories: frozenset[str] | None = None
    department: int | None = None  # 三管三必须: its categories without override, or overridden to it

    def holds(self, region: str, category: str, override: int | None) -> bool:
        if self.region_prefix and not _in_region(region, self.region_prefix):
            return False
        if self.department is not None:
            return (category in (self.categories or ()) and override is None) or override == self.department
        return self.categories is None or category in self.categories


def _in_region(region: str, prefix: str) -> bool:
    return region == prefix if len(prefix) >= TOWNSHIP_CODE else region.startswith(prefix)


def measures(today: date) -> dict[str, dict[str, str]]:
    """The ledger parameters of each counted figure: each rate's two lists, the open majors."""
    out = {"major": OPEN_MAJOR}
    for rate in rates().values():
        out[f"{rate.code}__n"], out[f"{rate.code}__d"] = rate.params(today)
    return out


def grouped(user: User, today: date) -> list[dict]:
    """Every measure (and every month of the trend) counted per (region, category, override):
    one GROUP BY over the visible hazards, the page's one scan of them. The region is the
    county's code for a city or wider view, else the township's."""
    region = Substr("enterprise__region_id", 1, COUNTY_CODE) if _wide(user) else F("enterprise__region_id")
    counts = {
        name: Count("pk", filter=filter_q(LedgerFilters.from_params(params), today))
        for name, params in (measures(today) | trend_measures(today)).items()
    }
    qs = (
        hazard_queryset(user)
        .order_by()
        .values(
            key_region=region,
            key_category=F("enterprise__category_id"),
            key_override=F("enterprise__supervising_department_override_id"),
        )
    )
    return list(qs.annotate(**counts))


def totals(rows: Iterable[dict], member: Member | None, names: Iterable[str]) -> dict[str, int]:
    out = dict.fromkeys(names, 0)
    for row in rows:
        if member is None or member.holds(row["key_region"], row["key_category"], row["key_override"]):
            for name in out:
                out[name] += row[name]
    return out


# ---------------------------------------------------------------- breakdown members


def region_members(user: User) -> list[Member]:
    """One level below the user's area, as the ledger's region picker offers them."""
    return [Member(r.name, {"region": r.code}, region_prefix=subtree_prefix(r.code)) for r in region_options(user)]


def department_members(user: User) -> list[Member]:
    """The departments of the user's own level (a city's, a county's; a township's county's), as
    the ledger's department picker offers them."""
    area = user_area(user) or ""
    above = [d for d in departments_for_user(user).prefetch_related("categories") if _covers(d.region_id, area)]
    if not above:
        return []
    nearest = max(len(subtree_prefix(d.region_id)) for d in above)
    return [
        Member(
            d.name.removeprefix(d.region.name) or d.name,  # 益阳市应急管理局 → 应急管理局
            {"department": str(d.pk)},
            title=d.name,
            region_prefix=subtree_prefix(d.region_id),
            categories=frozenset(c.code for c in d.categories.all()),
            department=d.pk,
        )
        for d in above
        if len(subtree_prefix(d.region_id)) == nearest
    ]


def _covers(region_code: str, area: str) -> bool:
    return bool(area) and area.startswith(subtree_prefix(region_code))


def category_members(user: User) -> list[Member]:
    """A department's own categories, each with its children, as the ledger's category filter."""
    children: dict[str, set[str]] = defaultdict(set)
    for category in category_tree():
        if category.parent_id:
            children[category.parent_id].add(category.code)
    return [
        Member(c.name, {"category": c.code}, categories=frozenset({c.code, *children[c.code]}))
        for c in category_options(user)
    ]


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class Breakdown:
    key: str  # region / department / category
    title: str
    members: list[Member]
    keep_empty: bool  # show members with nothing counted (a county with no hazard is news)


def breakdowns(user: User) -> list[Breakdown]:
    by_region = Breakdown("region", str(_("县区") if _wide(user) else _("乡镇街道")), region_members(user), True)
    if user.role == Role.DEPARTMENT:
        second = Breakdown("category", str(_("监管行业")), category_members(user), False)
    else:
        second = Breakdown("department", str(_("行业部门")), department_members(user), False)
    return [b for b in (by_region, second) if b.members]


def _wide(user: User) -> bool:
    """Wider than a county (a city, a city's department, the province): broken down by county."""
    area = user_area(user)
    return len(subtree_prefix(area) if area else "") < COUNTY_CODE


def breakdown_charts(rows: list[dict], breakdown: Breakdown, today: date) -> list[Chart]:
    names = list(measures(today))
    counted = [(m, totals(rows, m, names)) for m in breakdown.members]
    if not breakdown.keep_empty:
        counted = [(m, t) for m, t in counted if any(t.values())]
    note = ""
    if len(counted) > MEMBER_LIMIT:
        first = rates()["rectification_rate"].code + "__d"
        kept = {id(m) for m, _t in sorted(counted, key=lambda mt: -mt[1][first])[:MEMBER_LIMIT]}
        counted = [(m, t) for m, t in counted if id(m) in kept]
        note = _("仅列本年发现隐患最多的 %(n)d 个") % {"n": MEMBER_LIMIT}
    labels = [m.label for m, _t in counted]
    titles = [m.title or m.label for m, _t in counted]
    rate_series = [_rate_series(rate, counted, today) for rate in rates().values()]
    majors = [Point(t["major"], t["major"], ledger_url(OPEN_MAJOR | m.param)) for m, t in counted]
    title = breakdown.title
    return [
        Chart(
            f"rates-{breakdown.key}",
            _("整改率与逾期率（按%(by)s）") % {"by": title},
            "hbar",
            labels,
            rate_series,
            unit="%",
            note=note,
            labels=titles,
            axis=title,
        ),
        Chart(
            f"majors-{breakdown.key}",
            _("在办重大隐患（按%(by)s）") % {"by": title},
            "hbar",
            labels,
            [Series(_("在办重大隐患"), majors)],
            note=note,
            labels=titles,
            axis=title,
        ),
    ]


def _rate_series(rate, counted: list[tuple[Member, dict[str, int]]], today: date) -> Series:
    numerator, denominator = rate.params(today)
    points = [
        Point(
            percent(t[f"{rate.code}__n"], t[f"{rate.code}__d"]),
            t[f"{rate.code}__n"],
            ledger_url(numerator | m.param),
            t[f"{rate.code}__d"],
            ledger_url(denominator | m.param),
        )
        for m, t in counted
    ]
    return Series(rate.name, points)


def summary(rows: list[dict], today: date) -> list[tuple[object, Point]]:
    """The user's whole scope: each rate with its two lists, and the open majors."""
    t = totals(rows, None, measures(today))
    out: list[tuple[object, Point]] = []
    for rate in rates().values():
        numerator, denominator = rate.params(today)
        n, d = t[f"{rate.code}__n"], t[f"{rate.code}__d"]
        out.append((rate, Point(percent(n, d), n, ledger_url(numerator), d, ledger_url(denominator))))
    return out


# (series name, the ledger's date range it is counted by, more of the ledger's parameters)
TREND: tuple[tuple[Promise, str, dict[str, str]], ...] = (
    (_("发现"), "found", {}),
    (_("销号"), "closed", {}),
    (_("逾期"), "deadline", {"overdue": "late"}),
)


def trend_measures(today: date, months: int = 12) -> dict[str, dict[str, str]]:
    """The ledger parameters of each month of each series: `<series>-<month index>`."""
    firsts = month_starts(today, months)
    return {
        f"{what}-{i}": {f"{what}_from": first.isoformat(), f"{what}_to": month_end(first).isoformat(), **extra}
        for _name, what, extra in TREND
        for i, first in enumerate(firsts)
    }


def trend_chart(rows: list[dict], today: date, months: int = 12) -> Chart:
    """Found, closed and overdue hazards per month over the last `months` months (this one too):
    a hazard is counted in the month of its discovery, its 销号, its deadline (when the deadline
    passed without the rectification done by it). Counted in the breakdowns' GROUP BY, a
    conditional count per month (no date function per row: SQLite's are Python)."""
    firsts = month_starts(today, months)
    params = trend_measures(today, months)
    t = totals(rows, None, params)
    series = [
        Series(name, [Point(t[key], t[key], ledger_url(params[key])) for key in (f"{what}-{i}" for i in range(months))])
        for name, what, _extra in TREND
    ]
    short = [f"{d.month}月" if i and d.month != 1 else f"{d:%y}年{d.month}月" for i, d in enumerate(firsts)]
    full = [f"{d.year}年{d.month}月" for d in firsts]
    full[-1] += str(_("（至今）"))
    note = _("发现按发现日期、销号按销号日期计；逾期按整改期限所在月，计期限已过而未按期完成整改的（含逾期后完成的）。")
    return Chart("trend", _("近12个月趋势"), "line", short, series, note=note, labels=full, axis=_("月份"))


def month_starts(today: date, months: int) -> list[date]:
    firsts = [today.replace(day=1)]
    while len(firsts) < months:
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    return firsts


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# ---------------------------------------------------------------- the overdue list


@dataclass(frozen=True)
class OverdueRow:
    hazard: Hazard
    late: int  # working days past the deadline
    provisional: bool


def overdue_rows(user: User, today: date, limit: int = 10) -> list[OverdueRow]:
    """The longest overdue first, as the ledger's overdue list sorted by deadline."""
    qs = ledger(user, LedgerFilters.from_params(OVERDUE_LIST), today)
    hazards = page_of_hazards(list(qs.values_list("pk", flat=True)[:limit]))
    if not hazards:
        return []
    calendar = WorkdayCalendar(min(h.deadline for h in hazards if h.deadline), today)
    return [OverdueRow(h, *calendar.workdays_between(h.deadline, today)) for h in hazards if h.deadline]


def regulator_figures(user: User, today: date) -> dict:
    rows = grouped(user, today)
    charts = [chart for b in breakdowns(user) for chart in breakdown_charts(rows, b, today)]
    return {
        "summary": summary(rows, today),
        "charts": [*charts, trend_chart(rows, today)],
        "overdue": overdue_rows(user, today),
        "overdue_url": ledger_url(OVERDUE_LIST),
        "overdue_total": totals(rows, None, ["overdue_rate__n"])["overdue_rate__n"],
    }
