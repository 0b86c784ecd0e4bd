"""Under the strict Content-Security-Policy (no inline script, style or handler) the pages still
work: the dashboard's charts and their tooltips, Swagger UI, the error page's way back."""

import pytest

from tests.browser.test_enterprises import sign_in
from tests.targets.test_board import city_data  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_errors(page) -> list[str]:
    return [text for text in page.console_errors if "Content Security Policy" in text]


def test_the_dashboards_charts_and_tooltips_break_no_rule(page, live_server, city_user, city_data):  # noqa: F811
    sign_in(page, live_server.url, city_user)
    page.goto(f"{live_server.url}/targets/")
    chart = page.locator("#trend-chart canvas").first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    for x in (0.2, 0.4, 0.6, 0.8):  # across the bars: the tooltip opens on each
        chart.hover(position={"x": box["width"] * x, "y": box["height"] * 0.7})
        page.wait_for_timeout(150)
    assert csp_errors(page) == [] and page.console_errors == []


def test_the_api_documentation_works_under_the_policy(page, live_server, city_user):
    sign_in(page, live_server.url, city_user)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()
    assert page.console_errors == []


def test_an_injected_inline_script_does_not_run(page, live_server, city_user):
    sign_in(page, live_server.url, city_user)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.hit = 1'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.hit") is None
    assert len(csp_errors(page)) == 1


def test_the_error_pages_way_back_works_without_an_inline_handler(page, live_server, city_user):
    sign_in(page, live_server.url, city_user)
    page.goto(f"{live_server.url}/hazards/999999/")
    page.get_by_role("button", name="返回上一页").click()
    page.wait_for_url(f"{live_server.url}/")
    assert csp_errors(page) == []
