"""Done means (issue 17): on a phone a township user records an unlicensed workshop with a photo
and the phone's position; the county 应急局 checks it, opens a case, orders it to stop and closes
it; the three documents download as Word files; the statistics count the case."""

import io

import pytest
from PIL import Image

from safeloop.accounts.models import Role
from safeloop.enforcement.models import Case, Clue
from safeloop.registry.models import Department, OfficerCertificate
from tests.conftest import PASSWORD, ZIYANG_TOWN, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene(reference):
    body = Department.objects.get(region_id="430902", kind="emergency")
    for n in range(2):
        officer = make_user(Role.DEPARTMENT, department=body, display_name=f"执法员{n}")
        OfficerCertificate.objects.create(user=officer, certificate_no=f"4309020{n}")
    township = make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN, display_name="大码头街道巡查员")
    county = make_user(Role.COUNTY, region_id="430902", display_name="资阳区应急局")
    return township, county, body


def _phone(browser, user, live_server):
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 28.5921, "longitude": 112.3245},
        permissions=["geolocation"],
        accept_downloads=True,
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 30)).save(out, "JPEG")
    return out.getvalue()


def _submit(page, action: str) -> None:
    page.locator(f"form.action-{action} button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _download(page, case_pk: int, document: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"a[href$='/cases/{case_pk}/documents/{document}/']").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    return open(download.path(), "rb").read()


def test_unlicensed_workshop_from_phone_to_closed_case_with_documents(browser, live_server, scene):
    township, county, body = scene
    context, page = _phone(browser, township, live_server)
    page.goto(f"{live_server.url}/enforcement/clues/new/")
    page.wait_for_function("document.querySelector('form.clue-form input[name=lat]').value !== ''")
    page.select_option("select[name=kind]", "unlicensed")
    page.fill("input[name=name]", "建设路无证塑料作坊")
    page.fill("input[name=address]", "大码头街道建设路88号后院")
    page.fill("textarea[name=description]", "无营业执照、无安全生产许可，私自生产塑料制品")
    page.set_input_files("input[name=photos]", {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    page.get_by_role("button", name="提交线索").click()
    page.wait_for_url("**/enforcement/clues/*/")
    clue = Clue.objects.get(subject__name="建设路无证塑料作坊")
    assert clue.department == body and clue.photos.count() == 1
    assert abs(float(clue.lat) - 28.5921) < 1e-3 and abs(float(clue.subject.lng) - 112.3245) < 1e-3
    assert page.errors == []
    context.close()

    context, page = _phone(browser, county, live_server)
    page.goto(f"{live_server.url}/enforcement/clues/{clue.pk}/")
    page.fill("form.action-check textarea[name=check_note]", "现场核查属实，正在生产")
    _submit(page, "check")
    _submit(page, "open_case")
    page.wait_for_url("**/enforcement/cases/*/")
    case = Case.objects.get(clue=clue)
    assert case.department == body and case.filing_no
    page.select_option("form.action-decide select[name=measure]", "suspend")
    page.fill("form.action-decide textarea[name=note]", "责令立即停止生产经营活动")
    _submit(page, "decide")
    page.fill("form.action-close textarea[name=opinion]", "已停止违法行为，设备已拆除")
    _submit(page, "close")
    case.refresh_from_db()
    assert case.status == "closed" and case.order_no and case.closing_no
    for document in ("filing", "order", "closing"):
        assert _download(page, case.pk, document)[:2] == b"PK"
    page.goto(f"{live_server.url}/enforcement/stats/")
    assert page.locator("[data-figure=cases]").inner_text() == "1"
    assert page.locator("[data-figure=suspended]").inner_text() == "1"
    assert page.errors == []
    context.close()
