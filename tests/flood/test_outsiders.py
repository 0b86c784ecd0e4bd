"""Flood pages tried by outsiders: another county, a department, an enterprise. Objects out of
scope are 404 (never 403); lists and exports show none of them; roles without flood records get
the 403 page for the lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.flood.services import alert_start, patrol_record, relief_record

# Each flood route, checked here (tests/test_outsiders.py requires every route be declared).
FLOOD_ROUTES = {
    "flood:index",
    "flood:points",
    "flood:point_export",
    "flood:point_import",
    "flood:point_new",
    "flood:point_detail",
    "flood:point_edit",
    "flood:patrols",
    "flood:patrol_new",
    "flood:danger_detail",
    "flood:danger_action",
    "flood:zero_reports",
    "flood:duty",
    "flood:alerts",
    "flood:alert_detail",
    "flood:alert_file",
    "flood:alert_action",
    "flood:relief_distributed",
    "flood:resources",
    "flood:drought",
}
LISTS = [
    "flood:index",
    "flood:points",
    "flood:patrols",
    "flood:alerts",
    "flood:resources",
    "flood:drought",
    "flood:duty",
    "flood:zero_reports",
    "flood:patrol_new",
]


def _at(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def ziyang_flood(point, township_user, ziyang_user):
    patrol = patrol_record(
        actor=township_user,
        data={
            "risk_point": point.pk,
            "patrolled_at": _at(1),
            "lat": "28.6005",
            "lng": "112.3205",
            "finding": "seepage",
            "description": "资阳秘密渗水点",
        },
    )
    alert = alert_start(
        actor=ziyang_user,
        data={
            "kind": "response",
            "level": "IV",
            "region": "430902",
            "title": "资阳秘密响应",
            "document_no": "资防指〔2026〕9号",
            "document": "启动。",
            "reported_at": _at(5),
            "started_at": _at(4),
        },
    )
    relief = relief_record(
        actor=ziyang_user, alert_id=alert.pk, data={"region": "430902005", "items": "帐篷", "arrived_at": _at(3)}
    )
    return {"point": point, "danger": patrol.danger, "alert": alert, "relief": relief}


def _object_urls(things):
    p, d, a, r = things["point"].pk, things["danger"].pk, things["alert"].pk, things["relief"].pk
    return [
        ("get", reverse("flood:point_detail", args=[p])),
        ("get", reverse("flood:point_edit", args=[p])),
        ("post", reverse("flood:point_edit", args=[p])),
        ("get", reverse("flood:danger_detail", args=[d])),
        ("post", reverse("flood:danger_action", args=[d, "handle"])),
        ("get", reverse("flood:alert_detail", args=[a])),
        ("get", reverse("flood:alert_file", args=[a])),
        ("post", reverse("flood:alert_action", args=[a, "end"])),
        ("post", reverse("flood:alert_action", args=[a, "relief"])),
        ("post", reverse("flood:relief_distributed", args=[r])),
    ]


def test_another_county_gets_404_and_sees_nothing(client, login, ziyang_flood, heshan_user):
    login(heshan_user)
    for method, url in _object_urls(ziyang_flood):
        assert getattr(client, method)(url).status_code == 404, url
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        text = response.content.decode()
        assert "资阳秘密" not in text and "大码头资水堤段" not in text, name
    export = client.get(reverse("flood:point_export"))
    assert export.status_code == 200 and b"13900000001" not in b"".join(export.streaming_content)
    ziyang_flood["danger"].refresh_from_db()
    assert ziyang_flood["danger"].status == "reported"


@pytest.mark.parametrize("who", ["transport_user", "enterprise_user"])
def test_roles_without_flood_records_are_refused(client, login, ziyang_flood, who, request):
    login(request.getfixturevalue(who))
    for method, url in _object_urls(ziyang_flood):
        assert getattr(client, method)(url).status_code in (403, 404), url
    for name in [*LISTS, "flood:point_export", "flood:point_import", "flood:point_new"]:
        assert client.get(reverse(name)).status_code == 403, name


def test_the_county_sees_its_own(client, login, ziyang_flood, ziyang_user):
    login(ziyang_user)
    for method, url in _object_urls(ziyang_flood):
        if method == "get":
            assert client.get(url).status_code == 200, url
    text = client.get(reverse("flood:index")).content.decode()
    assert "资阳秘密响应" in text and ziyang_flood["danger"].code in text


def test_the_response_document_is_a_word_file(client, login, ziyang_flood, ziyang_user):
    import io
    import zipfile

    response = login(ziyang_user).get(reverse("flood:alert_file", args=[ziyang_flood["alert"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    body = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("word/document.xml").decode()
    assert "资阳秘密响应" in body and "资防指〔2026〕9号" in body and "资阳区防汛抗旱指挥部" in body
