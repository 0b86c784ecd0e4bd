"""The duties API and the task page: lists and tasks under the scope rules, PATCH with its
version, evidence refused cleanly (413 too large, 415 wrong type; the page says why in Chinese
and stores nothing), the assessment by unit with its items."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeloop.duties.models import Evidence, Task, TaskEvent
from tests.api.test_api import api  # noqa: F401 - the fixture
from tests.reporting.conftest import photo

pytestmark = pytest.mark.django_db


def _zip() -> SimpleUploadedFile:
    return SimpleUploadedFile("方案.jpg", b"PK\x03\x04 not a photo" * 20, content_type="image/jpeg")


def test_tasks_and_duty_lists_are_scoped(api, duty_city):  # noqa: F811
    ziyang = api.auth(duty_city["ziyang"]).call("get", "/tasks").json()
    assert {t["code"] for t in ziyang["results"]} == {"T-1", "T-2", "T-3"}
    heshan = api.auth(duty_city["heshan"]).call("get", "/tasks").json()
    assert heshan["count"] == 0
    task = duty_city["project"]
    assert api.call("patch", f"/tasks/{task.pk}", {"percent": 50}).status_code == 404
    lists = api.auth(duty_city["heshan"]).call("get", "/duty-lists").json()
    assert lists["count"] == 0  # the fixture has no lists; none leak either


def test_patch_updates_with_the_version_and_a_stale_one_is_409(api, duty_city):  # noqa: F811
    task = duty_city["project"]
    api.auth(duty_city["ziyang"])
    month = timezone.localdate().replace(day=1).isoformat()
    done = api.call("patch", f"/tasks/{task.pk}", {"version": task.version, "progress_pct": 35, "month": month})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["progress_pct"] == 35 and body["status"] == "in_progress" and not body["behind"]
    stale = api.call("patch", f"/tasks/{task.pk}", {"version": task.version, "percent": 40})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    bad = api.call("patch", f"/tasks/{task.pk}", {"percent": 140})
    assert bad.status_code == 400 and "percent" in bad.json()["error"]["fields"]
    assert TaskEvent.objects.filter(task=task, action="update").count() == 1
    assert api.auth(duty_city["heshan"]).call("patch", f"/tasks/{task.pk}", {"percent": 1}).status_code == 404


def test_evidence_of_a_wrong_type_or_too_large_is_refused_cleanly(api, duty_city, client, settings, media_root):  # noqa: F811
    task = duty_city["project"]
    api.auth(duty_city["ziyang"])
    headers = {"Authorization": f"Bearer {api.token}"}
    url = f"/api/v1/tasks/{task.pk}/evidence"
    wrong = client.post(url, {"file": _zip()}, headers=headers)
    assert wrong.status_code == 415 and "file" in wrong.json()["error"]["fields"]
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = 500
    big = client.post(url, {"file": photo(size=(400, 400))}, headers=headers)
    assert big.status_code == 413
    assert not Evidence.objects.exists() and not TaskEvent.objects.filter(action="evidence").exists()
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    ok = client.post(url, {"file": photo(), "note": "开工照片"}, headers=headers)
    assert ok.status_code == 201, ok.content
    assert Evidence.objects.get().task_id == task.pk


def test_the_task_page_says_why_an_upload_is_refused(login, duty_city, settings, media_root):
    task = duty_city["project"]
    client = login(duty_city["ziyang"])
    page = client.post(reverse("duties:task_evidence", args=[task.pk]), {"file": _zip(), "note": "我的说明"})
    assert page.status_code == 415
    text = page.content.decode()
    assert "不能作为照片或证明" in text and "我的说明" in text  # the message, and what was typed is kept
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = 500
    page = client.post(reverse("duties:task_evidence", args=[task.pk]), {"file": photo(size=(400, 400))})
    assert page.status_code == 413 and "文件过大" in page.content.decode()
    assert not Evidence.objects.exists()
    Task.objects.get(pk=task.pk)  # unchanged version
    assert Task.objects.get(pk=task.pk).version == task.version


def test_assessment_by_unit_with_items(api, duty_city):  # noqa: F811
    year = timezone.localdate().year
    body = api.auth(duty_city["city"]).call("get", f"/assessments/{year}").json()
    counties = [u for u in body["units"] if u["kind"] == "county"]
    assert len(counties) == 6 and body["status"] == "open"
    anhua = next(u for u in counties if u["unit"] == duty_city["units"]["430923"].pk)
    assert anhua["vetoed"] and anhua["rank"] == 6
    veto = next(i for i in anhua["items"] if i["code"] == "veto")
    assert veto["num"] == 1 and veto["evidence_url"].endswith("/major_accidents/num/")
    mine = api.auth(duty_city["heshan"]).call("get", f"/assessments/{year}").json()
    assert [u["name"] for u in mine["units"]] == [duty_city["units"]["430903"].name]
    assert api.call("get", f"/assessments/{year - 5}").status_code == 404
