"""A deadline of 9999-12-31 once stopped the nightly supervision for the whole city. Dates are
bounded in the one reader (deadlines, extensions, imported dates: at most
SAFELOOP_DATE_MAX_YEARS_AHEAD years ahead), the calendar refuses other years in Chinese, and
every daily pass isolates the item that fails: logged, counted, the others processed."""

import io
import logging
from datetime import date

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from safeloop.core import jobs
from safeloop.core.errors import ValidationFailed
from safeloop.core.models import Job
from safeloop.core.schedule import Tally, each, enqueue_daily, register_daily
from safeloop.core.workdays import OutOfCalendar, WorkdayCalendar, add_workdays
from safeloop.hazards import digest
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.ledger_io import COLUMNS
from safeloop.hazards.models import Escalation, Hazard
from safeloop.hazards.services import hazard_report
from safeloop.hazards.supervision import supervise
from tests.hazards.conftest import Loop

NOW = "2026-11-02 09:00 +0800"


def assigned(boss, description: str, deadline: str = "2026-11-06") -> Hazard:
    loop = Loop(hazard_report(actor=boss, data={"source": "self_check", "description": description}))
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline=deadline)
    return loop.hazard


def stored_deadline(hazard: Hazard, day: str) -> None:
    """What an old import or a hand-edited database leaves behind, past every check."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE hazards_hazard SET deadline = %s WHERE id = %s", [day, hazard.pk])


# ---------------------------------------------------------------- the nightly pass


def test_a_far_future_deadline_fails_alone_and_the_pass_goes_on(boss, caplog):
    with time_machine.travel(NOW, tick=False):
        far = assigned(boss, "配电箱未接地")  # the lowest id: checked first
        others = [assigned(boss, "消防通道堵塞"), assigned(boss, "灭火器过期")]
    stored_deadline(far, "9999-12-31")
    with caplog.at_level(logging.ERROR, logger="safeloop.schedule"):
        report = supervise(today=date(2026, 11, 9))  # one working day overdue for the others
    assert (report.checked, report.escalated, report.failed, report.failures) == (3, 2, 1, [str(far.pk)])
    assert all(Hazard.objects.get(pk=h.pk).escalation == Escalation.SUPERVISED for h in others)
    assert Hazard.objects.get(pk=far.pk).escalation == 0
    assert "failed; the pass goes on" in caplog.text and "日期超出工作日历的范围" in caplog.text


def test_a_deadline_before_the_calendar_fails_alone_too(boss):
    with time_machine.travel(NOW, tick=False):
        old, due = assigned(boss, "配电箱未接地"), assigned(boss, "消防通道堵塞")
    stored_deadline(old, "0001-01-01")
    report = supervise(today=date(2026, 11, 9))
    assert (report.escalated, report.failed) == (1, 1)
    assert Hazard.objects.get(pk=due.pk).escalation == Escalation.SUPERVISED


def test_the_daily_task_reports_the_failures(boss):
    from safeloop.hazards.tasks import supervise_hazards

    with time_machine.travel(NOW, tick=False):
        far = assigned(boss, "配电箱未接地")
    stored_deadline(far, "9999-12-31")
    result = supervise_hazards.call()
    assert (result["failed"], result["failures"]) == (1, [str(far.pk)])


# ---------------------------------------------------------------- the inputs


@time_machine.travel(NOW, tick=False)
def test_deadlines_and_extensions_more_than_three_years_ahead_are_refused(boss, worker):
    loop = Loop(hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地"}))
    loop.act(boss, "confirm")
    with pytest.raises(ValidationFailed) as refused:
        loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline="9999-12-31")
    assert refused.value.fields == {"deadline": "整改期限日期不能晚于2029-11-02（最多为今后3年内）"}
    loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline="2029-11-01")
    loop.act(worker, "start")
    with pytest.raises(ValidationFailed) as refused:
        loop.act(boss, "request_extension", deadline="2029-11-03", reason="设备到货晚")
    assert refused.value.fields["deadline"] == "申请延至不能晚于2029-11-02（最多为今后3年内）"


@time_machine.travel(NOW, tick=False)
def test_the_bound_is_a_setting(boss, settings):
    settings.SAFELOOP_DATE_MAX_YEARS_AHEAD = 1
    loop = Loop(hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地"}))
    loop.act(boss, "confirm")
    with pytest.raises(ValidationFailed, match="最多为今后1年内"):
        loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline="2028-01-01")


@time_machine.travel(NOW, tick=False)
def test_an_imported_deadline_far_ahead_is_an_error_at_its_row_and_column(ziyang_user, ziyang_enterprise):
    headers = [c.header for c in COLUMNS]
    cells = {
        "编号": "2025-旧-001",
        "来源": "监管检查",
        "企业": ziyang_enterprise.name,
        "信用代码": ziyang_enterprise.credit_code,
        "隐患描述": "消防通道堆放杂物",
        "等级": "一般",
        "发现日期": "2026-10-08",
        "状态": "已交办",
        "责任单位": "仓库",
        "责任人": "张",
        "期限": date(9999, 12, 31),  # a date cell, as Excel stores it
    }
    wb = Workbook()
    wb.active.append(headers)
    wb.active.append([cells.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationFailed) as refused:
        ledger_import(actor=ziyang_user, data=out.getvalue())
    [error] = refused.value.report.errors
    assert (error.row, error.header, error.message) == (2, "期限", "期限不能晚于2029-11-02（最多为今后3年内）")
    assert not Hazard.objects.exists()


# ---------------------------------------------------------------- the calendar


def test_the_calendar_refuses_years_outside_its_range_in_chinese(db):
    with time_machine.travel(NOW, tick=False):
        calendar = WorkdayCalendar(date(2026, 1, 1), date(2026, 12, 31))
        with pytest.raises(OutOfCalendar) as refused:
            calendar.workdays_between(date(2026, 11, 2), date(9999, 12, 31))
        assert refused.value.message == "日期超出工作日历的范围：9999年不在1900年至2030年之间"
        assert refused.value.status == 400
        with pytest.raises(OutOfCalendar):
            add_workdays(date(1, 1, 1), 3)
        assert calendar.workdays_between(date(2026, 11, 2), date(2030, 12, 31))[0] > 0  # the last year covered


# ---------------------------------------------------------------- every daily job


def test_each_logs_and_counts_a_failing_item_and_goes_on(caplog):
    def work(n):
        if n == 2:
            raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="safeloop.schedule"):
        tally = each([1, 2, 3], work, job="test pass")
    assert (tally.done, tally.failed, tally.failures) == (2, 1, ["2"])
    assert "test pass: 2 failed; the pass goes on" in caplog.text and "boom" in caplog.text


def test_expired_files_are_deleted_even_when_one_cannot_be(city_user, monkeypatch):
    expired = [
        Job.objects.create(kind="hazards.ledger_export", owner=city_user, result_file=f"jobs/{n}/result")
        for n in range(3)
    ]
    Job.objects.update(expires_at="2000-01-01T00:00:00Z")
    delete = default_storage.delete

    def failing(name):
        if name == expired[0].result_file:
            raise PermissionError(name)
        delete(name)

    monkeypatch.setattr(default_storage, "delete", failing)
    assert jobs.jobs_expire.call() == {"deleted": 2, "failed": 1, "failures": [str(expired[0].pk)]}
    left = dict(Job.objects.values_list("pk", "result_file"))
    assert left == {expired[0].pk: expired[0].result_file, expired[1].pk: "", expired[2].pk: ""}


def test_one_leaders_digest_failing_does_not_stop_the_others(city_user, ziyang_user, monkeypatch):
    told = []

    def digest_for(user, day):
        if user == city_user:
            raise RuntimeError("scope provider down")
        told.append(user)
        return digest.Digest(day=day, new_overdue=0, overdue=0, escalated=0, open_major=0)

    monkeypatch.setattr(digest, "digest_for", digest_for)
    tally = Tally()
    digest.digests_send(today=date(2026, 11, 10), tally=tally)
    assert (told, tally.failed) == ([ziyang_user], 1)


def test_a_daily_job_that_cannot_be_enqueued_does_not_stop_the_others(monkeypatch):
    from safeloop.core import schedule

    class Task:
        def __init__(self, fails):
            self.fails, self.enqueued = fails, False

        def enqueue(self):
            if self.fails:
                raise RuntimeError("queue down")
            self.enqueued = True

    broken, fine = Task(True), Task(False)
    monkeypatch.setattr(schedule, "_daily", [])
    register_daily(broken)
    register_daily(fine)
    assert enqueue_daily() == 1 and fine.enqueued


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_pages_showing_working_days_skip_a_stored_date_the_calendar_cannot_count(day, boss, worker, login):
    with time_machine.travel(NOW, tick=False):
        far = assigned(boss, "配电箱未接地")
        assigned(boss, "消防通道堵塞")
    stored_deadline(far, day)
    client = login(boss)
    pages = [
        reverse("hazards:todo"),
        reverse("hazards:ledger"),
        reverse("hazards:export"),
        reverse("hazards:detail", args=[far.pk]),
        reverse("registry:enterprise_detail", args=[far.enterprise_id]),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
