"""The fields of the flood records, each named once: forms, API schemas, Excel columns and the
services' reader are derived from these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from safeloop.core.fields import FieldSpec, Kind, by_name, model_spec
from safeloop.flood.models import (
    Alert,
    Danger,
    Depot,
    DroughtReport,
    DutyLog,
    DutyShift,
    Patrol,
    Relief,
    RescueTeam,
    RiskPoint,
    Stock,
    ZeroReport,
)
from safeloop.flood.models import Evacuation as EvacuationModel
from safeloop.flood.reference import level_choices

COORD = {"lat": (3, 54), "lng": (73, 136)}  # China's extent, as the registry bounds enterprises


def _point(name: str, kind: Kind | None = None, **options):
    return model_spec(RiskPoint, name, kind, **options)


RISK_POINT_FIELDS = (
    _point("name"),
    _point("kind"),
    _point("level"),
    _point("region", label=_("所在乡镇"), help=_("乡镇（街道）区划代码")),
    _point("location"),
    _point("lat", minimum=COORD["lat"][0], maximum=COORD["lat"][1]),
    _point("lng", minimum=COORD["lng"][0], maximum=COORD["lng"][1]),
    _point("people_threatened", unit=gettext_noop("人")),
    _point("property_threatened", Kind.MONEY, unit=gettext_noop("万元")),
    _point("admin_person"),
    _point("admin_phone", Kind.PHONE),
    _point("tech_person"),
    _point("tech_phone", Kind.PHONE),
    _point("patrol_person"),
    _point("patrol_phone", Kind.PHONE),
    _point("evacuation_route"),
    _point("shelter"),
)
RISK_POINT = by_name(RISK_POINT_FIELDS)
PERSON_FIELDS = ("admin_person", "admin_phone", "tech_person", "tech_phone", "patrol_person", "patrol_phone")

PATROL_FIELDS = (
    FieldSpec(name="risk_point", label=_("风险点"), kind=Kind.REF, required=True),
    model_spec(Patrol, "patrolled_at", required=True, not_future=True),
    model_spec(Patrol, "patroller_names", required=False, help=_("多人用顿号分隔；不填为本账号")),
    model_spec(Patrol, "lat", minimum=COORD["lat"][0], maximum=COORD["lat"][1], help=_("手机定位自动填写")),
    model_spec(Patrol, "lng", minimum=COORD["lng"][0], maximum=COORD["lng"][1], help=_("手机定位自动填写")),
    model_spec(Patrol, "finding"),
    model_spec(Patrol, "description", help=_("发现险情时写明部位、范围和发展情况")),
    FieldSpec(name="photos", label=_("现场照片"), kind=Kind.FILE, accept="image/*"),
)
PATROL = by_name(PATROL_FIELDS)

HANDLE = model_spec(Danger, "measures", required=True)
CLEAR = model_spec(Danger, "result", required=True)

SHIFT_FIELDS = (
    model_spec(DutyShift, "region", label=_("值班单位"), help=_("县（市、区）或乡镇（街道）区划代码")),
    model_spec(DutyShift, "on_date", years_ahead=1),
    model_spec(DutyShift, "leader"),
    model_spec(DutyShift, "leader_phone", Kind.PHONE),
    model_spec(DutyShift, "staff"),
    model_spec(DutyShift, "staff_phone", Kind.PHONE),
)
LOG_FIELDS = (
    model_spec(DutyLog, "region", label=_("值班单位")),
    model_spec(DutyLog, "on_date", not_future=True),
    model_spec(DutyLog, "content"),
    model_spec(DutyLog, "handover"),
)
ZERO_FIELDS = (
    model_spec(ZeroReport, "region", label=_("报告乡镇")),
    model_spec(ZeroReport, "on_date", not_future=True, required=False, help=_("不填为今天")),
    model_spec(ZeroReport, "nil"),
    model_spec(ZeroReport, "content", help=_("有险情、灾情或转移时写明；无则可不填")),
)

ALERT_FIELDS = (
    model_spec(Alert, "kind"),
    FieldSpec(
        name="level",
        label=_("级别"),
        kind=Kind.CHOICE,
        required=True,
        choices=level_choices("warning") + level_choices("response"),
        help=_("预警分蓝、黄、橙、红四级，应急响应分Ⅳ、Ⅲ、Ⅱ、Ⅰ四级"),
    ),
    model_spec(Alert, "region", label=_("发布区域"), help=_("市或县（市、区）区划代码")),
    model_spec(Alert, "title"),
    model_spec(Alert, "document_no"),
    model_spec(Alert, "document"),
    model_spec(Alert, "reported_at", not_future=True),
    model_spec(Alert, "started_at", not_future=True),
)
ALERT = by_name(ALERT_FIELDS)
END_FIELDS = (
    model_spec(Alert, "ended_at", required=True, not_future=True),
    model_spec(Alert, "end_document_no", required=True),
    model_spec(Alert, "end_document", required=True),
)
TIMES_FIELDS = (model_spec(Alert, "reported_at", not_future=True), model_spec(Alert, "started_at", not_future=True))

EVACUATION_FIELDS = (
    model_spec(EvacuationModel, "region", label=_("乡镇")),
    model_spec(EvacuationModel, "people", minimum=1, unit=gettext_noop("人")),
    model_spec(EvacuationModel, "shelter"),
    model_spec(EvacuationModel, "moved_at", not_future=True),
)
RELIEF_FIELDS = (
    model_spec(Relief, "region", label=_("乡镇")),
    model_spec(Relief, "items"),
    model_spec(Relief, "arrived_at", not_future=True),
    model_spec(Relief, "distributed_at", not_future=True),
)
RELIEF = by_name(RELIEF_FIELDS)

DROUGHT_FIELDS = (
    model_spec(DroughtReport, "region", label=_("乡镇")),
    model_spec(DroughtReport, "on_date", not_future=True),
    model_spec(DroughtReport, "affected_area", minimum=0, unit=gettext_noop("亩")),
    model_spec(DroughtReport, "people_short_of_water", unit=gettext_noop("人")),
    model_spec(DroughtReport, "measures"),
)

DEPOT_FIELDS = (
    model_spec(Depot, "region", label=_("所在乡镇")),
    model_spec(Depot, "name"),
    model_spec(Depot, "address"),
    model_spec(Depot, "keeper"),
    model_spec(Depot, "keeper_phone", Kind.PHONE),
)
STOCK_FIELDS = (
    FieldSpec(name="depot", label=_("物资仓库"), kind=Kind.REF, required=True),
    model_spec(Stock, "item"),
    model_spec(Stock, "quantity"),
)
TEAM_FIELDS = (
    model_spec(RescueTeam, "region", label=_("所在乡镇")),
    model_spec(RescueTeam, "name"),
    model_spec(RescueTeam, "leader"),
    model_spec(RescueTeam, "leader_phone", Kind.PHONE),
    model_spec(RescueTeam, "members", minimum=1),
    model_spec(RescueTeam, "equipment"),
)
