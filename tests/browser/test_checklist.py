"""Done means (issue 11): an enterprise user of the demo city walks its self-inspection checklist
in a phone-sized browser, marks one item 不符合 with a note and a photo, submits, and a major
hazard citing that clause enters the loop (source 企业自查). Each answer is saved as it is given:
a reload in the middle loses nothing."""

import pytest
from PIL import Image

from safeloop.accounts.models import Position, Role
from safeloop.checklists.models import Checklist, Item
from safeloop.hazards.models import Attachment, Hazard
from safeloop.standards.catalogue import catalogue_load
from safeloop.standards.models import Clause
from tests.conftest import HESHAN_TOWN, PASSWORD, make_enterprise, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
FAILED = "HG121-12"


@pytest.fixture
def jpeg(tmp_path):
    path = tmp_path / "tank.jpg"
    Image.new("RGB", (160, 120), (180, 40, 40)).save(path, "JPEG")
    return path


@pytest.fixture
def firm_user(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    if not Clause.objects.exists():  # a transactional test before this one flushed the catalogue
        catalogue_load(force=True)
    enterprise = make_enterprise(region=HESHAN_TOWN, category="hazchem", name="赫山安达化工有限公司")
    return make_user(Role.ENTERPRISE, enterprise=enterprise, display_name="厂长", position=Position.PRINCIPAL)


def test_enterprise_completes_a_checklist_on_a_phone_and_a_fail_enters_the_loop(browser, live_server, firm_user, jpeg):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", firm_user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/checklists/")
    page.get_by_role("button", name="开始自查").click()
    page.wait_for_url("**/checklists/*/")
    checklist = Checklist.objects.get()
    clauses = list(checklist.items.order_by("sort").values_list("clause_id", flat=True))
    half = len(clauses) // 2
    for clause in clauses[:half]:
        answer(page, clause, "符合")
    page.reload()  # a dropped connection, a closed tab: what was answered is there
    assert page.locator(".item-state[data-state=saved]").count() == half
    for clause in clauses[half:]:
        if clause == FAILED:
            answer(page, clause, "不符合")
            with page.expect_response(saved(clause)):
                note = page.locator(f"#item-{clause} textarea[name=note]")
                note.fill("罐区东侧可燃气体泄漏区域未设检测报警")
                note.press("Tab")  # leaving the field saves it, as tapping elsewhere on a phone does
            settled(page)  # the saved item is swapped in: a file picked before lands on the old form
            with page.expect_response(saved(clause)):
                page.locator(f"#item-{clause} input[type=file]").set_input_files(str(jpeg))
            assert page.locator(f"#item-{clause} .item-photos img").count() == 1
        else:
            answer(page, clause, "不适用" if clause.endswith("0") else "符合")
    assert page.locator("#checklist-progress").inner_text().startswith(f"已填写 {len(clauses)} / {len(clauses)}")
    page.get_by_role("button", name="提交自查结果").click()
    page.wait_for_load_state("networkidle")
    assert "1 项不符合已作为重大隐患上报" in page.locator(".messages").inner_text()
    hazard = Hazard.objects.get()
    assert (hazard.clause_id, hazard.level, hazard.source, hazard.status) == (FAILED, "major", "self_check", "reported")
    assert "罐区东侧可燃气体泄漏区域未设检测报警" in hazard.description
    assert Attachment.objects.filter(hazard=hazard).count() == 1
    page.locator(f"#item-{FAILED} .item-hazard a").click()
    page.wait_for_url(f"**/hazards/{hazard.pk}/")
    assert hazard.code in page.content()
    assert Item.objects.filter(checklist=checklist, result="").count() == 0 and errors == []
    context.close()


def saved(clause: str):
    """The response of one item's successful save."""
    return lambda r: f"/items/{clause}/" in r.url and r.status == 200


def answer(page, clause: str, label: str) -> None:
    """Tap one choice and wait for its save (htmx swaps the item back)."""
    item = page.locator(f"#item-{clause}")
    with page.expect_response(saved(clause)):
        item.get_by_text(label, exact=True).click()
    page.locator(f"#item-{clause} .item-state[data-state=saved]").wait_for()
    settled(page)


def settled(page) -> None:
    """Wait until htmx has swapped and settled every response (its classes are gone)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
