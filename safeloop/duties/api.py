"""/api/v1 for duties (API.md): duty lists, annual tasks (PATCH, evidence), the assessment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safeloop.core.api import OutSchema, Paging, page_of, paginate
from safeloop.core.errors import Forbidden
from safeloop.duties.models import DutyList, Task
from safeloop.duties.permissions import can_open_assessment, can_open_duties
from safeloop.duties.selectors import (
    assessment_rows,
    duty_lists,
    is_behind,
    planned_pct,
    progress_pct,
    scheme_for,
    task_get,
    task_list,
)
from safeloop.duties.services import evidence_add, task_update

router = Router(tags=["责任考核"])


def _need(allowed: bool) -> None:
    if not allowed:
        raise Forbidden(_("您的角色不能查看该数据"))


class DutyItemOut(Schema):
    text: str
    basis: str = Field(description="法定依据")
    position: str = Field(description="责任岗位")
    measure: str = Field(description="履职衡量的数据项（空：平台暂无数据）")


class DutyListOut(OutSchema):
    id: int
    title: str
    kind: str = Field(description="leaders 党政领导；department 部门；township 乡镇；enterprise 企业（通用）")
    unit: int | None = Field(description="责任单位；企业通用清单为 null")
    unit_name: str
    year: int
    version: int
    statement: str
    items: list[DutyItemOut]


def _duty_list(d: DutyList) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "kind": d.kind,
        "unit": d.unit_id,
        "unit_name": d.unit.name if d.unit else "",
        "year": d.year,
        "version": d.version,
        "statement": d.statement,
        "items": [
            {"text": i.text, "basis": i.basis, "position": i.position.title if i.position else "", "measure": i.measure}
            for i in d.items.all()
        ],
    }


class YearQuery(Schema):
    year: int | None = Field(None, title="年度")


@router.get("/duty-lists", response=page_of(DutyListOut), summary="职责清单（按可见范围）")
def duty_list_index(request: HttpRequest, paging: Query[Paging], q: Query[YearQuery]):
    _need(can_open_duties(request.user))
    qs = duty_lists(request.user, q.year).prefetch_related("items__position")
    return paginate(request, qs, paging, lambda rows: [_duty_list(d) for d in rows])


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    planned_pct: int
    done_on: date | None


class TaskOut(OutSchema):
    id: int
    code: str
    year: int
    title: str
    lead_unit: int
    lead_unit_name: str
    co_units: list[int]
    due_on: date
    status: str = Field(description="not_started 未启动；in_progress 推进中；done 已完成")
    percent: int
    completed_on: date | None
    key_project: bool
    budget: Decimal | None = Field(description="投资（元）")
    planned_pct: int
    progress_pct: int
    behind: bool = Field(description="实际进度落后于计划")
    escalation: int
    milestones: list[MilestoneOut]
    version: int


def _task(t: Task) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": t.pk,
        "code": t.code,
        "year": t.year,
        "title": t.title,
        "lead_unit": t.lead_unit_id,
        "lead_unit_name": t.lead_unit.name,
        "co_units": [u.pk for u in t.co_units.all()],
        "due_on": t.due_on,
        "status": t.status,
        "percent": t.percent,
        "completed_on": t.completed_on,
        "key_project": t.key_project,
        "budget": t.budget,
        "planned_pct": planned_pct(t, today),
        "progress_pct": progress_pct(t),
        "behind": is_behind(t, today),
        "escalation": t.escalation,
        "milestones": [
            {"id": m.pk, "title": m.title, "due_on": m.due_on, "planned_pct": m.planned_pct, "done_on": m.done_on}
            for m in t.milestones.all()
        ],
        "version": t.version,
    }


class TaskQuery(Schema):
    year: int | None = Field(None, title="年度")
    key_project: bool | None = Field(None, title="重点工程")
    status: str = Field("", title="状态")


@router.get("/tasks", response=page_of(TaskOut), summary="年度任务（牵头或配合单位在您的范围内）")
def task_index(request: HttpRequest, paging: Query[Paging], q: Query[TaskQuery]):
    _need(can_open_assessment(request.user))
    qs = task_list(request.user, year=q.year, key="1" if q.key_project else "", status=q.status)
    qs = qs.prefetch_related("milestones", "progress_reports", "co_units")
    return paginate(request, qs, paging, lambda rows: [_task(t) for t in rows])


class TaskPatch(Schema):
    version: int | None = Field(None, title="版本")
    status: str | None = Field(None, title="状态")
    percent: int | str | None = Field(None, title="完成百分比")
    completed_on: str | None = Field(None, title="完成日期")
    milestone_done: int | str | None = Field(None, title="完成节点", description="完成的节点 id")
    progress_pct: int | str | None = Field(None, title="累计形象进度", description="与 month 同用：该月累计进度（%）")
    month: str | None = Field(None, title="月份")
    note: str | None = Field(None, title="说明")


@router.patch("/tasks/{int:task_id}", response=TaskOut, summary="更新年度任务；version 过期则 409")
def task_patch(request: HttpRequest, task_id: int, payload: TaskPatch):
    _need(can_open_assessment(request.user))
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    task_update(actor=request.user, pk=task_id, data=data)
    return _task(task_get(request.user, task_id))


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class EvidenceIn(Schema):
    note: str = Field("", title="说明")
    milestone: int | None = Field(None, title="节点")


@router.post(
    "/tasks/{int:task_id}/evidence",
    response={201: EvidenceOut},
    summary="上传任务佐证（照片或 PDF）",
    description="multipart/form-data：`file`（JPEG、PNG、WebP、HEIC 或 PDF）；过大 413，类型不符 415。",
)
def task_evidence(request: HttpRequest, task_id: int, file: File[UploadedFile], payload: Form[EvidenceIn]):  # type: ignore[valid-type]
    _need(can_open_assessment(request.user))
    data = payload.dict()
    evidence = evidence_add(
        actor=request.user, pk=task_id, upload=file, note=data.get("note") or "", milestone_id=data.get("milestone")
    )
    return Status(201, evidence)


class ItemScoreOut(Schema):
    code: str
    title: str
    weight: Decimal
    rule: str
    measure: str
    num: int | None = Field(description="计入的记录数（分子）")
    den: int | None = Field(description="分母记录数（比率项）")
    value: str
    score: Decimal
    note: str
    evidence_url: str = Field(description="计入记录的清单页面")


class UnitScoreOut(Schema):
    rank: int
    unit: int
    name: str
    kind: str = Field(description="county 县市区；department 部门")
    region: str
    score: Decimal
    vetoed: bool = Field(description="一票否决")
    items: list[ItemScoreOut]


class AssessmentOut(Schema):
    year: int
    title: str
    status: str = Field(description="open 考核中（实时计算）；closed 已终结（封存结果）")
    sealed_sha256: str = Field(description="封存结果的 SHA-256（已终结时）")
    units: list[UnitScoreOut]


@router.get("/assessments/{int:year}", response=AssessmentOut, summary="年度考核：各单位得分和计分项")
def assessment(request: HttpRequest, year: int):
    from django.urls import reverse

    _need(can_open_assessment(request.user))
    scheme = scheme_for(request.user, year)
    rows = assessment_rows(request.user, scheme)
    units = []
    for r in rows:
        items = [
            vars(i)
            | {"evidence_url": reverse("duties:drill", args=[year, r.unit, i.measure, "num"]) if i.measure else ""}
            for i in r.items
        ]
        units.append(vars(r) | {"items": items})
    return {
        "year": scheme.year,
        "title": scheme.title,
        "status": scheme.status,
        "sealed_sha256": scheme.sealed.sha256 if scheme.sealed_id else "",
        "units": units,
    }
