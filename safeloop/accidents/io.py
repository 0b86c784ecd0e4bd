"""Excel columns of the accident, disaster, response and denominator tables; denominator import."""

from __future__ import annotations

from django.utils.translation import gettext as _

from safeloop.accidents.fields import ACCIDENT, DENOMINATOR, DENOMINATOR_FIELDS, DISASTER_FIELDS, RESPONSE_FIELDS
from safeloop.accidents.services import check_writer, denominators_import
from safeloop.accidents.validation import clean_denominator
from safeloop.accounts.models import User
from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import only
from safeloop.core.xlsx import Column, ImportFailed, ImportReport, check_size, read_rows


def _county(accident) -> str:
    return accident.region.parent.name if accident.region.parent_id else accident.region.name


ACCIDENT_COLUMNS = [
    Column(_("编号"), "id", lambda a: a.pk, 8),
    Column.of(ACCIDENT["title"], width=30),
    Column.of(ACCIDENT["occurred_at"], width=18),
    Column(_("县（市、区）"), "county", _county, 14),
    Column.of(ACCIDENT["region"], width=14),
    Column.of(ACCIDENT["sector"], width=16),
    Column.of(ACCIDENT["enterprise"], width=30),
    *(Column.of(ACCIDENT[name], width=8) for name in ("deaths", "missing", "serious_injuries", "injuries")),
    Column.of(ACCIDENT["direct_loss"], width=14),
    Column(_("等级"), "grade", lambda a: a.grade_label, 10),
]
DISASTER_COLUMNS = [Column.of(spec, width=30 if spec.name == "title" else 12) for spec in DISASTER_FIELDS]
RESPONSE_COLUMNS = [
    Column.of(spec, width=30 if spec.name == "title" else 18)
    for spec in only(
        RESPONSE_FIELDS,
        ("title", "region", "reported_at", "response_started_at", "relief_arrived_at", "relief_distributed_at"),
    )
]
DENOMINATOR_COLUMNS = [
    Column.of(DENOMINATOR["region"], lambda d: d.region_id, 12),
    Column(_("区划名称"), "region_name", lambda d: d.region.name, 16),  # a check for the reader, not a field
    *(Column.of(spec, width=18) for spec in DENOMINATOR_FIELDS if spec.name != "region"),
]


def denominator_import(*, actor: User, data: bytes) -> ImportReport:
    """All rows or none: every error is reported by row and column, as the API would say it."""
    check_writer(actor)
    check_size(data)
    report, rows = ImportReport(), []
    for number, raw in read_rows(data, DENOMINATOR_COLUMNS):
        raw.pop("region_name", None)
        try:
            rows.append(clean_denominator(actor, raw))
        except ValidationFailed as exc:
            report.add(number, DENOMINATOR_COLUMNS, exc.fields)
    if report.errors:
        raise ImportFailed(report)
    report.updated = denominators_import(actor=actor, rows=rows)
    return report
