"""`GET /api/v1/changes`: the change feed (`core.changes`; the guarantee is in docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from safeloop.core.api import OutSchema
from safeloop.core.changes import feed_page, feed_types
from safeloop.core.errors import ValidationFailed

router = Router(tags=["数据交换"])
FEED_TYPES_DESCRIPTION = (
    "逗号分隔，如 hazard,enterprise；不填为全部。可选：enterprise, hazard, accident, checklist, inspection, "
    "campaign, campaign_task, stationing, report, duty_task, clue, case, flood_patrol, flood_danger, "
    "flood_alert, briefing"
)
MAX_FEED_PAGE = 1000


class ChangeFilters(Schema):
    since: int = Field(0, ge=0, le=2**62, title=gettext_noop("游标"), description="上次返回的 cursor；0 为从头读取")
    types: str = Field("", max_length=400, title=gettext_noop("对象类型"), description=FEED_TYPES_DESCRIPTION)
    page_size: int = Field(500, ge=1, le=MAX_FEED_PAGE, title=gettext_noop("每页条数"), description="最多 1000 条")


class ChangeOut(OutSchema):
    position: int = Field(description="变更序号（按提交顺序递增）")
    type: str = Field(description="对象类型")
    id: int = Field(description="对象编号")
    op: Literal["created", "updated", "deleted"] = Field(
        description="created 新增；updated 修改；deleted 删除或移出调用者的管辖范围"
    )
    at: datetime
    data: dict[str, Any] | None = Field(description="变更后的对象（deleted 时为 null）")


class ChangesOut(Schema):
    results: list[ChangeOut]
    cursor: int = Field(description="下次请求的 since；没有新变更时与请求的 since 相同")
    more: bool = Field(description="true：还有更多变更，可立即继续读取")


@router.get(
    "/changes",
    response=ChangesOut,
    summary="变更订阅：按提交顺序返回新增、修改、删除的对象",
    description=(
        "保存返回的 `cursor`，下次以 `since=cursor` 请求：不漏、不重（并发写入、长事务下亦然）。"
        "只含调用者管辖范围内的对象；对象移出范围时以 `deleted` 出现。从 0 开始可读取全部历史变更。"
    ),
)
def change_list(request: HttpRequest, filters: Query[ChangeFilters]):
    wanted = [t.strip() for t in filters.types.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in feed_types()]
    if unknown:
        reason = _("对象类型“%(type)s”不存在，可选：%(known)s") % {"type": unknown[0], "known": "、".join(feed_types())}
        raise ValidationFailed.from_fields({"types": reason})
    results, cursor = feed_page(request.user, since=filters.since, types=wanted, page_size=filters.page_size)
    return {"results": results, "cursor": cursor, "more": len(results) == filters.page_size}
