"""/inspection-plans, /inspections, /draws, /public/draws (API.md, issue 13)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Body, Query, Router, Schema, Status

from safeloop.core.api import Paging, action_routes, page_of, paginate
from safeloop.inspections.models import Draw, Inspection, ParticipantRole, Plan
from safeloop.inspections.selectors import (
    InspectionFilters,
    PlanFilters,
    draw_detail,
    draws_visible,
    inspection_detail,
    inspection_list,
    plan_detail,
    plan_progress,
    plans_visible,
    public_draw,
)
from safeloop.inspections.services import draw_create, draw_verify, inspection_check, inspection_create, plan_create
from safeloop.inspections.workflow import FLOW, inspection_act
from safeloop.registry.models import Enterprise

router = Router(tags=["行政检查"])


class PlanOut(Schema):
    id: int
    department: int
    department_name: str
    year: int
    name: str
    target_total: int
    random_share: int
    targets: dict[str, int]
    key_enterprises: list[int]
    status: str
    version: int


def _plan(p: Plan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "department": p.department_id,
        "department_name": p.department.name,
        "year": p.year,
        "name": p.name,
        "target_total": p.target_total,
        "random_share": p.random_share,
        "targets": p.targets,
        "key_enterprises": [e.pk for e in p.key_enterprises.all()],
        "status": p.status,
        "version": p.version,
    }


@router.get("/inspection-plans", response=page_of(PlanOut), summary="年度执法检查计划")
def plans(request: HttpRequest, paging: Query[Paging], filters: Query[PlanFilters]):
    qs = plans_visible(request.user).prefetch_related("key_enterprises")
    if filters.year:
        qs = qs.filter(year=int(filters.year))
    return paginate(request, qs, paging, prepare=lambda rows: [_plan(p) for p in rows])


@router.post("/inspection-plans", response={201: PlanOut}, summary="新建年度执法检查计划")
def plan_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    plan = plan_create(actor=request.user, data=payload)
    return Status(201, _plan(plan_detail(request.user, plan.pk)))


@router.get("/inspection-plans/{int:plan_id}", summary="检查计划（含按月进度）")
def plan_get(request: HttpRequest, plan_id: int):
    plan = plan_detail(request.user, plan_id)
    return _plan(plan) | {"progress": plan_progress(plan)}


class OfficerOut(Schema):
    user: int | None
    name: str
    certificate_no: str


class AssistantOut(Schema):
    name: str
    kind: str


class InspectionOut(Schema):
    id: int
    code: str
    enterprise: int
    enterprise_name: str
    enforcement_body: int
    enforcement_body_name: str
    kind: str
    status: str
    planned_on: date
    checked_in_at: datetime | None
    closed_at: datetime | None
    not_checked_in: bool
    officers: list[OfficerOut]
    assistants: list[AssistantOut]
    findings: list[str]
    over_cap_reason: str
    joint_code: str
    rating: int | None
    draw: int | None
    version: int
    actions: list[str]


def _inspection(i: Inspection, user: Any) -> dict[str, Any]:
    people = list(i.participants.all())
    return {
        "id": i.pk,
        "code": i.code,
        "enterprise": i.enterprise_id,
        "enterprise_name": i.enterprise.name,
        "enforcement_body": i.enforcement_body_id,
        "enforcement_body_name": i.enforcement_body.name,
        "kind": i.kind,
        "status": i.status,
        "planned_on": i.planned_on,
        "checked_in_at": i.checked_in_at,
        "closed_at": i.closed_at,
        "not_checked_in": i.status == "closed" and i.checked_in_at is None,
        "officers": [
            {"user": p.user_id, "name": p.name, "certificate_no": p.certificate_no}
            for p in people
            if p.role == ParticipantRole.OFFICER
        ],
        "assistants": [
            {"name": p.name, "kind": p.assistant_kind} for p in people if p.role == ParticipantRole.ASSISTANT
        ],
        "findings": [f.hazard.code for f in i.findings.all()],
        "over_cap_reason": i.over_cap_reason,
        "joint_code": i.joint_code,
        "rating": i.rating,
        "draw": i.draw_id,
        "version": i.version,
        "actions": [t.action for t in FLOW.available(user, i)],
    }


def _rows(user: Any) -> Any:
    return lambda rows: [_inspection(i, user) for i in rows]


@router.get("/inspections", response=page_of(InspectionOut), summary="行政检查")
def inspections(request: HttpRequest, paging: Query[Paging], filters: Query[InspectionFilters]):
    """The list's filters as the page reads them (a year or id out of range is a 400 naming it)."""
    qs = inspection_list(request.user, filters).prefetch_related("participants", "findings__hazard")
    return paginate(request, qs, paging, prepare=_rows(request.user))


