"""The ledger export as people use it: a title row with the filters and the time, a frozen header
with an autofilter, date cells, the county and the derived columns; it pivots by county, and it
re-imports. Large exports and imports run as background jobs, each its owner's alone."""

import io
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from safeloop.accounts.models import Notification
from safeloop.core import jobs
from safeloop.core.models import Job, JobState
from safeloop.core.workdays import workdays_between
from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.hazards import ledger_io
from safeloop.hazards.events import verify_all
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.ledger_io import export_rows
from safeloop.hazards.models import Hazard, HazardEvent
from safeloop.hazards.selectors import LedgerFilters, hazard_queryset, ledger
from safeloop.registry.models import Department, Region
from safeloop.registry.selectors import supervising_department
from tests.hazards.test_ledger_io import HEADERS, workbook

TODAY = "2026-11-20 09:00 +0800"  # a Friday
KEY_FIELDS = (
    *("enterprise__credit_code", "description", "level", "clause", "source", "found_on", "finder_name"),
    *("responsible_unit", "responsible_person", "measures", "funds", "deadline", "rectified_on"),
    *("accepted_by_name", "accepted_on", "closed_on", "status"),
)
ASSIGNED = {"状态": "已交办", "责任单位": "仓库", "责任人": "张", "期限": "2026-11-10"}
CLOSED = {
    **ASSIGNED,
    "状态": "已销号",
    "期限": "2026-10-20",
    "完成日期": "2026-10-15",
    "验收人": "李工",
    "验收日期": "2026-10-16",
    "销号日期": "2026-10-17",
}


