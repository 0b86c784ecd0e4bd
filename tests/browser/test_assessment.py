"""A city leader opens the year's assessment on a phone and a desktop: the counties are ranked,
安化县 (a 重大 accident) is vetoed and last, and a score drills down to the rows it counts."""

import pytest

from tests.browser.test_enterprises import sign_in
from tests.duties.conftest import duty_city  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ranking_the_veto_and_a_drill_down(page, live_server, duty_city):  # noqa: F811
    from django.utils import timezone

    year = timezone.localdate().year
    sign_in(page, live_server.url, duty_city["city"])
    page.goto(f"{live_server.url}/duties/assessments/{year}/")
    rows = page.locator("#county-ranking tbody tr")
    assert rows.count() == 6
    ranks = [int(rows.nth(i).locator("td").first.inner_text()) for i in range(6)]
    assert ranks == [1, 2, 3, 4, 5, 6]
    totals = [float(rows.nth(i).locator(".total").inner_text()) for i in range(5)]
    assert totals == sorted(totals, reverse=True)
    last = rows.nth(5)
    assert "安化县" in last.inner_text() and last.locator(".veto").count() == 1
    assert page.locator("#county-ranking .veto").count() == 1
    assert page.console_errors == []
    # 资阳区's overdue score opens the hazards it counts
    ziyang = page.locator(f"#county-ranking tr[data-unit='{duty_city['units']['430902'].pk}']")
    ziyang.locator("a.score[data-code='overdue']").click()
    page.wait_for_url("**/overdue_rate/num/")
    assert page.locator(".result-count").get_attribute("data-total") == "1"
    assert page.locator("#drill-rows tbody tr").count() == 1
    assert "资阳化工有限公司" in page.locator("#drill-rows").inner_text()
    # the veto opens the accident
    page.goto(f"{live_server.url}/duties/assessments/{year}/units/{duty_city['units']['430923'].pk}/")
    page.locator("tr[data-code='veto'] a.num-link").click()
    page.wait_for_url("**/major_accidents/num/")
    assert "安化矿山透水事故" in page.locator("#drill-rows").inner_text()
