"""Enterprise input for pages, API and Excel import: `core.inputs` reads the fields of
`ENTERPRISE_FIELDS`; what stays here is the registry's own rules (the credit code's check digit,
references within the actor's scope).

`EnterpriseCleaner.clean()` returns typed values or raises `ValidationFailed` naming every bad
field in Chinese. Reference data is loaded once per cleaner, so an import of 10,000 rows costs a
handful of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.core.codes import credit_code_error, normalise_credit_code
from safeloop.core.errors import Forbidden, ServiceError, ValidationFailed
from safeloop.core.fields import labels
from safeloop.core.inputs import Inputs
from safeloop.core.regions import contains
from safeloop.core.scope import region_in_scope
from safeloop.core.text import name_key
from safeloop.registry.fields import ENTERPRISE_FIELDS, FIELDS, SELF_SERVICE_FIELDS
from safeloop.registry.models import Category, Department, Industry, Region, RegionLevel

LABELS = labels(ENTERPRISE_FIELDS)
OVERRIDE = "supervising_department_override"
# Who may name the supervising department instead of the one 三管三必须 derives: the city's
# 安委办 (it coordinates the departments' duties) and the system administrator.
OVERRIDE_ROLES = frozenset({Role.CITY, Role.SYSADMIN})


def can_override_supervision(user: User) -> bool:
    return user.role in OVERRIDE_ROLES


def override_refusal(
    actor: User, *, current_id: int | None, department: Department | None, region: Region
) -> ServiceError | None:
    """Why the enterprise in `region` may not be supervised by `department` (the override after
    the write; `current_id` the one before it), or None. Only the city 安委办 or the system administrator
    changes an override, and only to a department whose region contains the enterprise (a city
    department, or its own county's); an override kept as it was is checked for the region."""
    if (department.pk if department else None) != current_id and not can_override_supervision(actor):
        message = _("只有市安委办或系统管理员可以指定企业的监管部门")
        return Forbidden(message, fields={OVERRIDE: message})
    if department is not None and not contains(department.region_id, region.code):
        message = _("{department}的辖区不包括企业所在的{region}，不能指定为其监管部门").format(
            department=department.name, region=region.name
        )
        return ValidationFailed(message, fields={OVERRIDE: message})
    return None


def editable_fields(user: User) -> frozenset[str]:
    if user.role == Role.ENTERPRISE:
        return SELF_SERVICE_FIELDS
    if user.is_regulator:
        return frozenset(FIELDS)
    return frozenset()


class EnterpriseCleaner:
    def __init__(self, actor: User, *, memo: bool = False):
        """`memo`: an import's cleaner reads each repeated value once (`core.inputs.Inputs`)."""
        self.actor = actor
        self.memo: dict | None = {} if memo else None

    @cached_property
    def regions(self) -> dict[str, Region]:
        return {r.code: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}

    @cached_property
    def categories(self) -> dict[str, Category]:
        return {c.code: c for c in Category.objects.all()}

    @cached_property
    def category_by_name(self) -> dict[str, Category]:
        """By `name_key`, as the typed name is looked up: 消防安全(人员密集场所) finds 消防安全（人员密集场所）."""
        return {name_key(c.name): c for c in self.categories.values()}

    @cached_property
    def departments(self) -> dict[str, Department]:
        """By id and by name: the form sends the id, a spreadsheet the name."""
        found = list(Department.objects.all())
        return {name_key(d.name): d for d in found} | {str(d.pk): d for d in found}

    @cached_property
    def industries(self) -> set[str]:
        return set(Industry.objects.values_list("code", flat=True))

    @cached_property
    def actor_categories(self) -> set[str]:
        if self.actor.role != Role.DEPARTMENT:
            return set(self.categories)
        return set(self.actor.department.categories.values_list("code", flat=True))

    def clean(self, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
        inp = Inputs(data, self.memo)
        values = inp.read_values(ENTERPRISE_FIELDS, partial=partial)
        for name, resolve in self._resolvers().items():
            if values.get(name):
                values[name] = resolve(inp, values[name])
        inp.check()
        return values

    def _resolvers(self) -> dict[str, Callable[[Inputs, str], Any]]:
        return {
            "credit_code": _credit_code,
            "region": self._region,
            "category": self._category,
            "industry_code": self._industry_code,
            "supervising_department_override": self._department,
        }

    def _region(self, inp: Inputs, code: str) -> Region | None:
        region, label = self.regions.get(code), LABELS["region"]
        if region is None:
            inp.error(
                "region", _("{label}代码“{code}”不存在（应为9位以上乡镇街道统计代码）").format(label=label, code=code)
            )
        elif not region_in_scope(self.actor, region.code):
            inp.error("region", _("{label}“{name}”不在您的管辖范围内").format(label=label, name=region.name))
        return region

    def _category(self, inp: Inputs, key: str) -> Category | None:
        category, label = self.categories.get(key) or self.category_by_name.get(name_key(key)), LABELS["category"]
        if category is None:
            inp.error("category", _("{label}“{key}”不存在").format(label=label, key=key))
        elif category.code not in self.actor_categories:
            inp.error("category", _("{label}“{name}”不属于本部门监管范围").format(label=label, name=category.name))
        return category

    def _industry_code(self, inp: Inputs, code: str) -> str:
        if not (code.isdigit() and 2 <= len(code) <= 4 and code[:2] in self.industries):
            message = _("{label}“{code}”无效（GB/T 4754-2017，2至4位数字）")
            inp.error("industry_code", message.format(label=LABELS["industry_code"], code=code))
        return code

    def _department(self, inp: Inputs, key: str) -> Department | None:
        found = self.departments.get(key) or self.departments.get(name_key(key))
        if found is None:
            message = _("{label}“{key}”不存在").format(label=LABELS["supervising_department_override"], key=key)
            inp.error("supervising_department_override", message)
        return found


def _credit_code(inp: Inputs, typed: str) -> str:
    code = normalise_credit_code(typed)
    reason = credit_code_error(code)
    if reason:
        inp.error("credit_code", reason)
    return code
