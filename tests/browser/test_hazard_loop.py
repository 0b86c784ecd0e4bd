"""The six links in a real browser: a general self-found hazard run by the enterprise (reported
with a photo, its proof ticked by hand), a major regulator finding with expert + enterprise
signatures, and 即查即改 at the enterprise on a phone, on phone and desktop sizes."""

import pytest
from PIL import Image

from safeloop.accounts.models import Position, Role
from safeloop.experts.services import expert_assign
from safeloop.hazards.events import verify_all
from safeloop.hazards.models import Hazard
from tests.browser.ui_checks import bad_text
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def png(tmp_path):
    path = tmp_path / "after.png"
    Image.new("RGB", (120, 90), (20, 160, 80)).save(path, "PNG")
    return path


@pytest.fixture(autouse=True)
def quick_look_back(settings, tmp_path):
    settings.SAFELOOP_LOOK_BACK_DAYS_GENERAL = 0  # the 回头看 falls due at once, so the test can finish the loop
    settings.SAFELOOP_LOOK_BACK_DAYS_MAJOR = 0
    settings.MEDIA_ROOT = tmp_path / "media"


class Person:
    def __init__(self, browser, base, user, size):
        self.context = browser.new_context(viewport=size, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.base = base
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base}/")

    def open(self, hazard):
        self.page.goto(f"{self.base}/hazards/{hazard.pk}/")

    def act(self, hazard, label, tick=False, **fields):
        self.open(hazard)
        form = self.page.locator("details.action", has=self.page.locator("summary", has_text=label))
        form.locator("summary").click()
        boxes = form.locator("input[type=checkbox][name=attachments]")
        assert all(not box.is_checked() for box in boxes.all())  # the proof is never ticked for the user
        for box in boxes.all() if tick else []:
            box.check()
        for name, value in fields.items():
            field = form.locator(f"[name={name}]")
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        form.get_by_role("button", name=label, exact=True).click()
        self.page.wait_for_load_state("networkidle")
        assert self.page.locator("#action-error").count() == 0, self.page.locator("#action-error").inner_text()

    def upload(self, hazard, path):
        self.open(hazard)
        self.page.set_input_files("input[type=file][name=file]", str(path))
        self.page.get_by_role("button", name="上传", exact=True).click()
        self.page.wait_for_load_state("networkidle")

    def status(self, hazard):
        self.open(hazard)
        return self.page.locator(".page-head .status").inner_text()


@pytest.fixture(params=[{"width": 390, "height": 844}, {"width": 1440, "height": 900}], ids=["phone", "desktop"])
def size(request):
    return request.param


def test_general_self_found_hazard_six_links_in_the_browser(browser, live_server, size, ziyang_enterprise, png):
    boss = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="厂长")
    worker = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="电工")
    firm, fixer = Person(browser, live_server.url, boss, size), Person(browser, live_server.url, worker, size)
    firm.page.goto(f"{live_server.url}/hazards/new/")
    firm.page.fill("textarea[name=description]", "二号车间配电箱未接地")
    firm.page.set_input_files("input[type=file][name=photos]", str(png))
    firm.page.get_by_role("button", name="上报", exact=True).click()
    firm.page.wait_for_url("**/hazards/*/")
    hazard = Hazard.objects.get()
    firm.act(hazard, "确认隐患")
    firm.act(hazard, "交办", responsible_unit="二号车间", responsible_person="王强", deadline_days="5")
    fixer.act(hazard, "开始整改")
    fixer.upload(hazard, png)
    fixer.act(hazard, "提交整改", tick=True, note="已重新接地，接地电阻 2Ω")
    firm.act(hazard, "验收通过", opinion="复测合格")
    firm.act(hazard, "销号")
    firm.act(hazard, "回头看", result="holds", note="一个月后复查未复发")
    assert firm.status(hazard) == "回头看通过"
    assert firm.page.locator(".evidence .thumbs img").count() == 2  # the report's photo and the proof
    assert list(verify_all()) == [] and firm.errors == [] and fixer.errors == []


