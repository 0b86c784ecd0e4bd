"""Every figure of an annual briefing of the demo city, recomputed here with direct queries, and
each drill-down link opening the list that shows exactly what the figure counts."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.db.models import Sum
from django.urls import resolve

from safeloop.accidents.models import Accident
from safeloop.briefings import sources
from safeloop.briefings.models import Paragraph
from safeloop.briefings.services import briefing_generate
from safeloop.hazards.models import Hazard
from safeloop.inspections.models import Inspection
from safeloop.registry.models import Enterprise
from safeloop.reporting.models import Report, RewardMechanism
from tests.briefings.conftest import YEAR

pytestmark = pytest.mark.django_db

IN_CITY = {"region_id__startswith": "4309"}


def figures_of(briefing) -> dict[str, dict]:
    return {f["key"]: f for p in Paragraph.objects.filter(briefing=briefing) for f in p.figures}


def paragraph(briefing, key: str) -> Paragraph:
    return Paragraph.objects.get(briefing=briefing, key=key)


@pytest.fixture
def annual(demo_city, city_user):
    return briefing_generate(actor=city_user, data={"kind": "annual", "year": str(YEAR)})


def _accidents(year: int):
    return Accident.objects.filter(production_safety=True, occurred_at__year=year, region__code__startswith="4309")


def _dead(qs) -> int:
    row = qs.aggregate(d=Sum("deaths"), m=Sum("missing"))
    return (row["d"] or 0) + (row["m"] or 0)  # the missing count as dead (the default setting)


def test_accidents_deaths_and_the_double_decline_are_recomputed(annual):
    f = figures_of(annual)
    now, before = _accidents(YEAR), _accidents(YEAR - 1)
    assert f["accidents"]["number"] == now.count() == 4
    assert f["deaths"]["number"] == _dead(now) == 4
    assert f["accidents_before"]["number"] == before.count() == 5
    assert f["deaths_before"]["number"] == _dead(before) == 10
    assert f["accidents_change"]["number"] == round((4 - 5) * 100 / 5, 1)
    assert f["deaths_change"]["number"] == round((4 - 10) * 100 / 10, 1)
    assert f["double_decline"]["value"] == "实现"
    text = paragraph(annual, "accidents").text
    assert (
        "4起" in text
        and "同比下降20.0%" in text
        and "同比下降60.0%" in text
        and "实现事故起数和死亡人数“双下降”" in text
    )


def test_sector_composition_gives_the_road_share(annual):
    f = figures_of(annual)["road_share"]
    road = _accidents(YEAR).filter(sector__in=("road_transport", "road_traffic")).count()
    assert f["number"] == round(road * 100 / _accidents(YEAR).count(), 1) == 50.0
    assert "道路运输事故占比50.0%" in paragraph(annual, "sectors").text
    assert paragraph(annual, "sectors").chart  # the chart, rendered


def test_the_four_binding_targets_are_reported(annual):
    f = figures_of(annual)
    keys = [k for k in f if k.startswith("target_")]
    assert sorted(keys) == sorted(
        f"target_{c}"
        for c in ("deaths", "major_accidents", "deaths_per_100m_gdp", "deaths_per_100k_industrial_workers")
    )
    assert f["target_deaths"]["number"] == 4  # deaths indicator: the same count as the accident paragraph
    assert f["target_major_accidents"]["number"] == 0
    # no GDP or workforce recorded for the test city: said, with the reason
    assert f["target_deaths_per_100m_gdp"]["value"] == "暂无数据" and f["target_deaths_per_100m_gdp"]["missing"]


def test_major_hazards_found_and_the_self_reported_share(annual):
    f = figures_of(annual)
    found = Hazard.objects.filter(level="major", enterprise__region__code__startswith="4309").exclude(
        status="withdrawn"
    )
    now = found.filter(found_on__year=YEAR)
    assert f["major_found"]["number"] == now.count() == 3
    assert f["major_found_before"]["number"] == found.filter(found_on__year=YEAR - 1).count() == 4
    assert f["major_found_change"]["number"] == -25.0
    assert f["major_self"]["number"] == now.filter(source="self_check").count() == 1
    assert f["major_self_share"]["number"] == round(100 / 3, 1)


def test_mechanism_coverage_and_internal_reports(annual, demo_city):
    f = figures_of(annual)
    city = Enterprise.objects.filter(region__code__startswith="4309")
    established = RewardMechanism.objects.filter(enterprise__in=city, established=True).count()
    assert f["mechanisms"]["number"] == established == 2
    assert f["mechanism_share"]["number"] == round(established * 100 / city.count(), 1)
    assert f["internal_reports"]["number"] == Report.objects.filter(channel="internal", created_at__year=YEAR).count()


def test_inspections_year_on_year(annual):
    f = figures_of(annual)
    closed = Inspection.objects.filter(status="closed", enterprise__region__code__startswith="4309")
    firms = closed.filter(planned_on__year=YEAR).values("enterprise").distinct().count()
    firms0 = closed.filter(planned_on__year=YEAR - 1).values("enterprise").distinct().count()
    assert f["inspections"]["number"] == closed.filter(planned_on__year=YEAR).count() == 3
    assert (f["inspected"]["number"], f["inspected_before"]["number"]) == (firms, firms0) == (2, 3)
    assert f["inspected_change"]["number"] == round((2 - 3) * 100 / 3, 1)


def test_campaign_progress_and_unrectified_major_fire_hazards(annual, demo_city):
    f = figures_of(annual)
    campaign_keys = [k for k in f if k.startswith("campaign_")]
    assert len(campaign_keys) == 1 and "城镇燃气安全专项整治" in paragraph(annual, "campaigns").text
    open_fire = Hazard.objects.filter(
        level="major",
        enterprise__category_id="fire_safety",
        status__in=("reported", "confirmed", "assigned", "rectifying", "awaiting_acceptance"),
    )
    assert f["fire_open"]["number"] == open_fire.count() == 1


@pytest.fixture
def no_providers(monkeypatch):
    """The registry of providers emptied for one test (the workbench wires the duties' in)."""
    monkeypatch.setattr(sources, "_sources", {})
    monkeypatch.setattr(sources, "_lists", {})


def test_without_duties_key_projects_and_ranking_say_no_data_with_the_reason(no_providers, annual):
    f = figures_of(annual)
    for key in ("key_projects", "ranking"):
        assert f[key]["value"] == "暂无数据" and "尚未接入" in f[key]["missing"]
    assert "暂无数据" in paragraph(annual, "projects").text and "暂无数据" in paragraph(annual, "ranking").text


@pytest.fixture
def fake_duties(no_providers):
    from decimal import Decimal

    calls = []

    def projects(user, year):
        calls.append(("projects", user.pk, year))
        return [
            {
                "name": "消防站建设",
                "lead_unit": "市消防救援支队",
                "budget": Decimal("12000000"),
                "planned_pct": 60,
                "progress_pct": 20,
                "behind": True,
                "status_label": "滞后",
                "url": "/duties/projects/1/",
            },
            {
                "name": "危化品监测平台",
                "lead_unit": "市应急管理局",
                "budget": Decimal("3000000"),
                "planned_pct": 50,
                "progress_pct": 70,
                "behind": False,
                "status_label": "正常",
                "url": "/duties/projects/2/",
            },
        ]

    def ranking(user, year):
        calls.append(("ranking", user.pk, year))
        return [
            {
                "rank": 2,
                "unit": 2,
                "name": "赫山区",
                "region": "430903",
                "kind": "county",
                "score": Decimal("88.5"),
                "vetoed": False,
                "url": "/duties/a/2/",
            },
            {
                "rank": 1,
                "unit": 1,
                "name": "资阳区",
                "region": "430902",
                "kind": "county",
                "score": Decimal("93.0"),
                "vetoed": False,
                "url": "/duties/a/1/",
            },
            {
                "rank": 3,
                "unit": 3,
                "name": "沅江市",
                "region": "430981",
                "kind": "county",
                "score": Decimal("70"),
                "vetoed": True,
                "url": "/duties/a/3/",
            },
        ]

    sources.provide_key_projects(projects)
    sources.provide_ranking(ranking)
    return calls


def test_key_projects_and_ranking_come_from_the_providers(demo_city, city_user, fake_duties):
    briefing = briefing_generate(actor=city_user, data={"kind": "annual", "year": str(YEAR)})
    f = figures_of(briefing)
    assert ("projects", city_user.pk, YEAR) in fake_duties and ("ranking", city_user.pk, YEAR) in fake_duties
    assert (f["key_projects"]["number"], f["key_projects_behind"]["number"]) == (2, 1)
    assert (
        "消防站建设" in paragraph(briefing, "projects").text
        and "计划投资1500万元" in paragraph(briefing, "projects").text
    )
    assert f["ranking_first"]["value"] == "资阳区（93.0分）" and f["ranking_last"]["value"].startswith("沅江市")
    assert f["ranking_vetoed"]["number"] == 1
    assert paragraph(briefing, "ranking").table["links"][0] == "/duties/a/1/"


# ---------------------------------------------------------------- drill-down

LIST_COUNTS = {
    "accidents:accident_list": "result-count",
}


def test_every_figure_names_its_definition_and_links_to_a_list(annual):
    for key, f in figures_of(annual).items():
        if key in ("key_projects", "ranking"):  # no provider: nothing to link to
            continue
        assert f["definition"], key
        assert f["url"], key
        resolve(urlparse(f["url"]).path)  # a page of the project


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize(
    ("key", "model_filter"),
    [
        ("accidents", None),
        ("major_found", None),
        ("major_self", None),
        ("fire_open", None),
        ("inspections", None),
    ],
)
def test_a_figures_link_lists_exactly_what_it_counts(key, model_filter, annual, login, city_user):
    """The link opens the list with the figure's filters: the list's own selector, given the
    link's query, counts the figure's number."""
    from safeloop.accidents.selectors import AccidentFilters, accident_list
    from safeloop.hazards.selectors import LedgerFilters, ledger
    from safeloop.inspections.selectors import InspectionFilters, inspection_list

    f = figures_of(annual)[key]
    parsed = urlparse(f["url"])
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    name = resolve(parsed.path).view_name
    count = {
        "accidents:accident_list": lambda: accident_list(city_user, AccidentFilters(**params)).count(),
        "hazards:ledger": lambda: ledger(city_user, LedgerFilters(**params)).count(),
        "inspections:list": lambda: inspection_list(city_user, InspectionFilters(**params)).count(),
    }[name]()
    assert count == f["number"]
    assert login(city_user).get(f["url"]).status_code == 200


def test_the_road_share_link_lists_the_road_accidents(annual, city_user):
    from safeloop.accidents.selectors import AccidentFilters, accident_list

    parsed = urlparse(figures_of(annual)["road_share"]["url"])
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert accident_list(city_user, AccidentFilters(**params)).count() == 2


def test_a_monthly_briefing_counts_the_month_and_the_same_month_last_year(demo_city, city_user):
    briefing = briefing_generate(actor=city_user, data={"kind": "monthly", "year": str(YEAR), "period": "5"})
    f = figures_of(briefing)
    assert (briefing.starts_on, briefing.ends_on) == (date(YEAR, 5, 1), date(YEAR, 5, 31))
    assert f["accidents"]["number"] == 1 and f["deaths"]["number"] == 2
    assert f["accidents_before"]["number"] == 1  # 2 May last year
    assert "occurred_from=2024-05-01" in f["accidents_before"]["url"]


def test_a_county_briefing_counts_only_the_county(demo_city, ziyang_user):
    briefing = briefing_generate(actor=ziyang_user, data={"kind": "annual", "year": str(YEAR)})
    f = figures_of(briefing)
    ziyang = Accident.objects.filter(production_safety=True, occurred_at__year=YEAR, region__code__startswith="430902")
    assert f["accidents"]["number"] == ziyang.count() == 2
    assert f["major_found"]["number"] == 2  # the chemical plant's and the mall's, not 赫山区's truck
    assert briefing.region_id == "430902" and "资阳区" in briefing.title


def test_a_special_briefing_reports_on_its_campaign(demo_city, city_user):
    from safeloop.campaigns.models import Campaign

    campaign = Campaign.objects.get(code="ZX-T-1")
    briefing = briefing_generate(actor=city_user, data={"kind": "special", "campaign": str(campaign.pk)})
    keys = [p.key for p in briefing.paragraphs.order_by("order")]
    assert keys == ["campaigns", "counties"]
    assert campaign.title in briefing.title and (briefing.starts_on, briefing.ends_on) == (
        campaign.starts_on,
        campaign.ends_on,
    )
    f = figures_of(briefing)
    assert f[f"campaign_{campaign.pk}"]["url"] == f"/campaigns/{campaign.pk}/"
    assert f["campaign_counties"]["value"] == "暂无数据"  # no tasks yet: said, with the reason


def test_a_special_briefing_needs_a_campaign_in_scope(demo_city, heshan_user):
    from safeloop.campaigns.models import Campaign
    from safeloop.core.errors import ValidationFailed

    other = Campaign.objects.create(
        code="ZX-T-2",
        title="资阳区专项",
        kind="special",
        region_id="430902",
        starts_on=date(YEAR, 3, 1),
        ends_on=date(YEAR, 6, 30),
        status="launched",
        created_by=heshan_user,
    )
    with pytest.raises(ValidationFailed) as refused:
        briefing_generate(actor=heshan_user, data={"kind": "special", "campaign": str(other.pk)})
    assert "campaign" in refused.value.fields
