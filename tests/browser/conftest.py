import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.fixture(scope="session")
def playwright():
    """One Playwright per session (a second sync instance cannot start inside the first's loop)."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture(params=list(SIZES))
def page(request, browser):
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.size_name = request.param
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter):
    """What the role walks checked (tests/browser/test_role_walk.py), when they ran."""
    from tests.browser.walker import REGISTRY

    if REGISTRY.counts["pages"]:
        counts = ", ".join(f"{n} {what}" for what, n in REGISTRY.counts.items())
        terminalreporter.write_line(f"role walks checked {counts}")
        for seconds, what in REGISTRY.slowest:
            terminalreporter.write_line(f"  {seconds:5.1f}s {what}")


def pytest_collection_finish(session):
    """The role walks need a seeded demo city: start seeding it now, beside the other tests."""
    if any(item.nodeid.startswith("tests/browser/test_role_walk.py") for item in session.items):
        from tests.browser.demo_site import start_seeding

        start_seeding()


def pytest_sessionfinish(session):
    """A seeding the session did not use (stopped early) is stopped and removed."""
    from tests.browser import demo_site

    if demo_site._seeding is not None:
        demo_site._seeding.remove()
