"""/api/v1/checklists: the same checklist as the pages, under the same scope and services."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, File, ModelSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safeloop.checklists.fields import ANSWER_FIELDS
from safeloop.checklists.models import Checklist, Item, Photo
from safeloop.checklists.selectors import ChecklistFilters, checklist_get, checklist_list, item_get, progress_of
from safeloop.checklists.services import checklist_start, checklist_submit, item_answer
from safeloop.core.api import OutSchema, Paging, input_schema, page_of, paginate

router = Router(tags=["企业自查"])

AnswerIn = input_schema("ChecklistAnswerIn", ANSWER_FIELDS, extra={"version": (int | None, None)})


class SubmitIn(Schema):
    version: int = Field(description="清单当前版本号")


class PhotoOut(OutSchema):
    id: int
    sha256: str
    content_type: str
    size: int
    original_name: str
    uploaded_at: datetime


class ItemOut(ModelSchema, OutSchema):
    clause: str = Field(description="判定条款编号，如 GM10-11-03")
    number: str = Field(description="条款号，如 第十一条（三）")
    standard: str
    text: str
    photos: list[PhotoOut]
    hazard: int | None = Field(None, description="提交后：不符合项生成的重大隐患编号（id）")

    class Meta:
        model = Item
        fields = ["result", "note", "answered_at", "version"]

    @staticmethod
    def resolve_clause(obj: Item) -> str:
        return obj.clause_id

    @staticmethod
    def resolve_number(obj: Item) -> str:
        return obj.clause.number

    @staticmethod
    def resolve_standard(obj: Item) -> str:
        return obj.clause.standard_id

    @staticmethod
    def resolve_text(obj: Item) -> str:
        return obj.clause.text

    @staticmethod
    def resolve_photos(obj: Item) -> list[Photo]:
        return list(obj.photos.all())

    @staticmethod
    def resolve_hazard(obj: Item) -> int | None:
        return obj.hazard_id


class ChecklistOut(ModelSchema, OutSchema):
    enterprise_name: str

    class Meta:
        model = Checklist
        fields = [
            *("id", "code", "enterprise", "category", "features", "status"),
            *("started_by", "started_at", "submitted_by", "submitted_at", "version"),
        ]

    @staticmethod
    def resolve_enterprise_name(obj: Checklist) -> str:
        return obj.enterprise.name


class ChecklistDetailOut(ChecklistOut):
    total: int
    answered: int
    items: list[ItemOut]

    @staticmethod
    def resolve_total(obj: Checklist) -> int:
        return progress_of(obj).total

    @staticmethod
    def resolve_answered(obj: Checklist) -> int:
        return progress_of(obj).answered

    @staticmethod
    def resolve_items(obj: Checklist) -> list[Item]:
        return list(obj.items.all())


@router.get("/checklists", response=page_of(ChecklistOut), summary="自查清单（按管辖范围）")
def checklists(request: HttpRequest, filters: Query[ChecklistFilters], paging: Query[Paging]):
    return paginate(request, checklist_list(request.user, filters), paging)


@router.post(
    "/checklists",
    response={201: ChecklistDetailOut},
    summary="开始自查（企业账号）",
    description="按本企业监管行业和风险特征生成清单；已有填写中的清单时 409（code `checklist_open`）。",
)
def checklist_post(request: HttpRequest):
    checklist = checklist_start(actor=request.user)
    return Status(201, checklist_get(request.user, checklist.pk))


@router.get("/checklists/{int:checklist_id}", response=ChecklistDetailOut, summary="自查清单详情（含各项结论）")
def checklist_detail(request: HttpRequest, checklist_id: int):
    return checklist_get(request.user, checklist_id)


@router.put(
    "/checklists/{int:checklist_id}/answers/{clause}",
    response=ItemOut,
    summary="保存一项结论",
    description="`result`：ok 符合、fail 不符合、na 不适用；可带该项当前 `version`，他人已修改时 409。",
)
def answer_put(request: HttpRequest, checklist_id: int, clause: str, payload: AnswerIn):  # type: ignore[valid-type]
    item_answer(actor=request.user, checklist_id=checklist_id, clause_id=clause, data=payload.dict())
    return item_get(request.user, checklist_id, clause)


@router.post(
    "/checklists/{int:checklist_id}/answers/{clause}/attachments",
    response={201: ItemOut},
    summary="为一项上传现场照片",
    description="multipart/form-data：`file` 照片（JPEG、PNG、WebP、HEIC 或 PDF），`result` 结论（必填），可选 `note`、`version`。",
)
def answer_photo_post(request: HttpRequest, checklist_id: int, clause: str, file: File[UploadedFile]):
    data = {**request.POST.dict(), "photos": [file]}
    item_answer(actor=request.user, checklist_id=checklist_id, clause_id=clause, data=data)
    return Status(201, item_get(request.user, checklist_id, clause))


@router.post(
    "/checklists/{int:checklist_id}/submit",
    response=ChecklistDetailOut,
    summary="提交自查结果",
    description="每一项都须已填写；每个不符合项作为重大隐患上报（来源 self_check；专项行动任务的清单为 campaign 或举一反三的 dragnet），引用该条款。",
)
def checklist_submit_post(request: HttpRequest, checklist_id: int, payload: SubmitIn):
    checklist_submit(actor=request.user, checklist_id=checklist_id, version=payload.version)
    return checklist_get(request.user, checklist_id)
