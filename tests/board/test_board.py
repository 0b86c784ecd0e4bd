"""The map board: layers as GeoJSON, the scope (a county sees its county; another region is 404),
the drill-down to townships, the 压茬清零 figures and the city's counties and functional zones."""

from __future__ import annotations

import gzip
import json

import pytest
from django.utils import timezone

from safeloop.core import maplayers
from safeloop.core.maplayers import MapLayer, point
from safeloop.hazards.models import Hazard
from tests.conftest import ZIYANG_TOWN, make_user

pytestmark = pytest.mark.django_db


def data(client, region):
    response = client.get("/board/data.json", {"region": region})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def names(collection):
    return {f["properties"]["name"] for f in collection["features"]}


def test_api_layer_is_a_feature_collection_with_the_properties_shown(client, board_city, bearer):
    users = board_city["users"]
    response = client.get("/api/v1/board/layers/major-hazards", {"region": "430903"}, headers=bearer(users["city"]))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["layer"] == "major-hazards"
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [112.41, 28.55]}
    late = board_city["late"]
    late.refresh_from_db()
    props = feature["properties"]
    assert props["code"] == late.code and props["status"] == "已交办"
    assert props["deadline"] == late.deadline.isoformat()
    assert props["days_overdue"] == (timezone.localdate() - late.deadline).days > 0
    assert props["url"] == f"/hazards/{late.pk}/"
    assert ["days_overdue", "逾期天数"] in body["fields"]


def test_county_user_sees_only_its_county_and_other_regions_are_404(client, login, board_city, bearer):
    users = board_city["users"]
    heshan = login(users["heshan"])
    layer = heshan.get("/board/layers/enterprises.json", {"region": "430903"}).json()
    assert names(layer) == {"赫山图层运输有限公司"}
    assert heshan.get("/board/layers/enterprises.json").json()["features"]  # default: its own county
    for region in ("430902", "430900", ZIYANG_TOWN, "999999"):
        assert heshan.get("/board/data.json", {"region": region}).status_code == 404
        assert heshan.get("/board/", {"region": region}).status_code == 404
        assert heshan.get("/board/screen/", {"region": region}).status_code == 404
        assert heshan.get("/board/layers/major-hazards.json", {"region": region}).status_code == 404
        api = client.get("/api/v1/board/layers/enterprises", {"region": region}, headers=bearer(users["heshan"]))
        assert api.status_code == 404
    payload = json.dumps(data(heshan, "430903"), ensure_ascii=False)
    assert "资阳" not in payload and board_city["open"].code not in payload


def test_a_region_inside_the_users_county_is_shown_but_an_unknown_layer_is_404(login, board_city):
    ziyang = login(board_city["users"]["ziyang"])
    layer = ziyang.get("/board/layers/enterprises.json", {"region": ZIYANG_TOWN}).json()
    assert names(layer) == {"资阳图层化工有限公司", "资阳图层商贸有限公司"}
    assert ziyang.get("/board/layers/nothing.json", {"region": "430902"}).status_code == 404


def test_enterprise_and_expert_accounts_have_no_board(client, login, board_city, bearer):
    boss = board_city["users"]["enterprise"]
    assert login(boss).get("/board/").status_code == 403
    assert client.get("/api/v1/board/layers/enterprises", headers=bearer(boss)).status_code == 403


def test_city_board_shows_six_counties_and_two_zones_marked(login, board_city):
    city = login(board_city["users"]["city"])
    d = data(city, "430900")
    kinds = {u["name"]: u["kind"] for u in d["units"]}
    assert sum(1 for k in kinds.values() if k == "county") == 6
    assert {n for n, k in kinds.items() if k == "zone"} == {"益阳市大通湖管理区", "湖南益阳高新技术产业园区"}
    outline = city.get(d_outline(city)).json()
    assert {f["properties"]["name"] for f in outline["features"]} == {n for n, k in kinds.items() if k == "county"}
    assert {z["name"] for z in outline["zones"]} == {"益阳市大通湖管理区", "湖南益阳高新技术产业园区"}
    assert d["totals"] == {"enterprises": 3, "open_major": 2, "overdue_major": 1, "due": 1, "overdue": 1}
    assert set(d["features"]) == {"enterprises", "major-hazards"}  # the rest load when switched on


def d_outline(client):
    page = client.get("/board/", {"region": "430900"}).content.decode()
    start = page.index('"outline": "') + len('"outline": "')
    return page[start : page.index('"', start)]


def test_outline_is_immutable_with_an_etag_and_gzip(login, board_city):
    city = login(board_city["users"]["city"])
    url = d_outline(city)
    response = city.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "immutable" in response["Cache-Control"] and response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"
    assert city.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert city.get(url.replace(".json", "x.json")).status_code == 404  # another version is not served


