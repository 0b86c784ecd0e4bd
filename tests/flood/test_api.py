"""/api/v1/flood/…: scoped lists, writes validated by the services (Chinese messages naming the
field), outsiders see nothing and get 404."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeloop.flood.models import Alert, Danger, RiskPoint
from tests.api.test_api import api  # noqa: F401 - fixture
from tests.conftest import ZIYANG_TOWN
from tests.flood.conftest import POINT


def _at(hours_ago: float) -> str:
    return timezone.localtime(timezone.now() - timedelta(hours=hours_ago)).isoformat()


def test_risk_points_created_and_listed_in_scope(api, ziyang_user, heshan_user):  # noqa: F811
    created = api.auth(ziyang_user).call("post", "/flood/risk-points", POINT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert [r["name"] for r in body["responsible"]] == ["张伟", "李强", "王军"]
    assert api.call("get", "/flood/risk-points").json()["count"] == 1
    assert api.auth(heshan_user).call("get", "/flood/risk-points").json()["count"] == 0


def test_risk_point_without_its_patrol_person_is_400(api, ziyang_user):  # noqa: F811
    response = api.auth(ziyang_user).call("post", "/flood/risk-points", {**POINT, "patrol_person": ""})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"patrol_person": "巡查责任人为必填项"}
    assert not RiskPoint.objects.exists()


def test_patrol_with_finding_opens_a_danger_and_outsiders_cannot_patrol_it(
    api,  # noqa: F811
    point,
    township_user,
    heshan_user,  # noqa: F811
):
    data = {
        "risk_point": point.pk,
        "patrolled_at": _at(1),
        "lat": "28.6005",
        "lng": "112.3205",
        "finding": "crack",
        "description": "堤顶纵向裂缝",
    }
    outsider = api.auth(heshan_user).call("post", "/flood/patrols", data)
    assert outsider.status_code == 400 and "risk_point" in outsider.json()["error"]["fields"]
    response = api.auth(township_user).call("post", "/flood/patrols", data)
    assert response.status_code == 201, response.content
    assert response.json()["danger"] == Danger.objects.get().code
    assert api.call("get", "/flood/patrols").json()["count"] == 1
    assert api.auth(heshan_user).call("get", "/flood/patrols").json()["count"] == 0


def test_zero_report_and_duty(api, township_user, ziyang_user):  # noqa: F811
    response = api.auth(township_user).call("post", "/flood/zero-reports", {"nil": True})
    assert response.status_code == 201, response.content
    again = api.call("post", "/flood/zero-reports", {"nil": True})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "duplicate")
    duty = api.auth(ziyang_user).call("get", "/flood/duty").json()
    assert ZIYANG_TOWN in duty["zero_reported"] and ZIYANG_TOWN not in duty["zero_missing"]
    assert "430902104" in duty["zero_missing"]


def test_warnings_started_listed_and_ended(api, ziyang_user, heshan_user, township_user):  # noqa: F811
    data = {
        "kind": "warning",
        "level": "orange",
        "region": "430902",
        "title": "资阳区防汛橙色预警",
        "document_no": "资防指〔2026〕5号",
        "document": "发布橙色预警。",
        "started_at": _at(3),
    }
    refused = api.auth(township_user).call("post", "/flood/warnings", data)
    assert refused.status_code == 403
    started = api.auth(ziyang_user).call("post", "/flood/warnings", data)
    assert started.status_code == 201, started.content
    warning = started.json()
    assert (warning["level"], warning["status"]) == ("orange", "active")
    assert api.auth(heshan_user).call("get", "/flood/warnings").json()["count"] == 0
    hidden = api.call(
        "post",
        f"/flood/warnings/{warning['id']}/end",
        {"ended_at": _at(1), "end_document_no": "x", "end_document": "y"},
    )
    assert hidden.status_code == 404
    early = api.auth(ziyang_user).call(
        "post",
        f"/flood/warnings/{warning['id']}/end",
        {"ended_at": _at(4), "end_document_no": "资防指〔2026〕6号", "end_document": "解除。"},
    )
    assert early.status_code == 400 and early.json()["error"]["fields"] == {"ended_at": "结束时间不能早于启动时间"}
    ended = api.call(
        "post",
        f"/flood/warnings/{warning['id']}/end",
        {"ended_at": _at(1), "end_document_no": "资防指〔2026〕6号", "end_document": "解除。"},
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert Alert.objects.get().events.count() == 2
