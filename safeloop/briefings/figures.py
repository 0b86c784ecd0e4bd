"""Each figure of a briefing, computed from the data by a small function: its value, the
definition a leader can defend it with (the footnote), and the address of the list it counts,
with the list's own filters (the drill-down). A figure without data says 暂无数据 and why.

Every figure goes through the same selector as the list it links to (the hazard ledger, the
accident list, the inspection list…), so the number and the list agree by construction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from safeloop.accidents.grading import COUNTED_DEAD, counts_missing
from safeloop.accidents.reference import sectors
from safeloop.accidents.selectors import AccidentFilters, accident_list
from safeloop.accounts.models import User
from safeloop.briefings.periods import Span
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.inspections.selectors import InspectionFilters, inspection_list
from safeloop.registry.models import Region

NO_DATA = "暂无数据"


@dataclass
class Figure:
    key: str
    label: str
    value: str  # as printed: "12起", "66.6%", or 暂无数据
    number: float | None
    definition: str
    url: str = ""
    missing: str = ""  # the reason there is no data

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def no_data(key: str, label: str, reason: str, definition: str = "", url: str = "") -> Figure:
    return Figure(key, label, _(NO_DATA), None, definition, url, reason)


@dataclass
class Context:
    user: User
    region: Region
    span: Span
    year: int
    campaign: Any = None
    figures: list[Figure] = field(default_factory=list)

    @property
    def before(self) -> Span:
        return self.span.earlier()

    @property
    def place(self) -> str:
        return self.region.name


def link(url_name: str, *args: Any, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(url_name, args=args) + (f"?{query}" if query else "")


def pct(part: float, whole: float) -> float | None:
    return None if not whole else round(part * 100 / whole, 1)


def change(now: float, before: float) -> float | None:
    """Year-on-year change in per cent (one decimal); None when last year's value was zero."""
    return None if not before else round((now - before) * 100 / before, 1)


def change_words(now: float, before: float) -> str:
    c = change(now, before)
    if c is None:
        return _("上年同期为零，不计增减幅度") if now else _("与上年同期均为零")
    if c == 0:
        return _("与上年同期持平")
    return (_("同比上升%(p)s%%") if c > 0 else _("同比下降%(p)s%%")) % {"p": abs(c)}


SAME_PERIOD = _("同比：与上年同一日历区间（同月同日起止）的同口径数据相比。")


# ---------------------------------------------------------------- accidents


def accident_definition() -> str:
    dead = _("死亡人数含失踪人数") if counts_missing() else _("死亡人数不含失踪人数")
    return (
        _(
            "生产安全事故：事故登记中“计入生产安全事故”的事故（不含自然灾害及不计入的事故），按发生时间统计，"
            "地域为本区划及其下辖区划；%(dead)s。"
        )
        % {"dead": dead}
        + SAME_PERIOD
    )


def accident_filters(ctx: Context, span: Span, **extra: str) -> AccidentFilters:
    return AccidentFilters(
        region=ctx.region.code, occurred_from=span.start.isoformat(), occurred_to=span.end.isoformat(), **extra
    )


def accident_link(ctx: Context, span: Span, **extra: str) -> str:
    return link(
        "accidents:accident_list",
        region=ctx.region.code,
        occurred_from=span.start.isoformat(),
        occurred_to=span.end.isoformat(),
        **extra,
    )


def accident_totals(ctx: Context, span: Span) -> tuple[int, int]:
    row = accident_list(ctx.user, accident_filters(ctx, span)).aggregate(
        n=Count("pk"), dead=Coalesce(Sum(COUNTED_DEAD), 0, output_field=IntegerField())
    )
    return row["n"], row["dead"]


def accidents(ctx: Context) -> list[Figure]:
    (n, dead), (n0, dead0) = accident_totals(ctx, ctx.span), accident_totals(ctx, ctx.before)
    definition = accident_definition()
    now_url, before_url = accident_link(ctx, ctx.span), accident_link(ctx, ctx.before)
    both = n < n0 and dead < dead0
    return [
        Figure("accidents", _("事故起数"), _("%(n)s起") % {"n": n}, n, definition, now_url),
        Figure("deaths", _("死亡人数"), _("%(n)s人") % {"n": dead}, dead, definition, now_url),
        Figure("accidents_before", _("上年同期事故起数"), _("%(n)s起") % {"n": n0}, n0, definition, before_url),
        Figure("deaths_before", _("上年同期死亡人数"), _("%(n)s人") % {"n": dead0}, dead0, definition, before_url),
        Figure("accidents_change", _("事故起数同比"), change_words(n, n0), change(n, n0), definition, now_url),
        Figure("deaths_change", _("死亡人数同比"), change_words(dead, dead0), change(dead, dead0), definition, now_url),
        Figure(
            "double_decline",
            _("双下降"),
            _("实现") if both else _("未实现"),
            1.0 if both else 0.0,
            _("“双下降”：事故起数和死亡人数均低于上年同期（两项都严格下降才算实现）。") + definition,
            now_url,
        ),
    ]


def sector_rows(ctx: Context) -> list[dict[str, Any]]:
    rows = (
        accident_list(ctx.user, accident_filters(ctx, ctx.span))
        .values("sector")
        .annotate(n=Count("pk"), dead=Coalesce(Sum(COUNTED_DEAD), 0, output_field=IntegerField()))
        .order_by("-n", "sector")
    )
    names = sectors()
    return [{"sector": r["sector"], "name": names[r["sector"]].name, "n": r["n"], "dead": r["dead"]} for r in rows]


