from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET
from ninja import Field

from safeloop.accidents.grading import dead_label
from safeloop.core.fields import FieldSpec
from safeloop.core.filters import YEAR, Filters, refused_status
from safeloop.core.scope import complete_area
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.xlsx import XLSX_CONTENT_TYPE, Column
from safeloop.core.xlsx_write import workbook_file
from safeloop.registry.models import Region
from safeloop.registry.reference import YIYANG
from safeloop.targets.permissions import can_open_dashboard
from safeloop.targets.selectors import (
    HISTORY_YEARS,
    STATUS_LABELS,
    Board,
    Row,
    monthly_deaths,
    sector_breakdown,
)


class DashboardFilters(Filters):
    """The dashboard's region and year; a year outside 2000–2100 (or not a year) is refused."""

    typed: ClassVar[dict[str, FieldSpec]] = {"year": YEAR.but(minimum=2000, maximum=2100)}
    region: str = Field("", title=gettext_noop("区域"))
    year: str = Field("", title=gettext_noop("年份"))


def _chosen(request: HttpRequest) -> tuple[Region, int, DashboardFilters]:
    """The region (default: the user's own, or the demo city) and year asked for, in scope; a
    refused year shows this year, with the message."""
    if not can_open_dashboard(request.user):
        raise PermissionDenied(
            gettext("目标指标看板面向市和县区（属地全口径数据）；行业部门和乡镇请在“事故灾害”中查看事故")
        )
    prefix = complete_area(request.user) or ""
    default = request.user.region_id or getattr(request.user.department, "region_id", None) or YIYANG
    filters = DashboardFilters.from_params(request.GET)
    code = filters.region or default
    region = Region.objects.filter(code=code, level__in=("province", "city", "county")).first()
    if region is None or not region.code.startswith(prefix):
        raise Http404
    return region, int(filters.year) if filters.year else timezone.localdate().year, filters


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    region, year, filters = _chosen(request)
    board = Board(request.user, year)
    rows = board.rows(region.code)
    history = board.history[region.code]
    context = {
        "region": region,
        "year": year,
        "board": board,
        "rows": rows,
        "status_labels": STATUS_LABELS,
        "ranking": board.ranking(region.code) if region.level != "county" else [],
        "sectors": sector_breakdown(request.user, region.code, year, board.end),
        "chart": _chart(request, board, region, year, rows, history),
        "years": range(timezone.localdate().year, timezone.localdate().year - HISTORY_YEARS - 1, -1),
        "regions": _regions(request.user, region),
        "filters": filters,
        "dead_label": dead_label(),  # 死亡（含失踪）: what the death figures count
    }
    return render(request, "targets/dashboard.html", context, status=refused_status(filters))


def _regions(user, region: Region) -> list[Region]:
    prefix = complete_area(user) or ""
    parent = region if region.level != "county" else region.parent
    options = [parent, *Region.objects.filter(parent=parent, level="county")] if parent else [region]
    return [r for r in options if r.code.startswith(prefix)]


def _chart(request, board: Board, region: Region, year: int, rows: list[Row], history) -> dict:
    years = list(range(year - HISTORY_YEARS, year))
    deaths = next(r for r in rows if r.indicator.code == "deaths")
    monthly = monthly_deaths(request.user, region.code, (year - 1, year))
    return {
        "years": [*map(str, years), f"{year}"],
        "deaths": [history[y].deaths for y in years] + [board.current[region.code].deaths],
        "projected": round(deaths.projection.mean, 1) if deaths.projection else None,
        "target": float(deaths.target) if deaths.target is not None else None,
        "months": [f"{m}月" for m in range(1, 13)],
        "this_year": monthly[year],
        "last_year": monthly[year - 1],
        "year": year,
        "region": region.code,
        "dead_label": dead_label(),
    }


INDICATOR_COLUMNS = [
    Column("指标", "name", lambda r: r.indicator.name, 30),
    Column("单位", "unit", lambda r: r.indicator.unit, 12),
    Column("本年值（截至统计日）", "value", lambda r: _num(r.value), 18),
    Column("上年同期", "last_year", lambda r: _num(r.last_year), 12),
    Column("基准年值", "baseline", lambda r: _num(r.baseline), 12),
    Column("年度目标", "target", lambda r: _num(r.indicator.round(r.target)), 12),
    Column("预计年末值", "projected", lambda r: round(r.projection.mean, 3) if r.projection else None, 12),
    Column("达标概率%", "probability", lambda r: r.probability_pct, 12),
    Column("状态", "status", lambda r: STATUS_LABELS[r.status], 10),
    Column("公式", "formula", lambda r: r.indicator.formula, 50),
    Column("口径来源", "source", lambda r: r.indicator.source, 40),
]


def ranking_columns() -> list[Column]:
    """The death columns say what they count (死亡（含失踪）人数 by default, RULES.md §3.2)."""
    return [
        Column("名次", "place", lambda e: e["place"], 8),
        Column("县（市、区）", "name", lambda e: e["name"], 20),
        Column("重特大事故否决", "veto", lambda e: "是" if e["veto"] else "否", 14),
        Column("约束性目标有望完成", "binding_ok", lambda e: f"{e['binding_ok']}/{e['binding_total']}", 16),
        Column(f"{dead_label()}人数", "deaths", lambda e: _num(e["deaths"].value), 10),
        Column("上年同期", "last", lambda e: _num(e["deaths"].last_year), 10),
        Column("亿元GDP死亡率", "rate", lambda e: _num(e["rate"]), 14),
    ]


def sector_columns() -> list[Column]:
    return [
        Column("统计行业", "name", lambda s: s["name"], 20),
        Column("事故起数", "accidents", lambda s: s["accidents"], 10),
        Column("起数占比%", "accident_share", lambda s: s["accident_share"], 10),
        Column(f"{dead_label()}人数", "deaths", lambda s: s["deaths"], 10),
        Column(f"{dead_label()}占比%", "death_share", lambda s: s["death_share"], 10),
    ]


def _num(value):
    return None if value is None else float(value)


@login_required
@require_GET
def export(request: HttpRequest, table: str) -> HttpResponseBase:
    region, year, filters = _chosen(request)
    if filters.refused:
        return render(request, "errors/400.html", {"reasons": list(filters.refused.values())}, status=400)
    board = Board(request.user, year)
    tables = {
        "indicators": ("指标", INDICATOR_COLUMNS, lambda: board.rows(region.code)),
        "ranking": ("县区排名", ranking_columns(), lambda: board.ranking(region.code)),
        "sectors": ("行业构成", sector_columns(), lambda: sector_breakdown(request.user, region.code, year, board.end)),
    }
    if table not in tables:
        raise Http404
    title, columns, objects = tables[table]
    detail = {"title": title, "filters": f"{region.name} · {year}年"}
    record(SecurityKind.EXPORT, request=request, result=SecurityResult.SUCCESS, detail=detail)
    return FileResponse(
        workbook_file(title, columns, objects()),
        as_attachment=True,
        filename=f"{region.name}{year}年{title}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
