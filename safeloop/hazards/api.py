from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, ModelSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safeloop.core.api import OutSchema, Paging, action_routes, input_schema, page_of, paginate
from safeloop.hazards.fields import REPORT_FIELDS
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, hazard_events, hazard_get, is_overdue, ledger
from safeloop.hazards.services import attachment_add, hazard_report
from safeloop.hazards.todo import step_of
from safeloop.hazards.workflow import TRANSITIONS, available_actions, hazard_act

router = Router(tags=["隐患闭环"])


HazardIn = input_schema("HazardIn", REPORT_FIELDS)


class HazardOut(ModelSchema, OutSchema):
    """A hazard as stored, with what is derived: `overdue`, and `actions` (what the caller may do now)."""

    enterprise_name: str
    overdue: bool
    actions: list[str]
    awaiting: str | None = Field(None, description="todo=1 时：等待调用者进行的操作（每项只列第一个）")

    class Meta:
        model = Hazard
        fields = [
            *("id", "code", "enterprise", "description", "location", "level", "clause", "source", "status"),
            *("found_on", "finder_name", "responsible_unit", "responsible_person", "deadline", "original_deadline"),
            *("deadline_provisional", "escalation", "measures", "funds", "extension_request", "order_no"),
            *("review_no", "accepted_on", "closed_on", "look_back_due", "recurrence_of", "version", "updated_at"),
            *("acceptor", "acceptor_name"),
        ]

    @staticmethod
    def resolve_enterprise_name(obj: Hazard) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_overdue(obj: Hazard) -> bool:
        return is_overdue(obj)

    @staticmethod
    def resolve_awaiting(obj: Hazard) -> str | None:
        step = step_of(getattr(obj, "awaiting", None))
        return step.action if step else None

    @staticmethod
    def resolve_actions(obj: Hazard, context) -> list[str]:
        return [t.action for t in available_actions(context["request"].user, obj)]


class AttachmentOut(Schema):
    id: int
    sha256: str
    content_type: str
    size: int
    original_name: str


@router.get(
    "/hazards",
    response=page_of(HazardOut),
    summary="隐患台账（按管辖范围，可筛选）；todo=1：我的待办（按待办环节、紧急程度排序）",
)
def hazards(request: HttpRequest, filters: Query[LedgerFilters], paging: Query[Paging]):
    return paginate(request, ledger(request.user, filters).select_related("enterprise"), paging)


@router.post("/hazards", response={201: HazardOut}, summary="上报隐患（排查）")
def hazard_post(request: HttpRequest, payload: HazardIn):
    hazard = hazard_report(actor=request.user, data=payload.dict())
    return Status(201, hazard_get(request.user, hazard.pk))


@router.get("/hazards/{int:hazard_id}", response=HazardOut, summary="隐患详情")
def hazard_detail(request: HttpRequest, hazard_id: int):
    return hazard_get(request.user, hazard_id)


def _act(request: HttpRequest, hazard_id: int, action: str, body: dict[str, Any]) -> Hazard:
    version = body.pop("version", None)
    hazard_act(hazard_id=hazard_id, actor=request.user, action=action, version=version, data=body)
    return hazard_get(request.user, hazard_id)


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
