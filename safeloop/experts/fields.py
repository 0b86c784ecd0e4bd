"""The fields of an expert's profile and of a stationing, each named once (form, API, Excel)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, by_name, model_spec
from safeloop.experts.models import Conflict, Expert, MatchingRun, Stationing, Visit

EXPERT_FIELDS = (
    model_spec(Expert, "name"),
    model_spec(Expert, "employer"),
    model_spec(Expert, "title"),
    model_spec(Expert, "phone", Kind.PHONE),
    model_spec(Expert, "home_lat", minimum=-90, maximum=90),
    model_spec(Expert, "home_lng", minimum=-180, maximum=180),
    model_spec(Expert, "capacity", minimum=0, maximum=100),
    model_spec(Expert, "active"),
    FieldSpec(name="county", label=_("所在县市区"), help=_("县市区名称，如“赫山区”")),
    FieldSpec(
        name="specialties",
        label=_("专业"),
        help=_("监管行业名称或代码，多个用“、”分隔，可在名称后加“（高级）”“（中级）”“（初级）”"),
    ),
    FieldSpec(name="certificate", label=_("证书名称")),
    FieldSpec(name="certificate_expires_on", label=_("证书有效期至"), kind=Kind.DATE, years_ahead=20),
)
EXPERT = by_name(EXPERT_FIELDS)

STATIONING_FIELDS = (
    model_spec(Stationing, "starts_on", required=False, help=_("不填则为今天")),
    model_spec(Stationing, "planned_end_on"),
)
OVERRIDE_REASON = model_spec(Stationing, "override_reason").but(name="reason", label=_("提前撤离理由"))

VISIT_FIELDS = (
    model_spec(Visit, "expert"),
    model_spec(Visit, "enterprise"),
    model_spec(Visit, "on", years_ahead=1),
    model_spec(Visit, "purpose"),
)
VISIT = by_name(VISIT_FIELDS)
CHANGE_TO = FieldSpec(name="to_expert", label=_("改派专家"), kind=Kind.REF, required=True)
APPLY_ON = model_spec(
    MatchingRun, "visit_on", required=True, years_ahead=1, help=_("下达后生成计划服务，专家可在“我的专家服务”中查看")
)
CONFLICT_FIELDS = (
    model_spec(Conflict, "enterprise"),
    model_spec(Conflict, "kind"),
    model_spec(Conflict, "note"),
)
CONFLICT = by_name(CONFLICT_FIELDS)
VISIT_SUMMARY = model_spec(Visit, "findings", required=True, max_length=4000, help=_("服务内容、发现的主要问题和建议"))
RATINGS = (
    ("5", _("5 分 非常满意")),
    ("4", _("4 分 满意")),
    ("3", _("3 分 一般")),
    ("2", _("2 分 不满意")),
    ("1", _("1 分 很不满意")),
)
RATE_FIELDS = (
    FieldSpec(name="rating", label=_("评价"), kind=Kind.CHOICE, required=True, choices=RATINGS),
    model_spec(Visit, "rating_note"),
)
