"""The 台账 Excel layout (standard ledger columns) and its streaming export."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safeloop.core.xlsx import Column
from safeloop.hazards.fields import LEDGER
from safeloop.hazards.models import Hazard


def _field(key: str):
    return lambda row: row[key]


def _ledger(name: str, width: int) -> Column:
    return Column.of(LEDGER[name], width=width)


# Each export row is a dict from `.values()`: a million model instances would cost more than
# writing the file. The enterprise is matched by its credit code on import; its name, area and
# category are there for the reader.
COLUMNS = [
    _ledger("code", 24),
    Column(_("企业"), "enterprise", _field("enterprise__name"), 30, required=True),
    Column(_("信用代码"), "credit_code", _field("enterprise__credit_code"), 22, required=True),
    Column(_("区域"), "region", _field("enterprise__region__name"), 12),
    Column(_("行业"), "category", _field("enterprise__category__name"), 12),
    _ledger("description", 48),
    _ledger("level", 6),
    _ledger("clause", 18),
    _ledger("source", 10),
    _ledger("found_on", 12),
    _ledger("finder_name", 10),
    _ledger("responsible_unit", 18),
    _ledger("responsible_person", 10),
    _ledger("measures", 36),
    _ledger("funds", 10),
    _ledger("deadline", 12),
    _ledger("rectified_on", 12),
    _ledger("accepted_by_name", 10),
    _ledger("accepted_on", 12),
    _ledger("closed_on", 12),
    _ledger("status", 10),
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
