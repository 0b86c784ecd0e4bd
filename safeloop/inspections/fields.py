"""The fields of a plan, a draw, an inspection and its actions, each named once (form, API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, by_name, choices_of, model_spec
from safeloop.inspections.models import Draw, Inspection, OverCapReason, Plan
from safeloop.inspections.models import Kind as InspectionKind
from safeloop.registry.models import RiskLevel

PLAN_FIELDS = (
    FieldSpec(name="department", label=_("执法主体"), kind=Kind.REF, required=True),
    model_spec(Plan, "year", minimum=2000, maximum=2100),
    model_spec(Plan, "name"),
    model_spec(Plan, "target_total", minimum=0, maximum=1_000_000),
    model_spec(Plan, "random_share", minimum=0, maximum=100),
    FieldSpec(name="key_enterprises", label=_("重点检查企业"), kind=Kind.IDS),
    FieldSpec(
        name="key_from_register",
        label=_("将重大风险（红色）和重点监管企业列为重点检查企业"),
        kind=Kind.BOOLEAN,
        help=_("按企业档案中的风险等级和重点监管标记，限本部门管辖区域和监管行业"),
    ),
)
PLAN = by_name(PLAN_FIELDS)

DRAW_FIELDS = (
    FieldSpec(name="department", label=_("执法主体"), kind=Kind.REF, required=True),
    FieldSpec(name="plan", label=_("检查计划"), kind=Kind.REF),
    model_spec(Draw, "title"),
    model_spec(Draw, "count", minimum=1, maximum=100_000),
    FieldSpec(
        name="seed", label=_("随机种子"), kind=Kind.INTEGER, minimum=0, maximum=2**63 - 1, help=_("不填则自动生成")
    ),
    FieldSpec(
        name="categories", label=_("监管行业"), help=_("监管行业代码，多个用逗号分隔；不填为本部门监管的全部行业")
    ),
    FieldSpec(name="risk_levels", label=_("风险等级"), help=_("red、orange、yellow、blue，多个用逗号分隔；不填为全部")),
    FieldSpec(name="planned_on", label=_("计划检查日期"), kind=Kind.DATE, years_ahead=2),
)
DRAW = by_name(DRAW_FIELDS)
RISK_CODES = {value for value, _label in RiskLevel.choices}

INSPECTION_FIELDS = (
    FieldSpec(name="enterprise", label=_("被检查企业"), kind=Kind.REF, required=True),
    FieldSpec(name="enforcement_body", label=_("执法主体"), kind=Kind.REF, required=True),
    FieldSpec(
        name="officers", label=_("执法人员"), kind=Kind.IDS, required=True, help=_("不少于两名持执法证的本部门人员")
    ),
    FieldSpec(
        name="assistants", label=_("辅助人员"), help=_("专家、网格员等，只能协助检查，如“王工（专家）、李四（网格员）”")
    ),
    FieldSpec(name="kind", label=_("检查类型"), kind=Kind.CHOICE, choices=choices_of(InspectionKind)),
    model_spec(Inspection, "planned_on", required=False, help=_("不填则为今天")),
    model_spec(Inspection, "items"),
    FieldSpec(name="plan", label=_("检查计划"), kind=Kind.REF),
    FieldSpec(
        name="over_cap_reason",
        label=_("超频次检查理由"),
        kind=Kind.CHOICE,
        choices=choices_of(OverCapReason),
        help=_("本年度已达检查频次上限时必填"),
    ),
    model_spec(Inspection, "over_cap_note"),
    FieldSpec(
        name="joint_with",
        label=_("联合检查"),
        help=_("与其他部门对该企业的待检查任务合并为一次入企（综合查一次）：填写对方的检查编号"),
    ),
)
INSPECTION = by_name(INSPECTION_FIELDS)

LAT = FieldSpec(name="lat", label=_("纬度"), kind=Kind.DECIMAL, minimum=-90, maximum=90, places=6, digits=3)
LNG = FieldSpec(name="lng", label=_("经度"), kind=Kind.DECIMAL, minimum=-180, maximum=180, places=6, digits=3)
ACCURACY = FieldSpec(name="accuracy", label=_("定位精度（米）"), kind=Kind.INTEGER, minimum=0, maximum=1_000_000)
SUMMARY = model_spec(Inspection, "summary")
REASON = FieldSpec(name="reason", label=_("取消理由"), required=True)
RATING = FieldSpec(name="rating", label=_("企业评价"), kind=Kind.INTEGER, required=True, minimum=1, maximum=5)
RATING_NOTE = model_spec(Inspection, "rating_note")
