"""Cleaning of enterprise input, shared by pages, API and Excel import.

`EnterpriseCleaner.clean()` takes raw values keyed by field name and returns typed values or
raises `ValidationFailed` naming every bad field in Chinese. Reference data is loaded once
per cleaner, so an import of 10,000 rows costs a handful of queries.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from safeloop.accounts.models import Role, User
from safeloop.core.codes import credit_code_error, normalise_credit_code
from safeloop.core.errors import ValidationFailed
from safeloop.core.scope import region_in_scope
from safeloop.core.text import clean_text
from safeloop.registry.models import (
    Category,
    Department,
    Enterprise,
    Industry,
    Region,
    RegionLevel,
    RiskLevel,
    Scale,
)

LABELS = {f.name: str(f.verbose_name) for f in Enterprise._meta.get_fields() if hasattr(f, "verbose_name")}
LABELS["supervising_department_override"] = "指定监管部门"
REQUIRED = ("name", "credit_code", "region", "category")
ENTERPRISE_SELF_FIELDS = frozenset(
    {
        "address",
        "lat",
        "lng",
        "employees",
        "scale",
        "principal_name",
        "principal_phone",
        "safety_contact_name",
        "safety_contact_phone",
    }
)
ALL_FIELDS = (
    "name",
    "credit_code",
    "region",
    "category",
    "industry_code",
    "address",
    "lat",
    "lng",
    "employees",
    "scale",
    "risk_level",
    "key_sector",
    "supervising_department_override",
    "principal_name",
    "principal_phone",
    "safety_contact_name",
    "safety_contact_phone",
)
TEXT_LIMITS = {"name": 200, "address": 200, "principal_name": 40, "safety_contact_name": 40}
PHONE_FIELDS = ("principal_phone", "safety_contact_phone")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "on"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否", "off", "none"}


def editable_fields(user: User) -> frozenset[str]:
    if user.role == Role.ENTERPRISE:
        return ENTERPRISE_SELF_FIELDS
    if user.is_regulator:
        return frozenset(ALL_FIELDS)
    return frozenset()


class EnterpriseCleaner:
    def __init__(self, actor: User):
        self.actor = actor

    @cached_property
    def regions(self) -> dict[str, Region]:
        return {r.code: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}

    @cached_property
    def categories(self) -> dict[str, Category]:
        return {c.code: c for c in Category.objects.all()}

    @cached_property
    def category_by_name(self) -> dict[str, Category]:
        return {c.name: c for c in self.categories.values()}

    @cached_property
    def departments(self) -> dict[int, Department]:
        return {d.pk: d for d in Department.objects.all()}

    @cached_property
    def industries(self) -> set[str]:
        return set(Industry.objects.values_list("code", flat=True))

    @cached_property
    def actor_categories(self) -> set[str]:
        if self.actor.role != Role.DEPARTMENT:
            return set(self.categories)
        return set(self.actor.department.categories.values_list("code", flat=True))

    def clean(self, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
        cleaned: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field in ALL_FIELDS:
            if field not in data:
                if not partial and field in REQUIRED:
                    errors[field] = f"{LABELS[field]}为必填项"
                continue
            try:
                cleaned[field] = getattr(self, f"clean_{field}", self.clean_plain)(data[field], field)
            except ValueError as exc:
                errors[field] = str(exc)
        if errors:
            raise ValidationFailed.from_fields(errors)
        return cleaned

    def clean_plain(self, raw: Any, field: str) -> str:
        value = clean_text(raw)
        if field in REQUIRED and not value:
            raise ValueError(f"{LABELS[field]}为必填项")
        limit = TEXT_LIMITS.get(field, 200)
        if len(value) > limit:
            raise ValueError(f"{LABELS[field]}不能超过{limit}个字")
        if field in PHONE_FIELDS and value and not _looks_like_phone(value):
            raise ValueError(f"{LABELS[field]}格式不正确（应为手机号或带区号的座机号）")
        return value

    clean_name = clean_plain

    def clean_credit_code(self, raw: Any, field: str) -> str:
        code = normalise_credit_code(str(raw or ""))
        if not code:
            raise ValueError("统一社会信用代码为必填项")
        reason = credit_code_error(code)
        if reason:
            raise ValueError(reason)
        return code

    def clean_region(self, raw: Any, field: str) -> Region:
        code = clean_text(raw.code if isinstance(raw, Region) else raw)
        if not code:
            raise ValueError("所在乡镇为必填项")
        region = self.regions.get(code)
        if region is None:
            raise ValueError(f"所在乡镇代码“{code}”不存在（应为9位以上乡镇街道统计代码）")
        if not region_in_scope(self.actor, region.code):
            raise ValueError(f"所在乡镇“{region.name}”不在您的管辖范围内")
        return region

    def clean_category(self, raw: Any, field: str) -> Category:
        key = clean_text(raw.code if isinstance(raw, Category) else raw)
        category = self.categories.get(key) or self.category_by_name.get(key)
        if category is None:
            raise ValueError(f"监管行业“{key}”不存在" if key else "监管行业为必填项")
        if category.code not in self.actor_categories:
            raise ValueError(f"监管行业“{category.name}”不属于本部门监管范围")
        return category

    def clean_industry_code(self, raw: Any, field: str) -> str:
        code = clean_text(raw)
        if not code:
            return ""
        if not (code.isdigit() and 2 <= len(code) <= 4 and code[:2] in self.industries):
            raise ValueError(f"国民经济行业代码“{code}”无效（GB/T 4754-2017，2至4位数字）")
        return code

    def clean_lat(self, raw: Any, field: str) -> Decimal | None:
        return _decimal_in(raw, LABELS[field], Decimal("3"), Decimal("54"))

    def clean_lng(self, raw: Any, field: str) -> Decimal | None:
        return _decimal_in(raw, LABELS[field], Decimal("73"), Decimal("136"))

    def clean_employees(self, raw: Any, field: str) -> int | None:
        text = clean_text(raw)
        if not text:
            return None
        try:
            value = int(Decimal(text))
        except (InvalidOperation, ValueError):
            raise ValueError("从业人数应为整数") from None
        if value < 0 or value > 1_000_000 or Decimal(text) != value:
            raise ValueError("从业人数应为0至1000000之间的整数")
        return value

    def clean_scale(self, raw: Any, field: str) -> str:
        return _choice(raw, Scale, LABELS[field])

    def clean_risk_level(self, raw: Any, field: str) -> str:
        return _choice(raw, RiskLevel, LABELS[field])

    def clean_key_sector(self, raw: Any, field: str) -> bool:
        if isinstance(raw, bool):
            return raw
        text = clean_text(raw).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError("重点监管应填“是”或“否”")

    def clean_supervising_department_override(self, raw: Any, field: str) -> Department | None:
        if raw in (None, "") or isinstance(raw, Department):
            return raw or None
        key = clean_text(raw)
        found = self._department_by_key(key)
        if found is None:
            raise ValueError(f"指定监管部门“{key}”不存在")
        return found

    def _department_by_key(self, key: str) -> Department | None:
        if key.isdigit() and int(key) in self.departments:
            return self.departments[int(key)]
        return next((d for d in self.departments.values() if d.name == key), None)


def _looks_like_phone(value: str) -> bool:
    digits = value.replace("-", "").replace(" ", "")
    return digits.isdigit() and 7 <= len(digits) <= 13


def _decimal_in(raw: Any, label: str, low: Decimal, high: Decimal) -> Decimal | None:
    text = clean_text(raw)
    if not text:
        return None
    try:
        value = Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValueError(f"{label}应为数字") from None
    if not low <= value <= high:
        raise ValueError(f"{label}应在{low}至{high}之间（中国境内）")
    return value


def _choice(raw: Any, choices: type, label: str) -> str:
    text = clean_text(raw)
    if not text:
        return ""
    for value, name in choices.choices:
        folded = clean_text(str(name))  # labels use full-width brackets; input is NFKC-folded
        if text in (value, folded, folded[:1]):
            return value
    allowed = "、".join(str(name) for _, name in choices.choices)
    raise ValueError(f"{label}“{text}”无效，可选：{allowed}")
