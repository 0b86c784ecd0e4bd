"""The fields of accidents, denominators, disasters and responses, each named once. Page forms,
API request schemas, Excel columns and the validators (`validation.py`) are derived from these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from safeloop.accidents.models import Accident, AccidentReport, Denominator, Disaster, EmergencyResponse
from safeloop.core.fields import Kind, by_name, model_spec

WAN = gettext_noop("万元")  # units stay plain text: the money reader converts by them


def _accident(name: str, kind: Kind | None = None, **options):
    return model_spec(Accident, name, kind, **options)


ACCIDENT_FIELDS = (
    _accident("title"),
    _accident("occurred_at", not_future=True),
    _accident("region", help=_("县（市、区）或乡镇（街道）")),
    _accident("sector"),
    _accident("production_safety"),
    _accident("deaths"),
    _accident("missing"),
    _accident("serious_injuries"),
    _accident("injuries"),
    _accident("direct_loss", Kind.MONEY, unit=WAN),
    _accident("description"),
    _accident("enterprise"),
    _accident("factor_person"),
    _accident("factor_vehicle"),
    _accident("factor_road"),
    _accident("factor_enterprise"),
)
ACCIDENT = by_name(ACCIDENT_FIELDS)
FIGURES = ("deaths", "missing", "serious_injuries", "injuries", "direct_loss")
ROAD_FACTORS = ("factor_person", "factor_vehicle", "factor_road", "factor_enterprise")
# A 续报's note: why the figures changed (kept on the report).
REPORT_NOTE = model_spec(AccidentReport, "note", label=_("续报说明"), help=_("伤亡人数或损失有变化时说明原因"))
# An edit may say why its figures changed.
ACCIDENT_EDIT_FIELDS = (*ACCIDENT_FIELDS, REPORT_NOTE)
# The 续报 form: the figures as they are now, every one given.
CASUALTY_FIELDS = (*(ACCIDENT[name].but(required=True) for name in FIGURES), REPORT_NOTE)

DENOMINATOR_FIELDS = (
    model_spec(Denominator, "region", label=_("区划代码")),
    model_spec(Denominator, "year", minimum=1949, maximum=2100),
    model_spec(Denominator, "gdp", Kind.MONEY, unit=gettext_noop("亿元")),
    model_spec(Denominator, "population", unit=gettext_noop("人")),
    model_spec(Denominator, "industrial_employees", unit=gettext_noop("人")),
    model_spec(Denominator, "motor_vehicles", unit=gettext_noop("辆")),
    model_spec(Denominator, "source"),
)
DENOMINATOR = by_name(DENOMINATOR_FIELDS)
DENOMINATOR_FIGURES = ("gdp", "population", "industrial_employees", "motor_vehicles", "source")


def _disaster(name: str, kind: Kind | None = None, **options):
    return model_spec(Disaster, name, kind, **options)


DISASTER_FIELDS = (
    _disaster("title"),
    _disaster("kind"),
    _disaster("occurred_on", not_future=True),
    _disaster("region"),
    _disaster("affected"),
    _disaster("deaths"),
    _disaster("missing"),
    _disaster("direct_loss", Kind.MONEY, unit=WAN),
)
DISASTER = by_name(DISASTER_FIELDS)


def _response(name: str, kind: Kind | None = None, **options):
    return model_spec(EmergencyResponse, name, kind, **options)


RESPONSE_FIELDS = (
    _response("title"),
    _response("region"),
    _response("disaster"),
    _response("reported_at", not_future=True),
    _response("response_started_at", not_future=True),
    _response("relief_needed"),
    _response("relief_arrived_at", not_future=True),
    _response("relief_distributed_at", not_future=True),
)
RESPONSE = by_name(RESPONSE_FIELDS)
# The clock of a response, in the order its moments must follow.
RESPONSE_CLOCK = ("reported_at", "response_started_at", "relief_arrived_at", "relief_distributed_at")
