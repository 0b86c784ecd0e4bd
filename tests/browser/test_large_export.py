"""A large ledger export in the browser: the export link sends the official to the job's page,
which shows the rows done so far while the worker writes the file, and ends with a download
link that gives the file (written by the Rust writer)."""

import io
import threading
import time
from pathlib import Path

import pytest
from django.db import connections
from openpyxl import load_workbook

from safeloop.core import jobs
from safeloop.core.models import Job
from safeloop.hazards import ledger_io
from safeloop.hazards.services import hazard_report
from tests.browser.test_enterprises import sign_in
from tests.conftest import ZIYANG_TOWN, make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = 12


@pytest.fixture
def queued_jobs(settings):
    """Jobs wait in the queue (no worker in the test): the test runs the worker itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SAFELOOP_EXPORT_JOB_ROWS = 3  # a large export: more rows than this


def slow_rows(monkeypatch):
    """Each row takes 0.4 s, so the page (polling every second) sees the job half-way."""
    cells = ledger_io.LedgerCells.__call__

    def slow(self, row):
        time.sleep(0.4)
        return cells(self, row)

    monkeypatch.setattr(ledger_io.LedgerCells, "__call__", slow)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)


def run_worker(job_id: str) -> None:
    try:
        jobs.run_job.call(job_id)
    finally:
        connections.close_all()


def test_a_large_export_shows_its_progress_and_ends_with_a_download(
    page, live_server, ziyang_user, queued_jobs, monkeypatch
):
    enterprise = make_enterprise(region=ZIYANG_TOWN, name="大码头化工有限公司")
    for n in range(ROWS):
        hazard_report(
            actor=ziyang_user, data={"enterprise": enterprise.pk, "source": "regulator", "description": f"隐患{n}"}
        )
    slow_rows(monkeypatch)
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/hazards/")
    page.get_by_role("link", name="导出 Excel").click()
    page.wait_for_url("**/jobs/**")
    job = Job.objects.get()
    worker = threading.Thread(target=run_worker, args=(str(job.pk),))
    worker.start()
    try:
        page.locator("#job-status").get_by_text("已处理").wait_for(timeout=15_000)
        shown = page.locator("#job-status").inner_text()
        assert f"/ {ROWS} 条" in shown and f"已处理 {ROWS} / {ROWS}" not in shown  # half-way, not done
        assert page.locator("#job-status progress").count() == 1
        link = page.get_by_role("link", name="下载")
        link.wait_for(timeout=30_000)
    finally:
        worker.join(timeout=60)
    with page.expect_download() as wait:
        link.click()
    ws = load_workbook(io.BytesIO(Path(wait.value.path()).read_bytes())).active
    assert wait.value.suggested_filename.startswith("隐患台账-") and wait.value.suggested_filename.endswith(".xlsx")
    assert ws["A1"].value.startswith("隐患台账") and ws.max_row == 2 + ROWS
    assert {ws.cell(r, 8).value for r in range(3, 3 + ROWS)} == {f"隐患{n}" for n in range(ROWS)}
    assert page.console_errors == []
