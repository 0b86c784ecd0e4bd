"""Every route, tried by an outsider: out-of-scope objects are 404 and lists leak nothing.

`ROUTES` must name every URL pattern of the project; the first test fails when a new route
is added without an outsider check here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OBJECT_ROUTES = ["registry:enterprise_detail", "registry:enterprise_edit"]
LIST_ROUTES = ["registry:enterprise_list", "registry:enterprise_export"]
# Routes that reveal no enterprise data at all (login, reference pages, API assembled elsewhere).
NO_DATA_ROUTES = {
    "core:home",
    "core:health",
    "accounts:login",
    "accounts:logout",
    "registry:enterprise_new",
    "registry:enterprise_import",
    "registry:enterprise_template",
    "hazards:new",
}
# Hazard routes, checked in tests/hazards/test_outsiders.py with a hazard and its attachment.
HAZARD_ROUTES = {
    "hazards:detail",
    "hazards:act",
    "hazards:upload",
    "hazards:document",
    "hazards:attachment",
    "hazards:ledger",
    "hazards:export",
    "hazards:todo",
    "hazards:enterprise_options",
}


def _names(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.namespace in ("admin", "api"):
                continue  # admin is sysadmin-only; the API has its own outsider tests
            yield from _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_route_has_an_outsider_check():
    declared = set(OBJECT_ROUTES) | set(LIST_ROUTES) | NO_DATA_ROUTES | HAZARD_ROUTES
    assert set(_names(get_resolver())) == declared


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_county_user_cannot_reach_other_county_enterprise(route, login, heshan_user, ziyang_enterprise):
    assert login(heshan_user).get(reverse(route, args=[ziyang_enterprise.pk])).status_code == 404


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_missing_and_hidden_enterprises_look_the_same(route, login, heshan_user, ziyang_enterprise):
    client = login(heshan_user)
    hidden = client.get(reverse(route, args=[ziyang_enterprise.pk]))
    missing = client.get(reverse(route, args=[ziyang_enterprise.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_lists_and_exports_do_not_mention_other_county(route, login, heshan_user, ziyang_enterprise):
    response = login(heshan_user).get(reverse(route), {"q": "安达"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert ziyang_enterprise.name.encode() not in body
    assert ziyang_enterprise.credit_code.encode() not in body


def test_workbench_counts_only_own_scope(login, heshan_user, ziyang_enterprise, heshan_enterprise):
    figures = login(heshan_user).get(reverse("core:home")).context["figures"]
    assert figures["total"] == 1


def test_workbench_query_count_is_bounded(login, city_user, reference, django_assert_max_num_queries):
    from tests.conftest import make_enterprise

    for i in range(30):
        make_enterprise(name=f"工作台{i}", risk_level="red")
    client = login(city_user)
    with django_assert_max_num_queries(8):
        client.get(reverse("core:home"))
