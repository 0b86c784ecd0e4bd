"""The role workbenches: each role its own; every chart point opens the list it counts, and that
list shows the count (a rate: both its lists); nothing outside the user's scope shows, even as a
number; the page speaks Chinese only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeloop.accounts.models import Role
from safeloop.hazards.services import hazard_report
from tests.browser.ui_checks import bad_text
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user
from tests.core.test_error_pages import visible_text
from tests.workbench.conftest import ROLES

KINDS = {"enterprise": "enterprise", "expert": "expert"}


def home(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 200
    return response


def listed(client, url: str, seen: dict) -> int:
    if url not in seen:
        seen[url] = client.get(url).context["page"].paginator.count
    return seen[url]


def all_points(figures) -> list:
    points = [p for chart in figures.get("charts", []) for p in chart.points()]
    return points + [p for _rate, p in figures.get("summary", [])]


@pytest.mark.parametrize("role", ROLES)
def test_every_chart_point_counts_what_its_list_shows(role, little_city, login):
    client = login(little_city[role])
    response = home(client)
    html = response.content.decode().replace("&amp;", "&")
    points, seen = all_points(response.context["figures"]), {}
    assert points
    for point in points:
        assert f'href="{point.url}"' in html  # in the chart's table, beside the chart
        assert (point.url, point.count) == (point.url, listed(client, point.url, seen))
        if point.of is not None:
            assert (point.of_url, point.of) == (point.of_url, listed(client, point.of_url, seen))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_own_workbench(role, little_city, login):
    response = home(login(little_city[role]))
    figures = response.context["figures"]
    kind = KINDS.get(role, "regulator")
    assert figures["kind"] == kind
    ids = {chart.id for chart in figures["charts"]}
    html = response.content.decode()
    expected = {
        "regulator": ({"trend"}, "逾期未整改"),
        "enterprise": ({"deadlines", "open-status"}, "本企业在办隐患"),
        "expert": ({"sign-stages", "sign-enterprises"}, "待我签字"),
    }[kind]
    assert expected[0] <= ids and expected[1] in html
    assert 'id="workbench-charts"' in html and "js/workbench.js" in html and "<script>" not in html


def test_a_city_sees_rates_and_majors_by_county_and_department(little_city, login):
    figures = home(login(little_city["city"])).context["figures"]
    charts = {chart.id: chart for chart in figures["charts"]}
    assert {"rates-region", "majors-region", "rates-department", "majors-department"} <= set(charts)
    majors = dict(zip(charts["majors-region"].categories, charts["majors-region"].series[0].points, strict=True))
    assert majors["资阳区"].count == 1 and majors["赫山区"].count == 0
    overdue = dict(zip(charts["rates-region"].categories, charts["rates-region"].series[1].points, strict=True))
    assert (overdue["资阳区"].count, overdue["资阳区"].of, overdue["资阳区"].value) == (1, 1, 100.0)
    assert overdue["赫山区"].of == 0 and overdue["赫山区"].value is None
    assert [row.hazard.description for row in figures["overdue"]] == ["通道堵塞"]


def test_a_department_sees_its_categories_and_only_its_hazards(little_city, login):
    response = home(login(little_city["department"]))  # 交通运输局: 道路运输, 水上交通
    figures = response.context["figures"]
    charts = {chart.id: chart for chart in figures["charts"]}
    assert "rates-category" in charts and "rates-department" not in charts
    assert set(charts["rates-category"].categories) <= {"道路运输（经营性）", "道路运输", "水上交通"}
    found = sum(p.count for p in charts["trend"].series[0].points)
    assert found == 1  # 车辆超载 only: nothing of the chemical enterprise's three
    assert "资阳化工" not in response.content.decode()


def test_a_county_sees_none_of_another_countys_figures(little_city, login):
    heshan = make_user(Role.COUNTY, region_id="430903")
    for user, own, other in ((little_city["county"], 3, "赫山"), (heshan, 1, "资阳")):
        response = home(login(user))
        figures = response.context["figures"]
        trend = {chart.id: chart for chart in figures["charts"]}["trend"]
        assert sum(p.count for p in trend.series[0].points) == own
        assert other not in visible_text(response.content.decode())
        assert other not in str(response.context["charts"])
    assert home(login(heshan)).context["figures"]["overdue"] == []


def test_an_enterprise_sees_its_open_hazards_overdue_first(little_city, login):
    figures = home(login(little_city["enterprise"])).context["figures"]
    first, *rest = figures["open"]
    assert first.hazard.description == "通道堵塞" and first.overdue and first.days > 0
    assert {row.hazard.description for row in rest} == {"配电箱未接地", "可燃气体报警缺失"}
    assert not any(row.overdue for row in rest) and figures["open_total"] == 3
    deadlines = {chart.id: chart for chart in figures["charts"]}["deadlines"]
    assert [p.count for p in deadlines.series[0].points] == [1, 0, 0, 0]


def test_an_expert_sees_the_signatures_it_owes(little_city, login):
    figures = home(login(little_city["expert"])).context["figures"]
    stages = {chart.id: chart for chart in figures["charts"]}["sign-stages"]
    assert dict(zip(stages.categories, [p.count for p in stages.series[0].points], strict=True)) == {
        "确认签字": 1,
        "验收签字": 0,
    }
    assert [(h.description, stage) for h, stage in figures["signatures"]] == [("可燃气体报警缺失", "确认")]


@pytest.mark.parametrize("role", ROLES)
def test_the_workbench_speaks_chinese(role, little_city, login):
    user = little_city[role]
    html = home(login(user)).content.decode().replace(user.username, "")
    assert bad_text(visible_text(html)) == []


@pytest.mark.parametrize("role", ["city", "county", "department", "enterprise", "expert"])
def test_the_workbench_answers_in_the_same_number_of_queries_with_more_hazards(role, little_city, login):
    client = login(little_city[role])
    home(client)  # warm: the calendar, the reference data

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            home(client)
        return len(seen)

    before = queries()
    for town, category in ((ZIYANG_TOWN, "hazchem"), (HESHAN_TOWN, "road_transport"), (ZIYANG_TOWN, "commerce")):
        enterprise = make_enterprise(region=town, category=category)
        for n in range(3):
            data = {"enterprise": enterprise.pk, "source": "regulator", "description": f"隐患{n}"}
            hazard_report(
                actor=little_city["city"], data=data | ({"level": "major", "clause": "化工121-1"} if n else {})
            )
    assert queries() == before
