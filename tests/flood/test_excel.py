"""Risk points in Excel: the export re-imports (a changed row updates its point, a new row adds
one); a row without its responsible person is refused by row and column, and nothing is saved."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.flood.models import RiskPoint


def _export(client) -> bytes:
    response = client.get(reverse("flood:point_export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _upload(client, book) -> str:
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("风险点.xlsx", out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return client.post(reverse("flood:point_import"), {"file": upload}).content.decode()


def _columns(sheet) -> dict[str, int]:
    header = next(row for row in sheet.iter_rows(values_only=True) if row and "风险点名称" in row)
    return {name: i for i, name in enumerate(header)}


def test_export_reimports_updating_and_adding(client, login, point, ziyang_user):
    client = login(ziyang_user)
    book = load_workbook(io.BytesIO(_export(client)))
    sheet = book.active
    cols = _columns(sheet)
    rows = list(sheet.iter_rows())
    first = next(r for r in rows if r[cols["风险点名称"]].value == point.name)
    first[cols["巡查责任人"]].value = "赵刚"
    sheet.append([c.value for c in first])
    last = list(sheet.iter_rows())[-1]
    last[cols["风险点名称"]].value = "大码头低洼易涝区"
    last[cols["类型"]].value = "低洼易涝区"
    text = _upload(client, book)
    assert "导入成功" in text, text
    assert RiskPoint.objects.get(pk=point.pk).patrol_person == "赵刚"
    assert RiskPoint.objects.get(name="大码头低洼易涝区").kind == "low_lying"


def test_a_row_without_its_responsible_person_saves_nothing(client, login, point, ziyang_user):
    client = login(ziyang_user)
    book = load_workbook(io.BytesIO(_export(client)))
    sheet = book.active
    cols = _columns(sheet)
    row = next(r for r in sheet.iter_rows() if r[cols["风险点名称"]].value == point.name)
    row[cols["行政责任人"]].value = None
    row[cols["巡查责任人"]].value = "赵刚"
    text = _upload(client, book)
    assert "行政责任人为必填项" in text
    assert RiskPoint.objects.get(pk=point.pk).patrol_person == "王军"
