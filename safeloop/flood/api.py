"""/api/v1/flood/…: risk points, patrols, duty, zero reports, warnings and responses (API.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import ModelSchema, Query, Router, Schema, Status

from safeloop.core.api import OutSchema, Paging, action_routes, input_schema, page_of, paginate
from safeloop.flood.fields import (
    ALERT_FIELDS,
    END_FIELDS,
    EVACUATION_FIELDS,
    PATROL_FIELDS,
    RELIEF_FIELDS,
    RISK_POINT_FIELDS,
    ZERO_FIELDS,
)
from safeloop.flood.models import Alert, Danger, Evacuation, Patrol, Relief, RiskPoint
from safeloop.flood.selectors import (
    FloodFilters,
    alert_get,
    alert_list,
    danger_get,
    danger_list,
    duty_today,
    patrol_list,
    risk_point_get,
    risk_point_list,
    zero_report_status,
)
from safeloop.flood.services import (
    alert_end,
    alert_start,
    evacuation_record,
    patrol_record,
    relief_record,
    relief_update,
    risk_point_create,
    zero_report_submit,
)
from safeloop.flood.workflow import FLOW, danger_act

router = Router(tags=["防汛抗旱"])

RiskPointIn = input_schema("FloodRiskPointIn", RISK_POINT_FIELDS)
PatrolIn = input_schema("FloodPatrolIn", tuple(s for s in PATROL_FIELDS if s.name != "photos"))
ZeroReportIn = input_schema("FloodZeroReportIn", ZERO_FIELDS)
WarningIn = input_schema("FloodWarningIn", ALERT_FIELDS)
WarningEnd = input_schema("FloodWarningEnd", END_FIELDS, extra={"version": (int | None, None)})


class Responsible(Schema):
    duty: str
    label: str
    name: str
    phone: str


class RiskPointOut(ModelSchema, OutSchema):
    """A risk point with its responsible persons (行政、技术、巡查责任人)."""

    region_name: str
    responsible: list[Responsible]

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name

    class Meta:
        model = RiskPoint
        exclude = ["created_at", "updated_at"]


class PatrolOut(ModelSchema, OutSchema):
    danger: str | None = None

    @staticmethod
    def resolve_danger(obj) -> str | None:
        return obj.danger.code if hasattr(obj, "danger") else None

    class Meta:
        model = Patrol
        exclude = ["patroller"]


class WarningOut(ModelSchema, OutSchema):
    """A warning (`level` blue/yellow/orange/red) or a response (`level` IV…I)."""

    class Meta:
        model = Alert
        exclude = ["chain_head"]


class ShiftOut(Schema):
    region: str
    region_name: str
    leader: str
    leader_phone: str
    staff: str
    staff_phone: str


class LogOut(Schema):
    region: str
    written_at: datetime
    content: str
    handover: str


class DutyOut(OutSchema):
    day: date
    shifts: list[ShiftOut]
    logs: list[LogOut]
    zero_reports_due: datetime
    zero_reports_overdue: bool
    zero_reported: list[str]
    zero_missing: list[str]


@router.get("/flood/risk-points", response=page_of(RiskPointOut), summary="防汛风险点（按管辖范围）")
def risk_points(request: HttpRequest, filters: Query[FloodFilters], paging: Query[Paging]):
    return paginate(request, risk_point_list(request.user, filters), paging)


@router.post("/flood/risk-points", response={201: RiskPointOut}, summary="登记风险点；行政、技术、巡查责任人及电话必填")
def risk_point_post(request: HttpRequest, payload: RiskPointIn):
    point = risk_point_create(actor=request.user, data=payload.dict())
    return Status(201, risk_point_get(request.user, point.pk))


@router.get("/flood/patrols", response=page_of(PatrolOut), summary="巡堤查险记录")
def patrols(request: HttpRequest, filters: Query[FloodFilters], paging: Query[Paging]):
    return paginate(request, patrol_list(request.user, filters), paging)


@router.post(
    "/flood/patrols",
    response={201: PatrolOut},
    summary="登记巡查；坐标距乡镇中心超出设定距离则拒绝；发现险情即生成险情（danger 为其编号）",
)
def patrol_post(request: HttpRequest, payload: PatrolIn):
    patrol = patrol_record(actor=request.user, data=payload.dict())
    return Status(201, patrol_list(request.user, FloodFilters()).get(pk=patrol.pk))


@router.get("/flood/duty", response=DutyOut, summary="今日值班、值班日志和零报告情况")
def duty(request: HttpRequest):
    today = duty_today(request.user)
    zero = zero_report_status(request.user, today["day"])
    return {
        "day": today["day"],
        "shifts": [
            {
                "region": s.region_id,
                "region_name": s.region.name,
                "leader": s.leader,
                "leader_phone": s.leader_phone,
                "staff": s.staff,
                "staff_phone": s.staff_phone,
            }
            for s in today["shifts"]
        ],
        "logs": [
            {"region": lg.region_id, "written_at": lg.written_at, "content": lg.content, "handover": lg.handover}
            for lg in today["logs"]
        ],
        "zero_reports_due": zero.due,
        "zero_reports_overdue": zero.overdue,
        "zero_reported": [r.region_id for r in zero.reported],
        "zero_missing": [t.code for t in zero.missing],
    }


class ZeroReportOut(OutSchema):
    region: str
    on_date: date
    nil: bool
    reported_at: datetime


@router.post("/flood/zero-reports", response={201: ZeroReportOut}, summary="乡镇每日零报告（无险情也报告）")
def zero_report_post(request: HttpRequest, payload: ZeroReportIn):
    report = zero_report_submit(actor=request.user, data=payload.dict(exclude_unset=True))
    return Status(
        201,
        {"region": report.region_id, "on_date": report.on_date, "nil": report.nil, "reported_at": report.reported_at},
    )


@router.get("/flood/warnings", response=page_of(WarningOut), summary="预警和应急响应")
def warnings(request: HttpRequest, paging: Query[Paging]):
    return paginate(request, alert_list(request.user), paging)


@router.post("/flood/warnings", response={201: WarningOut}, summary="发布预警或启动应急响应（附文件）")
def warning_post(request: HttpRequest, payload: WarningIn):
    alert = alert_start(actor=request.user, data=payload.dict())
    return Status(201, alert_get(request.user, alert.pk))


@router.post("/flood/warnings/{int:alert_id}/end", response=WarningOut, summary="结束预警或应急响应（附文件）")
def warning_end(request: HttpRequest, alert_id: int, payload: WarningEnd):
    alert_get(request.user, alert_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    alert_end(actor=request.user, alert_id=alert_id, data=data, version=version)
    return alert_get(request.user, alert_id)


class DangerOut(ModelSchema, OutSchema):
    """A 险情: `status` reported → handling → cleared, with its deadlines in hours."""

    class Meta:
        model = Danger
        exclude = ["chain_head"]


@router.get("/flood/dangers", response=page_of(DangerOut), summary="险情（按管辖范围）")
def dangers(request: HttpRequest, paging: Query[Paging]):
    return paginate(request, danger_list(request.user), paging)


def _act(request: HttpRequest, danger_id: int, action: str, body: dict[str, Any]) -> Danger:
    version = body.pop("version", None)
    danger_act(pk=danger_id, actor=request.user, action=action, version=version, data=body)
    return danger_get(request.user, danger_id)


# POST /flood/dangers/{id}/actions/{action}: handle, clear (the table of flood/workflow.py).
action_routes(
    router,
    path="/flood/dangers/{int:danger_id}/actions",
    key="danger_id",
    transitions=FLOW.transitions,
    act=_act,
    response=DangerOut,
    prefix="FloodDangerAction",
)


EvacuationIn = input_schema("FloodEvacuationIn", EVACUATION_FIELDS)
ReliefIn = input_schema("FloodReliefIn", RELIEF_FIELDS)
ReliefPatch = input_schema("FloodReliefPatch", RELIEF_FIELDS, partial=True, extra={"version": (int | None, None)})


class EvacuationOut(ModelSchema, OutSchema):
    class Meta:
        model = Evacuation
        fields = ["id", "alert", "region", "people", "shelter", "moved_at"]


class ReliefOut(ModelSchema, OutSchema):
    class Meta:
        model = Relief
        fields = ["id", "alert", "region", "items", "arrived_at", "distributed_at", "version"]


@router.post(
    "/flood/warnings/{int:alert_id}/evacuations", response={201: EvacuationOut}, summary="应急响应下登记转移安置"
)
def evacuation_post(request: HttpRequest, alert_id: int, payload: EvacuationIn):
    alert_get(request.user, alert_id)
    return Status(201, evacuation_record(actor=request.user, alert_id=alert_id, data=payload.dict()))


@router.post(
    "/flood/warnings/{int:alert_id}/reliefs",
    response={201: ReliefOut},
    summary="应急响应下登记救灾物资（送达、发放到户时间计入救助时间指标）",
)
def relief_post(request: HttpRequest, alert_id: int, payload: ReliefIn):
    alert_get(request.user, alert_id)
    return Status(201, relief_record(actor=request.user, alert_id=alert_id, data=payload.dict()))


@router.patch("/flood/reliefs/{int:relief_id}", response=ReliefOut, summary="更正物资送达或发放到户时间")
def relief_patch(request: HttpRequest, relief_id: int, payload: ReliefPatch):
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    return relief_update(actor=request.user, relief_id=relief_id, data=data, version=version)
