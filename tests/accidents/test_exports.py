"""Accident, disaster, response and denominator exports as people use them: the title row says
the filters and the time, times are date cells, denominators re-import below the title row, and
a job re-checks that its owner may still read region-wide records when it runs."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeloop.accidents.models import Denominator, Disaster, EmergencyResponse
from safeloop.accidents.services import accident_create
from safeloop.core import jobs
from safeloop.core.models import Job, JobState
from safeloop.core.roles import Role
from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from tests.conftest import ZIYANG_TOWN

NOW = "2026-11-20 09:00 +0800"
AT = datetime(2026, 11, 19, 14, 5, tzinfo=timezone.get_fixed_timezone(480))


def rows(client, route: str, **params) -> list[tuple]:
    response = client.get(reverse(route), params)
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


@time_machine.travel(NOW, tick=False)
def test_the_accident_export_says_its_filters_and_keeps_times_as_times(login, ziyang_user):
    data = {"title": "资阳运输事故", "occurred_at": AT, "region": ZIYANG_TOWN, "sector": "road_transport", "deaths": 1}
    accident_create(actor=ziyang_user, data=data)
    title, header, accident = rows(login(ziyang_user), "accidents:accident_export", region="430902", year="2026")
    assert title[0] == "生产安全事故（资阳区 · 2026年）导出时间 2026年11月20日 09:00"
    cells = dict(zip(header, accident, strict=True))
    assert (cells["发生时间"], cells["县（市、区）"], cells["死亡人数"]) == (AT.replace(tzinfo=None), "资阳区", 1)


@time_machine.travel(NOW, tick=False)
def test_disaster_and_response_exports_have_title_rows_and_date_cells(login, ziyang_user):
    Disaster.objects.create(title="资阳洪涝", kind="flood", occurred_on=AT.date(), region_id="430902")
    EmergencyResponse.objects.create(title="资阳洪涝响应", region_id=ZIYANG_TOWN, reported_at=AT)
    client = login(ziyang_user)
    title, _, disaster = rows(client, "accidents:disaster_export", year="2026")
    assert (
        title[0] == "自然灾害（2026年）导出时间 2026年11月20日 09:00"
        and AT.replace(hour=0, minute=0, tzinfo=None) in disaster
    )
    title, _, response = rows(client, "accidents:response_export")
    assert title[0] == "应急响应 导出时间 2026年11月20日 09:00" and AT.replace(tzinfo=None) in response


def test_the_denominator_export_reimports_below_its_title_row(login, ziyang_user):
    Denominator.objects.create(region_id="430902", year=2025, gdp=Decimal("412.30"), population=420000)
    client = login(ziyang_user)
    data = b"".join(client.get(reverse("accidents:denominator_export")).streaming_content)
    Denominator.objects.all().delete()
    upload = SimpleUploadedFile("统计分母.xlsx", data, content_type=XLSX_CONTENT_TYPE)
    assert "导入成功" in client.post(reverse("accidents:denominator_import"), {"file": upload}).content.decode()
    assert Denominator.objects.values_list("region_id", "year", "gdp", "population").get() == (
        "430902",
        2025,
        Decimal("412.30"),
        420000,
    )


@pytest.mark.parametrize("route", ["accidents:disaster_export", "accidents:denominator_export"])
def test_a_role_that_sees_no_whole_region_gets_no_region_wide_export(login, transport_user, route):
    assert login(transport_user).get(reverse(route)).status_code == 403


def test_a_region_wide_export_job_is_refused_when_its_owner_lost_the_region_meanwhile(
    login, ziyang_user, settings, django_capture_on_commit_callbacks
):
    settings.SAFELOOP_EXPORT_JOB_ROWS = -1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Disaster.objects.create(title="资阳洪涝", kind="flood", occurred_on=timezone.localdate(), region_id="430902")
    with django_capture_on_commit_callbacks(execute=False):
        assert login(ziyang_user).get(reverse("accidents:disaster_export")).status_code == 302
    job = Job.objects.get()
    type(ziyang_user).objects.filter(pk=ziyang_user.pk).update(role=Role.EXPERT, region_id=None)
    jobs.run_job.call(str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.result_file) == (JobState.FAILED, "")
    assert "由市、县区和乡镇账号查看" in job.error
    assert timedelta(0) < job.expires_at - job.finished_at
