"""挂图作战 in a browser: the city's board at desktop and phone size and the big screen at
1920×1080 render from the locally served ECharts with no console error, a layer switched on
loads, and the big screen refreshes its figures without reloading the page. Screenshots are
written to $SAFELOOP_SHOTS (default /tmp/shots/board) to be looked at."""

import os
from pathlib import Path

import pytest

from tests.board.conftest import board_city  # noqa: F401 - fixture
from tests.browser.test_enterprises import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SAFELOOP_SHOTS", "/tmp/shots/board"))  # noqa: S108 - screenshots to look at


def ready(page):
    page.wait_for_selector("body[data-board-ready='1']", timeout=30_000)
    page.wait_for_timeout(400)  # the canvas' first frame


def test_city_board_desktop_and_phone(page, live_server, board_city):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server.url, board_city["users"]["city"])
    page.goto(f"{live_server.url}/board/?region=430900")
    ready(page)
    assert page.locator("#board-map canvas").count() >= 1
    units = page.locator("#board-units tbody").inner_text()
    assert "资阳区" in units and "益阳市大通湖管理区" in units and "功能区" in units
    assert "益阳市大通湖管理区" in page.locator("#board-zones").inner_text()
    assert board_city["haul"].name in page.locator("#board-pastdue").inner_text()
    page.screenshot(path=SHOTS / f"board-city-{page.size_name}.png", full_page=True)
    with page.expect_response("**/board/layers/listings.json*") as answer:
        page.locator("#board-layers input[value=listings]").check()
    assert answer.value.status == 200
    page.locator("#board-units tbody a", has_text="资阳区").first.click()
    page.wait_for_url("**/board/?region=430902")
    ready(page)
    assert "大码头街道" in page.locator("#board-units tbody").inner_text()
    page.screenshot(path=SHOTS / f"board-county-{page.size_name}.png", full_page=True)
    assert page.console_errors == []


def test_big_screen_refreshes_without_a_reload(browser, live_server, board_city):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, board_city["users"]["city"])
    page.goto(f"{live_server.url}/board/screen/?region=430900&every=10")
    ready(page)
    page.evaluate("window.__notReloaded = true")
    page.screenshot(path=SHOTS / "board-screen-1920.png")
    with page.expect_response("**/board/data.json*", timeout=20_000) as answer:
        pass  # the screen's own timer asks again
    assert answer.value.status == 200
    page.wait_for_timeout(300)
    assert page.evaluate("window.__notReloaded") is True
    assert page.locator(".board-total strong").first.inner_text() == "3"
    assert errors == []
    context.close()
