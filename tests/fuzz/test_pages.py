"""Fuzz every page: each URL the resolver knows (the API has its own fuzzer), with path values
that exist and values that do not, query strings with hostile values for every list filter, and
each rendered form posted back with hostile values — as every demo role and anonymously. No
input may give a server error (5xx, or an exception escaping a view)."""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from safeloop.accidents.selectors import AccidentFilters
from safeloop.core.api import Paging
from safeloop.hazards.selectors import LedgerFilters
from safeloop.registry.selectors import EnterpriseFilters, RegionFilters
from safeloop.targets.views import DashboardFilters
from tests.fuzz.conftest import ANSWERS, FUZZ, PAGE_EXAMPLES, STATS
from tests.fuzz.hostile import hostile_text

SKIPPED = ("api/",)  # the API fuzzer's (test_api.py)
ANCHORS = re.compile(r"\^|\$|\\Z")
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
NAME = re.compile(r"""\bname=["']([^"']+)["']""")
ACTION = re.compile(r"""\baction=["']([^"']*)["']""")
FILTER_NAMES = sorted(
    {
        name
        for schema in (Paging, EnterpriseFilters, RegionFilters, AccidentFilters, LedgerFilters, DashboardFilters)
        for name in schema.model_fields
    }
    | {"tab", "next", "unread", "level", "e"}
)


def routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every route of the URL configuration as a pattern string ("hazards/<int:pk>/")."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += routes(entry, pattern)
        elif isinstance(entry, URLPattern) and not pattern.startswith(SKIPPED):
            found.append(pattern)
    return sorted(set(found))


ROUTES = routes()
ADMIN = [route for route in ROUTES if route.startswith("admin/")]
APP = [route for route in ROUTES if not route.startswith("admin/")]
# Three app pages for each admin page: the admin is Django's, and has 84 routes of its own.
ROUTE = st.one_of(st.sampled_from(APP), st.sampled_from(APP), st.sampled_from(APP), st.sampled_from(ADMIN))


def test_the_walk_finds_the_pages():
    assert {"hazards/<int:pk>/", "enterprises/", "targets/<str:table>.xlsx"} <= set(ROUTES)
    assert any(route.startswith("admin/") for route in ROUTES)


@st.composite
def paths(draw, world, route: str) -> str:
    """The route with each parameter filled: a value that exists, or any value its converter takes."""
    if "(?P<" in route:  # a regular expression (the admin's app index), its anchors dropped
        return "/" + draw(st.from_regex(ANCHORS.sub("", route), fullmatch=True, alphabet=st.characters(codec="ascii")))

    def fill(match: re.Match) -> str:
        converter, name = match.group("converter") or "str", match.group("name")
        if converter == "int":
            return str(draw(st.sampled_from(world.ints) | st.integers(0, 2**70)))
        if converter == "uuid":
            return str(draw(st.uuids()))
        known = world.strings.get(name, [])
        text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#%"), min_size=1, max_size=20)
        return draw(st.sampled_from(known) | text if known else text)

    return "/" + CONVERTER.sub(fill, route.lstrip("^"))


def form_fields(html: str) -> list[tuple[str, list[str]]]:
    """(action, field names) of each POST form a page renders."""
    forms = []
    for match in FORM.finditer(html):
        if 'method="post"' in match.group("attrs").lower():
            action = ACTION.search(match.group("attrs"))
            forms.append((action.group(1) if action else "", sorted(set(NAME.findall(match.group("body"))))))
    return forms


@pytest.mark.django_db
def test_no_page_input_gives_a_server_error(world):
    client = Client()
    roles = [*world.users, "anonymous"]
    started = time.monotonic()

    @settings(FUZZ, max_examples=PAGE_EXAMPLES)
    @given(data=st.data())
    def one(data):
        role = data.draw(st.sampled_from(roles), label="role")
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        path = data.draw(paths(world, data.draw(ROUTE, label="route")), label="path")
        query = data.draw(st.dictionaries(st.sampled_from(FILTER_NAMES), hostile_text, max_size=4), label="query")
        response = client.get(f"{path}?{urlencode(query)}" if query else path)
        STATS["pages"] += 1
        ANSWERS["pages"][response.status_code] += 1
        assert response.status_code < 500, (role, path, query)
        html = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
        forms = form_fields(response.content.decode(errors="replace")) if html and not response.streaming else []
        if forms:
            action, names = data.draw(st.sampled_from(forms), label="form")
            posted = {name: data.draw(hostile_text, label=name) for name in names}
            response = client.post(action or path, posted)
            STATS["pages"] += 1
            ANSWERS["pages"][response.status_code] += 1
            assert response.status_code < 500, (role, action or path, posted)

    one()
    STATS["page_seconds"] += time.monotonic() - started
