"""Done means (issue 13): in a phone-sized browser an inspector of the demo city opens an
enterprise's QR link, checks in (with the phone's position), records a finding, and the finding
is a hazard in the ledger (source 监管检查)."""

import pytest

from safeloop.accounts.models import Role
from safeloop.hazards.models import Hazard
from safeloop.inspections.models import CheckIn
from safeloop.inspections.services import inspection_create
from safeloop.registry.models import Department, OfficerCertificate
from tests.conftest import PASSWORD, ZIYANG_TOWN, make_enterprise, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene(reference):
    body = Department.objects.get(region_id="430902", kind="emergency")
    officers = []
    for n in range(2):
        user = make_user(Role.DEPARTMENT, department=body, display_name=f"执法员{n}")
        OfficerCertificate.objects.create(user=user, certificate_no=f"4309020{n}")
        officers.append(user)
    enterprise = make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳扫码化工有限公司")
    data = {"enterprise": enterprise.pk, "enforcement_body": body.pk, "officers": [u.pk for u in officers]}
    inspection = inspection_create(actor=officers[0], data=data)
    return officers[1], enterprise, inspection


def test_an_inspector_scans_checks_in_and_records_a_finding_on_a_phone(browser, live_server, scene):
    officer, enterprise, inspection = scene
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 28.5921, "longitude": 112.3301},
        permissions=["geolocation"],
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/e/{enterprise.public_code}/")
    assert inspection.code in page.content()
    page.wait_for_function("document.querySelector('form.checkin-form input[name=lat]').value !== ''")
    page.get_by_role("button", name="确认入企检查").click()
    page.wait_for_url(f"**/inspections/{inspection.pk}/")
    check_in = CheckIn.objects.get(inspection=inspection)
    assert check_in.user_id == officer.pk and abs(float(check_in.lat) - 28.5921) < 1e-3
    page.fill("textarea[name=description]", "液氨储罐区未设置泄漏报警装置")
    page.fill("input[name=location]", "储罐区")
    page.select_option("select[name=nature]", "thing")
    page.select_option("select[name=level]", "general")
    page.get_by_role("button", name="记录发现（进入隐患闭环）").click()
    page.wait_for_load_state("networkidle")
    hazard = Hazard.objects.get(description="液氨储罐区未设置泄漏报警装置")
    assert hazard.source == "regulator" and hazard.enterprise_id == enterprise.pk
    page.goto(f"{live_server.url}/hazards/")
    assert hazard.code in page.content()
    assert errors == []
    context.close()
