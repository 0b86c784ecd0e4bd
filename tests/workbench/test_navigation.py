"""The top bar's menu: grouped headings, each role's entries only, a lone entry shown as itself."""

import re

import pytest
from django.urls import reverse

from safeloop.workbench.navigation import MENU, groups_for, menu_for

pytestmark = pytest.mark.django_db


def hrefs(html: str) -> list[str]:
    nav = html.split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_every_entry_sits_in_exactly_one_group():
    names = [item.url_name for group in MENU for item in group.items]
    assert len(names) == len(set(names))


def test_an_enterprise_sees_no_system_group(enterprise_user):
    labels = [str(group.label) for group in groups_for(enterprise_user, None)]
    assert "系统" not in labels
    assert "隐患治理" in labels


def test_a_group_with_one_allowed_entry_is_that_entry(city_user):
    shown = groups_for(city_user, None)
    home = shown[0]
    assert home.single is not None and home.single.url_name == "workbench:home"
    hazards = next(group for group in shown if str(group.label) == "隐患治理")
    assert hazards.single is None and len(hazards.entries) > 1


def test_the_current_page_marks_its_group_active(login, city_user):
    body = login(city_user).get("/hazards/").content.decode()
    assert re.search(r'<details class="menu-group active"[^>]*><summary>隐患治理</summary>', body)
    assert 'href="/hazards/" class="active" aria-current="page"' in body


def test_the_page_lists_exactly_the_entries_the_role_may_open(login, enterprise_user):
    from django.urls import reverse

    body = login(enterprise_user).get("/").content.decode()
    expected = [reverse(item.url_name) for item in menu_for(enterprise_user)]
    assert hrefs(body) == expected


def test_the_kept_menu_marks_each_page_its_own_entry(login, city_user, enterprise_user):
    """The menu's HTML is kept per set of entries and current entry: each page still marks its
    own entry, and another role gets its own entries."""
    client = login(city_user)
    for path in ("/hazards/", "/accidents/", "/hazards/"):
        nav = client.get(path).content.decode().split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]
        active = re.findall(r'href="([^"]+)" class="active"', nav)
        assert active == [path]
    body = login(enterprise_user).get("/").content.decode()
    assert hrefs(body) == [reverse(item.url_name) for item in menu_for(enterprise_user)]
    assert "/security-log/" not in hrefs(body)
