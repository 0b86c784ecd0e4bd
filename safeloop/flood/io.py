"""Excel of the risk points: the export (core.bulk.Export) and the import (all rows or none,
each error by row and column), with the same columns, so an export is the import's template."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from safeloop.core.bulk import Export, Import
from safeloop.core.errors import ValidationFailed
from safeloop.core.jobs import Progress
from safeloop.core.xlsx import Column, ImportFailed, ImportReport, read_rows
from safeloop.flood.fields import RISK_POINT, RISK_POINT_FIELDS
from safeloop.flood.permissions import sees_flood
from safeloop.flood.selectors import FloodFilters, risk_point_list
from safeloop.flood.services import check_recorder, clean_risk_point, risk_points_import
from safeloop.registry.io import region_word

RISK_POINT_COLUMNS = [
    Column.of(RISK_POINT["region"], lambda p: p.region_id, 12),
    Column(gettext_lazy("乡镇名称"), "region_name", lambda p: p.region.name, 14),  # a check for the reader
    *(
        Column.of(spec, width=24 if spec.name in ("name", "location") else 14)
        for spec in RISK_POINT_FIELDS
        if spec.name != "region"
    ),
]


def _words(user: Any, f: FloodFilters) -> list[str]:
    return [region_word(f.region)] if f.region else []


RISK_POINT_EXPORT = Export(
    kind="flood.risk_point_export",
    title=gettext_lazy("防汛风险点"),
    columns=RISK_POINT_COLUMNS,
    filters=FloodFilters,
    select=risk_point_list,
    words=_words,
    allowed=sees_flood,
    refusal=gettext_lazy("防汛风险点属地管理，由市、县区和乡镇账号查看"),
    back="flood:points",
)


def risk_point_import(*, actor: Any, data: bytes, progress: Progress | None = None) -> ImportReport:
    check_recorder(actor)
    sheet = read_rows(data, RISK_POINT_COLUMNS)
    report, rows = ImportReport(letters=sheet.letters), []
    for number, raw in sheet:
        raw.pop("region_name", None)
        try:
            rows.append(clean_risk_point(actor, raw))
        except ValidationFailed as exc:
            report.add(number, RISK_POINT_COLUMNS, exc.fields)
    if report.errors:
        raise ImportFailed(report)
    report.created, report.updated = risk_points_import(actor=actor, rows=rows)
    return report


RISK_POINT_IMPORT = Import(
    kind="flood.risk_point_import",
    title=gettext_lazy("防汛风险点导入"),
    run=risk_point_import,
    back="flood:points",
    back_label=gettext_lazy("防汛风险点"),
)
