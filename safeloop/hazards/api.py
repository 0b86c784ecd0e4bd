from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safeloop.core.api import DEFAULT_PAGE_SIZE, action_routes, paginate
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, hazard_events, hazard_get, is_overdue, ledger
from safeloop.hazards.services import attachment_add, hazard_report
from safeloop.hazards.workflow import TRANSITIONS, available_actions, hazard_act

router = Router(tags=["隐患闭环"])


class HazardQuery(Schema):
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    q: str = ""
    region: str = ""
    department: str = ""
    enterprise: str = ""
    category: str = ""
    level: str = ""
    status: str = ""
    source: str = ""
    overdue: str = ""
    found_from: str = ""
    found_to: str = ""
    list: str = ""
    sort: str = "found"


class HazardIn(Schema):
    enterprise: int | None = None
    description: str
    location: str = ""
    nature: str = ""
    level: str = "general"
    clause: str = ""
    source: str
    finder_name: str = ""
    found_on: date | None = None


class HazardOut(Schema):
    id: int
    code: str
    enterprise: int
    enterprise_name: str
    description: str
    location: str
    level: str
    clause: str
    source: str
    status: str
    found_on: date
    finder_name: str
    responsible_unit: str
    responsible_person: str
    deadline: date | None
    original_deadline: date | None
    deadline_provisional: bool
    overdue: bool
    escalation: int
    measures: str
    funds: Decimal | None
    extension_request: dict | None
    order_no: str
    review_no: str
    accepted_on: date | None
    closed_on: date | None
    look_back_due: date | None
    recurrence_of: int | None
    version: int
    actions: list[str]
    updated_at: datetime


class AttachmentOut(Schema):
    id: int
    sha256: str
    content_type: str
    size: int
    original_name: str


def _hazard(h: Hazard, user, today: date) -> dict[str, Any]:
    data = {
        name: getattr(h, name)
        for name in HazardOut.model_fields
        if hasattr(h, name) and name not in ("enterprise", "recurrence_of", "updated_at")
    }
    data.update(
        enterprise=h.enterprise_id,
        enterprise_name=h.enterprise.name,
        recurrence_of=h.recurrence_of_id,
        overdue=is_overdue(h, today),
        actions=[t.action for t in available_actions(user, h)],
        updated_at=timezone.localtime(h.updated_at),
    )
    return data


@router.get("/hazards", summary="隐患台账（按管辖范围，可筛选）")
def hazards(request: HttpRequest, query: Query[HazardQuery]):
    filters = LedgerFilters(**query.dict(exclude={"page", "page_size"}))
    qs = ledger(request.user, filters).select_related("enterprise")
    today = timezone.localdate()
    return paginate(
        request, qs, lambda rows: [_hazard(h, request.user, today) for h in rows], query.page, query.page_size
    )


@router.post("/hazards", response={201: HazardOut}, summary="上报隐患（排查）")
def hazard_post(request: HttpRequest, payload: HazardIn):
    hazard = hazard_report(actor=request.user, data=payload.dict())
    return Status(201, _hazard(hazard_get(request.user, hazard.pk), request.user, timezone.localdate()))


@router.get("/hazards/{int:hazard_id}", response=HazardOut, summary="隐患详情")
def hazard_detail(request: HttpRequest, hazard_id: int):
    return _hazard(hazard_get(request.user, hazard_id), request.user, timezone.localdate())


def _act(request: HttpRequest, hazard_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    version = body.pop("version", None)
    hazard_act(hazard_id=hazard_id, actor=request.user, action=action, version=version, data=body)
    return _hazard(hazard_get(request.user, hazard_id), request.user, timezone.localdate())


# POST /hazards/{id}/actions/{action}: one route per row of the table, each with its body schema.
action_routes(
    router,
    path="/hazards/{int:hazard_id}/actions",
    key="hazard_id",
    transitions=TRANSITIONS,
    act=_act,
    response=HazardOut,
    prefix="HazardAction",
)


@router.get("/hazards/{int:hazard_id}/events", summary="办理记录（哈希链）")
def hazard_event_list(request: HttpRequest, hazard_id: int):
    events = [_event(e) for e in hazard_events(hazard_get(request.user, hazard_id))]
    return {"count": len(events), "results": events, "next": None}


def _event(e) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "action": e.action,
        "actor": e.actor_id,
        "actor_name": e.actor_name,
        "actor_role": e.actor_role,
        "at": timezone.localtime(e.at).isoformat(),
        "from_status": e.from_status,
        "to_status": e.to_status,
        "payload": e.payload,
        "attachments": e.attachments,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


@router.post("/hazards/{int:hazard_id}/attachments", response={201: AttachmentOut}, summary="上传整改证据")
def attachment_post(request: HttpRequest, hazard_id: int, file: File[UploadedFile]):
    attachment = attachment_add(actor=request.user, hazard_id=hazard_id, upload=file)
    return Status(201, attachment)
