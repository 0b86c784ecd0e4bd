"""Each demo role's main path, on a phone and on a desktop, against a seeded demo city.

Sign in, the workbench (every card's count against the list it opens), every menu entry, the
notifications, the to-do list and the role's next steps in the hazard loop on the first hazard of
each to-do group, the regulator's 催办 and 挂牌督办, the enterprise's report and 即查即改, the
一企一档 with its tabs, exports and documents (as links the walk opens). On every page the walker
(tests/browser/walker.py) checks the text, the console, every visible link and every visible
button; the test fails on the first walk's full list of problems. Screenshots of each page with a
name go to $SAFELOOP_WALK_SHOTS (default: a temporary folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image

from safeloop.demo.registry import DEMO_USERNAMES
from tests.browser.conftest import SIZES
from tests.browser.demo_site import TOWNSHIP_USER, demo_site
from tests.browser.walker import REGISTRY, Walker

pytestmark = [pytest.mark.browser]

USERS = frozenset({*DEMO_USERNAMES, TOWNSHIP_USER})
REGULATORS = ("city_admin", "county_heshan", TOWNSHIP_USER, "dept_transport")
ROLES = (*REGULATORS, "enterprise_demo", "enterprise_safety", "expert_demo", "sysadmin")
# The loop's forward steps, in the order a role takes them when several are offered.
FORWARD = ("签字", "确认隐患", "交办", "提交治理方案", "开始整改", "提交整改", "审批延期", "验收通过", "销号", "回头看")
# Roles the demo must give work (their to-do list is where their main path starts).
EXPECTS_WORK = ("county_heshan", TOWNSHIP_USER, "enterprise_demo", "enterprise_safety", "expert_demo")
# To-do groups walked (the first hazard of each): the desktop walks more, the phone walk repeats
# the same kinds of page on the small screen.
TODO_GROUPS = {"desktop": 3, "phone": 1}


@pytest.fixture(scope="session")
def site():
    yield from demo_site()


@pytest.fixture(scope="session")
def registry():
    return REGISTRY


@pytest.fixture(scope="session")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("SAFELOOP_WALK_SHOTS") or tmp_path_factory.mktemp("walk-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def png(tmp_path_factory):
    path = tmp_path_factory.mktemp("walk-files") / "photo.png"
    Image.new("RGB", (160, 120), (30, 120, 200)).save(path, "PNG")
    return path


@pytest.fixture(params=list(SIZES))
def size_name(request):
    return request.param


@pytest.mark.parametrize("username", ROLES)
def test_role_walks_its_main_path(site, playwright, browser, registry, shots, png, username, size_name):
    walker = Walker(
        playwright=playwright,
        browser=browser,
        site=site,
        username=username,
        size_name=size_name,
        size=SIZES[size_name],
        data=USERS,
        registry=registry,
        shots=shots,
        png=png,
    )
    try:
        walker.login()
        cards(walker)
        for _label, href in walker.menu():
            walker.go(href, name=slug(href))
        walker.go("/notifications/", name="notifications")
        hazard = todo(walker)
        if username in REGULATORS and size_name == "desktop":  # office work; the phone is for the gate
            supervise(walker)
        if username.startswith("enterprise"):
            report(walker)
        dossier(walker, hazard)
        if username in REGULATORS:
            report_at_the_gate(walker)
    finally:
        print("\n".join(walker.problems))  # noqa: T201 (shown when the walk itself broke)
        walker.close()
    assert walker.problems == [], "\n".join(walker.problems)


def slug(href: str) -> str:
    return href.strip("/").replace("/", "-") or "home"


def cards(walker: Walker) -> None:
    """Every workbench card counts what the list it opens shows (once per role)."""
    done = walker.registry.forms.setdefault(f"cards:{walker.username}", set())
    if done:
        return
    done.add("checked")
    for card in walker.page.locator("a.card[data-count]").all():
        href, count = card.get_attribute("href"), int(card.get_attribute("data-count"))
        walker.registry.counts["cards"] += 1
        response = walker.probe.get(href)
        total = re.search(r'data-total="(\d+)"', response.text())
        label = card.locator(".card-label").inner_text()
        if total is None or int(total.group(1)) != count:
            walker.problem(f"card {label} shows {count}, its list {href} shows {total and total.group(1)}")
        response.dispose()


def todo(walker: Walker) -> str | None:
    """The to-do list, then the first hazard of each group, with the role's next step taken.
    Gives the last hazard opened (for the dossier)."""
    walker.go("/hazards/todo/", name="todo")
    groups = [a.get_attribute("href") for a in walker.page.locator("#results nav.tabs a").all()][1:]
    if not groups and walker.username in EXPECTS_WORK and walker.size_name == "desktop":
        walker.problem("the demo leaves this role nothing on its to-do list: its main path cannot be walked")
    opened = None
    for href in groups[: TODO_GROUPS[walker.size_name]]:
        walker.go(f"/hazards/todo/{href}")
        first = walker.page.locator("#results tbody a[href^='/hazards/']")
        if not first.count():
            walker.problem(f"to-do group {href} lists no hazard")
            continue
        opened = first.first.get_attribute("href")
        walker.go(opened, name="hazard")
        step(walker)
    return opened


def step(walker: Walker) -> None:
    """The role's forward step on the hazard shown, as a user takes it."""
    page = walker.page
    offered = [s.inner_text().strip() for s in page.locator("details.action summary").all()]
    label = next((name for name in FORWARD if name in offered), None)
    if label is None:
        return
    if label == "提交整改" and not proof_ready(walker):
        upload_proof(walker)
    action = page.locator("details.action", has=page.locator("summary", has_text=label)).first
    action.locator("summary").click()
    walker.submit(action.locator("form"), label, name="step")