@router.post("/inspections", response={201: InspectionOut}, summary="登记行政检查（执法主体、两名以上持证执法人员）")
def inspection_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    inspection = inspection_create(actor=request.user, data=payload)
    return Status(201, _inspection(inspection_detail(request.user, inspection.pk), request.user))


@router.post("/inspections/precheck", summary="检查前提示：本年度检查次数、频次上限、可联合检查的部门")
def inspection_precheck(request: HttpRequest, payload: Body[dict[str, Any]]):
    return inspection_check(actor=request.user, data=payload)


@router.get("/inspections/{int:inspection_id}", response=InspectionOut, summary="行政检查详情")
def inspection_get(request: HttpRequest, inspection_id: int):
    return _inspection(inspection_detail(request.user, inspection_id), request.user)


def _act(request: HttpRequest, inspection_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    current = inspection_detail(request.user, inspection_id)  # 404 outside the scope, before anything else
    data = dict(body)
    version = data.pop("version", None)
    inspection_act(pk=inspection_id, actor=request.user, action=action, version=version or current.version, data=data)
    return _inspection(inspection_detail(request.user, inspection_id), request.user)


@router.post(
    "/inspections/{int:inspection_id}/check-in", response=InspectionOut, summary="扫码入企（记录人员、时间、位置）"
)
def inspection_check_in(request: HttpRequest, inspection_id: int, payload: Body[dict[str, Any]]):
    return _act(request, inspection_id, "check_in", payload)


@router.post(
    "/inspections/{int:inspection_id}/findings", response={201: InspectionOut}, summary="记录检查发现（生成隐患）"
)
def inspection_finding(request: HttpRequest, inspection_id: int, payload: Body[dict[str, Any]]):
    return Status(201, _act(request, inspection_id, "finding", payload))


action_routes(
    router,
    path="/inspections/{inspection_id}/actions",
    key="inspection_id",
    transitions=[t for t in FLOW.transitions if t.action in ("illegal", "close", "cancel", "rate")],
    act=_act,
    response=InspectionOut,
    prefix="Inspection",
)


class DrawOut(Schema):
    id: int
    department: int
    department_name: str
    title: str
    algorithm: str
    seed: str
    pool_filter: dict[str, Any]
    pool_size: int
    roster: list[int]
    count: int
    result: list[dict[str, Any]]
    result_hash: str
    created_at: datetime


def _draw(d: Draw) -> dict[str, Any]:
    return {
        "id": d.pk,
        "department": d.department_id,
        "department_name": d.department.name,
        "title": d.title,
        "algorithm": d.algorithm,
        "seed": d.seed,
        "pool_filter": d.pool_filter,
        "pool_size": len(d.pool),
        "roster": d.roster,
        "count": d.count,
        "result": d.result,
        "result_hash": d.result_hash,
        "created_at": d.created_at,
    }


@router.get("/draws", response=page_of(DrawOut), summary="双随机抽查")
def draws_list(request: HttpRequest, paging: Query[Paging]):
    return paginate(request, draws_visible(request.user), paging, prepare=lambda rows: [_draw(d) for d in rows])


@router.post("/draws", response={201: DrawOut}, summary="双随机抽取（存储种子与名录快照，可复核）")
def draw_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    draw = draw_create(actor=request.user, data=payload)
    return Status(201, _draw(draw_detail(request.user, draw.pk)))


@router.get("/draws/{int:draw_id}", response=DrawOut, summary="抽查详情（种子、名录快照、结果）")
def draw_get(request: HttpRequest, draw_id: int):
    return _draw(draw_detail(request.user, draw_id))


@router.get("/draws/{int:draw_id}/verify", summary="复核：用存储的种子和名录重新抽取，比较结果")
def draw_verify_get(request: HttpRequest, draw_id: int):
    return draw_verify(draw_detail(request.user, draw_id))


def public_result(draw: Draw) -> dict[str, Any]:
    """The 公开 result: the body, the matter, the date, the seed and digest, the enterprises drawn;
    no inspector's name or any other personal data."""
    names = dict(Enterprise.objects.filter(pk__in=[r["enterprise"] for r in draw.result]).values_list("pk", "name"))
    return {
        "id": draw.pk,
        "department_name": draw.department.name,
        "title": draw.title,
        "drawn_at": draw.created_at,
        "algorithm": draw.algorithm,
        "seed": draw.seed,
        "pool_size": len(draw.pool),
        "result_hash": draw.result_hash,
        "enterprises": [names.get(r["enterprise"], "") for r in draw.result],
        "paired": sum(1 for r in draw.result if r["inspectors"]),
    }


@router.get("/public/draws/{int:draw_id}", auth=None, summary="双随机抽查结果公开（无需登录，不含个人信息）")
def draw_public(request: HttpRequest, draw_id: int):
    return public_result(public_draw(draw_id))
