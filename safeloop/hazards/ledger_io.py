"""The 台账 Excel layout (standard ledger columns) and its streaming export."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from safeloop.core.xlsx import Column
from safeloop.hazards.models import Hazard, Level, Source, Status

LEVEL_NAMES = dict(Level.choices)
SOURCE_NAMES = dict(Source.choices)
STATUS_NAMES = dict(Status.choices)


def _d(value) -> str:
    return value.isoformat() if value else ""


COLUMNS = [
    Column("编号", "code", lambda h: h.code, 24, required=True),
    Column("企业", "enterprise", lambda h: h.enterprise.name, 30, required=True),
    Column("信用代码", "credit_code", lambda h: h.enterprise.credit_code, 22, required=True),
    Column("区域", "region", lambda h: h.enterprise.region.name, 12),
    Column("行业", "category", lambda h: h.enterprise.category.name, 12),
    Column("隐患描述", "description", lambda h: h.description, 48, required=True),
    Column("等级", "level", lambda h: str(LEVEL_NAMES.get(h.level, h.level)), 6, required=True),
    Column("判定依据", "clause", lambda h: h.clause, 18),
    Column("来源", "source", lambda h: str(SOURCE_NAMES.get(h.source, h.source)), 10, required=True),
    Column("发现日期", "found_on", lambda h: _d(h.found_on), 12, required=True),
    Column("发现人", "finder_name", lambda h: h.finder_name, 10),
    Column("责任单位", "responsible_unit", lambda h: h.responsible_unit, 18),
    Column("责任人", "responsible_person", lambda h: h.responsible_person, 10),
    Column("整改措施", "measures", lambda h: h.measures, 36),
    Column("资金", "funds", lambda h: float(h.funds) if h.funds is not None else None, 10),
    Column("期限", "deadline", lambda h: _d(h.deadline), 12),
    Column("完成日期", "rectified_on", lambda h: _d(h.rectified_on), 12),
    Column("验收人", "accepted_by_name", lambda h: h.accepted_by_name, 10),
    Column("验收日期", "accepted_on", lambda h: _d(h.accepted_on), 12),
    Column("销号日期", "closed_on", lambda h: _d(h.closed_on), 12),
    Column("状态", "status", lambda h: str(STATUS_NAMES.get(h.status, h.status)), 10, required=True),
]


def export_rows(qs: QuerySet[Hazard]) -> Iterator[Hazard]:
    """Stream the ledger in chunks; memory stays flat at any size."""
    return qs.select_related("enterprise__region", "enterprise__category").iterator(chunk_size=2000)

