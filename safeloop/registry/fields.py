"""The enterprise's fields, named once. The page form, the API request schemas, the Excel
columns and the validator (`validation.EnterpriseCleaner`) are all derived from this list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import Kind, by_name, model_spec
from safeloop.registry.models import Enterprise


def _field(name: str, kind: Kind | None = None, **options):
    return model_spec(Enterprise, name, kind, **options)


ENTERPRISE_FIELDS = (
    _field("name"),
    _field("credit_code", max_length=40),  # spaces and hyphens are dropped before the 18-character check
    _field("region"),
    _field("category"),
    _field("industry_code", max_length=8, help=_("GB/T 4754-2017，2至4位数字，如 2614")),
    _field("address"),
    _field("lng", minimum=73, maximum=136),
    _field("lat", minimum=3, maximum=54),
    _field("employees", maximum=1_000_000),
    _field("scale"),
    _field("risk_level"),
    _field("key_sector", help=_("留空则按监管行业确定（安委〔2024〕7号 14个重点行业领域）")),
    _field("dust_explosion", help=_("存在可燃性粉尘爆炸危险的作业（应急管理部令第10号第十一条）")),
    _field("ammonia_refrigeration", help=_("使用液氨制冷（应急管理部令第10号第十二条）")),
    _field("confined_space", help=_("存在硫化氢、一氧化碳等中毒风险的有限空间作业（应急管理部令第10号第十三条）")),
    _field("hazardous_process", help=_("涉及重点监管的危险化工工艺")),
    _field("major_hazard_source", help=_("构成危险化学品重大危险源")),
    _field("supervising_department_override", help=_("留空则按监管行业和属地自动确定")),
    _field("principal_name"),
    _field("principal_phone", Kind.PHONE),
    _field("safety_contact_name"),
    _field("safety_contact_phone", Kind.PHONE),
)
FIELDS = by_name(ENTERPRISE_FIELDS)
# What an enterprise's own account may keep up to date; the rest is the regulators'.
SELF_SERVICE_FIELDS = frozenset(
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
# The API contract's name where it differs from the model's.
API_NAMES = {"supervising_department_override": "supervising_department"}
