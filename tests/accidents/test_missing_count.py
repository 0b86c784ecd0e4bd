"""Missing persons count as deaths (RULES.md §3.2: the statistical system counts "死亡和失踪（含下落
不明）人数" as one figure, and official reports grade by it): by default the grade and the death
indicators count deaths + missing, the record keeps the two numbers apart, and the indicators'
formulas say which they count."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accidents.grading import grade_of
from safeloop.accidents.models import Accident
from safeloop.accidents.selectors import AccidentFilters, accident_list
from safeloop.demo.targets import _missing_accident, _report
from safeloop.targets.figures import period_figures
from safeloop.targets.indicators import indicators
from tests.conftest import ZIYANG_TOWN

YEAR = timezone.localdate().year


def fishing_boat(deaths=2, missing=1) -> Accident:
    moment = timezone.make_aware(datetime(YEAR, 1, 10, 5))  # noqa: DTZ001
    return Accident.objects.create(
        title="渔船翻沉",
        occurred_at=moment,
        region_id=ZIYANG_TOWN,
        sector="fishing_vessel",
        deaths=deaths,
        missing=missing,
    )


def test_two_dead_and_one_missing_is_a_larger_accident_by_default():
    assert grade_of(deaths=2, missing=1, serious_injuries=0, direct_loss=Decimal(0)) == "larger"
    assert grade_of(deaths=9, missing=1, serious_injuries=0, direct_loss=Decimal(0)) == "major"


def test_the_record_keeps_the_two_numbers_apart_and_every_query_grades_alike(city_user):
    boat = fishing_boat()
    boat.refresh_from_db()
    assert (boat.deaths, boat.missing, boat.grade) == (2, 1, "larger")
    graded = accident_list(city_user, AccidentFilters())
    assert graded.get(pk=boat.pk).grade_code == "larger"
    assert list(accident_list(city_user, AccidentFilters(grade="larger"))) == [boat]


def test_the_setting_still_grades_by_deaths_alone_when_turned_off(settings, city_user):
    settings.SAFELOOP_GRADE_COUNTS_MISSING = False
    boat = fishing_boat()
    assert boat.grade == "general"
    assert accident_list(city_user, AccidentFilters()).get(pk=boat.pk).grade_code == "general"


def test_the_death_indicators_count_the_missing_and_say_so(settings, city_user):
    fishing_boat()
    start, end = timezone.make_aware(datetime(YEAR, 1, 1)), timezone.now()  # noqa: DTZ001
    assert period_figures(city_user, start, end)["430900"].deaths == 3
    assert "死亡和失踪（含下落不明）人数" in indicators()["deaths"].formula
    assert "死亡和失踪（含下落不明）人数" in indicators()["deaths_per_100m_gdp"].formula
    settings.SAFELOOP_GRADE_COUNTS_MISSING = False
    assert period_figures(city_user, start, end)["430900"].deaths == 2
    assert indicators()["deaths"].formula == "各行业领域生产安全事故死亡人数（不含失踪）之和"


def test_the_disaster_rate_says_which_it_counts(settings):
    assert "因灾死亡人数（不含失踪）" in indicators()["disaster_deaths_per_million"].formula
    settings.SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING = True
    assert "因灾死亡和失踪人数" in indicators()["disaster_deaths_per_million"].formula


def test_the_indicators_api_gives_the_formula_with_its_count(client, city_user):
    from safeloop.accounts.services import token_issue

    token = token_issue(user=city_user)[0]
    body = client.get("/api/v1/indicators", {"region": "430900", "year": YEAR}, HTTP_AUTHORIZATION=f"Bearer {token}")
    deaths = next(r for r in body.json()["results"] if r["code"] == "deaths")
    assert deaths["formula"] == "各行业领域生产安全事故死亡和失踪（含下落不明）人数之和"


@pytest.mark.django_db
def test_the_demo_shows_a_larger_accident_of_two_dead_and_one_missing(reference):
    [boat] = _missing_accident()
    boat.save()
    report = _report(boat, "initial", boat.deaths, boat.occurred_at)
    assert (boat.deaths, boat.missing, boat.grade, report.grade) == (2, 1, "larger", "larger")


def test_the_accident_list_shows_deaths_and_missing_apart_beside_the_grade(login, city_user):
    fishing_boat()
    body = login(city_user).get(reverse("accidents:accident_list")).content.decode()
    assert '<th class="num">死亡</th><th class="num">失踪</th>' in body
    assert '<td data-label="失踪" class="num">1</td>' in body and "较大" in body
