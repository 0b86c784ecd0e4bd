"""The 台账 Excel layout (standard ledger columns) and its streaming export."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet

from safeloop.core.xlsx import Column
from safeloop.hazards.models import Hazard, Level, Source, Status

LEVEL_NAMES = dict(Level.choices)
SOURCE_NAMES = dict(Source.choices)
STATUS_NAMES = dict(Status.choices)


def _d(value) -> str:
    return value.isoformat() if value else ""


def _name(names: dict, key: str):
    return lambda r: str(names.get(r[key], r[key]))


def _field(key: str):
    return lambda r: r[key]


def _date(key: str):
    return lambda r: _d(r[key])


# Each export row is a dict from `.values()`: a million model instances would cost more than
# writing the file.
COLUMNS = [
    Column("编号", "code", _field("code"), 24, required=True),
    Column("企业", "enterprise", _field("enterprise__name"), 30, required=True),
    Column("信用代码", "credit_code", _field("enterprise__credit_code"), 22, required=True),
    Column("区域", "region", _field("enterprise__region__name"), 12),
    Column("行业", "category", _field("enterprise__category__name"), 12),
    Column("隐患描述", "description", _field("description"), 48, required=True),
    Column("等级", "level", _name(LEVEL_NAMES, "level"), 6, required=True),
    Column("判定依据", "clause", _field("clause"), 18),
    Column("来源", "source", _name(SOURCE_NAMES, "source"), 10, required=True),
    Column("发现日期", "found_on", _date("found_on"), 12, required=True),
    Column("发现人", "finder_name", _field("finder_name"), 10),
    Column("责任单位", "responsible_unit", _field("responsible_unit"), 18),
    Column("责任人", "responsible_person", _field("responsible_person"), 10),
    Column("整改措施", "measures", _field("measures"), 36),
    Column("资金", "funds", lambda r: float(r["funds"]) if r["funds"] is not None else None, 10),
    Column("期限", "deadline", _date("deadline"), 12),
    Column("完成日期", "rectified_on", _date("rectified_on"), 12),
    Column("验收人", "accepted_by_name", _field("accepted_by_name"), 10),
    Column("验收日期", "accepted_on", _date("accepted_on"), 12),
    Column("销号日期", "closed_on", _date("closed_on"), 12),
    Column("状态", "status", _name(STATUS_NAMES, "status"), 10, required=True),
]
VALUES = [
    "code",
    "enterprise__name",
    "enterprise__credit_code",
    "enterprise__region__name",
    "enterprise__category__name",
    "description",
    "level",
    "clause",
    "source",
    "found_on",
    "finder_name",
    "responsible_unit",
    "responsible_person",
    "measures",
    "funds",
    "deadline",
    "rectified_on",
    "accepted_by_name",
    "accepted_on",
    "closed_on",
    "status",
]


CHUNK = 2000


def export_rows(qs: QuerySet[Hazard]) -> Iterator[dict]:
    """Stream the ledger in chunks; memory stays flat at any size.

    The ordered, filtered scan reads ids only; each chunk of rows is then fetched by id with
    its enterprise, region and category. Joining those into the ordered scan of a million
    rows made the planner start from the small tables and sort everything."""
    ids = qs.values_list("pk", flat=True).iterator(chunk_size=CHUNK * 5)
    for chunk in iter(lambda: list(islice(ids, CHUNK)), []):
        by_id = {row["pk"]: row for row in Hazard.objects.filter(pk__in=chunk).values("pk", *VALUES)}
        yield from (by_id[pk] for pk in chunk if pk in by_id)
