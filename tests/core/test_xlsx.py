"""The Excel piece people meet: a title row, a frozen header with an autofilter, date cells that
come back as the same day and minute, and an import that finds its header below a title row and
names the file's own columns."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from safeloop.core.errors import UnsupportedType, ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.inputs import Inputs
from safeloop.core.xlsx import Column, ImportReport, read_rows, sheet_rows
from safeloop.core.xlsx_write import Heading, write_workbook

SPECS = (
    FieldSpec("name", "名称", required=True),
    FieldSpec("day", "日期", Kind.DATE),
    FieldSpec("at", "时间", Kind.MOMENT),
    FieldSpec("count", "数量", Kind.INTEGER),
    FieldSpec("kind", "类别", Kind.CHOICE, choices=(("a", "甲类"), ("b", "乙类"))),
)
COLUMNS = [Column.of(spec) for spec in SPECS]
AT = datetime(2026, 5, 1, 8, 30, tzinfo=timezone.get_fixed_timezone(480))


def exported(objects, heading=None) -> bytes:
    out = io.BytesIO()
    write_workbook(out, "测试", COLUMNS, objects, heading=heading)
    return out.getvalue()


def workbook(*rows) -> bytes:
    wb = Workbook()
    for cells in rows:
        wb.active.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROW = {"name": "甲", "day": date(2026, 5, 1), "at": AT, "count": 3, "kind": "b"}


@time_machine.travel("2026-12-02 10:30 +0800", tick=False)
def test_the_title_row_says_the_filters_and_the_time_and_the_header_is_frozen_with_an_autofilter():
    ws = load_workbook(io.BytesIO(exported([ROW, ROW], Heading(filters=("赫山区", "重大隐患"))))).active
    assert ws["A1"].value == "测试（赫山区 · 重大隐患）导出时间 2026年12月2日 10:30"
    assert [c.value for c in ws[2]] == ["名称", "日期", "时间", "数量", "类别"]
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A3", "A2:E4")
    assert Heading().text("企业档案") == "企业档案 导出时间 2026年12月2日 10:30"


def test_dates_and_times_are_date_cells_that_read_back_as_the_same_day_and_minute():
    ws = load_workbook(io.BytesIO(exported([ROW]))).active
    day, at, count = ws["B2"], ws["C2"], ws["D2"]
    assert (day.number_format, at.number_format, day.is_date, at.is_date) == (
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm",
        True,
        True,
    )
    assert (count.data_type, ws["E2"].value) == ("n", "乙类")
    [(number, raw)] = list(read_rows(exported([ROW]), COLUMNS))
    inp = Inputs(raw)
    assert (number, inp.date("day", "日期"), inp.moment("at", "时间")) == (2, date(2026, 5, 1), AT)


def test_the_import_finds_the_header_below_a_title_row_or_a_note():
    data = exported([ROW], Heading(filters=("资阳区",)))
    assert [(n, raw["name"]) for n, raw in read_rows(data, COLUMNS)] == [(3, "甲")]
    noted = workbook(["说明：红色列必填"], [], ["名称", "数量"], ["乙", 5])
    assert [(n, raw) for n, raw in read_rows(noted, COLUMNS)] == [(4, {"name": "乙", "count": 5})]


def test_a_file_without_the_required_header_is_refused_on_its_file_field():
    with pytest.raises(ValidationFailed) as exc:
        read_rows(workbook(["标题"], ["日期", "数量"], ["2026-05-01", 1]), COLUMNS)
    assert exc.value.fields == {"file": "表头缺少必填列：名称（请使用导出或模板文件的表头）"}


def test_errors_name_the_columns_where_the_file_has_them():
    sheet = read_rows(workbook(["数量", "备注", "名称"], [1, "", "甲"]), COLUMNS)
    report = ImportReport(letters=sheet.letters)
    report.add(2, COLUMNS, {"name": "名称重复", "day": "日期为必填项"})
    assert [str(e) for e in report.errors] == ["第2行第C列（名称）：名称重复", "第2行（日期）：日期为必填项"]


def test_an_empty_template_has_its_header_in_the_first_row():
    ws = load_workbook(io.BytesIO(exported([]))).active
    assert ([c.value for c in ws[1]], ws.freeze_panes, ws.auto_filter.ref) == (
        ["名称", "日期", "时间", "数量", "类别"],
        "A2",
        "A1:E1",
    )


def test_an_import_page_counts_the_rows_of_a_file_without_reading_its_cells():
    many = Workbook(write_only=True)  # a writer that declares no dimension
    first = many.create_sheet("台账")
    for i in range(3000):
        first.append([i, "x"])
    many.create_sheet("说明").append(["不计入"])
    out = io.BytesIO()
    many.save(out)
    assert sheet_rows(out.getvalue()) == 3000
    assert sheet_rows(exported([ROW, ROW], Heading())) == 4
    with pytest.raises(UnsupportedType):
        sheet_rows(b"%PDF-1.4")
