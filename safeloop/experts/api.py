"""/experts, /expert-matching, /stationings (API.md, issue 14)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Body, Field, Query, Router, Schema, Status

from safeloop.core.api import Paging, page_of, paginate
from safeloop.core.errors import NotFound
from safeloop.experts.models import Expert, Stationing, Visit
from safeloop.experts.selectors import (
    expert_detail,
    expert_list,
    run_detail,
    run_rows,
    stationing_detail,
    stationings_visible,
    visit_detail,
    visits_visible,
    workload,
)
from safeloop.experts.services import (
    conflict_add,
    expert_create,
    expert_update,
    matching_apply,
    matching_change,
    matching_run,
    require_planner,
    stationing_end,
    stationing_start,
    visit_create,
    visit_finding,
    visit_rate,
    visit_record,
)

router = Router(tags=["专家库"])


class SpecialtyOut(Schema):
    category: str
    category_name: str
    level: str


class ExpertOut(Schema):
    id: int
    name: str
    employer: str
    title: str
    home_lat: float
    home_lng: float
    capacity: int
    active: bool
    version: int
    specialties: list[SpecialtyOut]
    certificate_expires_on: date | None


def _expert(e: Expert) -> dict[str, Any]:
    certs = [c.expires_on for c in e.certificates.all()]
    return {
        "id": e.pk,
        "name": e.name,
        "employer": e.employer,
        "title": e.title,
        "home_lat": float(e.home_lat),
        "home_lng": float(e.home_lng),
        "capacity": e.capacity,
        "active": e.active,
        "version": e.version,
        "specialties": [
            {"category": s.category_id, "category_name": s.category.name, "level": s.level} for s in e.specialties.all()
        ],
        "certificate_expires_on": max(certs) if certs else None,
    }


@router.get("/experts", response=page_of(ExpertOut), summary="专家库（可按专业筛选）")
def experts(request: HttpRequest, paging: Query[Paging], category: str = "", active: bool | None = None):
    qs = expert_list(request.user, category=category, active=active).prefetch_related("certificates")
    return paginate(request, qs, paging, prepare=lambda rows: [_expert(e) for e in rows])


@router.post("/experts", response={201: ExpertOut}, summary="新增专家")
def expert_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    expert = expert_create(actor=request.user, data=payload)
    return Status(201, _expert(expert_detail(request.user, expert.pk)))


@router.get("/experts/{int:expert_id}", summary="专家详情（含工作量）")
def expert_get(request: HttpRequest, expert_id: int):
    expert = expert_detail(request.user, expert_id)
    return _expert(expert) | {"workload": workload(expert)}


@router.patch("/experts/{int:expert_id}", response=ExpertOut, summary="修改专家信息（version 防并发）")
def expert_patch(request: HttpRequest, expert_id: int, payload: Body[dict[str, Any]]):
    data = dict(payload)
    version = data.pop("version", None)
    expert_update(actor=request.user, pk=expert_id, data=data, version=version)
    return _expert(expert_detail(request.user, expert_id))


class MatchingIn(Schema):
    """Which enterprises (within the caller's scope) need an expert; every part optional."""

    category: str = Field("", title="监管行业", description="监管行业代码，如 hazchem")
    region: str = Field("", title="区划", description="县市区或乡镇代码")
    key_sector: bool = Field(False, title="重点行业领域")
    open_major: bool = Field(False, title="有未验收重大隐患")
    enterprises: list[int] = Field(default_factory=list, title="企业", description="企业 id")


class AssignmentOut(Schema):
    expert: int
    expert_name: str
    enterprise: int
    enterprise_name: str
    distance_km: float
    specialty: str
    explanation: str


class UnmatchedOut(Schema):
    enterprise: int
    enterprise_name: str
    reason: str


class MatchingOut(Schema):
    assignments: list[AssignmentOut]
    unmatched: list[UnmatchedOut]
    cost: float = Field(title="总距离（公里）")


@router.post("/expert-matching", response=MatchingOut, summary="专家匹配（行业分类、地域就近；最小费用流精确求解）")
def expert_matching(request: HttpRequest, response: HttpResponse, payload: MatchingIn):
    """The run is kept: its page (map, table, Excel, manual changes, 下达) is in `Location`."""
    result = matching_run(actor=request.user, filters=payload.dict())
    response["Location"] = reverse("experts:run", args=[result.pop("run")])
    return result


class StationingOut(Schema):
    id: int
    code: str
    expert: int
    expert_name: str
    enterprise: int
    enterprise_name: str
    starts_on: date
    planned_end_on: date | None
    status: str
    ended_on: date | None
    override_reason: str
    hazards: list[str]
    version: int


def _stationing(s: Stationing) -> dict[str, Any]:
    return {
        "id": s.pk,
        "code": s.code,
        "expert": s.expert_id,
        "expert_name": s.expert.name,
        "enterprise": s.enterprise_id,
        "enterprise_name": s.enterprise.name,
        "starts_on": s.starts_on,
        "planned_end_on": s.planned_end_on,
        "status": s.status,
        "ended_on": s.ended_on,
        "override_reason": s.override_reason,
        "hazards": [h.code for h in s.hazards.all()],
        "version": s.version,
    }


@router.get("/stationings", response=page_of(StationingOut), summary="专家驻企")
def stationings(request: HttpRequest, paging: Query[Paging], status: str = ""):
    qs = stationings_visible(request.user).prefetch_related("hazards")
    if status:
        qs = qs.filter(status=status)
    return paginate(request, qs, paging, prepare=lambda rows: [_stationing(s) for s in rows])


@router.post("/stationings", response={201: StationingOut}, summary="派驻专家（关联企业未验收的重大隐患）")
def stationing_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    data = dict(payload)
    stationing = stationing_start(
        actor=request.user,
        expert_id=_int(data.pop("expert", None)),
        enterprise_id=_int(data.pop("enterprise", None)),
        data=data,
    )
    return Status(201, _stationing(stationing_detail(request.user, stationing.pk)))


@router.post(
    "/stationings/{int:stationing_id}/end", response=StationingOut, summary="结束驻企（整改不到位、专家不撤离）"
)
def stationing_end_post(request: HttpRequest, stationing_id: int, payload: Body[dict[str, Any]]):
    data = dict(payload)
    version = data.pop("version", None)
    stationing_detail(request.user, stationing_id)  # 404 outside the scope, before anything else
    stationing_end(actor=request.user, pk=stationing_id, version=version, data=data)
    return _stationing(stationing_detail(request.user, stationing_id))


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


# ---------------------------------------------------------------- what the pages do, the API does too


class RunRowOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    expert: int | None
    expert_name: str
    distance_km: float | None
    specialty: str
    explanation: str
    reason: str
    manual: bool


class RunOut(Schema):
    id: int
    summary: str
    matched: int
    unmatched: int
    cost: float
    applied_at: datetime | None
    visit_on: date | None
    version: int
    rows: list[RunRowOut]


def _run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = run_detail(request.user, run_id)
    rows = run_rows(request.user, run)
    return {
        "id": run.pk,
        "summary": run.summary,
        "matched": run.matched,
        "unmatched": run.unmatched,
        "cost": round(run.cost_m / 1000, 1),
        "applied_at": run.applied_at,
        "visit_on": run.visit_on,
        "version": run.version,
        "rows": [
            {
                "id": r.pk,
                "enterprise": r.enterprise_id,
                "enterprise_name": r.enterprise.name,
                "expert": r.expert_id,
                "expert_name": r.expert.name if r.expert_id else "",
                "distance_km": round(r.metres / 1000, 1) if r.metres is not None else None,
                "specialty": r.specialty,
                "explanation": r.explanation,
                "reason": r.reason,
                "manual": r.manual,
            }
            for r in rows
        ],
    }


@router.get("/expert-matching/{int:run_id}", response=RunOut, summary="一次专家匹配的结果（含人工调整）")
def run_get(request: HttpRequest, run_id: int):
    require_planner(request.user)
    return _run(request, run_id)


class ChangeIn(Schema):
    to_expert: int = Field(title="改派专家", description="专家 id")
    reason: str = Field(title="调整理由")


@router.post(
    "/expert-matching/{int:run_id}/rows/{int:row_id}/change", response=RunOut, summary="人工改派（记录调整人和理由）"
)
def run_change(request: HttpRequest, run_id: int, row_id: int, payload: ChangeIn):
    require_planner(request.user)
    if not run_rows(request.user, run_detail(request.user, run_id)).filter(pk=row_id).exists():
        raise NotFound()
    matching_change(actor=request.user, row_id=row_id, data=payload.dict())
    return _run(request, run_id)


class ApplyIn(Schema):
    visit_on: date = Field(title="计划服务日期")
    version: int | None = Field(None, title="版本")


@router.post("/expert-matching/{int:run_id}/apply", response=RunOut, summary="下达：生成计划专家服务")
def run_apply(request: HttpRequest, run_id: int, payload: ApplyIn):
    require_planner(request.user)
    run_detail(request.user, run_id)
    matching_apply(actor=request.user, run_id=run_id, version=payload.version, data={"visit_on": payload.visit_on})
    return _run(request, run_id)


class VisitOut(Schema):
    id: int
    expert: int
    expert_name: str
    enterprise: int
    enterprise_name: str
    on: date
    purpose: str
    status: str
    findings: str
    hazards: list[str]
    rating: int | None
    rating_note: str
    from_matching: bool
    version: int


def _visit(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "expert": v.expert_id,
        "expert_name": v.expert.name,
        "enterprise": v.enterprise_id,
        "enterprise_name": v.enterprise.name,
        "on": v.on,
        "purpose": v.purpose,
        "status": v.status,
        "findings": v.findings,
        "hazards": [h.code for h in v.hazards.all()],
        "rating": v.rating,
        "rating_note": v.rating_note,
        "from_matching": v.from_matching,
        "version": v.version,
    }


@router.get("/visits", response=page_of(VisitOut), summary="专家服务（专家本人、辖区、企业本身）")
def visits(request: HttpRequest, paging: Query[Paging], status: str = ""):
    qs = visits_visible(request.user).prefetch_related("hazards").order_by("-on", "-pk")
    if status:
        qs = qs.filter(status=status)
    return paginate(request, qs, paging, prepare=lambda rows: [_visit(v) for v in rows])


@router.post("/visits", response={201: VisitOut}, summary="安排专家服务")
def visit_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    visit = visit_create(actor=request.user, data=payload)
    return Status(201, _visit(visit_detail(request.user, visit.pk)))


@router.get("/visits/{int:visit_id}", response=VisitOut, summary="专家服务详情")
def visit_get(request: HttpRequest, visit_id: int):
    return _visit(visit_detail(request.user, visit_id))


@router.post("/visits/{int:visit_id}/findings", response={201: VisitOut}, summary="专家上报本次服务发现的隐患")
def visit_finding_post(request: HttpRequest, visit_id: int, payload: Body[dict[str, Any]]):
    visit = visit_detail(request.user, visit_id)
    visit_finding(actor=request.user, visit=visit, data=payload)
    return Status(201, _visit(visit_detail(request.user, visit_id)))


@router.post("/visits/{int:visit_id}/done", response=VisitOut, summary="专家记录服务完成")
def visit_done_post(request: HttpRequest, visit_id: int, payload: Body[dict[str, Any]]):
    visit_detail(request.user, visit_id)
    data = dict(payload)
    visit_record(actor=request.user, pk=visit_id, version=_version(data.pop("version", None)), data=data)
    return _visit(visit_detail(request.user, visit_id))


@router.post("/visits/{int:visit_id}/rating", response=VisitOut, summary="企业评价专家服务")
def visit_rating_post(request: HttpRequest, visit_id: int, payload: Body[dict[str, Any]]):
    visit_detail(request.user, visit_id)
    data = dict(payload)
    visit_rate(actor=request.user, pk=visit_id, version=_version(data.pop("version", None)), data=data)
    return _visit(visit_detail(request.user, visit_id))


@router.post("/experts/{int:expert_id}/conflicts", response={201: ExpertOut}, summary="登记回避关系")
def conflict_post(request: HttpRequest, expert_id: int, payload: Body[dict[str, Any]]):
    expert_detail(request.user, expert_id)
    conflict_add(actor=request.user, expert_id=expert_id, data=payload)
    return Status(201, _expert(expert_detail(request.user, expert_id)))


def _version(raw: Any) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