def test_city_layers_are_aggregated_per_township_and_a_county_drills_to_points(login, board_city):
    city = login(board_city["users"]["city"])
    wide = city.get("/board/layers/enterprises.json", {"region": "430900"}).json()["features"]
    ziyang_cell = next(f for f in wide if f["properties"]["name"] == "大码头街道")
    assert ziyang_cell["properties"]["counts"] == {"blue": 1, "yellow": 0, "orange": 0, "red": 1}
    assert ziyang_cell["properties"]["risk_level"] == "red" and ziyang_cell["properties"]["count"] == 2
    county = data(city, "430902")
    assert county["parent"] == {"code": "430900", "name": "益阳市"}
    town = next(u for u in county["units"] if u["code"] == ZIYANG_TOWN)
    assert town["kind"] == "township" and town["enterprises"] == 2 and town["risk"]["red"] == 1
    assert town["open_major"] == 1 and town["lng"] == pytest.approx(112.335)
    assert names(county["features"]["enterprises"]) == {"资阳图层化工有限公司", "资阳图层商贸有限公司"}
    assert [h["code"] for h in county["pastdue"]] == [board_city["open"].code]


def test_zero_panel_counts_open_major_hazards_with_the_overdue_first(login, board_city):
    city = login(board_city["users"]["city"])
    d = data(city, "430900")
    open_now = Hazard.objects.filter(level="major", status__in=("confirmed", "assigned")).count()
    assert d["zero"]["total"][-1] == open_now == 2
    assert d["zero"]["units"]["430903"][-1] == 1
    assert d["zero"]["months"][-1] == timezone.localdate().strftime("%Y-%m")
    first, second = d["pastdue"]
    assert first["code"] == board_city["late"].code and first["days_overdue"] > 0
    assert second["code"] == board_city["open"].code and second["days_overdue"] == 0


def test_death_rate_uses_the_worker_count_or_says_why_not(login, board_city):
    from safeloop.accidents.services import accident_create

    county = board_city["users"]["ziyang"]
    now = timezone.now()
    accident_create(
        actor=county,
        data={
            "title": "资阳工贸事故",
            "occurred_at": now,
            "region": ZIYANG_TOWN,
            "sector": "construction",
            "deaths": 2,
        },
    )
    d = data(login(board_city["users"]["city"]), "430900")
    rate = {u["code"]: u["death_rate"] for u in d["units"]}
    assert rate["430902"]["workers"] == 50_000
    assert rate["430902"]["value"] == pytest.approx(2 * 100_000 / 50_000)
    assert rate["430903"]["value"] is None and "就业人员数" in rate["430903"]["reason"]


def test_a_layer_another_app_registers_is_listed_and_served(login, board_city):
    def flood_points(user, region):
        return [point(112.3, 28.6, name="测试积水点", level="red")]

    maplayers.register_layer(MapLayer(key="test-flood", title="测试防汛", features=flood_points, order=90))
    try:
        city = login(board_city["users"]["city"])
        assert "test-flood" in [layer["key"] for layer in data(city, "430902")["layers"]]
        assert names(city.get("/board/layers/test-flood.json", {"region": "430902"}).json()) == {"测试积水点"}
    finally:
        maplayers._LAYERS.pop("test-flood")


def test_department_sees_only_its_sectors_points(login, board_city):
    from safeloop.registry.models import Department

    transport = make_user("department", department=Department.objects.get(region_id="430900", kind="transport"))
    layer = login(transport).get("/board/layers/enterprises.json", {"region": "430903"}).json()
    assert names(layer) == {"赫山图层运输有限公司"}


@pytest.mark.parametrize("layer", ["enterprises", "major-hazards", "listings", "campaigns", "inspections"])
@pytest.mark.parametrize("region", ["430900", "430902", ZIYANG_TOWN])
def test_every_board_layer_answers_at_every_level(login, board_city, layer, region):
    response = login(board_city["users"]["city"]).get(f"/board/layers/{layer}.json", {"region": region})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    for feature in body["features"]:
        assert feature["geometry"]["type"] == "Point" and feature["properties"]["name"]


def test_stored_payload_is_served_then_recomputed_behind_the_answer(login, board_city, settings):
    import os
    import time

    from django.core.cache import cache

    from tests.conftest import make_enterprise

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # the worker
    city = login(board_city["users"]["city"])
    assert data(city, "430900")["totals"]["enterprises"] == 3
    make_enterprise(region=ZIYANG_TOWN, name="资阳新登记有限公司")
    cache.clear()
    assert data(city, "430900")["totals"]["enterprises"] == 3  # fresh: served as stored
    [stored] = list(settings.SAFELOOP_BOARD_STORE.iterdir())
    old = time.time() - 600
    os.utime(stored, (old, old))
    assert data(city, "430900")["totals"]["enterprises"] == 3  # stale: served, recomputed behind
    assert data(city, "430900")["totals"]["enterprises"] == 4
    os.utime(stored, (old - 7 * 3600, old - 7 * 3600))
    make_enterprise(region=ZIYANG_TOWN, name="资阳再登记有限公司")
    cache.clear()
    assert data(city, "430900")["totals"]["enterprises"] == 5  # too old: computed while waiting
