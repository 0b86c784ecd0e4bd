"""Error pages: Chinese, inside the layout with the menu and a way back, no English, no traceback."""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from safeloop.core.errorpages import denial_reason, server_error


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def english_words(html: str) -> set[str]:
    """Latin words a user would read on the page, apart from the product's name."""
    return set(re.findall(r"[A-Za-z]{2,}", visible_text(html))) - {"SafeLoop"}


def assert_error_page(response, status: int, *texts: str, signed_in: bool = True):
    html = response.content.decode()
    user = getattr(response.wsgi_request, "user", None)
    if user is not None and user.is_authenticated:
        html = html.replace(user.username, "")  # test accounts have Latin names
    assert response.status_code == status
    for text in texts:
        assert text in html
    assert english_words(html) == set()
    assert "Traceback" not in html
    if signed_in:
        assert 'class="menu"' in html and "隐患台账" in html  # the layout's navigation
        assert "返回工作台" in html and "返回上一页" in html


def test_404_says_missing_or_out_of_scope_never_which(login, heshan_user, ziyang_enterprise):
    client = login(heshan_user)
    hidden = client.get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk]))
    missing = client.get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk + 1000]))
    assert_error_page(hidden, 404, "不存在，或不在您的管辖范围内")
    assert visible_text(hidden.content.decode()) == visible_text(missing.content.decode())


def test_404_for_an_unknown_address(login, city_user):
    assert_error_page(login(city_user).get("/no-such-page/"), 404, "没有找到您要打开的内容")


def test_404_signed_out_offers_the_login(client, reference):
    response = client.get("/no-such-page/")
    assert_error_page(response, 404, "登录", signed_in=False)
    assert 'class="menu"' not in response.content.decode()


def test_403_says_why_in_words_a_user_understands(login, enterprise_user):
    response = login(enterprise_user).get(reverse("targets:dashboard"))
    assert_error_page(response, 403, "您没有权限进行此操作", "目标指标看板面向市和县区")


def test_403_without_a_message_for_people_gives_the_general_reason():
    assert denial_reason(PermissionDenied("You do not have permission")) == ""
    assert denial_reason(PermissionDenied()) == ""
    assert denial_reason(PermissionDenied("您的角色不能执行此操作")) == "您的角色不能执行此操作"


def test_the_way_back_is_the_referring_page_of_this_site(login, enterprise_user):
    client = login(enterprise_user)
    ours = client.get(reverse("targets:dashboard"), HTTP_REFERER="http://testserver/hazards/")
    assert 'href="http://testserver/hazards/"' in ours.content.decode()
    foreign = client.get(reverse("targets:dashboard"), HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in foreign.content.decode()


def test_400_for_a_bad_host(reference):
    response = Client(HTTP_HOST="evil.example").get("/", HTTP_REFERER="http://evil.example/")
    assert_error_page(response, 400, "请求无法处理", signed_in=False)


def test_admin_refuses_a_signed_in_non_staff_user_with_a_403_page(login, city_user):
    response = login(city_user).get("/admin/")
    assert_error_page(response, 403, "系统管理仅限系统管理员账号使用")


def test_admin_still_opens_for_the_sysadmin_and_sends_others_to_login(client, sysadmin_user):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    client.force_login(sysadmin_user)
    assert client.get("/admin/").status_code == 200


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3, SAFELOOP_LOGIN_LOCK_MINUTES=15)
def test_429_says_when_to_try_again(client, ziyang_user):
    import time_machine

    with time_machine.travel("2026-11-29 10:00 +0800", tick=False):
        for _ in range(3):
            client.post("/accounts/login/", {"username": ziyang_user.username, "password": "x"})
    with time_machine.travel("2026-11-29 10:05 +0800", tick=False):
        response = client.post("/accounts/login/", {"username": ziyang_user.username, "password": "x"})
    assert_error_page(response, 429, "账号已暂时锁定", "10:15", "返回登录页", signed_in=False)


def test_500_is_a_static_page_that_needs_no_database():
    """No `db` fixture: any database access here would fail the test."""
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出错" in html and "返回工作台" in html and "返回上一页" in html
    assert english_words(html) == set()


@pytest.fixture
def broken_workbench(monkeypatch):
    def boom(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("safeloop.workbench.views.workbench_figures", boom)


def test_500_for_an_error_in_a_page(broken_workbench, city_user):
    client = Client(raise_request_exception=False)
    client.force_login(city_user)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时出错" in html and "database went away" not in html


@override_settings(CSRF_FAILURE_VIEW="safeloop.core.errorpages.csrf_failure")
def test_an_expired_form_is_explained(city_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_user)
    response = client.post(reverse("notifications:read_all"))
    assert_error_page(response, 403, "页面已过期或来源无法验证")