def road_share(ctx: Context, rows: list[dict[str, Any]]) -> Figure:
    definition = (
        _("道路运输事故占比：统计行业属道路运输（道路交通）的生产安全事故起数占全部生产安全事故起数的比例。")
        + accident_definition()
    )
    total = sum(r["n"] for r in rows)
    road_codes = [code for code, s in sectors().items() if s.road]
    if not total:
        return no_data("road_share", _("道路运输事故占比"), _("统计期内未登记生产安全事故"), definition)
    road = sum(r["n"] for r in rows if r["sector"] in road_codes)
    share = pct(road, total)
    url = accident_link(ctx, ctx.span, sector=",".join(road_codes))
    return Figure("road_share", _("道路运输事故占比"), f"{share}%", share, definition, url)


# ---------------------------------------------------------------- hazards


def hazard_link(ctx: Context, span: Span | None = None, **params: str) -> str:
    dates = {"found_from": span.start.isoformat(), "found_to": span.end.isoformat()} if span else {}
    return link("hazards:ledger", region=ctx.region.code, **dates, **params)


def hazard_count(ctx: Context, span: Span | None = None, **params: str) -> int:
    dates = {"found_from": span.start.isoformat(), "found_to": span.end.isoformat()} if span else {}
    return ledger(ctx.user, LedgerFilters(region=ctx.region.code, **dates, **params)).count()


MAJOR_FOUND = _(
    "重大事故隐患：按判定标准认定为重大的隐患（隐患台账等级为“重大”），按发现日期统计，"
    "不含已撤销的；地域为企业所在区划。"
)


def major_hazards(ctx: Context) -> list[Figure]:
    found = {"level": "major", "list": "found"}
    n, n0 = hazard_count(ctx, ctx.span, **found), hazard_count(ctx, ctx.before, **found)
    own = hazard_count(ctx, ctx.span, source="self_check", **found)
    definition = MAJOR_FOUND + SAME_PERIOD
    own_definition = MAJOR_FOUND + _("企业自报：隐患来源为“企业自查”的，占同期发现重大事故隐患的比例。")
    share = pct(own, n)
    own_share = (
        Figure(
            "major_self_share",
            _("企业自报占比"),
            f"{share}%",
            share,
            own_definition,
            hazard_link(ctx, ctx.span, source="self_check", **found),
        )
        if share is not None
        else no_data(
            "major_self_share", _("企业自报占比"), _("统计期内未发现重大事故隐患，无法计算占比"), own_definition
        )
    )
    return [
        Figure(
            "major_found",
            _("发现重大事故隐患"),
            _("%(n)s项") % {"n": n},
            n,
            definition,
            hazard_link(ctx, ctx.span, **found),
        ),
        Figure(
            "major_found_before",
            _("上年同期发现重大事故隐患"),
            _("%(n)s项") % {"n": n0},
            n0,
            definition,
            hazard_link(ctx, ctx.before, **found),
        ),
        Figure(
            "major_found_change",
            _("重大事故隐患同比"),
            change_words(n, n0),
            change(n, n0),
            definition,
            hazard_link(ctx, ctx.span, **found),
        ),
        Figure(
            "major_self",
            _("企业自报重大事故隐患"),
            _("%(n)s项") % {"n": own},
            own,
            own_definition,
            hazard_link(ctx, ctx.span, source="self_check", **found),
        ),
        own_share,
    ]


FIRE_CATEGORY = "fire_safety"


def fire_hazards(ctx: Context) -> list[Figure]:
    params = {"level": "major", "category": FIRE_CATEGORY, "list": "problems"}
    n = hazard_count(ctx, **params)
    overdue = hazard_count(ctx, overdue="1", **params)
    definition = _(
        "未整改销号的重大火灾隐患：监管行业为“消防安全（人员密集场所）”的企业中，等级为重大、尚在问题清单"
        "（已报告至待验收，未验收销号）的隐患，截至通报生成时；逾期：整改期限已过仍未完成整改。"
    )
    return [
        Figure(
            "fire_open", _("未整改重大火灾隐患"), _("%(n)s项") % {"n": n}, n, definition, hazard_link(ctx, **params)
        ),
        Figure(
            "fire_overdue",
            _("其中逾期"),
            _("%(n)s项") % {"n": overdue},
            overdue,
            definition,
            hazard_link(ctx, overdue="1", **params),
        ),
    ]


# ---------------------------------------------------------------- inspections


def inspection_link(ctx: Context, span: Span) -> str:
    return link(
        "inspections:list",
        status="closed",
        region=ctx.region.code,
        planned_from=span.start.isoformat(),
        planned_to=span.end.isoformat(),
    )


def inspection_counts(ctx: Context, span: Span) -> tuple[int, int]:
    filters = InspectionFilters(
        status="closed", region=ctx.region.code, planned_from=span.start.isoformat(), planned_to=span.end.isoformat()
    )
    qs = inspection_list(ctx.user, filters)
    row = qs.aggregate(n=Count("pk"), firms=Count("enterprise", distinct=True))
    return row["n"], row["firms"]


def inspections(ctx: Context) -> list[Figure]:
    (n, firms), (_n0, firms0) = inspection_counts(ctx, ctx.span), inspection_counts(ctx, ctx.before)
    definition = (
        _("行政检查：执法主体对企业实施并已办结的行政检查，按检查日期统计；检查企业数按企业去重。") + SAME_PERIOD
    )
    url, before = inspection_link(ctx, ctx.span), inspection_link(ctx, ctx.before)
    return [
        Figure("inspections", _("办结行政检查"), _("%(n)s次") % {"n": n}, n, definition, url),
        Figure("inspected", _("检查企业"), _("%(n)s家") % {"n": firms}, firms, definition, url),
        Figure("inspected_before", _("上年同期检查企业"), _("%(n)s家") % {"n": firms0}, firms0, definition, before),
        Figure(
            "inspected_change", _("检查企业同比"), change_words(firms, firms0), change(firms, firms0), definition, url
        ),
    ]


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
