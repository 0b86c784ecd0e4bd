"""/experts, /expert-matching, /stationings (API.md, issue 14)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Body, Field, Query, Router, Schema, Status

from safeloop.core.api import Paging, page_of, paginate
from safeloop.experts.models import Expert, Stationing
from safeloop.experts.selectors import expert_detail, expert_list, stationing_detail, stationings_visible, workload
from safeloop.experts.services import expert_create, expert_update, matching_run, stationing_end, stationing_start

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
