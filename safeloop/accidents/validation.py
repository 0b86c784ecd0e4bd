"""Turn submitted accident and denominator fields into model values, with Chinese reasons."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from safeloop.accidents.reference import sectors
from safeloop.accounts.models import User
from safeloop.core.errors import ValidationFailed
from safeloop.core.scope import region_in_scope, visible
from safeloop.registry.models import Enterprise, Region

LABELS = {
    "title": "事故名称",
    "occurred_at": "发生时间",
    "region": "发生地",
    "enterprise": "事故单位",
    "sector": "统计行业",
    "production_safety": "计入生产安全事故",
    "description": "简要经过",
    "deaths": "死亡人数",
    "missing": "失踪人数",
    "serious_injuries": "重伤人数",
    "injuries": "轻伤人数",
    "direct_loss": "直接经济损失",
    "gdp": "地区生产总值",
    "population": "常住人口",
    "industrial_employees": "工矿商贸就业人员",
    "motor_vehicles": "机动车保有量",
    "year": "年份",
    "factor_person": "人的因素",
    "factor_vehicle": "车的因素",
    "factor_road": "路的因素",
    "factor_enterprise": "企业因素",
}
FIGURES = ("deaths", "missing", "serious_injuries", "injuries", "direct_loss")
TEXTS = ("title", "description", "factor_person", "factor_vehicle", "factor_road", "factor_enterprise")


def count(value: Any, name: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[name] = f"{LABELS.get(name, name)}应为整数"
        return None
    if number < 0:
        errors[name] = f"{LABELS.get(name, name)}不能为负数"
        return None
    return number


def amount(value: Any, name: str, errors: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = f"{LABELS.get(name, name)}应为数字"
        return None
    if not number.is_finite() or number < 0:
        errors[name] = f"{LABELS.get(name, name)}应为非负数字"
        return None
    return number.quantize(Decimal("0.01"))


def moment(value: Any, name: str, errors: dict[str, str]) -> datetime | None:
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if parsed is None:
        errors[name] = f"{LABELS[name]}应为时间（如 2026-05-01T08:30+08:00）"
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now():
        errors[name] = f"{LABELS[name]}不能晚于现在"
    return parsed


def clean_accident(actor: User, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    required = () if partial else ("title", "occurred_at", "region", "sector")
    for name in required:
        if data.get(name) in (None, ""):
            errors[name] = f"{LABELS[name]}为必填项"
    for name in TEXTS:
        if name in data:
            values[name] = str(data[name] or "").strip()
    if data.get("occurred_at") not in (None, ""):
        values["occurred_at"] = moment(data["occurred_at"], "occurred_at", errors)
    if data.get("sector") not in (None, ""):
        _sector(data["sector"], values, errors)
    if "production_safety" in data and data["production_safety"] is not None:
        values["production_safety"] = bool(data["production_safety"])
    if data.get("enterprise") not in (None, ""):
        _enterprise(actor, data["enterprise"], values, errors)
    if data.get("region") not in (None, ""):
        _region(actor, str(data["region"]), values, errors)
    for name in FIGURES:
        if name in data and data[name] not in (None, ""):
            values[name] = (amount if name == "direct_loss" else count)(data[name], name, errors)
    if errors:
        raise ValidationFailed.from_fields(errors)
    return values


def _sector(code: str, values: dict, errors: dict) -> None:
    sector = sectors().get(str(code))
    if sector is None:
        errors["sector"] = "统计行业代码无效"
        return
    values["sector"] = sector.code
    values["category_id"] = sector.category or None


def _enterprise(actor: User, pk: Any, values: dict, errors: dict) -> None:
    enterprise = visible(actor, Enterprise.objects.all()).filter(pk=_int_or_none(pk)).first()
    if enterprise is None:
        errors["enterprise"] = "事故单位不存在或不在您的管辖范围内"
        return
    values["enterprise"] = enterprise
    values["category_id"] = enterprise.category_id


def _region(actor: User, code: str, values: dict, errors: dict) -> None:
    region = Region.objects.filter(code=code).first()
    if region is None or region.level not in ("county", "township"):
        errors["region"] = "发生地应为县（市、区）或乡镇（街道）区划代码"
    elif not region_in_scope(actor, code):
        errors["region"] = "发生地不在您的管辖范围内"
    else:
        values["region"] = region


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def clean_denominator(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in ("population", "industrial_employees", "motor_vehicles"):
        if name in data:
            values[name] = count(data[name], name, errors)
    if "gdp" in data:
        values["gdp"] = amount(data["gdp"], "gdp", errors)
    if "source" in data:
        values["source"] = str(data["source"] or "").strip()[:300]
    if errors:
        raise ValidationFailed.from_fields(errors)
    return values
