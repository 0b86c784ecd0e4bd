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


def test_danger_handled_and_cleared_and_relief_recorded_through_the_api(
    api,  # noqa: F811
    point,
    township_user,
    ziyang_user,
    heshan_user,
):
    data = {
        "risk_point": point.pk,
        "patrolled_at": _at(1),
        "lat": "28.6005",
        "lng": "112.3205",
        "finding": "piping",
        "description": "管涌",
    }
    api.auth(township_user).call("post", "/flood/patrols", data)
    danger = Danger.objects.get()
    path = f"/flood/dangers/{danger.pk}/actions"
    assert api.call("post", f"{path}/handle", {"version": 1, "measures": "反滤"}).status_code == 403
    assert api.auth(heshan_user).call("post", f"{path}/handle", {"version": 1, "measures": "反滤"}).status_code == 404
    missing = api.auth(ziyang_user).call("post", f"{path}/handle", {"version": 1})
    assert missing.status_code == 400 and "measures" in missing.json()["error"]["fields"]
    handled = api.call("post", f"{path}/handle", {"version": 1, "measures": "反滤围井"})
    assert (handled.status_code, handled.json()["status"]) == (200, "handling")
    cleared = api.call("post", f"{path}/clear", {"version": 2, "result": "险情排除"})
    assert (cleared.status_code, cleared.json()["status"]) == (200, "cleared")

    response = api.call(
        "post",
        "/flood/warnings",
        {
            "kind": "response",
            "level": "III",
            "region": "430902",
            "title": "资阳区防汛Ⅲ级应急响应",
            "document_no": "资防指〔2026〕11号",
            "document": "启动。",
            "reported_at": _at(6),
            "started_at": _at(5),
        },
    )
    assert response.status_code == 201, response.content
    alert_id = response.json()["id"]
    evacuated = api.call(
        "post",
        f"/flood/warnings/{alert_id}/evacuations",
        {"region": ZIYANG_TOWN, "people": 80, "shelter": "中学", "moved_at": _at(4)},
    )
    assert evacuated.status_code == 201, evacuated.content
    relief = api.call(
        "post", f"/flood/warnings/{alert_id}/reliefs", {"region": ZIYANG_TOWN, "items": "帐篷", "arrived_at": _at(3)}
    )
    assert relief.status_code == 201, relief.content
    early = api.call("patch", f"/flood/reliefs/{relief.json()['id']}", {"distributed_at": _at(3.5)})
    assert early.status_code == 400 and early.json()["error"]["fields"] == {
        "distributed_at": "发放到户时间不能早于送达现场时间"
    }
    done = api.call("patch", f"/flood/reliefs/{relief.json()['id']}", {"distributed_at": _at(2)})
    assert done.status_code == 200 and done.json()["distributed_at"]