def proof_ready(walker: Walker) -> bool:
    form = walker.page.locator("details.action", has=walker.page.locator("summary", has_text="提交整改")).first
    return form.locator("input[type=checkbox][name=attachments]").count() > 0


def upload_proof(walker: Walker) -> None:
    upload = walker.page.locator("form.upload")
    kind = upload.get_by_label("整改照片")
    if kind.count():
        kind.first.check()
    walker.submit(upload, "上传")


def supervise(walker: Walker) -> None:
    """催办 a hazard under rectification, 挂牌督办 a major one, where the role is offered it."""
    for query, label in (("?status=rectifying&sort=deadline", "催办"), ("?level=major&status=rectifying", "挂牌督办")):
        walker.go(f"/hazards/{query}")
        rows = walker.page.locator("#results tbody a[href^='/hazards/']")
        for href in [a.get_attribute("href") for a in rows.all()[:2]]:
            walker.go(href)
            summary = walker.page.locator("summary", has_text=re.compile(f"^{label}$"))
            if walker.page.locator("details.action").filter(has=summary).count():
                action = walker.page.locator("details.action").filter(has=summary).first
                action.locator("summary").click()
                form = action.locator("form")
                walker.submit(form, label, name=f"{'urge' if label == '催办' else 'listing'}")
                break


def report(walker: Walker) -> None:
    """The enterprise reports a hazard it found, with a photo, from the ledger's button."""
    walker.go("/hazards/")
    walker.click(walker.page.get_by_role("link", name=re.compile("上报隐患")), name="report")
    form = walker.page.locator("main form[method=post]").first
    walker.submit(form, "上报", name="reported")


def dossier(walker: Walker, hazard: str | None) -> None:
    """一企一档: the enterprise of the last hazard opened (or the first listed), every tab (the
    walk ends on its last tab, still on the enterprise's page)."""
    if hazard:
        walker.go(hazard)
        link = walker.page.locator("dl.facts a[href^='/enterprises/']")
    else:
        walker.go("/enterprises/")
        link = walker.page.locator("main tbody a[href^='/enterprises/']")
    if not link.count():
        return
    walker.click(link, name="dossier")
    keys = [tab.get_attribute("id") for tab in walker.page.get_by_role("tab").all()[1:]]
    for tab_id in keys if walker.size_name == "desktop" else keys[-1:]:
        tab = walker.page.locator(f"#{tab_id}")
        key = tab.get_attribute("id").removeprefix("tab-")
        tab.click()
        walker.page.locator(f'#tab-panel[data-tab="{key}"]').wait_for()
        walker.look()


def report_at_the_gate(walker: Walker) -> None:
    """An inspector at the enterprise: 上报隐患 from its page (the enterprise chosen), then the
    regulator's own next steps on the new hazard (确认, 交办)."""
    report = walker.page.locator(".page-head .actions a[href^='/hazards/new/']")
    if not report.count():
        walker.problem("the enterprise page offers no 上报隐患 to a regulator")
        return
    walker.click(report, name="gate-report")
    form = walker.page.locator("main form[method=post]").first
    if walker.submit(form, "上报", name="gate-reported"):
        for _ in range(2):
            step(walker)
