"""Background jobs: progress, a download that only its owner gets and that expires, failures
recorded in Chinese."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import Notification
from safeloop.core import jobs
from safeloop.core.errors import ValidationFailed
from safeloop.core.models import Job, JobState, SecurityEvent, SecurityKind
from safeloop.core.xlsx import ImportFailed, ImportReport, RowError


def _count_to_three(job, progress):
    progress.total(3)
    for _ in range(3):
        progress.advance()
    return jobs.JobResult(content=b"a,b\n", filename="结果.csv", content_type="text/csv")


def _refuse(job, progress):
    raise ValidationFailed("筛选条件无效")


def _bad_import(job, progress):
    raise ImportFailed(ImportReport(errors=[RowError(2, "B", "企业名称", "企业名称为必填项")]))


def _crash(job, progress):
    raise RuntimeError("disk full")


def _read_upload(job, progress):
    return jobs.JobResult(report={"ok": True, "created": len(jobs.job_upload(job)), "updated": 0, "unchanged": 0})


@pytest.fixture(autouse=True)
def kinds(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for name, run in (
        ("t.count", _count_to_three),
        ("t.refuse", _refuse),
        ("t.import", _bad_import),
        ("t.crash", _crash),
        ("t.upload", _read_upload),
    ):
        jobs.register_job(jobs.JobKind(name, "测试任务", run))


def test_a_started_job_runs_in_the_worker_and_offers_its_file_to_its_owner(
    city_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=city_user, kind="t.count", params={})
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent) == (JobState.DONE, 3, 3, 100)
    client.force_login(city_user)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "下载" in page and "有效期至" in page
    response = client.get(reverse("core:job_file", args=[job.pk]))
    assert b"".join(response.streaming_content) == b"a,b\n"
    downloaded = SecurityEvent.objects.get(action=SecurityKind.DOWNLOAD)  # the security log has it
    assert downloaded.actor_id == city_user.pk and downloaded.payload["title"] == job.title


def test_nobody_but_the_owner_sees_a_job(city_user, ziyang_user, client):
    job = jobs.run_now(owner=city_user, kind="t.count", params={})
    client.force_login(ziyang_user)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404


def test_the_download_expires_and_the_daily_pass_deletes_the_file(city_user, client):
    job = jobs.run_now(owner=city_user, kind="t.count", params={})
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(city_user)
    assert client.get(reverse("core:job_file", args=[job.pk])).status_code == 404
    assert "已过期" in client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert jobs.jobs_expire.call()["deleted"] == 1
    assert Job.objects.get(pk=job.pk).result_file == ""


def test_a_refusal_is_kept_in_chinese_and_an_import_keeps_its_row_errors(city_user):
    assert jobs.run_now(owner=city_user, kind="t.refuse", params={}).error == "筛选条件无效"
    failed = jobs.run_now(owner=city_user, kind="t.import", params={})
    assert failed.state == JobState.FAILED
    assert failed.report["errors"] == [{"row": 2, "column": "B", "header": "企业名称", "message": "企业名称为必填项"}]


def test_a_crash_is_recorded_without_the_developer_text(city_user):
    job = jobs.run_now(owner=city_user, kind="t.crash", params={})
    assert job.state == JobState.FAILED and "disk" not in job.error and "请稍后重试" in job.error


def test_an_uploaded_file_is_kept_until_the_job_has_read_it(city_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.job_start(owner=city_user, kind="t.upload", params={"a": 1}, upload=b"12345")
    stored = job.params["upload"]
    assert stored == f"jobs/{job.pk}/upload.xlsx" and default_storage.exists(stored)
    assert jobs.run_job.call(str(job.pk)) == JobState.DONE
    job.refresh_from_db()
    assert (job.report["created"], job.params["a"]) == (5, 1) and not default_storage.exists(stored)
    assert jobs.run_job.call(str(job.pk)) == "gone"  # a job runs once


def test_the_owner_is_told_when_a_background_job_ends_not_when_it_ran_in_the_request(
    city_user, django_capture_on_commit_callbacks
):
    jobs.run_now(owner=city_user, kind="t.count", params={})
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=city_user, kind="t.crash", params={})
    told = Notification.objects.get(user=city_user)
    assert (told.kind, told.title, told.url) == (
        "job",
        "测试任务未完成，请查看原因",
        reverse("core:job", args=[job.pk]),
    )


def test_a_job_cut_off_by_a_stopped_worker_is_marked_not_done_by_the_daily_pass(city_user):
    job = Job.objects.create(kind="t.count", title="测试任务", owner=city_user, state=JobState.RUNNING)
    fresh = Job.objects.create(kind="t.count", title="测试任务", owner=city_user, state=JobState.QUEUED)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=25))
    jobs.jobs_expire.call()
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "任务被中断，未能完成，请重新发起。")
    assert Job.objects.get(pk=fresh.pk).state == JobState.QUEUED


APP_KINDS = (
    *("hazards.ledger_export", "hazards.ledger_import", "registry.enterprise_export", "registry.enterprise_import"),
    *("accidents.accident_export", "accidents.disaster_export", "accidents.response_export"),
    *("accidents.denominator_export", "accidents.denominator_import"),
)


@pytest.mark.parametrize("kind", APP_KINDS)
def test_every_app_registers_its_export_and_import_jobs_with_a_page_to_go_back_to(kind):
    spec = jobs.job_kind(kind)
    assert reverse(spec.back).startswith("/") and spec.back_label and spec.title
