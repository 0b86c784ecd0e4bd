"""The public report channel in a browser (issue 15): a citizen on a phone scans an enterprise's
QR code, reports anonymously with a photo, receives a tracking code, and later sees the outcome
with it; nothing internal (names, the handler, other hazards) is on the tracking page."""

import io

import pytest
from PIL import Image

from safeloop.hazards.services import hazard_report
from safeloop.reporting.models import Report
from safeloop.reporting.workflow import report_act
from tests.browser.ui_checks import bad_text
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path):
    path = tmp_path / "现场.jpg"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_a_citizen_reports_anonymously_and_follows_the_outcome(
    page, live_server, ziyang_enterprise, ziyang_user, tmp_path
):
    other = hazard_report(
        actor=ziyang_user,
        data={
            "enterprise": ziyang_enterprise.pk,
            "source": "regulator",
            "description": "另一条内部隐患：罐区静电接地缺失",
        },
    )
    page.goto(f"{live_server.url}/e/{ziyang_enterprise.public_code}/")
    assert ziyang_enterprise.name in page.inner_text("h1")
    page.select_option("#id_kind", "equipment")
    page.fill("#id_description", "厂区东门消防通道被货车长期占用，灭火器已过期")
    page.fill("#id_location", "东门")
    page.set_input_files("#id_photos", str(_photo(tmp_path)))
    page.get_by_role("button", name="提交报告").click()
    code = page.locator("[data-tracking-code]").inner_text().strip()
    report = Report.objects.get()
    assert code == report.code and report.photos.count() == 1 and not hasattr(report, "identity")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    township = make_user("township", region_id=ziyang_enterprise.region_id, display_name="大码头街道安监站张站长")
    report_act(report_id=report.pk, actor=township, action="accept", version=1)
    report_act(
        report_id=report.pk,
        actor=township,
        action="verify",
        version=2,
        data={"level": "general", "reply": "已责令企业清理通道、更换灭火器"},
    )

    page.goto(f"{live_server.url}/report/track/")
    page.fill("#id_code", code.lower())
    page.get_by_role("button", name="查询").click()
    shown = page.locator("[data-progress]").inner_text()
    assert "属实" in shown and "已责令企业清理通道" in shown
    body = page.inner_text("body")
    for internal in ("张站长", township.username, ziyang_user.username, other.code, "静电接地", ziyang_enterprise.name):
        assert internal not in body
    assert bad_text(page.inner_text("main"), allowed=frozenset({code})) == []  # the code may be all letters
    assert page.console_errors == []