def row(enterprise, code, **cells):
    base = {"编号": code, "企业": enterprise.name, "信用代码": enterprise.credit_code, "隐患描述": f"隐患{code}"}
    return base | {"等级": "一般", "来源": "监管检查", "发现日期": "2026-10-08", "状态": "已上报"} | cells


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def city_ledger(city_user, ziyang_enterprise, heshan_enterprise):
    """Five hazards in two counties: reported, overdue, closed; major and not overdue, withdrawn."""
    with time_machine.travel(TODAY, tick=False):
        rows = [
            row(ziyang_enterprise, "旧-1"),
            row(ziyang_enterprise, "旧-2", 资金="1200", **ASSIGNED),
            row(ziyang_enterprise, "旧-3", 资金="800.5", **CLOSED),
            row(heshan_enterprise, "旧-4", 等级="重大", 判定依据="JY52-03-01", **{**ASSIGNED, "期限": "2026-12-31"}),
            row(heshan_enterprise, "旧-5", 状态="已撤销"),
        ]
        ledger_import(actor=city_user, data=workbook(rows))
    Hazard.objects.filter(description="隐患旧-2").update(escalation=2, order_no="资应急责改〔2026〕12号")
    Hazard.objects.filter(description="隐患旧-3").update(review_no="资应急复查〔2026〕3号")
    return Hazard.objects.all()


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def records(ws) -> list[dict]:
    """The data rows below the title row and the header, by header."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[1], cells, strict=True)) for cells in rows[2:]]


def download(client, **params) -> bytes:
    response = client.get(reverse("hazards:export"), params)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


@time_machine.travel(TODAY, tick=False)
def test_the_file_has_a_title_row_a_frozen_filtered_header_and_date_cells(login, city_user, city_ledger):
    ws = sheet(download(login(city_user), region="430903", level="major", status="assigned"))
    assert ws["A1"].value == "隐患台账（赫山区 · 重大隐患 · 已交办）导出时间 2026年11月20日 09:00"
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:AC1"]
    assert [c.value for c in ws[2]] == HEADERS
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A3", "A2:AC3")
    found_on, deadline = ws.cell(3, HEADERS.index("发现日期") + 1), ws.cell(3, HEADERS.index("期限") + 1)
    assert (found_on.is_date, found_on.number_format, found_on.value.date()) == (True, "yyyy-mm-dd", date(2026, 10, 8))
    assert deadline.value.date() == date(2026, 12, 31)


@time_machine.travel(TODAY, tick=False)
def test_the_county_department_and_overdue_columns_are_derived(
    login, city_user, city_ledger, ziyang_enterprise, heshan_enterprise
):
    transport = Department.objects.get(region_id="430900", kind="transport")
    heshan_enterprise.supervising_department_override = transport
    heshan_enterprise.save(update_fields=["supervising_department_override"])
    by_code = {r["编号"]: r for r in records(sheet(download(login(city_user))))}
    overdue, closed, major = (by_code[h.code] for h in Hazard.objects.order_by("pk")[1:4])
    assert (overdue["县（市、区）"], overdue["乡镇（街道）"], major["县（市、区）"]) == (
        "资阳区",
        "大码头街道",
        "赫山区",
    )
    assert overdue["监管部门"] == supervising_department(ziyang_enterprise).name and major["监管部门"] == transport.name
    assert overdue["逾期天数（工作日）"] == 8 == workdays_between(date(2026, 11, 10), date(2026, 11, 20))[0]
    assert (major["逾期天数（工作日）"], closed["逾期天数（工作日）"]) == (None, None)
    assert (overdue["督办等级"], overdue["指令书编号"], overdue["资金"]) == ("挂牌督办", "资应急责改〔2026〕12号", 1200)
    assert overdue["原期限"].date() == date(2026, 11, 10)
    assert (closed["复查意见书编号"], closed["回头看日期"].date()) == ("资应急复查〔2026〕3号", date(2026, 11, 16))


@time_machine.travel(TODAY, tick=False)
def test_pivoting_the_file_by_county_gives_the_ledgers_counts_and_sums_by_county(login, city_user, city_ledger):
    rows = records(sheet(download(login(city_user))))
    counts, funds = Counter(r["县（市、区）"] for r in rows), defaultdict(float)
    for r in rows:
        funds[r["县（市、区）"]] += r["资金"] or 0
    for code in ("430902", "430903"):
        name = Region.objects.get(code=code).name
        county = ledger(city_user, LedgerFilters(region=code))
        assert counts[name] == county.count() > 0
        assert Decimal(str(funds[name])) == (county.aggregate(s=Sum("funds"))["s"] or 0)
    assert sum(counts.values()) == ledger(city_user, LedgerFilters()).count() == 5


@time_machine.travel(TODAY, tick=False)
def test_an_exported_file_reimports_into_an_empty_ledger_with_the_same_key_fields(
    login, city_user, city_ledger, tamperable
):
    data = download(login(city_user))
    before = {h["code"]: h for h in Hazard.objects.values("code", *KEY_FIELDS)}
    HazardEvent.objects.all().delete()
    Hazard.objects.all().delete()
    assert ledger_import(actor=city_user, data=data).created == 5
    after = {}
    for hazard in Hazard.objects.values("pk", *KEY_FIELDS):
        legacy = HazardEvent.objects.filter(hazard_id=hazard.pop("pk"), seq=1).get().payload["legacy_code"]
        after[legacy] = hazard | {"code": legacy}
    assert after == before
    assert list(verify_all()) == []


@time_machine.travel(TODAY, tick=False)
def test_the_export_reads_a_fixed_number_of_queries_per_chunk(
    city_user, city_ledger, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(ledger_io, "CHUNK", 2)
    with django_assert_max_num_queries(3 + 3 * 2):  # ids, counties, calendar; per chunk: rows, departments
        assert len(list(export_rows(hazard_queryset(city_user)))) == 5


# ---------------------------------------------------------------- background jobs


@pytest.fixture
def small_threshold(settings):
    settings.SAFELOOP_EXPORT_JOB_ROWS = 2
    settings.SAFELOOP_IMPORT_JOB_ROWS = 1


def start_export(client, capture, **params) -> Job:
    with capture(execute=True):
        response = client.get(reverse("hazards:export"), params)
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    return job


@time_machine.travel(TODAY, tick=False)
def test_a_large_export_runs_as_a_job_with_progress_and_ends_with_a_download_that_expires(
    login, city_user, city_ledger, small_threshold, monkeypatch, django_capture_on_commit_callbacks
):
    seen, advance = [], jobs.Progress.advance

    def watched(progress, count=1):  # what the job's page reads after each row
        advance(progress, count)
        seen.append(Job.objects.values_list("done", "total").get(pk=progress.job.pk))

    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    monkeypatch.setattr(jobs.Progress, "advance", watched)
    client = login(city_user)
    job = start_export(client, django_capture_on_commit_callbacks, level="general")
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.params) == (JobState.DONE, 4, 4, {"filters": job.params["filters"]})
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "下载" in page and "有效期至 2026年11月21日 09:00" in page and reverse("hazards:ledger") in page
    ws = sheet(b"".join(client.get(reverse("core:job_file", args=[job.pk])).streaming_content))
    assert ws["A1"].value == "隐患台账（一般隐患）导出时间 2026年11月20日 09:00" and len(records(ws)) == 4
    told = Notification.objects.get(user=city_user, kind="job")
    assert (told.title, told.url) == (
        "隐患台账导出（一般隐患）已完成，可以下载（有效期至11月21日 09:00）",
        reverse("core:job", args=[job.pk]),
    )
    with time_machine.travel("2026-11-21 09:01 +0800", tick=False):
        client.force_login(city_user)  # the session of the day before has ended
        assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
        assert "下载链接已过期" in client.get(reverse("core:job", args=[job.pk])).content.decode()
        assert jobs.jobs_expire.call()["deleted"] == 1
    assert not default_storage.exists(job.result_file)


def test_a_running_job_shows_its_progress_and_polls(login, city_user):
    job = Job.objects.create(
        kind="hazards.ledger_export", title="隐患台账", owner=city_user, state="running", done=1, total=3
    )
    part = login(city_user).get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "已处理 1 / 3 条" in part and 'value="33"' in part and 'hx-trigger="every 1s"' in part


@time_machine.travel(TODAY, tick=False)
def test_a_small_export_streams_at_once_without_a_job(login, city_user, city_ledger):
    assert len(records(sheet(download(login(city_user))))) == 5
    assert not Job.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_job_started_by_one_user_is_404_for_another(
    login, city_user, ziyang_user, city_ledger, small_threshold, django_capture_on_commit_callbacks
):
    job = start_export(login(city_user), django_capture_on_commit_callbacks)
    other = login(ziyang_user)
    assert other.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:job_file", args=[job.pk])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_an_out_of_scope_filter_in_a_job_exports_nothing_outside_scope(
    login, heshan_user, city_ledger, settings, django_capture_on_commit_callbacks
):
    settings.SAFELOOP_EXPORT_JOB_ROWS = -1  # every export is a job
    job = start_export(login(heshan_user), django_capture_on_commit_callbacks, region="430902")
    job.refresh_from_db()
    assert (job.state, job.total) == (JobState.DONE, 0)
    ws = sheet(b"".join(login(heshan_user).get(reverse("core:job_file", args=[job.pk])).streaming_content))
    assert records(ws) == []


@time_machine.travel(TODAY, tick=False)
def test_a_job_exports_what_its_owner_may_see_when_it_runs(
    login, ziyang_user, city_ledger, small_threshold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run yet
        login(ziyang_user).get(reverse("hazards:export"))
    job = Job.objects.get()
    type(ziyang_user).objects.filter(pk=ziyang_user.pk).update(region_id="430903")  # moved to 赫山区 meanwhile
    assert jobs.run_job.call(str(job.pk)) == JobState.DONE
    job.refresh_from_db()
    ws = sheet(default_storage.open(job.result_file).read())
    assert {r["县（市、区）"] for r in records(ws)} == {"赫山区"}


@time_machine.travel(TODAY, tick=False)
def test_a_large_import_runs_as_a_job_whose_page_reports_rows_and_columns(
    login, city_user, ziyang_enterprise, small_threshold, django_capture_on_commit_callbacks
):
    client = login(city_user)
    bad = {**CLOSED, "验收日期": ""}
    rows = [row(ziyang_enterprise, "新-1"), row(ziyang_enterprise, "新-2"), row(ziyang_enterprise, "新-3", **bad)]
    upload = SimpleUploadedFile("台账.xlsx", workbook(rows), content_type=XLSX_CONTENT_TYPE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hazards:import"), {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert (job.state, job.report["errors"]) == (
        JobState.FAILED,
        [{"row": 4, "column": "Y", "header": "验收日期", "message": "状态为“已销号”时验收日期为必填项"}],
    )
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "第4行" in page and "Y列（验收日期）" in page and "未保存任何数据" in page
    assert not Hazard.objects.exists() and not default_storage.exists(job.params["upload"])
    assert Notification.objects.get(user=city_user, kind="job").title == "隐患台账导入未完成，请查看原因"


@time_machine.travel(TODAY, tick=False)
def test_a_large_import_that_succeeds_shows_its_counts(
    login, city_user, ziyang_enterprise, small_threshold, django_capture_on_commit_callbacks
):
    client = login(city_user)
    upload = SimpleUploadedFile("台账.xlsx", workbook([row(ziyang_enterprise, f"新-{i}") for i in range(3)]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hazards:import"), {"file": upload})
    job = Job.objects.get()
    assert (job.state, job.report["created"], Hazard.objects.count()) == (JobState.DONE, 3, 3)
    assert "导入成功：新建 3 条" in client.get(reverse("core:job", args=[job.pk])).content.decode()
