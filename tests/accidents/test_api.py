"""/api/v1/disasters and /api/v1/responses: scoped, paginated, validated by the services, versioned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safeloop.accidents.models import Disaster, EmergencyResponse
from tests.api.test_api import api  # noqa: F401 - fixture
from tests.conftest import ZIYANG_TOWN


def _iso(hours_ago: float) -> str:
    return timezone.localtime(timezone.now() - timedelta(hours=hours_ago)).isoformat()


def _disaster(**fields) -> dict:
    data = {"title": "资阳洪涝", "kind": "flood", "occurred_on": timezone.localdate().isoformat()}
    return data | {"region": ZIYANG_TOWN, "affected": 300, "direct_loss": "12.5"} | fields


def _response(**fields) -> dict:
    return {"title": "资阳洪涝响应", "region": ZIYANG_TOWN, "reported_at": _iso(6)} | fields


@pytest.fixture
def ziyang_disaster(api, ziyang_user):  # noqa: F811
    response = api.auth(ziyang_user).call("post", "/disasters", _disaster())
    assert response.status_code == 201, response.content
    return response.json()


def test_disaster_is_created_listed_and_patched_with_its_version(api, ziyang_user, ziyang_disaster):  # noqa: F811
    listed = api.call("get", "/disasters", region="430902")
    assert listed.json()["count"] == 1
    assert ziyang_disaster["direct_loss"] == "12.50"
    path = f"/disasters/{ziyang_disaster['id']}"
    patched = api.call("patch", path, {"deaths": 1, "version": 1})
    assert (patched.status_code, patched.json()["deaths"], patched.json()["version"]) == (200, 1, 2)
    stale = api.call("patch", path, {"deaths": 5, "version": 1})
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale_version")
    assert Disaster.objects.get().deaths == 1


def test_negative_disaster_counts_are_400_naming_the_field(api, ziyang_user):  # noqa: F811
    response = api.auth(ziyang_user).call("post", "/disasters", _disaster(affected=-1, kind="storm"))
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields == {
        "kind": "灾种“storm”无效，可选：洪涝、干旱、地质灾害、风雹、低温冷冻和雪灾、地震、森林火灾、其他",
        "affected": "受灾人次应为不小于0的整数",
    }
    assert not Disaster.objects.exists()


def test_disaster_in_another_county_is_refused(api, heshan_user):  # noqa: F811
    response = api.auth(heshan_user).call("post", "/disasters", _disaster())
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["region"] == "受灾地不在您的管辖范围内"


def test_response_times_must_follow_each_other(api, ziyang_user):  # noqa: F811
    api.auth(ziyang_user)
    bad = api.call("post", "/responses", _response(response_started_at=_iso(7)))
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"response_started_at": "启动响应时间不能早于接报时间"}
    good = api.call("post", "/responses", _response(response_started_at=_iso(5), relief_arrived_at=_iso(3)))
    assert good.status_code == 201, good.content
    path = f"/responses/{good.json()['id']}"
    early = api.call("patch", path, {"relief_distributed_at": _iso(4), "version": 1})
    assert early.json()["error"]["fields"] == {"relief_distributed_at": "物资发放到户时间不能早于物资送达现场时间"}
    cleared = api.call("patch", path, {"relief_arrived_at": None, "relief_distributed_at": _iso(1), "version": 1})
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["relief_arrived_at"], cleared.json()["version"]) == (None, 2)
    assert api.call("get", "/responses").json()["count"] == 1


def test_response_cannot_link_a_disaster_out_of_scope(api, ziyang_disaster, heshan_user):  # noqa: F811
    response = api.auth(heshan_user).call(
        "post", "/responses", _response(region="430903003", disaster=ziyang_disaster["id"])
    )
    assert response.status_code == 400
    assert "disaster" in response.json()["error"]["fields"]
    assert not EmergencyResponse.objects.exists()


def test_outsider_gets_404_and_empty_lists(api, ziyang_user, ziyang_disaster, heshan_user):  # noqa: F811
    created = api.call("post", "/responses", _response(disaster=ziyang_disaster["id"])).json()
    api.auth(heshan_user)
    for path in (f"/disasters/{ziyang_disaster['id']}", f"/responses/{created['id']}"):
        assert api.call("get", path).status_code == 404
        patched = api.call("patch", path, {"title": "改"})
        assert (patched.status_code, patched.json()["error"]["code"]) == (404, "not_found")
    assert api.call("get", "/disasters").json()["count"] == 0
    assert api.call("get", "/responses").json()["count"] == 0
    assert Disaster.objects.get().title == "资阳洪涝"


def test_department_and_enterprise_users_cannot_write_records(api, transport_user, enterprise_user):  # noqa: F811
    for user in (transport_user, enterprise_user):
        response = api.auth(user).call("post", "/disasters", _disaster())
        assert response.status_code == 403
        assert api.call("get", "/disasters").json()["count"] == 0


def test_accident_patch_sets_and_clears_the_enterprise(api, ziyang_user, ziyang_enterprise):  # noqa: F811
    api.auth(ziyang_user)
    data = {"title": "资阳事故", "occurred_at": _iso(2), "region": ZIYANG_TOWN, "sector": "construction"}
    created = api.call("post", "/accidents", data).json()
    path = f"/accidents/{created['id']}"
    assert (
        api.call("patch", path, {"enterprise": ziyang_enterprise.pk, "version": 1}).json()["enterprise"]
        == ziyang_enterprise.pk
    )
    cleared = api.call("patch", path, {"enterprise": None, "version": 2}).json()
    assert (cleared["enterprise"], cleared["version"]) == (None, 3)