def test_major_regulator_finding_six_links_in_the_browser(
    browser, live_server, size, ziyang_user, ziyang_enterprise, png
):
    boss = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="厂长", position=Position.PRINCIPAL)
    worker = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="电工")
    expert_user = make_user(Role.EXPERT, display_name="危化专家")
    expert_assign(expert=expert_user, enterprise_ids=[ziyang_enterprise.pk])
    county, firm = Person(browser, live_server.url, ziyang_user, size), Person(browser, live_server.url, boss, size)
    fixer, expert = Person(browser, live_server.url, worker, size), Person(browser, live_server.url, expert_user, size)
    county.page.goto(f"{live_server.url}/hazards/new/?enterprise={ziyang_enterprise.pk}")
    county.page.select_option("select[name=source]", "regulator")
    county.page.fill("textarea[name=description]", "储罐区可燃气体泄漏区域未设置检测报警装置")
    county.page.select_option("select[name=level]", "major")
    county.page.fill("input[name=clause]", "化工121-12")
    county.page.get_by_role("button", name="上报", exact=True).click()
    county.page.wait_for_url("**/hazards/*/")
    hazard = Hazard.objects.get()
    expert.act(hazard, "签字", opinion="符合判定标准")
    firm.act(hazard, "签字")
    county.act(hazard, "确认隐患", level="major", clause="化工121-12")
    county.act(hazard, "交办", responsible_unit="储罐区", responsible_person="李明", deadline_days="20")
    firm.act(
        hazard,
        "提交治理方案",
        measures="加装检测报警并联锁",
        funds="48000",
        responsible_person="李明",
        deadline=Hazard.objects.get().deadline.isoformat(),
        contingency_plan="整改期间停用储罐区",
    )
    fixer.act(hazard, "开始整改")
    fixer.upload(hazard, png)
    fixer.act(hazard, "提交整改", tick=True, note="已安装并联锁")
    expert.act(hazard, "签字")
    firm.act(hazard, "签字")
    county.act(hazard, "验收通过", opinion="合格")
    county.act(hazard, "销号")
    county.act(hazard, "回头看", result="holds", note="复查合格")
    assert county.status(hazard) == "回头看通过"
    county.open(hazard)
    assert "责令限期整改指令书" in county.page.content() and "整改复查意见书" in county.page.content()
    assert list(verify_all()) == []


def test_fix_on_the_spot_at_the_enterprise_on_a_phone(browser, live_server, ziyang_user, ziyang_enterprise, png):
    """An inspector at the gate: from the enterprise's page, one form, two photos, one tap."""
    county = Person(browser, live_server.url, ziyang_user, {"width": 390, "height": 844})
    page = county.page
    page.goto(f"{live_server.url}/enterprises/{ziyang_enterprise.pk}/")
    page.get_by_role("link", name="即查即改").click()
    page.wait_for_url("**/hazards/on-spot/**")
    page.fill("textarea[name=description]", "消防通道堆放纸箱")
    page.fill("input[name=location]", "一号仓库")
    page.fill("input[name=fixer]", str(ziyang_user))  # the recorder is not the fixer: refused
    page.set_input_files("input[type=file][name=before]", str(png))
    page.set_input_files("input[type=file][name=after]", str(png))
    page.get_by_role("button", name="记录即查即改").click()
    assert "整改人不能是记录人本人" in page.locator(".field-error").inner_text()
    assert page.locator("textarea[name=description]").input_value() == "消防通道堆放纸箱"
    assert bad_text(page.inner_text("main")) == []
    page.fill("input[name=fixer]", "仓管员李四")
    page.set_input_files("input[type=file][name=before]", str(png))
    page.set_input_files("input[type=file][name=after]", str(png))
    page.get_by_role("button", name="记录即查即改").click()
    page.wait_for_url("**/hazards/*/")
    hazard = Hazard.objects.get()
    assert page.locator(".page-head .status").inner_text() == "已销号"
    found, proven = page.locator(".evidence .thumbs").all()
    assert found.locator("img").count() == 1 and proven.locator("img").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert bad_text(page.inner_text("main")) == []
    assert hazard.on_spot and list(verify_all()) == [] and county.errors == []
