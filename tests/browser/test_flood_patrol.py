"""Done means (issue 18), with frozen time: a township's patrol on a phone records seepage at a
dike point (GPS, photo), a 险情 opens, the county handles and clears it; the next morning the
zero-report list shows which townships have not reported."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from safeloop.accounts.models import Role
from safeloop.flood.models import Danger, PatrolPhoto, ZeroReport
from safeloop.flood.services import risk_point_create, zero_report_submit
from tests.conftest import PASSWORD, make_user
from tests.flood.conftest import POINT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = {"width": 390, "height": 844}
SHATOU, CIHUKOU, ZHANGJIASAI = "430902104", "430902105", "430902203"  # townships of 资阳区


def _sign_in(page, url, user):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _photo(tmp_path):
    path = tmp_path / "seepage.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_patrol_danger_clearance_and_next_morning_zero_reports(browser, live_server, reference, tmp_path):
    with time_machine.travel(datetime(2026, 7, 10, 14, 0, tzinfo=SHANGHAI), tick=True) as clock:
        county = make_user(Role.COUNTY, region_id="430902", display_name="资阳区防指")
        township = make_user(Role.TOWNSHIP, region_id=SHATOU, display_name="沙头镇防汛办")
        other = make_user(Role.TOWNSHIP, region_id=ZHANGJIASAI)
        point = risk_point_create(
            actor=county,
            data={**POINT, "name": "沙头镇资水大堤险段", "region": SHATOU, "lat": "28.650000", "lng": "112.430000"},
        )

        phone = browser.new_context(
            viewport=PHONE,
            locale="zh-CN",
            is_mobile=True,
            has_touch=True,
            geolocation={"latitude": 28.6512, "longitude": 112.4311},
            permissions=["geolocation"],
        )
        page = phone.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        _sign_in(page, live_server.url, township)
        page.goto(f"{live_server.url}/flood/patrols/new/?point={point.pk}")
        form = page.locator("form.patrol-form")
        assert form.get_attribute("method") == "post" and form.get_attribute("enctype") == "multipart/form-data"
        assert page.input_value("input[name=patrolled_at]") == "2026-07-10T14:00"
        page.wait_for_function("document.querySelector('form.patrol-form input[name=lat]').value !== ''")
        page.select_option("select[name=finding]", "seepage")
        page.fill("textarea[name=description]", "背水坡桩号 K3+450 处渗水，面积约 2 平方米")
        page.set_input_files("input[name=photos]", _photo(tmp_path))
        page.get_by_role("button", name="提交巡查记录").click()
        page.wait_for_url("**/flood/dangers/*/")
        danger = Danger.objects.get()
        assert danger.finding == "seepage" and danger.status == "reported" and danger.region_id == SHATOU
        assert abs(float(danger.patrol.lat) - 28.6512) < 1e-4
        assert PatrolPhoto.objects.filter(patrol=danger.patrol).count() == 1
        assert "已报告" in page.inner_text("#danger-status")
        assert page.get_by_role("button", name="开始处置").count() == 0  # the county acts, not the township
        phone.close()

        clock.shift(1800)  # half an hour later the county handles it, within the two hours
        desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = desk.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        _sign_in(page, live_server.url, county)
        page.goto(f"{live_server.url}/flood/")
        assert danger.code in page.inner_text("#open-dangers")
        page.click(f"text={danger.code}")
        page.fill("textarea[name=measures]", "调集抢险队 20 人，反滤围井导渗")
        page.get_by_role("button", name="开始处置").click()
        page.wait_for_selector("text=处置中")
        page.fill("textarea[name=result]", "渗水已止，复查无异常")
        page.get_by_role("button", name="解除险情").click()
        page.wait_for_selector("#danger-status:has-text('已解除')")
        danger.refresh_from_db()
        assert danger.status == "cleared" and [e.action for e in danger.events.all()] == ["report", "handle", "clear"]
        desk.close()

        # The next morning: 沙头镇 reports before 9:00 on its phone, 张家塞乡 through the API's service;
        # at 9:05 the county's list names the townships that have not reported.
        clock.move_to(datetime(2026, 7, 11, 8, 20, tzinfo=SHANGHAI))
        phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
        page = phone.new_page()
        _sign_in(page, live_server.url, township)
        page.goto(f"{live_server.url}/flood/zero-reports/")
        page.get_by_role("button", name="提交报告").click()
        page.wait_for_selector("#reported li")
        zero_report_submit(actor=other, data={"nil": True})
        phone.close()
        assert set(ZeroReport.objects.values_list("region_id", flat=True)) == {SHATOU, ZHANGJIASAI}

        clock.move_to(datetime(2026, 7, 11, 9, 5, tzinfo=SHANGHAI))
        desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = desk.new_page()
        _sign_in(page, live_server.url, county)
        page.goto(f"{live_server.url}/flood/zero-reports/")
        missing = page.inner_text("#missing")
        assert "逾期未报告的乡镇" in missing
        assert "茈湖口镇" in missing and "沙头镇" not in missing and "张家塞乡" not in missing
        assert "沙头镇" in page.inner_text("#reported")
        desk.close()
        assert errors == []
