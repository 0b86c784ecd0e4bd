"""Every link of the ledger that sets one filter keeps all the others: the tabs (问题清单, 销号清单,
逾期, 全部), the counts by status and the pager, on the page and after an htmx refresh."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from safeloop.hazards.services import hazard_report
from safeloop.registry.models import Department

TABS = {"全部": {}, "问题清单": {"list": "problems"}, "销号清单": {"list": "closures"}, "逾期": {"overdue": "1"}}


class _Hrefs(HTMLParser):
    """The hrefs inside the element with `id` (or `class`) `box`, with their text."""

    def __init__(self, box: str):
        super().__init__()
        self.box, self.depth, self.found = box, 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth:
            self.depth += 1
        elif self.box in (a.get("id"), *(a.get("class") or "").split()):
            self.depth = 1
        if self.depth and tag == "a":
            self.found.append([a["href"], ""])

    def handle_endtag(self, tag):
        self.depth = max(self.depth - 1, 0)

    def handle_data(self, data):
        if self.depth and self.found:
            self.found[-1][1] += data


def links_in(html: str, box: str) -> dict[str, dict[str, str]]:
    parser = _Hrefs(box)
    parser.feed(html)
    return {
        text.split()[0]: {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()} for href, text in parser.found
    }


@pytest.fixture
def filters(reference) -> dict[str, str]:
    department = Department.objects.get(region_id="430902", kind="emergency")
    return {
        "q": "配电",
        "region": "430902005",
        "department": str(department.pk),
        "category": "hazchem",
        "level": "general",
        "source": "self_check",
        "found_from": "2026-01-01",
        "found_to": "2026-12-31",
        "year": "2026",
        "sort": "deadline",
    }


@pytest.fixture
def page_with_filters(login, city_user, boss, filters):
    hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "found_on": "2026-03-02"})
    return lambda **extra: login(city_user).get(reverse("hazards:ledger"), filters | extra)


@pytest.mark.parametrize("current", [{}, {"list": "closures"}, {"overdue": "1"}, {"list": "problems", "page": "1"}])
def test_every_tab_keeps_every_filter_and_sets_only_its_own(page_with_filters, filters, current):
    tabs = links_in(page_with_filters(**current).content.decode(), "ledger-tabs")
    assert set(tabs) == set(TABS)
    for label, preset in TABS.items():
        assert tabs[label] == filters | preset, label


def test_the_tab_in_use_is_marked(page_with_filters):
    html = page_with_filters(list="closures").content.decode()
    assert 'class="active" aria-current="page">销号清单</a>' in html


def test_the_counts_by_status_keep_every_filter_and_the_tab(page_with_filters, filters):
    counts = links_in(page_with_filters(list="problems", status="closed").content.decode(), "status-counts")
    assert counts == {"已上报": filters | {"list": "problems", "status": "reported"}}


def test_an_htmx_refresh_brings_tabs_with_the_new_filters(login, city_user, filters, boss):
    hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "found_on": "2026-03-02"})
    response = login(city_user).get(reverse("hazards:ledger"), filters, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert (
        body.lstrip().startswith('<div id="results">')
        and 'id="ledger-tabs" aria-label="清单" hx-swap-oob="true"' in body
    )
    assert links_in(body, "ledger-tabs")["逾期"] == filters | {"overdue": "1"}


def test_the_pager_keeps_every_filter(page_with_filters, filters, monkeypatch, boss):
    monkeypatch.setattr("safeloop.hazards.views.PAGE_SIZE", 1)
    hazard_report(actor=boss, data={"source": "self_check", "description": "配电柜门损坏", "found_on": "2026-03-03"})
    pager = links_in(page_with_filters(list="problems").content.decode(), "pager")
    assert pager == {"下一页": filters | {"list": "problems", "page": "2"}}


def test_the_ledger_with_every_filter_answers_in_a_fixed_number_of_queries(
    login, city_user, boss, filters, django_assert_max_num_queries
):
    for i in range(20):
        hazard_report(actor=boss, data={"source": "self_check", "description": f"配电{i}", "found_on": "2026-03-02"})
    client = login(city_user)
    # session, user; per ledger (list, counts by status): the department's area; count, page ids,
    # page rows, counts; pickers: regions (+ the chosen township), departments, categories; the
    # top bar's region, the bell
    with django_assert_max_num_queries(14):
        page = client.get(reverse("hazards:ledger"), filters | {"list": "problems"})
    assert page.context["page"].paginator.count == 20
