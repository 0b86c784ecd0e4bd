"""/api/v1/briefings (API.md): the list, generation, a briefing's paragraphs and figures, and its
Word file. Editing and issuing are `POST /briefings/{id}/paragraphs/{paragraph}` and
`POST /briefings/{id}/issue` with the current `version`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Field, Query, Router, Schema, Status

from safeloop.briefings.models import Briefing
from safeloop.briefings.selectors import briefing_detail, briefing_list, published
from safeloop.briefings.services import briefing_generate, briefing_issue, paragraph_edit
from safeloop.briefings.views import document_response
from safeloop.core.api import OutSchema, Paging, page_of, paginate

router = Router(tags=["工作通报"])


class BriefingOut(OutSchema):
    id: int
    code: str
    title: str
    kind: str = Field(description="monthly 月度；quarterly 季度；annual 年度；special 专项行动")
    status: str = Field(description="draft 草稿；issued 已印发")
    region: str
    year: int
    period: int | None
    campaign: int | None
    starts_on: date
    ends_on: date
    number: str
    issued_at: datetime | None
    sha256: str = Field(description="印发文件（Word）的 SHA-256；草稿为空")
    version: int


class FigureOut(Schema):
    key: str
    label: str
    value: str
    number: float | None
    definition: str = Field(description="统计口径")
    url: str = Field(description="所统计清单的地址（含筛选条件）")
    missing: str = Field(description="暂无数据的原因；有数据时为空")


class ParagraphOut(Schema):
    id: int
    key: str
    heading: str
    text: str
    generated: str
    version: int
    figures: list[FigureOut]
    table: dict[str, Any] | None
    chart_title: str


class BriefingDetailOut(BriefingOut):
    paragraphs: list[ParagraphOut]


def _briefing(b: Briefing) -> dict[str, Any]:
    return {
        "id": b.pk,
        "code": b.code,
        "title": b.title,
        "kind": b.kind,
        "status": b.status,
        "region": b.region_id,
        "year": b.year,
        "period": b.period,
        "campaign": b.campaign_id,
        "starts_on": b.starts_on,
        "ends_on": b.ends_on,
        "number": b.number,
        "issued_at": b.issued_at,
        "sha256": b.seal.sha256 if b.seal_id and b.seal else "",
        "version": b.version,
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    b = briefing_detail(request.user, pk)
    return _briefing(b) | {"paragraphs": published(b)["paragraphs"]}


@router.get("/briefings", response=page_of(BriefingOut), summary="工作通报（本辖区）")
def briefings(request: HttpRequest, paging: Query[Paging]):
    qs = briefing_list(request.user).select_related("seal")
    return paginate(request, qs, paging, prepare=lambda rows: [_briefing(b) for b in rows])


@router.post(
    "/briefings",
    response={201: BriefingDetailOut},
    summary="按数据生成通报草稿",
    description="`kind`（monthly/quarterly/annual/special）；`year`；月度、季度通报的 `period`（月份 1–12 或季度 1–4）；"
    "专项行动通报的 `campaign`；可选 `region`（默认本人所在区划）。",
)
def briefing_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    briefing = briefing_generate(actor=request.user, data=payload)
    return Status(201, _detail(request, briefing.pk))


@router.get("/briefings/{int:briefing_id}", response=BriefingDetailOut, summary="通报的段落和数据（含口径与清单地址）")
def briefing_get(request: HttpRequest, briefing_id: int):
    return _detail(request, briefing_id)


@router.get("/briefings/{int:briefing_id}/document", summary="通报 Word 文件（已印发的为存证文件）")
def briefing_document_get(request: HttpRequest, briefing_id: int) -> HttpResponse:
    return document_response(request, briefing_detail(request.user, briefing_id))


class EditIn(Schema):
    version: int
    text: str


class VersionIn(Schema):
    version: int


@router.post(
    "/briefings/{int:briefing_id}/paragraphs/{int:paragraph_id}",
    response=BriefingDetailOut,
    summary="修改草稿的一个段落",
)
def paragraph_post(request: HttpRequest, briefing_id: int, paragraph_id: int, payload: EditIn):
    paragraph_edit(actor=request.user, pk=briefing_id, paragraph=paragraph_id, data=payload.dict())
    return _detail(request, briefing_id)


@router.post("/briefings/{int:briefing_id}/issue", response=BriefingDetailOut, summary="印发（编号、存证，不可再改）")
def issue_post(request: HttpRequest, briefing_id: int, payload: VersionIn):
    briefing_issue(actor=request.user, pk=briefing_id, version=payload.version)
    return _detail(request, briefing_id)
