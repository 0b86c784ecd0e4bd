"""The reporting API: the no-auth public routes (throttled), staff lists without identities,
actions through the table, the reward mechanism; outsiders get 404."""

from __future__ import annotations

import pytest

from safeloop.reporting.models import Report
from tests.api.test_api import api  # noqa: F401 - the fixture
from tests.reporting.conftest import photo, submission

pytestmark = pytest.mark.django_db


def _public_post(client, data, **extra):
    return client.post("/api/v1/public/reports", data, content_type="application/json", **extra)


def test_the_public_post_needs_no_token_and_returns_a_tracking_code(client, ziyang_enterprise):
    answer = _public_post(client, submission(ziyang_enterprise, name="赵六", phone="13900000000"))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    code = body["tracking_code"]
    assert body["status"] == "received" and len(code) == 12
    progress = client.get(f"/api/v1/public/reports/{code}")
    assert progress.status_code == 200
    text = progress.content.decode()
    assert "赵六" not in text and "13900000000" not in text and ziyang_enterprise.name not in text
    assert set(progress.json()) == set(body)
    assert client.get("/api/v1/public/reports/ZZZZZZZZZZZZ").status_code == 404


def test_multipart_with_photos_is_accepted_and_a_wrong_type_is_415(client, ziyang_enterprise):
    data = submission(ziyang_enterprise) | {"photos": [photo(), photo("b.jpg", (50, 50))]}
    answer = client.post("/api/v1/public/reports", data)
    assert answer.status_code == 201, answer.content
    assert Report.objects.get().photos.count() == 2
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.png", b"PK\x03\x04 a zip file" * 10, content_type="image/png")
    refused = client.post(
        "/api/v1/public/reports",
        submission(ziyang_enterprise, description="另一处隐患：配电箱无门") | {"photos": [bad]},
    )
    assert refused.status_code == 415 and "photos" in refused.json()["error"]["fields"]


def test_an_oversized_photo_is_413(client, ziyang_enterprise, settings):
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = 500
    answer = client.post("/api/v1/public/reports", submission(ziyang_enterprise) | {"photos": [photo(size=(400, 400))]})
    assert answer.status_code == 413 and Report.objects.count() == 0


def test_bad_input_is_400_naming_the_field_in_chinese(client, reference):
    answer = _public_post(client, {"reporter": "citizen", "kind": "nope", "description": "<script>alert(1)</script>"})
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert {"kind", "description", "township"} <= set(fields) and "网页代码" in fields["description"]
    assert _public_post(client, "[1]").status_code == 400


def test_flooding_is_429_with_retry_after_and_other_addresses_pass(client, ziyang_enterprise, settings):
    settings.SAFELOOP_REPORT_MAX_PER_ADDRESS = 2
    for i in range(2):
        assert (
            _public_post(
                client, submission(ziyang_enterprise, description=f"第{i}号仓库堆垛过高有倒塌危险")
            ).status_code
            == 201
        )
    flooded = _public_post(client, submission(ziyang_enterprise))
    assert flooded.status_code == 429 and int(flooded["Retry-After"]) > 0
    assert _public_post(client, submission(ziyang_enterprise), REMOTE_ADDR="10.1.1.1").status_code == 201


def test_staff_list_has_no_identity_and_the_handler_detail_has_it(api, client, ziyang_enterprise, township_user):  # noqa: F811
    _public_post(client, submission(ziyang_enterprise, name="赵六", phone="13900000000"))
    report = Report.objects.get()
    api.auth(township_user)
    listing = api.call("get", "/reports")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    assert "赵六" not in listing.content.decode() and "reporter" not in listing.json()["results"][0]
    assert report.code not in listing.content.decode()  # the tracking code is the reporter's alone
    detail = api.call("get", f"/reports/{report.pk}").json()
    assert detail["reporter"]["name"] == "赵六" and "accept" in detail["actions"]


def test_actions_follow_the_table_with_versions(api, client, ziyang_enterprise, township_user):  # noqa: F811
    _public_post(client, submission(ziyang_enterprise))
    report = Report.objects.get()
    api.auth(township_user)
    accepted = api.call("post", f"/reports/{report.pk}/actions/accept", {"version": 1})
    assert accepted.status_code == 200 and accepted.json()["status"] == "checking"
    assert api.call("post", f"/reports/{report.pk}/actions/accept", {"version": 2}).status_code == 409
    assert api.call("post", f"/reports/{report.pk}/actions/verify", {"version": 1}).status_code == 409
    bad = api.call("post", f"/reports/{report.pk}/actions/verify", {"version": 2, "level": "huge"})
    assert bad.status_code == 400 and "level" in bad.json()["error"]["fields"]
    done = api.call("post", f"/reports/{report.pk}/actions/verify", {"version": 2, "level": "general"})
    assert done.status_code == 200 and done.json()["hazard"]
    assert api.call("post", f"/reports/{report.pk}/actions/fly", {"version": 3}).status_code == 404


def test_outsiders_get_404_on_reports_and_mechanisms(api, client, ziyang_enterprise, heshan_user, expert_user):  # noqa: F811
    _public_post(client, submission(ziyang_enterprise))
    report = Report.objects.get()
    for outsider in (heshan_user, expert_user):
        api.auth(outsider)
        assert api.call("get", f"/reports/{report.pk}").status_code == 404
        assert api.call("post", f"/reports/{report.pk}/actions/accept", {"version": 1}).status_code == 404
        assert api.call("get", "/reports").json()["count"] == 0
        assert api.call("get", f"/enterprises/{ziyang_enterprise.pk}/reward-mechanism").status_code == 404
        assert api.call("put", f"/enterprises/{ziyang_enterprise.pk}/reward-mechanism", {}).status_code == 404


def test_an_enterprise_puts_its_mechanism_with_versions(api, enterprise_user, ziyang_enterprise):  # noqa: F811
    api.auth(enterprise_user)
    url = f"/enterprises/{ziyang_enterprise.pk}/reward-mechanism"
    assert api.call("get", url).json()["state"] in ("late", "pending")
    bad = api.call("put", url, {"established": True})
    assert bad.status_code == 400 and "established_on" in bad.json()["error"]["fields"]
    put = api.call("put", url, {"established": True, "established_on": "2025-05-01", "reward_min": "100"})
    assert put.status_code == 200 and put.json()["state"] == "established" and put.json()["version"] == 1
    again = api.call(
        "put", url, {"established": True, "established_on": "2025-05-01", "reward_min": "80", "version": 1}
    )
    assert again.status_code == 200 and again.json()["version"] == 2
    assert api.call("put", url, {"established": True, "established_on": "2025-05-01", "version": 1}).status_code == 409
    assert api.call("put", url, {"established": True, "established_on": "2025-05-01"}).status_code == 400
