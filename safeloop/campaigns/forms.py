"""The campaign form of the pages: the service's fields, and the target filter's parts as inputs
named like the service names them in its refusals (`target_filter.categories`, …)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from safeloop.campaigns import services
from safeloop.core.fields import FieldSpec, Kind
from safeloop.registry.models import RISK_FEATURES, Category, Department, Enterprise, RiskLevel

F_REGION = FieldSpec(name="target_filter.region", label=_("对象所在区划"), kind=Kind.REF)
F_CATEGORIES = FieldSpec(name="target_filter.categories", label=_("监管行业"), kind=Kind.IDS)
F_FEATURES = FieldSpec(name="target_filter.features", label=_("风险特征"), kind=Kind.IDS)
F_RISK = FieldSpec(name="target_filter.risk_levels", label=_("风险等级"), kind=Kind.IDS)
F_INDUSTRY = FieldSpec(
    name="target_filter.industry_codes", label=_("国民经济行业代码"), help=_("GB/T 4754 的 2～4 位代码，多个用逗号分隔")
)
F_KEY = FieldSpec(name="target_filter.key_sector", label=_("仅重点监管企业"), kind=Kind.BOOLEAN)
FILTER_SPECS = (F_REGION, F_CATEGORIES, F_FEATURES, F_RISK, F_INDUSTRY, F_KEY)
LISTS = {F_CATEGORIES.name, F_FEATURES.name, F_RISK.name}

MAIN_SPECS = (
    services.TITLE,
    services.KIND,
    services.STARTS,
    services.ENDS,
    services.ROUTE.but(required=True),
    services.DAYS.but(help=_("启动之日起的工作日数（含节假日调休），不超过结束日期")),
    services.LEAD.but(help=_("不选：由安委办牵头")),
    services.DOCUMENT,
)


def options(regions: list[Any], departments: Iterable[Department]) -> dict[str, list[tuple[str, str]]]:
    features = [(f.name, str(f.verbose_name)) for f in Enterprise._meta.fields if f.name in RISK_FEATURES]
    return {
        F_REGION.name: [(r.code, r.name) for r in regions],
        F_CATEGORIES.name: list(Category.objects.order_by("code").values_list("code", "name")),
        F_FEATURES.name: features,
        F_RISK.name: [(v, str(label)) for v, label in RiskLevel.choices],
        services.LEAD.name: [(str(d.pk), d.name) for d in departments],
    }


def posted_data(post: QueryDict, files: Any) -> dict[str, Any]:
    """What the service reads, from the posted form."""
    data: dict[str, Any] = {spec.name: post.get(spec.name, "") for spec in MAIN_SPECS}
    data[services.DOCUMENT.name] = files.get(services.DOCUMENT.name)
    data["target_filter"] = {
        spec.name.split(".", 1)[1]: post.getlist(spec.name) if spec.name in LISTS else post.get(spec.name, "")
        for spec in FILTER_SPECS
    }
    for seed in ("seed_hazard", "seed_accident"):
        if post.get(seed):
            data[seed] = post.get(seed)
    if post.get("proposal"):
        data["targets"] = post.getlist("targets")
    ms_titles, ms_dates = post.getlist("milestone_title"), post.getlist("milestone_due")
    data["milestones"] = [{"title": t, "due_on": d} for t, d in zip(ms_titles, ms_dates, strict=False) if t or d]
    return data


def form_values(post: QueryDict) -> dict[str, Any]:
    """What the form shows again after a refusal: exactly what was typed."""
    shown: dict[str, Any] = {spec.name: post.get(spec.name, "") for spec in MAIN_SPECS if spec.kind != Kind.FILE}
    for spec in FILTER_SPECS:
        shown[spec.name] = post.getlist(spec.name) if spec.name in LISTS else post.get(spec.name, "")
    return shown
