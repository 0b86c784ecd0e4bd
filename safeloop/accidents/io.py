"""Excel columns of the accident, disaster, response and denominator tables; denominator import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accidents.fields import ACCIDENT, DENOMINATOR, DENOMINATOR_FIELDS, DISASTER_FIELDS, RESPONSE_FIELDS
from safeloop.accidents.permissions import sees_whole_region
from safeloop.accidents.reference import sector_choices
from safeloop.accidents.selectors import (
    AccidentFilters,
    RecordFilters,
    accident_list,
    denominator_list,
    disaster_list,
    response_list,
)
from safeloop.accidents.services import check_writer, denominators_import
from safeloop.accidents.validation import clean_denominator
from safeloop.accounts.models import User
from safeloop.core.bulk import Export, Import
from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import only
from safeloop.core.jobs import Progress
from safeloop.core.xlsx import Column, ImportFailed, ImportReport, read_rows
from safeloop.registry.io import region_word


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


# ---------------------------------------------------------------- exports, with their filters in words

GRADES = [("major_plus", gettext_lazy("重特大")), ("larger", gettext_lazy("较大")), ("general", gettext_lazy("一般"))]
REGION_ONLY = gettext_lazy("自然灾害、应急响应和统计分母是属地全口径数据，由市、县区和乡镇账号查看")


def record_words(user: User, f: RecordFilters) -> list[str]:
    words = [region_word(f.region)] if f.region else []
    return words + ([_("{year}年").format(year=f.year)] if f.year else [])


def accident_words(user: User, f: AccidentFilters) -> list[str]:
    words = record_words(user, f)
    words += [str(dict(sector_choices()).get(f.sector, f.sector))] if f.sector else []
    words += [_("{grade}事故").format(grade=dict(GRADES).get(f.grade, f.grade))] if f.grade else []
    words += [_("含非生产安全事故")] if f.all == "1" else []
    return words + ([_("搜索“{q}”").format(q=f.q)] if f.q else [])


def _record_export(kind: str, title: Any, columns: list[Column], select: Any, back: str) -> Export:
    """Disasters, responses and denominators: region-wide records, for a role that sees a whole region."""
    return Export(
        kind=kind,
        title=title,
        columns=columns,
        filters=RecordFilters,
        select=select,
        words=record_words,
        allowed=sees_whole_region,
        refusal=REGION_ONLY,
        back=back,
    )


ACCIDENT_EXPORT = Export(
    kind="accidents.accident_export",
    title=gettext_lazy("生产安全事故"),
    columns=ACCIDENT_COLUMNS,
    filters=AccidentFilters,
    select=accident_list,
    words=accident_words,
    back="accidents:accident_list",
)
DISASTER_EXPORT = _record_export(
    "accidents.disaster_export", gettext_lazy("自然灾害"), DISASTER_COLUMNS, disaster_list, "accidents:disaster_list"
)
RESPONSE_EXPORT = _record_export(
    "accidents.response_export", gettext_lazy("应急响应"), RESPONSE_COLUMNS, response_list, "accidents:response_list"
)
DENOMINATOR_EXPORT = _record_export(
    "accidents.denominator_export",
    gettext_lazy("统计分母"),
    DENOMINATOR_COLUMNS,
    denominator_list,
    "accidents:denominator_list",
)
EXPORTS = (ACCIDENT_EXPORT, DISASTER_EXPORT, RESPONSE_EXPORT, DENOMINATOR_EXPORT)


def denominator_import(*, actor: User, data: bytes, progress: Progress | None = None) -> ImportReport:
    """All rows or none: every error is reported by row and column, as the API would say it."""
    check_writer(actor)
    sheet = read_rows(data, DENOMINATOR_COLUMNS)
    report, rows = ImportReport(letters=sheet.letters), []
    for number, raw in sheet:
        raw.pop("region_name", None)
        try:
            rows.append(clean_denominator(actor, raw))
        except ValidationFailed as exc:
            report.add(number, DENOMINATOR_COLUMNS, exc.fields)
    if report.errors:
        raise ImportFailed(report)
    report.updated = denominators_import(actor=actor, rows=rows)
    return report


DENOMINATOR_IMPORT = Import(
    kind="accidents.denominator_import",
    title=gettext_lazy("统计分母导入"),
    run=denominator_import,
    back="accidents:denominator_list",
    back_label=gettext_lazy("统计分母"),
)
