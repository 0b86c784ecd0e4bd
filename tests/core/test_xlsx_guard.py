"""The workbook guard: a crafted 2 KB workbook (cells at A1 and XFD1048576) once made the Excel
reader allocate 549 GB and abort the server. Every import now refuses it, and zip bombs, from
the zip alone, with a Chinese message and a 400/413; the parse itself runs in a child process
under a memory limit, so even a file the checks miss only kills the child."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeloop.accidents.io import denominator_import
from safeloop.core.errors import TooLarge, UnsupportedType, ValidationFailed
from safeloop.core.jobs import job_execute, job_start
from safeloop.core.models import Job, JobState
from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.core.xlsx_guard import check_workbook, import_limits, parse_bounded
from safeloop.hazards.ledger_import import ledger_import
from safeloop.registry.io import enterprise_import
from safeloop.registry.models import Enterprise

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)


def sheet_xml(cells: str, *, dimension: str | None = None, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dim}<{p}sheetData>{cells}</{p}sheetData></{p}worksheet>'


def cell(ref: str, text: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'


def row(number: int | None, *cells: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    at = f' r="{number}"' if number is not None else ""
    return f"<{p}row{at}>{''.join(cells)}</{p}row>"


def workbook(sheet: str, *, stored: bool = False, extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook written by hand with zipfile, as an attacker would: no spreadsheet library."""
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def crafted(*, dimension: bool = True) -> bytes:
    """The file of the report: one cell at A1, one at XFD1048576 (the last cell Excel has)."""
    cells = row(1, cell("A1", "x")) + row(1048576, cell("XFD1048576", "y"))
    return workbook(sheet_xml(cells, dimension="A1:XFD1048576" if dimension else None))


def bomb() -> bytes:
    """20 MB of whitespace inside the sheet, which deflate packs into some 20 KB."""
    cells = row(1, cell("A1", "x")) + " " * (20 * 1024 * 1024)
    return workbook(sheet_xml(cells))


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("台账.xlsx", data, content_type=XLSX_CONTENT_TYPE)


# ---------------------------------------------------------------- the zip alone


def test_the_crafted_workbook_is_a_few_kilobytes_and_is_refused_before_any_parser():
    data = crafted()
    assert len(data) < 5 * 1024
    with pytest.raises(ValidationFailed) as refused:
        check_workbook(data)
    assert "表格范围过大" in refused.value.message and "A1:XFD1048576" in refused.value.message
    assert refused.value.status == 400


def test_without_a_dimension_the_largest_cell_reference_is_what_counts():
    with pytest.raises(ValidationFailed) as refused:
        check_workbook(crafted(dimension=False))
    assert "表格行数超过上限 100000 行" in refused.value.message
    assert "工作表“台账”第1048576行仍有内容" in refused.value.message


def test_a_cell_far_to_the_right_is_refused_by_the_column_limit():
    with pytest.raises(ValidationFailed) as refused:
        check_workbook(workbook(sheet_xml(row(1, cell("A1", "x"), cell("XFD1", "y")))))
    assert "表格列数超过上限 100 列" in refused.value.message


def test_rows_and_cells_without_positions_are_counted_as_the_parser_places_them(settings):
    settings.SAFELOOP_IMPORT_MAX_ROWS, settings.SAFELOOP_IMPORT_MAX_COLUMNS = 10, 3
    plain = '<c t="inlineStr"><is><t>v</t></is></c>'
    assert check_workbook(workbook(sheet_xml(row(None, plain, plain) * 15))).rows == 15  # 10 + title rows
    with pytest.raises(ValidationFailed, match="表格行数超过上限 10 行"):
        check_workbook(workbook(sheet_xml(row(None, plain) * 16)))
    with pytest.raises(ValidationFailed, match="表格列数超过上限 3 列"):
        check_workbook(workbook(sheet_xml(row(None, cell("B1", "x"), plain, plain))))


