"""Excel columns of the accident, disaster, response and denominator tables; denominator import."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from safeloop.accidents.services import denominator_set
from safeloop.accidents.validation import amount, count
from safeloop.accounts.models import User
from safeloop.core.scope import region_in_scope
from safeloop.core.xlsx import Column, ImportFailed, ImportReport, RowError, column_letter, read_rows
from safeloop.registry.models import Region


def _local(moment):
    return None if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


ACCIDENT_COLUMNS = [
    Column("编号", "id", lambda a: a.pk, 8),
    Column("事故名称", "title", lambda a: a.title, 30),
    Column("发生时间", "occurred_at", lambda a: _local(a.occurred_at), 18),
    Column("县（市、区）", "county", lambda a: a.region.parent.name if a.region.parent_id else a.region.name, 14),
    Column("发生地", "region", lambda a: a.region.name, 14),
    Column("统计行业", "sector", lambda a: a.get_sector_display(), 16),
    Column("事故单位", "enterprise", lambda a: a.enterprise.name if a.enterprise_id else "", 30),
    Column("死亡", "deaths", lambda a: a.deaths, 8),
    Column("失踪", "missing", lambda a: a.missing, 8),
    Column("重伤", "serious_injuries", lambda a: a.serious_injuries, 8),
    Column("轻伤", "injuries", lambda a: a.injuries, 8),
    Column("直接经济损失（万元）", "direct_loss", lambda a: float(a.direct_loss), 14),
    Column("等级", "grade", lambda a: a.grade_label, 10),
]
DISASTER_COLUMNS = [
    Column("灾害名称", "title", lambda d: d.title, 30),
    Column("灾种", "kind", lambda d: d.get_kind_display(), 12),
    Column("发生日期", "occurred_on", lambda d: d.occurred_on.isoformat(), 12),
    Column("受灾地", "region", lambda d: d.region.name, 14),
    Column("受灾人次", "affected", lambda d: d.affected, 10),
    Column("死亡", "deaths", lambda d: d.deaths, 8),
    Column("失踪", "missing", lambda d: d.missing, 8),
    Column("直接经济损失（万元）", "direct_loss", lambda d: float(d.direct_loss), 14),
]
RESPONSE_COLUMNS = [
    Column("事件", "title", lambda r: r.title, 30),
    Column("区划", "region", lambda r: r.region.name, 14),
    Column("接报时间", "reported_at", lambda r: _local(r.reported_at), 18),
    Column("启动响应时间", "response_started_at", lambda r: _local(r.response_started_at), 18),
    Column("物资送达现场", "relief_arrived_at", lambda r: _local(r.relief_arrived_at), 18),
    Column("物资发放到户", "relief_distributed_at", lambda r: _local(r.relief_distributed_at), 18),
]
DENOMINATOR_COLUMNS = [
    Column("区划代码", "region", lambda d: d.region_id, 12, required=True),
    Column("区划名称", "region_name", lambda d: d.region.name, 16),
    Column("年份", "year", lambda d: d.year, 8, required=True),
    Column("地区生产总值（亿元）", "gdp", lambda d: None if d.gdp is None else float(d.gdp), 18),
    Column("常住人口（人）", "population", lambda d: d.population, 14),
    Column("工矿商贸就业人员（人）", "industrial_employees", lambda d: d.industrial_employees, 18),
    Column("机动车保有量（辆）", "motor_vehicles", lambda d: d.motor_vehicles, 16),
    Column("数据来源", "source", lambda d: d.source, 40),
]


def denominator_import(*, actor: User, data: bytes) -> ImportReport:
    """All rows or none: every error is reported by row and column."""
    report = ImportReport()
    rows = []
    for number, raw in read_rows(data, DENOMINATOR_COLUMNS):
        errors: dict[str, str] = {}
        region = Region.objects.filter(code=str(raw.get("region", "")).strip()).first()
        if region is None or not region_in_scope(actor, region.code):
            errors["region"] = "区划代码不存在或不在您的管辖范围内"
        year = count(raw.get("year"), "year", errors)
        values = {name: raw[name] for name in ("population", "industrial_employees", "motor_vehicles") if name in raw}
        for name in values:
            count(values[name], name, errors)
        if "gdp" in raw:
            amount(raw["gdp"], "gdp", errors)
            values["gdp"] = raw["gdp"]
        values["source"] = raw.get("source", "")
        for name, message in errors.items():
            letter, header = column_letter(DENOMINATOR_COLUMNS, name)
            report.errors.append(RowError(number, letter, header, message))
        rows.append((region, year, values))
    if report.errors:
        raise ImportFailed(report)
    with transaction.atomic():
        for region, year, values in rows:
            denominator_set(actor=actor, region=region, year=year, data=values)
            report.updated += 1
    return report
