"""Menus and buttons offer only what the role can open.

Signed in as every role, collect every link and GET form (href, action, hx-get) on the
workbench, the menu and the lists they lead to, request each one and check that none answers
403 or 404. POST-only actions are forms with method="post" and are left out.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from tests.workbench.conftest import ROLES

NOT_EXPANDED = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout/")
MAX_PAGES = 400  # a safety net: the little city has fewer (the workbench links each chart point, ~150 for a city)


class _Links(HTMLParser):
    """hrefs, GET form actions and hx-get addresses of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.found.append(a["href"])
        if tag == "form" and (a.get("method") or "get").lower() == "get":
            self.found.append(a.get("action") or "")
        if a.get("hx-get"):
            self.found.append(a["hx-get"])


def links_of(page_url: str, html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    found = set()
    for href in parser.found:
        if href.startswith(("javascript:", "#", "mailto:")):
            continue
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver"):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def is_list(url: str) -> bool:
    """Pages whose links are collected too: lists and the workbench, not object pages or files."""
    path = urlsplit(url).path
    return not any(part.isdigit() for part in path.split("/")) and not path.endswith((".xlsx", ".docx"))


def crawl(client) -> dict[str, int]:
    """Every address reachable from the workbench through lists, with its status. Each list is
    read once (its first address), so filter and page links are requested but not followed on."""
    seen: dict[str, int] = {}
    read: set[str] = set()
    queue = [reverse("workbench:home")]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        path = urlsplit(url).path
        if _readable(url, response) and path not in read:
            read.add(path)
            queue += sorted(links_of(url, response.content.decode()) - set(seen))
    return seen


def _readable(url: str, response) -> bool:
    html = "html" in response.get("Content-Type", "") and not response.streaming
    return html and response.status_code == 200 and is_list(url) and not url.startswith(NOT_EXPANDED)


@pytest.mark.parametrize("role", ROLES)
def test_no_link_or_button_offered_to_a_role_answers_403_or_404(role, little_city, client):
    client.force_login(little_city[role])
    seen = crawl(client)
    refused = {url: status for url, status in seen.items() if status in (403, 404)}
    assert refused == {}
    assert len(seen) < MAX_PAGES
    assert reverse("hazards:ledger") in seen and reverse("notifications:list") in seen


def test_the_crawl_reaches_objects_and_notifications(little_city, client):
    client.force_login(little_city["county"])
    seen = crawl(client)
    assert any(url.startswith("/hazards/") and url.rstrip("/").split("/")[-1].isdigit() for url in seen)
    assert any(url.startswith("/notifications/") and url.strip("/").split("/")[-1].isdigit() for url in seen)


def test_enterprises_and_experts_are_not_offered_statistics_or_targets(little_city, client):
    for role in ("enterprise", "expert", "department"):
        client.force_login(little_city[role])
        seen = crawl(client)
        assert not any(url.startswith((reverse("targets:dashboard"), "/accidents/denominators/")) for url in seen)


def test_area_users_are_offered_statistics_and_targets(little_city, client):
    client.force_login(little_city["county"])
    seen = crawl(client)
    assert reverse("targets:dashboard") in seen and reverse("accidents:denominator_list") in seen
    assert reverse("accidents:denominator_import") in seen  # the county records denominators


def test_pages_not_offered_are_refused_in_words(little_city, login):
    client = login(little_city["enterprise"])
    for route in ("targets:dashboard", "accidents:denominator_list", "accidents:disaster_list", "hazards:import"):
        response = client.get(reverse(route))
        assert response.status_code == 403
        assert "您没有权限进行此操作" in response.content.decode()
