"""The assessment table in the usual layout (考核结果汇总表): rank, unit, each item's score under
its name and weight, the total, the veto; one sheet, counties then departments (core.xlsx_write)."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from safeloop.core.xlsx import Column
from safeloop.core.xlsx_write import Heading, workbook_file
from safeloop.duties.models import Scheme
from safeloop.duties.scoring import UnitScore


def assessment_workbook(scheme: Scheme, scores: list[UnitScore], items: list[tuple[str, str, str]]) -> IO[bytes]:
    """`items`: (code, title, weight) of the scheme, in order."""
    columns = [
        Column(_("类别"), "kind", None, 10),
        Column(_("名次"), "rank", None, 8),
        Column(_("被考核单位"), "unit", None, 28),
    ]
    columns += [Column(f"{title}（{weight}分）", code, None, 14) for code, title, weight in items]
    columns += [
        Column(_("总分"), "total", None, 10),
        Column(_("一票否决"), "veto", None, 10),
        Column(_("考核结果"), "result", None, 12),
    ]

    def row(s: UnitScore) -> list:
        by_code = {i.code: i for i in s.items}
        cells = [_("县市区") if s.kind == "county" else _("部门"), s.rank, s.name]
        cells += [float(by_code[c].score) if c in by_code else "" for c, _t, _w in items]
        result = (
            _("不合格") if s.vetoed else (_("优秀") if s.score >= 90 else _("合格") if s.score >= 60 else _("不合格"))
        )
        return [*cells, float(s.score), _("是") if s.vetoed else "", result]

    status = _("已终结（封存结果）") if scheme.status == "closed" else _("考核中（实时数据）")
    return workbook_file(
        _("安全生产考核结果汇总表"),
        columns,
        (row(s) for s in scores),
        heading=Heading(filters=[scheme.title, status]),
        cells=True,
    )
