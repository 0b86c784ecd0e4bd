"""/public/reports (no sign-in, throttled), /reports, /reports/{id}/actions/{action},
/enterprises/{id}/reward-mechanism (API.md, issue 15).

The report schema never carries the reporter: `GET /reports/{id}` adds `reporter` for the
handlers of that report only (selectors.identity_for); lists never do."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status

from safeloop.core.api import Paging, action_routes, page_of, paginate
from safeloop.core.errors import NotFound, ValidationFailed
from safeloop.core.http import client_address
from safeloop.reporting.fields import SUBMIT_FIELDS
from safeloop.reporting.models import Channel, Report, ReportStatus, RewardMechanism
from safeloop.reporting.public import progress_of
from safeloop.reporting.selectors import (
    identity_for,
    mechanism_enterprise,
    mechanism_of,
    mechanism_state,
    phase_of,
    report_for,
    report_list,
)
from safeloop.reporting.services import mechanism_put, progress_lookup, report_submit
from safeloop.reporting.workflow import REPORT_FLOW, available_actions, report_act

router = Router(tags=["隐患报告与举报"])


class ProgressOut(Schema):
    tracking_code: str
    status: str
    status_text: str
    submitted_on: date
    responded: bool
    reply: str
    summary: str
    rectification: str
    reward_status: str
    reward_text: str
    reward_amount: Decimal | None


SUBMIT_DOC = "、".join(f"`{s.name}` {s.label}" for s in SUBMIT_FIELDS)


@router.post(
    "/public/reports",
    auth=None,
    response={201: ProgressOut},
    summary="提交隐患报告或举报（无需登录，限频）",
    description=(
        "JSON 或 multipart/form-data（可带多张 `photos` 照片）。字段："
        + SUBMIT_DOC
        + "。`reporter`：`employee` 企业员工内部报告（须带 `enterprise_code`）或 `citizen` 群众举报；"
        "没有 `enterprise_code` 时须给 `township`（乡镇街道代码）。返回查询码 `tracking_code`；"
        "同一地址短时间内提交过多返回 429。"
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "multipart/form-data": {"schema": {"type": "object"}},
            }
        }
    },
)
def public_report_post(request: HttpRequest):
    report = report_submit(data=_submitted(request), address=client_address(request))
    return Status(201, progress_of(report).as_dict())


def _submitted(request: HttpRequest) -> dict[str, Any]:
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationFailed(_("请求体不是有效的 JSON")) from None
        if not isinstance(data, dict):
            raise ValidationFailed(_("请求体应为 JSON 对象"))
        data.pop("photos", None)  # photos come as files (multipart), never inside JSON
        return data
    data = {key: request.POST.get(key) for key in request.POST}
    return data | {"photos": request.FILES.getlist("photos")}


@router.get(
    "/public/reports/{tracking_code}",
    auth=None,
    response=ProgressOut,
    summary="凭查询码查看处理进度（无需登录，限频）",
    description="只返回处理进度、答复和奖励状态，不含任何人员、单位或其他隐患的信息。",
)
def public_report_get(request: HttpRequest, tracking_code: str):
    report = progress_lookup(code=tracking_code, address=client_address(request))
    if report is None:
        raise NotFound(_("没有找到该查询码对应的报告"))
    return progress_of(report).as_dict()


class ReportOut(Schema):
    id: int
    reference: str
    channel: str
    enterprise: int | None
    enterprise_name: str
    region: str
    category: str | None
    kind: str
    description: str
    location: str
    lat: Decimal | None
    lng: Decimal | None
    status: str
    handler_kind: str
    department: int | None
    respond_by: date | None
    first_response_at: datetime | None
    closed_at: datetime | None
    public_reply: str
    hazard: int | None
    duplicate_of: str | None  # the reference of the earlier report
    suspected_spam: bool
    reward_status: str
    reward_amount: Decimal | None
    reward_basis: str
    reward_paid_on: date | None
    photos: int
    created_at: datetime
    version: int
    actions: list[str]


class ReporterOut(Schema):
    name: str
    phone: str
    named_to_enterprise: bool


class ReportDetailOut(ReportOut):
    reporter: ReporterOut | None


def _report(user: Any, r: Report) -> dict[str, Any]:
    return {
        "id": r.pk,
        "reference": r.reference,
        "channel": r.channel,
        "enterprise": r.enterprise_id,
        "enterprise_name": r.enterprise.name if r.enterprise else "",
        "region": r.region_id,
        "category": r.category_id,
        "kind": r.kind,
        "description": r.description,
        "location": r.location,
        "lat": r.lat,
        "lng": r.lng,
        "status": r.status,
        "handler_kind": r.handler_kind,
        "department": r.department_id,
        "respond_by": r.respond_by,
        "first_response_at": timezone.localtime(r.first_response_at) if r.first_response_at else None,
        "closed_at": timezone.localtime(r.closed_at) if r.closed_at else None,
        "public_reply": r.public_reply,
        "hazard": r.hazard_id,
        "duplicate_of": r.duplicate_of.reference if r.duplicate_of_id and r.duplicate_of else None,
        "suspected_spam": r.suspected_spam,
        "reward_status": r.reward_status,
        "reward_amount": r.reward_amount,
        "reward_basis": r.reward_basis,
        "reward_paid_on": r.reward_paid_on,
        "photos": r.photos.count(),
        "created_at": timezone.localtime(r.created_at),
        "version": r.version,
        "actions": [t.action for t in available_actions(user, r)],
    }


@router.get("/reports", response=page_of(ReportOut), summary="隐患报告与举报列表（不含报告人身份）")
def reports(
    request: HttpRequest,
    paging: Query[Paging],
    status: str = "",
    channel: str = "",
    region: str = "",
    overdue: bool = False,
):
    if status and status not in ReportStatus.values:
        raise ValidationFailed(
            _("状态有误"), fields={"status": _("状态应为 %(v)s 之一") % {"v": "、".join(ReportStatus.values)}}
        )
    if channel and channel not in Channel.values:
        raise ValidationFailed(_("渠道有误"), fields={"channel": _("渠道应为 internal 或 public")})
    qs = report_list(
        request.user, status=status, channel=channel, region=region, overdue=overdue, today=timezone.localdate()
    ).select_related("duplicate_of")
    return paginate(request, qs, paging, prepare=lambda rows: [_report(request.user, r) for r in rows])


@router.get("/reports/{int:report_id}", response=ReportDetailOut, summary="报告详情（报告人身份仅处理单位可见）")
def report_get(request: HttpRequest, report_id: int):
    report = report_for(request.user, report_id)
    if report is None:
        raise NotFound()
    identity = identity_for(request.user, report)
    reporter = (
        {"name": identity.name, "phone": identity.phone, "named_to_enterprise": identity.named_to_enterprise}
        if identity
        else None
    )
    return _report(request.user, report) | {"reporter": reporter}


def _act(request: HttpRequest, report_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    version = body.pop("version", None)
    report_act(report_id=report_id, actor=request.user, action=action, version=version, data=body)
    report = report_for(request.user, report_id)
    assert report is not None
    return _report(request.user, report)


action_routes(
    router,
    path="/reports/{int:report_id}/actions",
    key="report_id",
    transitions=REPORT_FLOW.transitions,
    act=_act,
    response=ReportOut,
    prefix="ReportAction",
)


class MechanismOut(Schema):
    enterprise: int
    established: bool
    established_on: date | None
    document_title: str
    reward_standard: str
    reward_min: Decimal | None
    reward_max: Decimal | None
    contact_name: str
    contact_phone: str
    handler: int | None
    documents: int
    deadline: date
    deadline_source: str
    state: str
    version: int | None


def _mechanism(enterprise: Any, mechanism: RewardMechanism | None) -> dict[str, Any]:
    phase = phase_of(enterprise)
    values: dict[str, Any] = {
        "enterprise": enterprise.pk,
        "established": False,
        "established_on": None,
        "document_title": "",
        "reward_standard": "",
        "reward_min": None,
        "reward_max": None,
        "contact_name": "",
        "contact_phone": "",
        "handler": None,
        "documents": 0,
        "version": None,
    }
    if mechanism is not None:
        values |= {
            "established": mechanism.established,
            "established_on": mechanism.established_on,
            "document_title": mechanism.document_title,
            "reward_standard": mechanism.reward_standard,
            "reward_min": mechanism.reward_min,
            "reward_max": mechanism.reward_max,
            "contact_name": mechanism.contact_name,
            "contact_phone": mechanism.contact_phone,
            "handler": mechanism.handler_id,
            "documents": mechanism.documents.count(),
            "version": mechanism.version,
        }
    state = mechanism_state(phase.deadline, mechanism, timezone.localdate())
    return values | {"deadline": phase.deadline, "deadline_source": phase.source, "state": state}


@router.get("/enterprises/{int:enterprise_id}/reward-mechanism", response=MechanismOut, summary="企业内部报告奖励机制")
def mechanism_get(request: HttpRequest, enterprise_id: int):
    enterprise = mechanism_enterprise(request.user, enterprise_id)
    if enterprise is None:
        raise NotFound()
    return _mechanism(enterprise, mechanism_of(enterprise))


@router.put(
    "/enterprises/{int:enterprise_id}/reward-mechanism",
    response=MechanismOut,
    summary="填报企业内部报告奖励机制（已有记录时须带 version）",
)
def mechanism_update(request: HttpRequest, enterprise_id: int, payload: Body[dict[str, Any]]):
    mechanism_put(actor=request.user, enterprise_id=enterprise_id, data=dict(payload))
    enterprise = mechanism_enterprise(request.user, enterprise_id)
    return _mechanism(enterprise, mechanism_of(enterprise))
