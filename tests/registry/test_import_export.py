import io

import pytest
from openpyxl import Workbook, load_workbook

from safeloop.core.errors import Forbidden, UnsupportedType, ValidationFailed
from safeloop.core.xlsx import ImportFailed
from safeloop.core.xlsx_write import write_workbook
from safeloop.registry.io import COLUMNS, enterprise_import, export_queryset
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import enterprise_queryset
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, credit_code, make_enterprise

HEADERS = [c.header for c in COLUMNS]


def workbook_bytes(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(name, code, town=ZIYANG_TOWN, category="危险化学品", **extra):
    values = {"企业名称": name, "统一社会信用代码": code, "乡镇代码": town, "监管行业": category, **extra}
    return [values.get(h, "") for h in HEADERS]


def export_bytes(user) -> bytes:
    out = io.BytesIO()
    write_workbook(out, "企业档案", COLUMNS, export_queryset(enterprise_queryset(user)))
    return out.getvalue()


def test_import_registers_new_enterprises(ziyang_user):
    data = workbook_bytes([row("甲公司", credit_code()), row("乙公司", credit_code(), 风险等级="橙", 重点监管="是")])
    report = enterprise_import(actor=ziyang_user, data=data)
    assert (report.created, report.updated) == (2, 0)
    assert Enterprise.objects.get(name="乙公司").risk_level == "orange"


def test_export_reimports_unchanged(city_user, reference):
    make_enterprise(
        name="导出一",
        lat="28.123456",
        lng="112.654321",
        employees=33,
        risk_level="red",
        principal_phone="0737-1234567",
        industry_code="2614",
    )
    make_enterprise(region=HESHAN_TOWN, category="commerce", name="导出二", key_sector=True)
    before = list(Enterprise.objects.order_by("pk").values())
    report = enterprise_import(actor=city_user, data=export_bytes(city_user))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert list(Enterprise.objects.order_by("pk").values()) == before


def test_one_bad_row_among_thousands_saves_nothing_and_names_row_and_column(ziyang_user):
    rows = [row(f"企业{i}", credit_code()) for i in range(3000)]
    rows[1776][HEADERS.index("统一社会信用代码")] = "91430902000000001X"
    with pytest.raises(ImportFailed) as exc:
        enterprise_import(actor=ziyang_user, data=workbook_bytes(rows))
    [error] = exc.value.report.errors
    assert (error.row, error.column, error.header) == (1778, "B", "统一社会信用代码")
    assert str(error) == "第1778行第B列（统一社会信用代码）：统一社会信用代码校验位错误"
    assert not Enterprise.objects.exists()


def test_every_error_is_reported_not_only_the_first(ziyang_user):
    rows = [row("", credit_code()), row("乙", "123"), row("丙", credit_code(), category="航天")]
    with pytest.raises(ImportFailed) as exc:
        enterprise_import(actor=ziyang_user, data=workbook_bytes(rows))
    assert [(e.row, e.column) for e in exc.value.report.errors] == [(2, "A"), (3, "B"), (4, "E")]


def test_duplicate_codes_within_a_file_are_named(ziyang_user):
    code = credit_code()
    with pytest.raises(ImportFailed) as exc:
        enterprise_import(actor=ziyang_user, data=workbook_bytes([row("甲", code), row("乙", code)]))
    assert exc.value.report.errors[0].message == "与第2行的统一社会信用代码重复"


def test_township_name_must_match_its_code(ziyang_user):
    with pytest.raises(ImportFailed) as exc:
        enterprise_import(actor=ziyang_user, data=workbook_bytes([row("甲", credit_code(), 乡镇名称="桃花仑街道")]))
    assert exc.value.report.errors[0].column == "D"


def test_existing_enterprise_outside_scope_is_not_overwritten(ziyang_user, heshan_enterprise):
    data = workbook_bytes([row("改名", heshan_enterprise.credit_code)])
    with pytest.raises(ImportFailed) as exc:
        enterprise_import(actor=ziyang_user, data=data)
    assert "不在您的管辖范围内" in exc.value.report.errors[0].message
    heshan_enterprise.refresh_from_db()
    assert heshan_enterprise.name == "赫山顺达运输有限公司"


def test_import_updates_known_enterprise_and_bumps_version(ziyang_user, ziyang_enterprise):
    data = workbook_bytes([row("资阳安达化工有限公司", ziyang_enterprise.credit_code, 从业人数=77)])
    report = enterprise_import(actor=ziyang_user, data=data)
    ziyang_enterprise.refresh_from_db()
    assert (report.updated, ziyang_enterprise.employees, ziyang_enterprise.version) == (1, 77, 2)


def test_missing_required_header_is_reported(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_import(actor=ziyang_user, data=workbook_bytes([["甲"]], headers=["企业名称"]))
    assert "统一社会信用代码" in exc.value.message


def test_a_file_that_is_not_a_workbook_is_refused(ziyang_user):
    with pytest.raises(UnsupportedType):
        enterprise_import(actor=ziyang_user, data=b"%PDF-1.4 not a spreadsheet")


def test_enterprise_user_cannot_import(enterprise_user):
    with pytest.raises(Forbidden):
        enterprise_import(actor=enterprise_user, data=workbook_bytes([]))


def test_export_contains_only_the_users_scope(ziyang_user, ziyang_enterprise, heshan_enterprise):
    ws = load_workbook(io.BytesIO(export_bytes(ziyang_user))).active
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert names == [ziyang_enterprise.name]
