"""A city official generates the annual briefing (a background job: its page links to the draft), follows a figure to the list it counts, edits a
paragraph in the page and issues the briefing, on a phone and a desktop, with no console error."""

import pytest

from tests.briefings.conftest import YEAR, demo_city  # noqa: F401 - fixture
from tests.browser.test_enterprises import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_user_generates_edits_and_issues_a_briefing(page, live_server, city_user, demo_city, tmp_path, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # the worker
    sign_in(page, live_server.url, city_user)
    page.goto(f"{live_server.url}/briefings/")
    page.select_option("#f-kind", "annual")
    page.fill("#f-year", str(YEAR))
    page.locator("#generate button[type=submit]").click()
    page.wait_for_url("**/jobs/*/")
    page.screenshot(path=tmp_path / f"briefing-job-{page.size_name}.png")
    page.get_by_role("link", name="查看通报草稿").click()
    page.wait_for_url("**/briefings/*/")
    first = page.locator(".briefing-paragraph").first
    assert "4起" in first.locator(".briefing-text").inner_text()
    assert page.locator("img.briefing-chart").first.evaluate("img => img.naturalWidth") > 0
    assert "重点工程" in page.locator(".briefing-missing").inner_text()
    # a figure opens the list it counts
    briefing_url = page.url
    first.locator("[data-figure=accidents] a").click()
    page.wait_for_url("**/accidents/?*occurred_from=*")
    assert page.locator(".result-count strong").inner_text() == "4"
    page.goto(briefing_url)
    # edit the first paragraph in the page
    first = page.locator(".briefing-paragraph").first
    first.locator("details.edit summary").click()
    first.locator("textarea").fill("全市生产安全事故起数和死亡人数实现“双下降”。（核改稿）")
    first.locator("details.edit button[type=submit]").click()
    page.wait_for_load_state()
    assert "（核改稿）" in page.locator(".briefing-paragraph").first.locator(".briefing-text").inner_text()
    # issue it: numbered, hashed, no more editing
    page.locator("#issue button").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "已印发"
    assert page.locator("#number").inner_text() == f"益阳市安委办通〔{YEAR}〕1号"
    assert len(page.locator("#sha256").inner_text()) == 64
    assert page.locator("details.edit").count() == 0 and page.locator("#issue").count() == 0
    page.screenshot(path=tmp_path / f"briefing-issued-{page.size_name}.png")  # looked at when working on it
    assert page.console_errors == []
