"""The filter pickers follow the user's scope: one selector per picker, one partial per picker,
the same on the enterprise list, the hazard ledger, the to-do and the accidents page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import Role
from safeloop.registry.models import Department, Region
from safeloop.registry.selectors import (
    category_options,
    category_tree,
    departments_for_user,
    region_options,
    year_options,
)
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_user


def codes(regions) -> list[str]:
    return [r.code for r in regions]


def townships_of(county: str) -> list[str]:
    return list(Region.objects.filter(parent_id=county).order_by("code").values_list("code", flat=True))


def counties_of_the_city() -> list[str]:
    return list(Region.objects.filter(parent_id="430900").order_by("code").values_list("code", flat=True))


# ---------------------------------------------------------------- the region picker, per role


def test_a_county_user_chooses_among_its_townships(ziyang_user):
    assert codes(region_options(ziyang_user)) == townships_of("430902") and ZIYANG_TOWN in townships_of("430902")


def test_a_city_user_and_a_city_department_choose_among_the_citys_counties(city_user, transport_user):
    assert codes(region_options(city_user)) == codes(region_options(transport_user)) == counties_of_the_city()
    assert "430902" in counties_of_the_city() and "431002" not in counties_of_the_city()


def test_a_county_department_chooses_among_its_countys_townships(reference):
    user = make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430903", kind="transport"))
    assert codes(region_options(user)) == townships_of("430903")


def test_a_township_user_has_nothing_to_choose_but_its_own_township(township_user):
    assert region_options(township_user) == []
    assert codes(region_options(township_user, ZIYANG_TOWN)) == [ZIYANG_TOWN]
    assert region_options(township_user, HESHAN_TOWN) == []  # outside its scope: not offered


def test_an_expert_chooses_among_the_counties_of_its_enterprises(expert_user, ziyang_enterprise):
    assert codes(region_options(expert_user)) == ["430903"]  # its one enterprise is in 赫山区


def test_an_enterprise_has_nothing_to_choose(enterprise_user):
    assert region_options(enterprise_user) == []


def test_the_system_administrator_chooses_among_all_counties(sysadmin_user):
    offered = codes(region_options(sysadmin_user))
    assert set(counties_of_the_city()) <= set(offered) and all(len(code) == 6 for code in offered)


def test_a_region_chosen_elsewhere_is_shown_when_in_scope(city_user):
    assert codes(region_options(city_user, ZIYANG_TOWN))[-1] == ZIYANG_TOWN


# ---------------------------------------------------------------- categories, departments, years


def test_a_department_chooses_among_its_own_categories_only(transport_user, city_user):
    own = set(transport_user.department.categories.values_list("code", flat=True))
    assert {c.code for c in category_options(transport_user)} == own and own
    assert [c.code for c in category_options(city_user)] == [c.code for c in category_tree()]


def test_children_are_indented_under_a_listed_parent(city_user):
    indented = {c.code: c.indent for c in category_options(city_user)}
    assert indented["gongmao"] is False and indented["commerce"] is True


def test_the_department_picker_offers_the_departments_above_and_inside_the_area(ziyang_user, transport_user):
    regions = set(departments_for_user(ziyang_user).values_list("region_id", flat=True))
    assert {"430902", "430900"} <= regions and "430903" not in regions
    assert list(departments_for_user(transport_user)) == []  # a department sees its own department's


def test_the_year_picker_counts_back_from_this_year():
    today = timezone.localdate()
    assert year_options(today)[:2] == [today.year, today.year - 1] and len(year_options(today)) == 10
    assert year_options(today, "1999")[-1] == 1999


# ---------------------------------------------------------------- one picker on every list


PAGES = ["registry:enterprise_list", "hazards:ledger", "hazards:todo", "accidents:accident_list"]


def region_select(html: str) -> list[str]:
    found = re.search(r'<select name="region">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', found.group(1)) if found else []


@pytest.mark.parametrize("page", PAGES)
def test_every_list_offers_a_county_user_its_townships(page, login, ziyang_user):
    assert region_select(login(ziyang_user).get(reverse(page)).content.decode()) == townships_of("430902")


@pytest.mark.parametrize("page", PAGES)
def test_no_list_offers_a_township_user_a_region(page, login, township_user):
    assert region_select(login(township_user).get(reverse(page)).content.decode()) == []


@pytest.mark.parametrize("page", ["hazards:ledger", "accidents:accident_list"])
def test_the_ledger_and_the_accidents_page_share_the_year_picker(page, login, city_user):
    html = login(city_user).get(reverse(page), {"year": "2024"}).content.decode()
    assert '<select name="year">' in html and '<option value="2024" selected>2024年</option>' in html


def test_the_enterprise_list_offers_a_department_its_own_categories(login, transport_user):
    html = login(transport_user).get(reverse("registry:enterprise_list")).content.decode()
    offered = re.findall(
        r'<option value="([a-z_]+)"', re.search(r'<select name="category">(.*?)</select>', html, re.S).group(1)
    )
    assert set(offered) == set(transport_user.department.categories.values_list("code", flat=True))
