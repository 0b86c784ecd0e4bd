"""The fast enterprise import (issue 10): one name comparison for both sides, a round trip over
every category, one audit entry per file, progress in the background, and what others change
between the check and the write."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from pypinyin import Style, lazy_pinyin

from safeloop.core import jobs
from safeloop.core.models import AuditEntry, Job, JobState
from safeloop.core.text import name_key, pinyin_initials
from safeloop.core.xlsx import ImportFailed, read_rows
from safeloop.registry import io as registry_io
from safeloop.registry.io import COLUMNS, enterprise_import
from safeloop.registry.models import Category, Enterprise
from tests.conftest import ZIYANG_TOWN, credit_code, make_enterprise
from tests.registry.test_import_export import export_bytes, row, workbook_bytes

# What an export carries and a re-import sets; the rest is the database's (key, code, times).
EXPORTED = [c.field for c in COLUMNS if c.field != "region_name"] + ["region_id", "category_id", "name_initials"]


def records() -> dict[str, dict]:
    fields = [f for f in EXPORTED if f not in ("region", "category", "supervising_department_override")]
    return {e["credit_code"]: e for e in Enterprise.objects.values(*fields, "supervising_department_override_id")}


def test_an_enterprise_of_every_category_round_trips_through_export_and_import(city_user, reference):
    categories = list(Category.objects.order_by("code"))
    assert any("（" in c.name for c in categories)  # 消防安全（人员密集场所）, 化工（含石油化工）…
    for index, category in enumerate(categories):
        make_enterprise(category=category.code, name=f"{category.name}示范{index}有限公司", employees=index + 1)
    before = records()
    data = export_bytes(city_user)
    report = enterprise_import(actor=city_user, data=data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(categories))
    Enterprise.objects.all().delete()
    report = enterprise_import(actor=city_user, data=data)  # the same file registers each one again
    assert report.created == len(categories)
    assert records() == before


@pytest.mark.parametrize("typed", ["消防安全(人员密集场所)", "消防安全（人员密集场所）", " 消防安全 (人员密集场所) "])
def test_a_category_name_matches_with_brackets_of_either_width(ziyang_user, typed):
    enterprise_import(actor=ziyang_user, data=workbook_bytes([row("甲公司", credit_code(), category=typed)]))
    assert Enterprise.objects.get(name="甲公司").category_id == "fire_safety"


def test_the_name_key_is_the_same_for_both_widths_and_keeps_the_stored_name_unchanged():
    stored = "消防安全（人员密集场所）"
    assert name_key(stored) == name_key("消防安全(人员密集场所)") == name_key("消防安全 ( 人员密集场所 ) ")
    assert name_key("ＡＢＣ公司") == "abc公司" and name_key(stored) != name_key("消防安全")


@pytest.mark.parametrize(
    "name",
    ["重庆长江银行", "长沙市重型机械厂", "中国银行益阳分行", "乐山乐器行", "Ａ公司 (益阳)", "〇号仓库", "abc DEF 12号"],
)
def test_pinyin_initials_are_pypinyins_own_letters(name):
    expected = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).replace(" ", "").lower()
    assert pinyin_initials(name) == expected


def test_an_import_writes_one_audit_entry_with_its_rows_and_the_files_hash(ziyang_user, ziyang_enterprise):
    data = workbook_bytes(
        [
            row("甲公司", credit_code()),
            row("乙公司", credit_code()),
            row("资阳安达化工有限公司", ziyang_enterprise.credit_code, 从业人数=9),
        ]
    )
    enterprise_import(actor=ziyang_user, data=data)
    entry = AuditEntry.objects.get(action="enterprise.import")
    assert entry.actor == ziyang_user and entry.target_type == "registry.enterprise"
    assert entry.changes == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "rows": 3,
        "created": 2,
        "updated": 1,
        "unchanged": 0,
    }
    assert not AuditEntry.objects.filter(action="enterprise.import.create").exists()
    [update] = AuditEntry.objects.filter(action="enterprise.import.update")  # its changes stay in its history
    assert update.target_id == str(ziyang_enterprise.pk) and update.changes["employees"][1] == "9"


def test_new_enterprises_get_their_defaults_codes_and_initials(ziyang_user, reference):
    enterprise_import(
        actor=ziyang_user, data=workbook_bytes([row("益阳重型机械有限公司", credit_code(), category="商贸")])
    )
    enterprise = Enterprise.objects.get()
    assert (enterprise.name_initials, enterprise.version) == ("yyzxjxyxgs", 1)
    assert enterprise.key_sector == Category.objects.get(code="commerce").key_sector  # the category's default
    assert len(enterprise.public_code) == 12 and enterprise.created_at and enterprise.updated_at


def test_a_code_registered_between_the_check_and_the_write_saves_nothing(ziyang_user, reference):
    taken = credit_code()
    rows = [row("甲公司", credit_code()), row("乙公司", taken)]
    data = workbook_bytes(rows)
    sheet = read_rows(data, COLUMNS)
    run = registry_io._EnterpriseImport(ziyang_user, list(sheet), sheet.letters, None)
    assert run.check().ok
    make_enterprise(credit_code=taken, name="抢先登记")  # another user, meanwhile
    with pytest.raises(ImportFailed) as exc, transaction.atomic():
        run.save(data)
        raise ImportFailed(run.report)
    [error] = exc.value.report.errors
    assert (error.row, error.column) == (3, "B") and "已被登记" in error.message
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["抢先登记"]


def test_an_enterprise_edited_between_the_check_and_the_write_is_a_row_error(ziyang_user, ziyang_enterprise):
    data = workbook_bytes([row("资阳安达化工有限公司", ziyang_enterprise.credit_code, 从业人数=5)])
    sheet = read_rows(data, COLUMNS)
    run = registry_io._EnterpriseImport(ziyang_user, list(sheet), sheet.letters, None)
    assert run.check().ok
    Enterprise.objects.filter(pk=ziyang_enterprise.pk).update(version=7, employees=70)
    run.save(data)
    assert [str(e) for e in run.report.errors] == [
        "第2行第B列（统一社会信用代码）：该企业在导入过程中已被他人修改，请重新导入"
    ]


def test_a_large_import_runs_as_a_job_with_progress_and_its_report(
    login, ziyang_user, reference, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SAFELOOP_IMPORT_JOB_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    seen, advance = [], jobs.Progress.advance

    def watched(progress, count=1):  # what the job's page reads: written outside the import's transaction
        advance(progress, count)
        seen.append(Job.objects.values_list("done", "total").get(pk=progress.job.pk))
        depth.append(len(connection.atomic_blocks) - outer)

    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    monkeypatch.setattr(jobs.Progress, "advance", watched)
    client, outer, depth = login(ziyang_user), len(connection.atomic_blocks), []
    data = workbook_bytes([row(f"企业{i}", credit_code(), town=ZIYANG_TOWN) for i in range(3)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:enterprise_import"), {"file": _upload(data)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert depth == [0, 0, 0]  # no transaction of the import's own holds them back (or SQLite's write lock)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.report["created"]) == (JobState.DONE, 3, 3, 3)
    assert Enterprise.objects.count() == 3
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "导入成功：新建 3 条，更新 0 条，未变化 0 条" in page and reverse("registry:enterprise_list") in page


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "企业.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
