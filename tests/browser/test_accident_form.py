"""A county officer records an accident (快报) through the form, on a phone-sized page: the
enterprise is found by search, the accident shows in the list and the dashboard's deaths rise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_enterprises import sign_in
from tests.conftest import ZIYANG_TOWN
from tests.targets.test_board import city_data  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _deaths_card(page, base):
    page.goto(f"{base}/targets/")
    return page.locator(".card.target strong").first.inner_text()


def test_county_user_records_an_accident_and_the_dashboard_counts_it(
    page,
    live_server,
    ziyang_user,
    ziyang_enterprise,
    city_data,  # noqa: F811
):
    base = live_server.url
    sign_in(page, base, ziyang_user)
    assert _deaths_card(page, base).startswith("2")
    page.goto(f"{base}/accidents/")
    page.get_by_role("link", name="登记事故").click()
    page.wait_for_url("**/accidents/new/")
    page.fill("#id_title", "资阳安达化工中毒事故")
    moment = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.fill("#id_occurred_at", moment.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_region", ZIYANG_TOWN)
    page.select_option("#id_sector", "hazchem")
    page.fill("#id_deaths", "3")
    page.fill("#enterprise-search", "安达")
    page.get_by_label(ziyang_enterprise.name).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/accidents/*/")
    assert "较大" in page.locator("h1").inner_text()
    assert ziyang_enterprise.name in page.locator(".facts").inner_text()
    page.goto(f"{base}/accidents/")
    assert page.get_by_role("link", name="资阳安达化工中毒事故").is_visible()
    assert _deaths_card(page, base).startswith("5")
    assert page.console_errors == []
