"""A large enterprise import in the browser: the upload becomes a background job, its page shows
the rows checked so far while it runs, and it ends with the report and the way back to the list."""

import threading
import time

import pytest

from safeloop.core import jobs
from safeloop.core.models import Job
from safeloop.registry.models import Enterprise
from tests.browser.test_enterprises import sign_in
from tests.conftest import credit_code
from tests.registry.test_import_export import row, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = 400
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_large_import_shows_its_progress_and_ends_with_its_report(
    page, live_server, ziyang_user, settings, monkeypatch
):
    settings.SAFELOOP_IMPORT_JOB_ROWS = 50  # a small threshold: this file goes to the background
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    advance = jobs.Progress.advance

    def slowly(progress, count=1):  # a row at a time, slow enough to be watched
        advance(progress, count)
        time.sleep(0.01)

    monkeypatch.setattr(jobs.Progress, "advance", slowly)
    data = workbook_bytes([row(f"后台导入企业{i}有限公司", credit_code()) for i in range(ROWS)])
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("input[name=file]", files=[{"name": "企业.xlsx", "mimeType": XLSX, "buffer": data}])
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/jobs/**")
    job = Job.objects.get()
    worker = threading.Thread(target=jobs.run_job.call, args=(str(job.pk),))  # the task worker
    worker.start()
    try:
        page.locator(".job-percent").wait_for(timeout=20_000)  # polled while it runs
        shown = page.locator("#job-status").inner_text()
        assert "进行中" in shown and "已处理" in shown and f"/ {ROWS} 条" in shown
        page.get_by_text(f"导入成功：新建 {ROWS} 条，更新 0 条，未变化 0 条。").wait_for(timeout=60_000)
    finally:
        worker.join(timeout=120)
    assert Enterprise.objects.count() == ROWS
    page.locator(".crumbs").get_by_role("link", name="企业档案").click()
    page.wait_for_url(f"{live_server.url}/enterprises/")
    assert page.console_errors == []
