"""一企一档 in a browser: a regulator opens an enterprise, switches tabs (one loaded at a time), and
prints its poster on one A4 page; on a phone and on a desktop."""

import re

import pytest

from safeloop.hazards.services import hazard_report
from safeloop.registry.services import enterprise_update
from tests.browser.test_enterprises import sign_in
from tests.browser.ui_checks import bad_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier(ziyang_user, ziyang_enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hazard_report(
            actor=ziyang_user,
            data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"},
        )
    enterprise_update(actor=ziyang_user, enterprise=ziyang_enterprise, data={"risk_level": "orange"})
    return ziyang_enterprise


def test_tabs_switch_one_at_a_time_without_reloading_the_page(page, live_server, ziyang_user, dossier):
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/enterprises/{dossier.pk}/")
    panel = page.locator("#tab-panel")
    assert panel.get_attribute("data-tab") == "open" and "消防通道堆放杂物" in panel.inner_text()
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads
    page.get_by_role("tab", name=re.compile("历史")).click()
    page.locator('#tab-panel[data-tab="history"]').wait_for()
    assert "风险等级" in panel.inner_text() and "橙（较大风险）" in panel.inner_text()
    assert page.url.endswith(f"/enterprises/{dossier.pk}/tabs/history/")
    assert page.locator('[role="tabpanel"]').count() == 1
    assert page.get_by_role("tab", name=re.compile("历史")).get_attribute("aria-selected") == "true"
    for name, key in (("在办隐患", "open"), ("已销号隐患", "closed"), ("事故", "accidents"), ("文书", "documents")):
        page.get_by_role("tab", name=re.compile(name)).click()
        page.locator(f'#tab-panel[data-tab="{key}"]').wait_for()
        assert bad_text(page.inner_text("main")) == []
    assert page.evaluate("window.loadedOnce") is True
    assert page.console_errors == []


def test_the_poster_prints_on_one_a4_page(page, live_server, ziyang_user, dossier, tmp_path):
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/enterprises/{dossier.pk}/")
    page.get_by_role("link", name="企业码").click()
    page.wait_for_url(f"**/enterprises/{dossier.pk}/poster/")
    assert page.locator(".sheet-qr svg").is_visible() and page.locator(".menu").count() == 0
    assert bad_text(page.inner_text("main"), allowed=frozenset({"http"})) == []  # the printed address
    page.emulate_media(media="print")
    assert not page.locator(".poster-tools").is_visible()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    (tmp_path / f"poster-{page.size_name}.pdf").write_bytes(pdf)
    assert page.console_errors == []


def test_a_tab_pages_in_place_and_the_tabs_still_switch_after(page, live_server, ziyang_user, dossier):
    from datetime import date, timedelta

    from safeloop.workbench.dossier import PAGE_SIZE
    from tests.workbench.test_dossier import closed_hazard

    for n in range(PAGE_SIZE + 2):
        closed_hazard(dossier, f"YH-430902-2026-93{n:04d}", closed=date(2026, 3, 1) + timedelta(days=n))
    sign_in(page, live_server.url, ziyang_user)
    page.goto(f"{live_server.url}/enterprises/{dossier.pk}/")
    page.get_by_role("tab", name=re.compile("已销号隐患")).click()
    page.locator('#tab-panel[data-tab="closed"]').wait_for()
    page.get_by_role("link", name="下一页").click()
    page.locator(".pager", has_text="第 2 / 2 页").wait_for()
    assert page.locator("#tab-panel tbody tr").count() == 2 and page.locator("#tabs").count() == 1
    page.get_by_role("tab", name=re.compile("历史")).click()
    page.locator('#tab-panel[data-tab="history"]').wait_for()
    assert page.console_errors == []
