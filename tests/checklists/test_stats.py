"""Statistics of major hazards: by source (the self-reported share and its change year on year,
the speech's "152条, 20.8%" from the data), by standard and clause, county and category, the most
violated clauses; each table's Excel export; nothing outside the user's scope is counted."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeloop.checklists.stats import StatsFilters, by_clause, by_source, headline, source_rows, top_clauses
from safeloop.hazards.services import hazard_create
from tests.conftest import make_user

YEAR = 2026


def major(enterprise, actor, *, source="regulator", clause="HG121-12", year=YEAR):
    values = {
        "enterprise": enterprise,
        "description": "测试重大隐患",
        "location": "",
        "nature": "",
        "level": "major",
        "clause_id": clause,
        "source": source,
        "finder_name": "检查员",
        "found_on": date(year, 3, 1),
    }
    return hazard_create(actor=actor, values=values)[0]


@pytest.fixture
def hazards(catalogue, ziyang_enterprise, heshan_enterprise, sysadmin_user):
    for source in ("self_check", "self_check", "regulator", "expert", "regulator"):
        major(ziyang_enterprise, sysadmin_user, source=source)
    major(ziyang_enterprise, sysadmin_user, source="self_check", clause="HG121-05")
    for source in ("self_check", "regulator", "regulator", "regulator"):
        major(ziyang_enterprise, sysadmin_user, source=source, year=YEAR - 1)
    major(heshan_enterprise, sysadmin_user, source="self_check", clause="JY52-03-01")  # another county


def test_self_reported_share_and_its_change_from_the_data(hazards, ziyang_user):
    h = headline(ziyang_user, StatsFilters(year=str(YEAR)))
    assert (h.total, h.self_check, h.self_percent) == (6, 3, 50.0)
    assert (h.last_total, h.last_self_check) == (4, 1)
    assert h.share_change == 25.0 and h.total_change == 50.0


def test_sources_table_pivots_this_and_last_year(hazards, ziyang_user):
    rows = {r.source: r for r in source_rows(by_source(ziyang_user, StatsFilters(year=str(YEAR))))}
    assert (rows["regulator"].n, rows["regulator"].last_n) == (2, 3)
    assert rows["expert"].last_n == 0


def test_out_of_scope_hazards_are_never_counted(hazards, ziyang_user, city_user):
    f = StatsFilters(year=str(YEAR))
    assert headline(city_user, f).total == 7
    assert "JY52-03-01" not in {r["clause"] for r in by_clause(ziyang_user, f)}


def test_most_violated_clauses_come_first(hazards, ziyang_user):
    rows = list(top_clauses(ziyang_user, StatsFilters(year=str(YEAR))))
    assert [(r["clause"], r["n"]) for r in rows] == [("HG121-12", 5), ("HG121-05", 1)]


def test_stats_page_shows_the_tables(hazards, login, ziyang_user):
    page = login(ziyang_user).get(reverse("standards_stats:page"), {"year": YEAR}).content.decode()
    assert "企业自查上报 <strong>3</strong> 条，占 <strong>50.0%</strong>" in page
    assert "HG121-12" in page and "资阳区" in page and "JY52-03-01" not in page


@pytest.mark.parametrize("table", ["standards", "clauses", "top", "sources", "counties", "categories"])
def test_each_table_exports_to_excel_within_scope(table, hazards, login, ziyang_user):
    response = login(ziyang_user).get(reverse("standards_stats:export", args=[table]), {"year": YEAR})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert len(cells) > 3 and "JY52-03-01" not in cells and "赫山区" not in "".join(cells[1:])


def test_clause_export_names_standard_number_and_count(hazards, login, ziyang_user):
    response = login(ziyang_user).get(reverse("standards_stats:export", args=["clauses"]), {"year": YEAR})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("条款编号", "判定标准", "条款号", "条文", "重大隐患数")
    assert rows[2][0] == "HG121-12" and rows[2][4] == 5


def test_enterprise_and_expert_do_not_open_the_statistics(login, catalogue, enterprise_user, expert_user):
    for user in (enterprise_user, expert_user):
        client = login(user)
        assert client.get(reverse("standards_stats:page")).status_code == 403
        assert client.get(reverse("standards_stats:export", args=["top"])).status_code == 403


def test_stats_page_query_count_is_bounded(hazards, login, city_user, django_assert_max_num_queries):
    client = login(city_user)
    # session, user; by clause and its clauses; by source; by county and names; by category and
    # names; the region picker and the year's; the bell
    with django_assert_max_num_queries(14):
        client.get(reverse("standards_stats:page"), {"year": YEAR})


def test_a_department_counts_only_its_categories(hazards, reference):
    from safeloop.registry.models import Department

    transport = make_user("department", department=Department.objects.get(region_id="430900", kind="transport"))
    assert headline(transport, StatsFilters(year=str(YEAR))).total == 1  # the 运输 enterprise's
