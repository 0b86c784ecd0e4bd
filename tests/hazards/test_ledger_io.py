import hashlib
import io

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from safeloop.core.errors import Forbidden
from safeloop.core.models import AuditEntry
from safeloop.core.xlsx import ImportFailed
from safeloop.core.xlsx_write import write_cells
from safeloop.hazards.events import verify_all
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.ledger_io import COLUMNS, export_rows
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import hazard_queryset

HEADERS = [c.header for c in COLUMNS]
TODAY = "2026-11-20 09:00 +0800"


def workbook(rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADERS)
    for row in rows:
        wb.active.append([row.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(enterprise, **cells):
    base = {
        "编号": "2025-旧-001",
        "企业": enterprise.name,
        "信用代码": enterprise.credit_code,
        "隐患描述": "消防通道堆放杂物",
        "等级": "一般",
        "来源": "监管检查",
        "发现日期": "2026-10-08",
        "状态": "已上报",
    }
    return base | cells


@time_machine.travel(TODAY, tick=False)
def test_rows_become_hazards_with_their_history_in_the_chain(ziyang_user, ziyang_enterprise):
    closed = row(
        ziyang_enterprise,
        状态="已销号",
        责任单位="仓库",
        责任人="张",
        期限="2026-10-20",
        完成日期="2026-10-15",
        验收人="李工",
        验收日期="2026-10-16",
        销号日期="2026-10-17",
        资金="1200",
    )
    report = ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise), closed]))
    assert report.created == 2
    hazard = Hazard.objects.get(status="closed")
    assert hazard.code.startswith("YH-430902-2026-")
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions == ["report", "confirm", "assign", "start", "submit_rectification", "accept", "close"]
    assert hazard.events.first().payload["legacy_code"] == "2025-旧-001"
    assert list(verify_all()) == []


@time_machine.travel(TODAY, tick=False)
def test_one_bad_row_saves_nothing_and_names_row_and_column(ziyang_user, ziyang_enterprise):
    rows = [row(ziyang_enterprise) for _ in range(300)]
    rows[120] = row(
        ziyang_enterprise,
        状态="已验收",
        责任单位="仓库",
        责任人="张",
        期限="2026-10-20",
        完成日期="2026-10-15",
        验收人="李工",
    )  # 验收日期 missing
    with pytest.raises(ImportFailed) as exc:
        ledger_import(actor=ziyang_user, data=workbook(rows))
    [error] = exc.value.report.errors
    assert (error.row, error.column, error.header) == (122, "Y", "验收日期")
    assert "状态为“已验收”时验收日期为必填项" in error.message
    assert not Hazard.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_enterprise_outside_scope_and_bad_names_are_reported(ziyang_user, heshan_enterprise, ziyang_enterprise):
    with pytest.raises(ImportFailed) as exc:
        ledger_import(actor=ziyang_user, data=workbook([row(heshan_enterprise), row(ziyang_enterprise, 等级="特大")]))
    assert [(e.row, e.column) for e in exc.value.report.errors] == [(2, "C"), (3, "I")]


def test_enterprises_cannot_import(enterprise_user):
    with pytest.raises(Forbidden):
        ledger_import(actor=enterprise_user, data=workbook([]))


@time_machine.travel(TODAY, tick=False)
def test_export_has_the_ledger_columns_and_only_scope(ziyang_user, heshan_user, ziyang_enterprise):
    ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise)]))
    out = io.BytesIO()
    write_cells(out, "隐患台账", COLUMNS, export_rows(hazard_queryset(ziyang_user)))
    rows = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "编号",
        "企业",
        "信用代码",
        "县（市、区）",
        "乡镇（街道）",
        "行业",
        "监管部门",
        "隐患描述",
        "等级",
        "判定依据",
        "来源",
        "发现日期",
        "发现人",
        "责任单位",
        "责任人",
        "整改措施",
        "资金",
        "期限",
        "原期限",
        "逾期天数（工作日）",
        "督办等级",
        "指令书编号",
        "完成日期",
        "验收人",
        "验收日期",
        "复查意见书编号",
        "销号日期",
        "回头看日期",
        "状态",
    ]
    assert rows[1][2] == ziyang_enterprise.credit_code
    out = io.BytesIO()
    assert write_cells(out, "隐患台账", COLUMNS, export_rows(hazard_queryset(heshan_user))) == 0


