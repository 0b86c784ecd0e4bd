"""A city leader opens the target dashboard on a phone and a desktop: charts render from the
locally served ECharts, nothing errors, and a figure drills down to its records."""

import pytest

from tests.browser.test_enterprises import sign_in
from tests.targets.test_board import city_data  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_user_reads_the_dashboard_and_drills_down(page, live_server, city_user, city_data):  # noqa: F811
    sign_in(page, live_server.url, city_user)
    page.goto(f"{live_server.url}/targets/")
    page.locator("#sector-chart canvas").wait_for()
    assert "道路运输（经营性）" in page.locator("#sector-table").inner_text()
    assert page.locator(".card.target").count() == 10
    assert page.console_errors == []
    page.locator(".card.target").first.click()
    page.wait_for_url("**/accidents/?region=430900*")
    assert page.locator(".result-count strong").inner_text() == "2"
