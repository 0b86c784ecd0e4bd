"""Done means (issue 12): from a major dust-explosion hazard, 举一反三 proposes the similar
enterprises of the county user's jurisdiction; the county user launches it; an enterprise answers
its task on a phone; a 不符合 becomes a `dragnet` hazard and the board counts it."""

import pytest

from safeloop.accounts.models import Role
from safeloop.campaigns.models import Campaign, Finding
from safeloop.hazards.models import Hazard, Source
from tests.browser.test_checklist import answer
from tests.campaigns.conftest import dust, later, seed_hazard  # noqa: F401 - fixtures
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def _signed_in(browser, live_server, user, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_dragnet_from_a_major_dust_hazard_to_a_counted_dragnet_hazard(browser, live_server, dust, seed_hazard):  # noqa: F811
    county = make_user(Role.COUNTY, region_id="430902")
    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    context, page = _signed_in(browser, live_server, county, DESKTOP)
    page.goto(f"{live_server.url}/hazards/{seed_hazard.pk}/")
    page.get_by_role("link", name="举一反三").click()
    page.wait_for_url("**/campaigns/new/**")
    assert dust["twin"].name in page.content() and dust["far"].name not in page.content()
    assert "同有风险特征：粉尘涉爆" in page.content()
    page.fill("#id_ends_on", later(60))
    page.get_by_role("button", name="草拟行动").click()
    page.wait_for_url("**/campaigns/*/")
    page.get_by_role("button", name="启动行动").click()
    page.wait_for_load_state("networkidle")
    campaign = Campaign.objects.get()
    assert campaign.status == "launched" and campaign.seed_hazard_id == seed_hazard.pk

    phone, mobile = _signed_in(browser, live_server, owner, PHONE, is_mobile=True, has_touch=True)
    mobile.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    mobile.get_by_role("link", name=dust["twin"].name).click()
    mobile.get_by_role("button", name="开始排查").click()
    mobile.wait_for_url("**/checklists/*/")
    task = campaign.tasks.get(enterprise=dust["twin"])
    items = list(task.checklist.items.select_related("clause").order_by("sort"))
    failing = next(item for item in items if item.clause.feature == "dust")
    for item in items:
        answer(mobile, item.clause_id, "不符合" if item.pk == failing.pk else "符合")
    mobile.get_by_role("button", name="提交自查结果").click()
    mobile.wait_for_load_state("networkidle")
    hazard = Finding.objects.get(task=task).hazard
    assert (hazard.source, hazard.clause_id, hazard.level) == (Source.DRAGNET, failing.clause_id, "major")
    assert Hazard.objects.filter(source=Source.DRAGNET).count() == 1

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert page.locator("[data-figure=hazards]").inner_text() == "1"
    assert page.locator("[data-figure=inspected]").inner_text() == "1"
    assert page.errors == [] and mobile.errors == []
    context.close()
    phone.close()
