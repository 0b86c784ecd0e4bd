"""Both writers behind `core.xlsx_write` (the Rust writer and XlsxWriter) write the same file as
people and the import read it: the same cells read back by calamine and by openpyxl, the title
row merged over the header, the header frozen with an autofilter, date cells with their
formats, the columns' widths."""

import io
import os
from datetime import date, datetime

import pytest
import time_machine
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from safeloop.core.fields import Kind
from safeloop.core.xlsx import Column
from safeloop.core.xlsx_write import MAX_CELL_TEXT, Heading, workbook_file, write_cells, writer_name


def naive(*parts: int) -> datetime:
    """A time as a cell holds it: Asia/Shanghai, without a zone (`core.xlsx.plain`)."""
    return datetime(*parts)  # noqa: DTZ001


COLUMNS = [
    Column("编号", "code", lambda r: r[0], 20, required=True),
    Column("企业", "name", lambda r: r[1], 30),
    Column("发现日期", "found_on", lambda r: r[2], 12, kind=Kind.DATE),
    Column("上报时间", "at", lambda r: r[3], 18, kind=Kind.MOMENT),
    Column("资金（元）", "funds", lambda r: r[4], 10),
    Column("人数", "people", lambda r: r[5], 9),
    Column("重点", "key", lambda r: r[6], 8),
    Column("回头看日期", "look_back", lambda r: r[7], 12),  # no kind: its format comes from its values
    Column("隐患描述", "description", lambda r: r[8], 40, kind=Kind.TEXTAREA),
]
ROWS = [
    [
        "YH-1",
        "益阳某化工有限公司",
        date(2026, 5, 1),
        naive(2026, 5, 1, 10, 30),
        1200.5,
        3,
        "是",
        date(2026, 6, 1),
        "堵塞",
    ],
    ["YH-2", "", None, None, None, 0, "否", None, "=1+1 不是公式"],
    ["YH-3", "资阳区\x01商贸", date(2026, 1, 2), naive(2026, 12, 31, 23, 59), 0.1, 12345678, "否", None, "长" * 40000],
]
WRITERS = ("rust", "xlsxwriter")
AT = "2026-12-02 10:30 +0800"


@time_machine.travel(AT, tick=False)
def written(writer: str, rows=ROWS, count: int = len(ROWS)) -> bytes:
    out = io.BytesIO()
    assert write_cells(out, "隐患台账", COLUMNS, rows, heading=Heading(filters=("赫山区",)), writer=writer) == count
    return out.getvalue()


def calamine_rows(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_both_writers_write_cells_that_calamine_reads_back_alike():
    rust, fallback = (calamine_rows(written(w)) for w in WRITERS)
    assert rust == fallback
    assert rust[0][0] == "隐患台账（赫山区）导出时间 2026年12月2日 10:30" and rust[1] == [c.header for c in COLUMNS]
    first, blank, third = rust[2:]
    assert first == ["YH-1", "益阳某化工有限公司", date(2026, 5, 1), naive(2026, 5, 1, 10, 30), 1200.5, 3.0, "是"] + [
        date(2026, 6, 1),
        "堵塞",
    ]
    assert blank == [
        "YH-2",
        "",
        "",
        "",
        "",
        0.0,
        "否",
        "",
        "=1+1 不是公式",
    ]  # a blank is no cell, text is not a formula
    assert third[8] == "长" * MAX_CELL_TEXT  # cut at Excel's limit, not refused


def test_both_writers_give_openpyxl_the_same_cells_formats_layout_and_widths():
    sheets = {w: load_workbook(io.BytesIO(written(w))).active for w in WRITERS}
    rust, fallback = sheets["rust"], sheets["xlsxwriter"]
    assert [[c.value for c in r] for r in rust.iter_rows()] == [[c.value for c in r] for r in fallback.iter_rows()]
    for ws in sheets.values():
        assert ws.title == "隐患台账"
        assert [str(r) for r in ws.merged_cells.ranges] == ["A1:I1"]
        assert (ws.freeze_panes, ws.auto_filter.ref) == ("A3", "A2:I5")
        assert (ws["C3"].is_date, ws["C3"].number_format) == (True, "yyyy-mm-dd")
        assert (ws["D3"].is_date, ws["D3"].number_format) == (True, "yyyy-mm-dd hh:mm")
        assert ws["H3"].number_format == "yyyy-mm-dd"  # learned from the first rows' values
        assert ws["A2"].font.b and ws["A1"].font.b
    for letter, column in zip("ABCDEFGHI", COLUMNS, strict=True):
        widths = {round(ws.column_dimensions[letter].width) for ws in sheets.values()}
        assert widths == {column.width + 1}, letter  # both add Excel's padding to the width asked for


@pytest.mark.parametrize("writer", WRITERS)
def test_rows_stream_from_an_iterator_past_the_look_ahead_and_are_counted(writer):
    rows = ([f"YH-{i}", "企业", date(2026, 1, 1), None, i * 0.5, i, "否", None, ""] for i in range(3000))
    data = written(writer, rows, 3000)
    got = calamine_rows(data)
    assert len(got) == 2 + 3000 and got[-1][:2] == ["YH-2999", "企业"] and got[-1][5] == 2999.0


def test_an_empty_export_and_a_template_have_the_header_with_required_columns_in_red():
    with workbook_file("企业档案", COLUMNS, [], writer="rust") as out:
        ws = load_workbook(io.BytesIO(out.read())).active
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws["A1"].font.color.rgb == "FFB91C1C" and ws["B1"].font.color.rgb != "FFB91C1C"


def test_the_writer_is_the_rust_one_unless_the_setting_says_otherwise(settings):
    assert writer_name() == "rust"
    settings.SAFELOOP_XLSX_WRITER = "xlsxwriter"
    assert writer_name() == "xlsxwriter"


def test_the_open_file_of_an_export_has_no_name_left_on_the_disk():
    with workbook_file("隐患台账", COLUMNS, ROWS[:1], cells=True) as out:
        assert out.read(2) == b"PK" and not os.path.exists(out.name)  # closing it frees the space


def test_a_stored_date_before_excels_first_year_is_written_as_its_text_by_both_writers():
    old = [["YH-9", "企业", date(1, 1, 1), naive(1899, 12, 31, 8, 0), None, 1, "否", date(9999, 12, 31), ""]]
    for writer in WRITERS:
        cells = calamine_rows(written(writer, old, 1))[2]
        assert cells[2:4] == ["0001-01-01", "1899-12-31 08:00:00"] and cells[7] == date(9999, 12, 31), writer
