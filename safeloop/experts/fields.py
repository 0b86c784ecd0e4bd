"""The fields of an expert's profile and of a stationing, each named once (form, API, Excel)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, by_name, model_spec
from safeloop.experts.models import Expert, Stationing

EXPERT_FIELDS = (
    model_spec(Expert, "name"),
    model_spec(Expert, "employer"),
    model_spec(Expert, "title"),
    model_spec(Expert, "phone", Kind.PHONE),
    model_spec(Expert, "home_lat", minimum=-90, maximum=90),
    model_spec(Expert, "home_lng", minimum=-180, maximum=180),
    model_spec(Expert, "capacity", minimum=0, maximum=100),
    model_spec(Expert, "active"),
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
