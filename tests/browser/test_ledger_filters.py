"""A county official narrows the ledger and the to-do with the pickers (htmx): the tabs and the
step links follow what was picked, and the results are replaced, never nested."""

import pytest

from safeloop.hazards.services import hazard_report
from tests.browser.test_enterprises import sign_in
from tests.conftest import ZIYANG_TOWN, make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_picked_township_stays_when_a_tab_is_chosen(page, live_server, ziyang_user):
    elsewhere = make_enterprise(region="430902006", name="汽车路商贸有限公司", category="commerce")
    here = make_enterprise(region=ZIYANG_TOWN, name="大码头商贸有限公司", category="commerce")
    for enterprise in (here, elsewhere):
        hazard_report(
            actor=ziyang_user, data={"enterprise": enterprise.pk, "source": "regulator", "description": "通道堵塞"}
        )
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/hazards/")
    page.select_option("select[name=region]", ZIYANG_TOWN)
    page.locator(".result-count").get_by_text("1").wait_for()
    page.locator("#ledger-tabs").get_by_role("link", name="问题清单").click()
    page.wait_for_url("**list=problems**")
    assert f"region={ZIYANG_TOWN}" in page.url
    assert page.locator("select[name=region]").input_value() == ZIYANG_TOWN
    assert page.locator("#results").count() == 1 and page.console_errors == []


def test_the_to_do_steps_keep_the_picked_level(page, live_server, ziyang_user):
    enterprise = make_enterprise(region=ZIYANG_TOWN, name="大码头化工有限公司")
    hazard_report(actor=ziyang_user, data={"enterprise": enterprise.pk, "source": "regulator", "description": "一般"})
    major = {"level": "major", "clause": "化工121-12", "description": "重大"}
    hazard_report(actor=ziyang_user, data={"enterprise": enterprise.pk, "source": "regulator", **major})
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/hazards/todo/")
    page.select_option("select[name=level]", "major")
    page.locator(".result-count").get_by_text("1").wait_for()
    page.locator("#results .tabs").get_by_role("link", name="待确认").click()
    page.wait_for_url("**awaiting=confirm**")
    assert "level=major" in page.url and page.locator("#results tbody tr").count() == 1
    assert page.locator("#results").count() == 1 and page.console_errors == []
