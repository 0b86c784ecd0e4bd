from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, ModelSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safeloop.core.api import (
    EXPORT_RESPONSES,
    OutSchema,
    Paging,
    action_routes,
    export_response,
    input_schema,
    page_of,
    paginate,
)
from safeloop.core.fields import CAPTURED_AT
from safeloop.core.scope import visible
from safeloop.hazards.fields import EVIDENCE_KIND, ON_SPOT_FIELDS, REPORT_FIELDS
from safeloop.hazards.models import Hazard, Listing
from safeloop.hazards.on_spot import hazard_fix_on_spot
from safeloop.hazards.public import published, published_listings
from safeloop.hazards.selectors import LedgerFilters, hazard_events, hazard_get, is_overdue, ledger
from safeloop.hazards.services import attachment_add, hazard_report
from safeloop.hazards.todo import step_of
from safeloop.hazards.workflow import TRANSITIONS, available_actions, hazard_act

router = Router(tags=["隐患闭环"])


HazardIn = input_schema("HazardIn", REPORT_FIELDS)
AttachmentIn = input_schema("AttachmentIn", (EVIDENCE_KIND, CAPTURED_AT))
OnSpotIn = input_schema("HazardOnSpotIn", [spec for spec in ON_SPOT_FIELDS if spec.kind != "file"])


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
            *("acceptor", "acceptor_name", "legacy_clause"),
            *("on_spot", "fixer_name", "urged_at"),
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


class AttachmentOut(OutSchema):
    id: int
    sha256: str
    content_type: str
    size: int
    original_name: str
    kind: str = Field(description=EVIDENCE_KIND.json_schema()["description"])
    uploaded_at: datetime
    captured_at: datetime | None = Field(
        None, description="拍摄时间：照片EXIF，否则为手机记录时间（captured_at），否则为上传时间"
    )
    captured_by: str = Field("", description="拍摄时间来源：exif 照片EXIF；phone 手机时间；server 上传时间")


class ListingOut(ModelSchema, OutSchema):
    """A 挂牌督办 of the hazard, as its body recorded it (the requirement and reason are internal)."""

    class Meta:
        model = Listing
        fields = [
            *("id", "level", "body", "listed_on", "deadline", "requirement", "publish_by"),
            *("delisted_on", "delist_reason", "delist_publish_by"),
        ]


class PublishedListingOut(Schema):
    """What a 重大隐患挂牌督办通知书 publishes, and nothing else."""

    code: str
    enterprise_name: str
    description: str = Field(description="隐患描述（一行）")
    level: str = Field(description="county：县级；city：市级；province：省级")
    level_name: str
    body: str = Field(description="挂牌督办单位")
    listed_on: date
    deadline: date
    delisted_on: date | None


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


@router.post(
    "/hazards/fixed-on-spot",
    response={201: HazardOut},
    summary="即查即改（现场发现、当场整改的一般隐患，一次记录）",
    description=(
        "multipart/form-data：字段同即查即改页面；`before` 整改前照片、`after` 整改后照片各至少一个文件。"
        "依次记入上报、确认、交办、开始整改、提交整改、验收通过（记录人有销号权限的，同时销号）。"
        "监管部门、属地或企业（自查）记录；记录人即验收人，整改人（`fixer`）须另有其人。"
    ),
)
def hazard_on_spot_post(
    request: HttpRequest,
    payload: Form[OnSpotIn],  # type: ignore[valid-type]
    before: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    after: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    data = payload.dict() | {"before": before or [], "after": after or []}
    hazard = hazard_fix_on_spot(actor=request.user, data=data)
    return Status(201, hazard_get(request.user, hazard.pk))


@router.get(
    "/public/listed-hazards",
    auth=None,
    response=page_of(PublishedListingOut),
    summary="重大事故隐患挂牌督办公示（无需登录）",
    description="按挂牌日期由近及远；`level` 筛选督办级别（county / city / province）。只含通知书公开的内容。",
)
def published_listing_list(request: HttpRequest, paging: Query[Paging], level: str = ""):
    return paginate(request, published_listings(level), paging, prepare=lambda rows: [published(r) for r in rows])


@router.get("/hazards/{int:hazard_id}/listings", response=list[ListingOut], summary="挂牌督办记录")
def hazard_listing_list(request: HttpRequest, hazard_id: int):
    return list(hazard_get(request.user, hazard_id).listings.all())


@router.get(
    "/hazards/export",
    summary="隐患全量导出（首次同步；按管辖范围，不分页）",
    description="`format`：`jsonl`（默认，每行一个 JSON 对象）或 `csv`。字段同变更订阅的 `data`。",
    openapi_extra=EXPORT_RESPONSES,
)
def hazard_export(request: HttpRequest, format: str = "jsonl"):  # noqa: A002 (the parameter's name in the API)
    return export_response("hazard", visible(request.user, Hazard.objects.all()), format)


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


@router.post(
    "/hazards/{int:hazard_id}/attachments",
    response={201: AttachmentOut},
    summary="上传隐患照片或整改证明",
    description=(
        "multipart/form-data：`file` 文件（JPEG、PNG、WebP、HEIC 或 PDF），可选 `kind` 证据类别："
        "`hazard` 隐患照片、`rectification` 整改照片及证明。开始整改前只能是 `hazard`（否则 400，指出 `kind`）；"
        "之后不填为 `rectification`。只有开始整改后上传的整改照片及证明可在提交整改时作为整改证明。"
    ),
)
def attachment_post(
    request: HttpRequest,
    file: File[UploadedFile],
    hazard_id: int,
    payload: Form[AttachmentIn],  # type: ignore[valid-type]
):
    given = payload.dict()
    kind = given.get("kind") or ""
    attachment = attachment_add(
        actor=request.user, hazard_id=hazard_id, upload=file, kind=kind, captured_at=given.get("captured_at")
    )
    return Status(201, attachment)