@time_machine.travel(TODAY, tick=False)
def test_dates_out_of_order_are_refused_and_closed_rows_get_a_look_back(ziyang_user, ziyang_enterprise):
    closed = {
        "状态": "已销号",
        "责任单位": "仓库",
        "责任人": "张",
        "期限": "2026-10-20",
        "完成日期": "2026-10-15",
        "验收人": "李工",
        "验收日期": "2026-10-16",
        "销号日期": "2026-10-17",
    }
    with pytest.raises(ImportFailed) as exc:
        ledger_import(
            actor=ziyang_user, data=workbook([row(ziyang_enterprise, **{**closed, "验收日期": "2026-10-01"})])
        )
    assert exc.value.report.errors[0].message == "验收日期不能早于完成日期"
    ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise, **closed)]))
    assert str(Hazard.objects.get().look_back_due) == "2026-11-16"


# The layout before the county, department and supervision columns: files exported then still import.
OLD_HEADERS = [
    *("编号", "企业", "信用代码", "区域", "行业", "隐患描述", "等级", "判定依据", "来源", "发现日期", "发现人"),
    *("责任单位", "责任人", "整改措施", "资金", "期限", "完成日期", "验收人", "验收日期", "销号日期", "状态"),
]


@time_machine.travel(TODAY, tick=False)
def test_a_file_in_the_old_layout_imports_and_its_errors_name_its_own_columns(ziyang_user, ziyang_enterprise):
    wb = Workbook()
    wb.active.append(OLD_HEADERS)
    good, bad = (
        row(ziyang_enterprise),
        row(ziyang_enterprise, 状态="已验收", 责任单位="仓库", 责任人="张", 期限="2026-10-20"),
    )
    for cells in (good, bad):
        wb.active.append([cells.get(h, "") for h in OLD_HEADERS])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportFailed) as exc:
        ledger_import(actor=ziyang_user, data=out.getvalue())
    errors = exc.value.report.errors
    assert {(e.row, e.column, e.header) for e in errors} == {
        (3, "Q", "完成日期"),
        (3, "R", "验收人"),
        (3, "S", "验收日期"),
    }
    wb.active.delete_rows(3)
    out = io.BytesIO()
    wb.save(out)
    assert ledger_import(actor=ziyang_user, data=out.getvalue()).created == 1


@time_machine.travel(TODAY, tick=False)
def test_an_import_is_one_audit_entry_with_its_rows_and_file_hash_and_its_rows_keep_every_field(
    ziyang_user, ziyang_enterprise
):
    rows = [row(ziyang_enterprise, 编号=f"旧-{i}", 隐患描述=f"隐患{i}", 资金=str(100 + i)) for i in range(3)]
    data = workbook(rows)
    ledger_import(actor=ziyang_user, data=data)
    entry = AuditEntry.objects.get(action="hazard.ledger_import")
    assert (entry.actor, entry.target_type) == (ziyang_user, "hazards.hazard")
    assert entry.changes == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "rows": 3, "created": 3}
    stored = Hazard.objects.order_by("description").values_list("description", "enterprise_id", "found_on", "version")
    assert [(d, e, str(f), v) for d, e, f, v in stored] == [
        (f"隐患{i}", ziyang_enterprise.pk, "2026-10-08", 1) for i in range(3)
    ]
    assert all(h.created_at and h.events.count() == 1 for h in Hazard.objects.all())
    assert list(verify_all()) == []
