"""/api/v1/campaigns (API.md): campaigns, their launch and tasks, and the 举一反三 proposal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema, Status

from safeloop.campaigns.models import Campaign, Kind, Task, TaskStatus
from safeloop.campaigns.selectors import (
    campaign_detail,
    campaign_list,
    progress,
    seed_for,
    seed_proposals,
    task_detail,
    task_list,
)
from safeloop.campaigns.services import (
    campaign_close,
    campaign_create,
    campaign_launch,
    may_organise,
    target_add,
    target_remove,
    task_act,
)
from safeloop.campaigns.workflow import TASK_FLOW
from safeloop.core.api import OutSchema, Paging, action_routes, page_of, paginate
from safeloop.core.errors import Forbidden, ValidationFailed

router = Router(tags=["专项行动"])


class CampaignOut(OutSchema):
    id: int
    code: str
    title: str
    kind: str = Field(description="special 专项整治；hundred_days 百日攻坚；dragnet 举一反三")
    status: str = Field(description="draft 草拟中；launched 进行中；closed 已结束")
    region: str
    lead_department: int | None
    starts_on: date
    ends_on: date
    route: str = Field(description="enterprise 企业自查；township 属地乡镇排查；department 监管部门检查")
    task_days: int
    target_filter: dict[str, Any]
    seed_hazard: int | None
    seed_accident: int | None
    launched_at: datetime | None
    clauses: list[str] = Field(description="重点条款编号")
    version: int


def _campaign(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "code": c.code,
        "title": c.title,
        "kind": c.kind,
        "status": c.status,
        "region": c.region_id,
        "lead_department": c.lead_department_id,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "route": c.route,
        "task_days": c.task_days,
        "target_filter": c.target_filter,
        "seed_hazard": c.seed_hazard_id,
        "seed_accident": c.seed_accident_id,
        "launched_at": c.launched_at,
        "clauses": [clause.pk for clause in c.clauses.all()],
        "version": c.version,
    }


class ProgressOut(Schema):
    key: str
    name: str
    targets: int
    reached: int
    inspected: int
    overdue: int
    hazards: int
    major: int
    rectified: int
    closed: int


class CampaignDetailOut(CampaignOut):
    targets: int = Field(description="对象企业数（您管辖范围内）")
    progress: ProgressOut
    by_county: list[ProgressOut]


class CampaignFilters(Schema):
    kind: str = ""
    status: str = ""


@router.get("/campaigns", response=page_of(CampaignOut), summary="专项行动（按可见范围）")
def campaigns(request: HttpRequest, paging: Query[Paging], filters: Query[CampaignFilters]):
    if filters.kind and filters.kind not in Kind.values:
        raise ValidationFailed(_("行动类型不正确"), fields={"kind": _("行动类型应为 special、hundred_days 或 dragnet")})
    qs = campaign_list(request.user, kind=filters.kind, status=filters.status)
    return paginate(request, qs, paging, prepare=lambda rows: [_campaign(c) for c in rows])


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut},
    summary="发起专项行动（草拟）",
    description=(
        "`title`、`kind`、`starts_on`、`ends_on`（不早于今天）、`target_filter`（区划 region 及 categories、"
        "industry_codes、risk_levels、features、key_sector、enterprises 至少一项）；举一反三须给 `seed_hazard` 或 "
        "`seed_accident`，可用 `targets` 限定建议名单中的企业。可选 `route`、`task_days`、`lead_department`、"
        "`co_departments`、`milestones` [{title, due_on}]。"
    ),
)
def campaign_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    campaign = campaign_create(actor=request.user, data=payload)
    return Status(201, _detail(request, campaign.pk))


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    campaign = campaign_detail(request.user, pk)
    total, rows = progress(request.user, campaign)
    return _campaign(campaign) | {
        "targets": total.targets or _draft_count(request, campaign),
        "progress": vars(total),
        "by_county": [vars(r) for r in rows],
    }


def _draft_count(request: HttpRequest, campaign: Campaign) -> int:
    from safeloop.campaigns.selectors import targets_visible

    return targets_visible(request.user, campaign).filter(removed_at=None).count()


@router.get("/campaigns/{int:campaign_id}", response=CampaignDetailOut, summary="专项行动详情与进度")
def campaign_get(request: HttpRequest, campaign_id: int):
    return _detail(request, campaign_id)


class VersionIn(Schema):
    version: int = Field(description="行动当前版本号")


@router.post(
    "/campaigns/{int:campaign_id}/launch", response=CampaignDetailOut, summary="启动行动（冻结对象名单，逐企生成任务）"
)
def campaign_launch_post(request: HttpRequest, campaign_id: int, payload: VersionIn):
    campaign_launch(actor=request.user, campaign_id=campaign_id, version=payload.version)
    return _detail(request, campaign_id)


@router.post("/campaigns/{int:campaign_id}/close", response=CampaignDetailOut, summary="结束行动")
def campaign_close_post(request: HttpRequest, campaign_id: int, payload: VersionIn):
    campaign_close(actor=request.user, campaign_id=campaign_id, version=payload.version)
    return _detail(request, campaign_id)


class TargetChangeIn(Schema):
    enterprise: int
    op: str = Field(description="add 追加；remove 移出")
    reason: str = Field("", description="调整理由（启动后必填）")
    version: int | None = None


@router.post(
    "/campaigns/{int:campaign_id}/targets", response=CampaignDetailOut, summary="追加或移出对象企业（记录理由）"
)
def campaign_targets_post(request: HttpRequest, campaign_id: int, payload: TargetChangeIn):
    change = {"add": target_add, "remove": target_remove}.get(payload.op)
    if change is None:
        raise ValidationFailed(_("调整方式不正确"), fields={"op": _("调整方式应为 add 或 remove")})
    change(
        actor=request.user,
        campaign_id=campaign_id,
        enterprise_id=payload.enterprise,
        reason=payload.reason,
        version=payload.version,
    )
    return _detail(request, campaign_id)


class TaskOut(OutSchema):
    id: int
    code: str
    campaign: int
    enterprise: int
    enterprise_name: str
    region: str
    route: str
    department: int | None
    deadline: date
    overdue: bool
    status: str = Field(description="pending 待开展；in_progress 排查中；done 已完成；cancelled 已撤销")
    checklist: int | None
    hazards: list[str]
    completed_at: datetime | None
    version: int


def _task(t: Task) -> dict[str, Any]:
    from django.utils import timezone

    open_ = t.status in (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)
    return {
        "id": t.pk,
        "code": t.code,
        "campaign": t.campaign_id,
        "enterprise": t.enterprise_id,
        "enterprise_name": t.enterprise.name,
        "region": t.enterprise.region_id,
        "route": t.route,
        "department": t.department_id,
        "deadline": t.deadline,
        "overdue": open_ and t.deadline < timezone.localdate(),
        "status": t.status,
        "checklist": t.checklist_id,
        "hazards": [f.hazard.code for f in t.findings.all()],
        "completed_at": t.completed_at,
        "version": t.version,
    }


class TaskFilters(Schema):
    status: str = ""
    overdue: bool | None = None


@router.get("/campaigns/{int:campaign_id}/tasks", response=page_of(TaskOut), summary="行动任务（您管辖范围内的部分）")
def campaign_tasks(request: HttpRequest, campaign_id: int, paging: Query[Paging], filters: Query[TaskFilters]):
    campaign = campaign_detail(request.user, campaign_id)
    qs = task_list(request.user, campaign, status=filters.status, overdue=filters.overdue).prefetch_related(
        "findings__hazard"
    )
    return paginate(request, qs, paging, prepare=lambda rows: [_task(t) for t in rows])


@router.get("/campaign-tasks/{int:task_id}", response=TaskOut, summary="行动任务详情")
def task_get(request: HttpRequest, task_id: int):
    return _task(task_detail(request.user, task_id))


def _act(request: HttpRequest, task_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    version = body.pop("version", None)
    task_act(actor=request.user, task_id=task_id, action=action, version=version, data=body)
    return _task(task_detail(request.user, task_id))


action_routes(
    router,
    path="/campaign-tasks/{int:task_id}/actions",
    key="task_id",
    transitions=[t for t in TASK_FLOW.transitions if t.action != "checklist_done"],
    act=_act,
    response=TaskOut,
    prefix="CampaignTask",
)


class SuggestIn(Schema):
    seed_hazard: int | None = None
    seed_accident: int | None = None
    region: str = Field("", description="在您管辖范围内的区划代码（默认：您管辖的全部范围）")
    limit: int = Field(200, ge=1, le=2000)


class ProposalOut(Schema):
    enterprise: int
    name: str
    region: str
    category: str
    score: float
    reasons: list[str]


class SuggestOut(Schema):
    seed: dict[str, Any]
    results: list[ProposalOut]


@router.post(
    "/campaigns/suggest-targets",
    response=SuggestOut,
    summary="举一反三：由源头隐患或事故提出同类企业（排序并说明理由）",
)
def suggest_targets(request: HttpRequest, payload: SuggestIn):
    if not may_organise(request.user):
        raise Forbidden(_("只有监管部门和属地政府可以发起举一反三"))
    if not payload.seed_hazard and not payload.seed_accident:
        raise ValidationFailed(_("请选择源头隐患或事故"), fields={"seed_hazard": _("请选择源头隐患或事故")})
    seed = seed_for(request.user, hazard=payload.seed_hazard, accident=payload.seed_accident)
    proposals = seed_proposals(request.user, seed, payload.region)[: payload.limit]
    kind = "hazard" if payload.seed_hazard else "accident"
    return {
        "seed": {"type": kind, "id": seed.pk},
        "results": [
            {
                "enterprise": p.enterprise.pk,
                "name": p.enterprise.name,
                "region": p.enterprise.region_id,
                "category": p.enterprise.category_id,
                "score": p.score,
                "reasons": p.reasons,
            }
            for p in proposals
        ],
    }
