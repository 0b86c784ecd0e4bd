"""A regulator signs in, searches an enterprise and opens it, on a phone and on a desktop."""

import pytest

from tests.conftest import PASSWORD, make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    page.goto(f"{base}/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_county_user_logs_in_searches_and_opens_an_enterprise(page, live_server, ziyang_user, ziyang_enterprise):
    make_enterprise(name="资阳另一家商贸有限公司", category="commerce")
    sign_in(page, live_server.url, ziyang_user)
    assert page.locator("h1").inner_text() == "工作台"
    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", "安达")
    page.locator(".result-count").get_by_text("1").wait_for()
    page.get_by_role("link", name=ziyang_enterprise.name).click()
    page.wait_for_url(f"**/enterprises/{ziyang_enterprise.pk}/")
    assert ziyang_enterprise.credit_code in page.content()
    assert "资阳区应急管理局" in page.content()
    assert page.console_errors == []


def test_wrong_password_shows_a_chinese_message(page, live_server, ziyang_user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", ziyang_user.username)
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator(".error-box").inner_text()


def test_outsider_following_a_link_gets_404(page, live_server, heshan_user, ziyang_enterprise):
    sign_in(page, live_server.url, heshan_user)
    response = page.goto(f"{live_server.url}/enterprises/{ziyang_enterprise.pk}/")
    assert response.status == 404


def test_invalid_credit_code_is_marked_on_the_form(page, live_server, ziyang_user):
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/enterprises/new/")
    page.fill("input[name=name]", "浏览器测试企业")
    page.fill("input[name=credit_code]", "914309020000000011")
    page.select_option("select[name=region]", "430902005")
    page.select_option("select[name=category]", "commerce")
    page.get_by_role("button", name="保存").click()
    assert "统一社会信用代码校验位错误" in page.locator(".has-error .field-error").inner_text()