def test_a_namespace_prefix_does_not_hide_the_cells():
    cells = row(1, cell("A1", "x", "x"), prefix="x") + row(1048576, cell("XFD1048576", "y", "x"), prefix="x")
    with pytest.raises(ValidationFailed, match="表格行数超过上限"):
        check_workbook(workbook(sheet_xml(cells, prefix="x")))


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    data = bomb()
    assert len(data) < 100 * 1024
    with pytest.raises(ValidationFailed) as refused:
        check_workbook(data)
    assert "压缩比异常" in refused.value.message and "压缩炸弹" in refused.value.message


def test_what_a_workbook_unpacks_to_is_limited_in_total(settings):
    settings.SAFELOOP_IMPORT_MAX_UNPACKED_BYTES = 64 * 1024
    data = workbook(sheet_xml(row(1, cell("A1", "x"))), extra={"xl/media/noise.bin": bytes(range(256)) * 400})
    with pytest.raises(TooLarge, match="文件过大：解压后超过"):
        check_workbook(data)


def test_a_member_that_inflates_to_more_than_its_header_declares_is_refused():
    sheet = sheet_xml(row(1, cell("A1", "x")) + " " * 5000)
    data = bytearray(workbook(sheet))
    real = len(sheet.encode())
    packed = struct.pack("<I", real)
    lie = struct.pack("<I", real - 4000)
    assert data.count(packed) == 2  # the local header and the central directory
    data = data.replace(packed, lie)
    with pytest.raises(ValidationFailed, match="文件已损坏"):
        check_workbook(bytes(data))


def test_the_byte_limit_holds_for_every_import(settings):
    settings.SAFELOOP_IMPORT_MAX_BYTES = 1024
    with pytest.raises(TooLarge, match="文件过大：超过"):
        check_workbook(bomb())


def test_a_file_that_is_no_workbook_is_refused_as_such():
    for data in (b"%PDF-1.4 not a zip", workbook(sheet_xml(""))[:-30]):
        with pytest.raises(UnsupportedType):
            check_workbook(data)


def test_an_honest_workbook_passes_and_says_its_shape():
    shape = check_workbook(
        workbook(sheet_xml(row(1, cell("A1", "名称"), cell("C1", "数量")) + row(2, cell("A2", "甲"))))
    )
    assert (shape.rows, shape.last_row, shape.last_column) == (2, 2, 3)


# ---------------------------------------------------------------- parsing within a memory limit


def test_the_parser_runs_in_a_child_under_a_memory_limit_and_only_the_child_dies():
    """Past the guard (called without it here), the crafted file aborts the child, not us."""
    with pytest.raises(ValidationFailed, match="读取所需内存或时间超过上限"):
        parse_bounded(crafted(), import_limits())
    assert parse_bounded(workbook(sheet_xml(row(1, cell("A1", "甲"), cell("C1", "乙"))))) == [["甲", "", "乙"]]


# ---------------------------------------------------------------- every import, every entry point


@pytest.mark.parametrize("run", [enterprise_import, ledger_import, denominator_import])
def test_every_import_function_refuses_the_crafted_file(run, ziyang_user):
    with pytest.raises(ValidationFailed, match="表格范围过大"):
        run(actor=ziyang_user, data=crafted())


@pytest.mark.parametrize("page", ["registry:enterprise_import", "hazards:import", "accidents:denominator_import"])
def test_every_import_page_answers_400_with_the_message_and_the_server_goes_on(page, login, ziyang_user):
    client = login(ziyang_user)
    for data, words in (
        (crafted(), "表格范围过大"),
        (crafted(dimension=False), "表格行数超过上限"),
        (bomb(), "压缩炸弹"),
    ):
        response = client.post(reverse(page), {"file": upload(data)})
        assert response.status_code == 400
        assert words in response.content.decode()
    assert client.get(reverse(page)).status_code == 200  # still serving
    assert not Enterprise.objects.exists()


def test_a_background_import_of_the_crafted_file_fails_with_the_message(ziyang_user):
    job = job_start(owner=ziyang_user, kind="registry.enterprise_import", params={}, upload=crafted())
    job_execute(job)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "表格范围过大" in job.error
    assert Job.objects.filter(pk=job.pk, state=JobState.FAILED).exists()
