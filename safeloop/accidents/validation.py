"""Turn submitted accident and denominator fields into model values, with Chinese reasons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from safeloop.accidents.models import Disaster, DisasterKind
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
    "kind": "灾种",
    "occurred_on": "发生日期",
    "affected": "受灾人次",
    "disaster": "关联灾害",
    "reported_at": "接报时间",
    "response_started_at": "启动响应时间",
    "relief_needed": "需要救助物资",
    "relief_arrived_at": "物资送达现场时间",
    "relief_distributed_at": "物资发放到户时间",
}
# Names only accident records use: the API's shared error handler may label them without
# mislabelling another app's field of the same generic name (title, description, kind…).
API_LABELS = {
    name: label
    for name, label in LABELS.items()
    if name not in ("title", "description", "kind", "year", "enterprise", "region", "disaster")
}
# The clock of a response, in the order its moments must follow.
RESPONSE_CLOCK = ("reported_at", "response_started_at", "relief_arrived_at", "relief_distributed_at")
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
    elif partial and "enterprise" in data:
        values["enterprise"] = None  # an edit that clears the accident's enterprise
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


def _enterprise(actor: User, pk: Any, values: dict, errors: dict) -> None:
    enterprise = visible(actor, Enterprise.objects.all()).filter(pk=_int_or_none(pk)).first()
    if enterprise is None:
        errors["enterprise"] = "事故单位不存在或不在您的管辖范围内"
        return
    values["enterprise"] = enterprise


def _region(actor: User, code: str, values: dict, errors: dict, label: str = "发生地") -> None:
    region = Region.objects.filter(code=code).first()
    if region is None or region.level not in ("county", "township"):
        errors["region"] = f"{label}应为县（市、区）或乡镇（街道）区划代码"
    elif not region_in_scope(actor, code):
        errors["region"] = f"{label}不在您的管辖范围内"
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


def _required(data: dict[str, Any], names: tuple[str, ...], errors: dict[str, str], labels: dict[str, str]) -> None:
    for name in names:
        if data.get(name) in (None, ""):
            errors[name] = f"{labels.get(name, LABELS.get(name, name))}为必填项"


def _day(value: Any, name: str, errors: dict[str, str]) -> date | None:
    parsed = value if isinstance(value, date) else parse_date(str(value or "")[:10])
    if parsed is None:
        errors[name] = f"{LABELS[name]}应为日期（如 2026-05-01）"
    elif parsed > timezone.localdate():
        errors[name] = f"{LABELS[name]}不能晚于今天"
    return parsed


def clean_disaster(actor: User, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    _required(
        data,
        () if partial else ("title", "kind", "occurred_on", "region"),
        errors,
        {"title": "灾害名称", "region": "受灾地"},
    )
    if "title" in data:
        values["title"] = str(data["title"] or "").strip()[:200]
        if not values["title"]:
            errors.setdefault("title", "灾害名称为必填项")
    if data.get("kind") not in (None, ""):
        if str(data["kind"]) in DisasterKind.values:
            values["kind"] = str(data["kind"])
        else:
            errors["kind"] = "灾种代码无效"
    if data.get("occurred_on") not in (None, ""):
        values["occurred_on"] = _day(data["occurred_on"], "occurred_on", errors)
    if data.get("region") not in (None, ""):
        _region(actor, str(data["region"]), values, errors, label="受灾地")
    for name in ("affected", "deaths", "missing"):
        if data.get(name) not in (None, ""):
            values[name] = count(data[name], name, errors)
    if data.get("direct_loss") not in (None, ""):
        values["direct_loss"] = amount(data["direct_loss"], "direct_loss", errors)
    if errors:
        raise ValidationFailed.from_fields(errors)
    return values


def clean_response(actor: User, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Times may be cleared (not yet happened) except the report time; order is checked by
    `check_response_clock` on the merged record."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    _required(data, () if partial else ("title", "region", "reported_at"), errors, {"title": "事件", "region": "区划"})
    if "title" in data:
        values["title"] = str(data["title"] or "").strip()[:200]
        if not values["title"]:
            errors.setdefault("title", "事件为必填项")
    if data.get("region") not in (None, ""):
        _region(actor, str(data["region"]), values, errors, label="区划")
    if "disaster" in data:
        _disaster(actor, data["disaster"], values, errors)
    if "relief_needed" in data and data["relief_needed"] is not None:
        values["relief_needed"] = bool(data["relief_needed"])
    for name in (n for n in RESPONSE_CLOCK if n in data):
        if data[name] not in (None, ""):
            values[name] = moment(data[name], name, errors)
        elif name == "reported_at":
            errors[name] = "接报时间为必填项"
        else:
            values[name] = None
    if errors:
        raise ValidationFailed.from_fields(errors)
    return values


def check_response_clock(response: Any) -> None:
    """report ≤ response started ≤ relief at the scene ≤ handed out (skipping moments not yet recorded)."""
    earlier_name, earlier = None, None
    for name in RESPONSE_CLOCK:
        moment_ = getattr(response, name)
        if moment_ is None:
            continue
        if earlier is not None and moment_ < earlier:
            raise ValidationFailed.from_fields({name: f"{LABELS[name]}不能早于{LABELS[earlier_name]}"})
        earlier_name, earlier = name, moment_


def _disaster(actor: User, pk: Any, values: dict, errors: dict) -> None:
    if pk in (None, ""):
        values["disaster"] = None
        return
    found = visible(actor, Disaster.objects.all()).filter(pk=_int_or_none(pk)).first()
    if found is None:
        errors["disaster"] = "关联灾害不存在或不在您的管辖范围内"
    else:
        values["disaster"] = found
