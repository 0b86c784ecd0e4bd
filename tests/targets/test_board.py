"""The dashboard and API on real records: targets, veto ranking, scope, query count."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accidents.models import Accident, Denominator
from safeloop.targets.models import Target
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN

YEAR = timezone.localdate().year


def accident(town, deaths=1, year=YEAR, month=1, sector="road_transport", **extra):
    moment = timezone.make_aware(datetime(year, month, 10, 9))  # noqa: DTZ001
    return Accident.objects.create(
        title="事故", occurred_at=moment, region_id=town, sector=sector, deaths=deaths, **extra
    )


@pytest.fixture
def city_data(reference):
    for code, gdp in (("430900", "2136.21"), ("430902", "200"), ("430903", "400")):
        for year in (YEAR - 1, YEAR):
            Denominator.objects.create(region_id=code, year=year, gdp=Decimal(gdp), population=1_000_000)
        Target.objects.create(
            region_id=code,
            indicator="deaths",
            kind="reduce",
            value=15,
            binding=True,
            baseline_year=YEAR - 1,
            start_year=YEAR,
            end_year=YEAR + 4,
        )
    accident(ZIYANG_TOWN, deaths=4, year=YEAR - 1)
    accident(ZIYANG_TOWN, deaths=2)
    accident(HESHAN_TOWN, deaths=11, sector="water_transport")


def test_indicators_api_returns_every_official_code(client, city_user, city_data):
    from safeloop.accounts.services import token_issue

    token = token_issue(user=city_user)[0]
    body = client.get(
        "/api/v1/indicators", {"region": "430900", "year": YEAR}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    by_code = {r["code"]: r for r in body["results"]}
    assert list(by_code) == [
        "deaths",
        "major_accidents",
        "deaths_per_100m_gdp",
        "deaths_per_100k_industrial_workers",
        "road_deaths_per_10k_vehicles",
        "disaster_loss_share_gdp",
        "disaster_deaths_per_million",
        "disaster_affected_per_100k",
        "response_within_2h_share",
        "relief_within_10h_share",
    ]
    assert by_code["deaths"]["value"] == 13
    assert by_code["major_accidents"]["value"] == 1
    assert by_code["deaths_per_100m_gdp"]["value"] == round(13 / 2136.21, 3)
    assert by_code["deaths"]["baseline"] == 4
    assert by_code["deaths_per_100k_industrial_workers"]["value"] is None  # no employees figure: no data


def test_a_major_accident_puts_the_county_last(login, city_user, city_data):
    ranking = login(city_user).get(reverse("targets:dashboard")).context["ranking"]
    assert [(e["code"], e["veto"]) for e in ranking] == [("430902", False), ("430903", True)]


def test_county_user_sees_only_own_county_on_the_dashboard(login, ziyang_user, city_data):
    client = login(ziyang_user)
    assert client.get(reverse("targets:dashboard"), {"region": "430903"}).status_code == 404
    rows = client.get(reverse("targets:dashboard")).context["rows"]
    assert rows[0].value == 2


def test_dashboard_query_count_is_bounded(login, city_user, city_data, django_assert_max_num_queries):
    for i in range(40):
        accident(ZIYANG_TOWN if i % 2 else HESHAN_TOWN, month=1 + i % 11, year=YEAR - i % 4)
    client = login(city_user)  # signing in is recorded in the security log: not the dashboard's
    with django_assert_max_num_queries(41):  # 40 for the dashboard, 1 for the notification bell
        assert client.get(reverse("targets:dashboard")).status_code == 200


def test_accident_api_computes_the_grade_and_follows_updates(client, ziyang_user):
    from safeloop.accounts.services import token_issue

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=ziyang_user)[0]}"}
    payload = {
        "title": "塌方",
        "occurred_at": timezone.now().isoformat(),
        "region": ZIYANG_TOWN,
        "sector": "construction",
        "deaths": 2,
    }
    created = client.post("/api/v1/accidents", payload, content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["grade"] == "general"
    url = f"/api/v1/accidents/{created.json()['id']}"
    patched = client.patch(url, {"deaths": 3}, content_type="application/json", **auth)
    assert patched.json()["grade"] == "larger"


def test_denominator_put_and_get(client, ziyang_user, heshan_user):
    from safeloop.accounts.services import token_issue

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=ziyang_user)[0]}"}
    put = client.put(
        "/api/v1/denominators/430902/2025",
        {"gdp": "250.5", "population": 400000},
        content_type="application/json",
        **auth,
    )
    assert put.status_code == 200 and put.json()["gdp"] == "250.50"
    assert put.json()["motor_vehicles"] is None
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=heshan_user)[0]}"}
    assert client.get("/api/v1/denominators/430902/2025", **other).status_code == 404
