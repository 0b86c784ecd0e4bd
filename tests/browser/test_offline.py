"""Done means (issue 21): field work with no signal arrives exactly once.

Playwright's offline switch does not cut a service worker's own fetches nor fire Background
Sync, so the network is cut with routes that abort every request (the service worker's too) as
well as the offline switch, and the retry path that runs everywhere (page load, `online`) is
what is tested. "Mid-upload" drops are a POST that reaches the server whose answer never comes
back (the route forwards it, then aborts), with the receipt lookups failing too, so the phone
cannot know and must send again later."""

from __future__ import annotations

import io
import json
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from safeloop.accounts.models import Position, Role
from safeloop.checklists.models import Item
from safeloop.checklists.services import checklist_start
from safeloop.core.models import IdempotencyRecord
from safeloop.flood.models import Patrol, PatrolPhoto
from safeloop.flood.services import risk_point_create
from safeloop.hazards.models import Attachment, Hazard, HazardEvent
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import hazard_act
from safeloop.inspections.models import CheckIn
from safeloop.inspections.services import inspection_create
from safeloop.registry.models import Department, OfficerCertificate
from safeloop.standards.catalogue import catalogue_load
from safeloop.standards.models import Clause
from tests.conftest import HESHAN_TOWN, PASSWORD, ZIYANG_TOWN, in_a_year, make_enterprise, make_user
from tests.flood.conftest import POINT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
QUEUE_LENGTH = "() => window.SafeLoopQueue && SafeLoopQueue.items(document.body.dataset.user).then(i => i.length)"


def big_photo(tmp_path, name: str, colour, taken: str):
    """A 2400 x 1800 camera JPEG with its EXIF time (DateTimeOriginal) and GPS."""
    image = Image.new("RGB", (2400, 1800), colour)
    exif = Image.Exif()
    exif[0x0110] = "TestPhone"
    exif.get_ifd(0x8769)[36867] = taken
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (28.0, 35.0, 30.0), 3: "E", 4: (112.0, 19.0, 20.0)})
    path = tmp_path / name
    image.save(path, "JPEG", exif=exif, quality=80)
    return path


@pytest.fixture
def firm(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    if not Clause.objects.exists():
        catalogue_load(force=True)
    enterprise = make_enterprise(region=HESHAN_TOWN, category="hazchem", name="赫山安达化工有限公司")
    boss = make_user(Role.ENTERPRISE, enterprise=enterprise, display_name="厂长", position=Position.PRINCIPAL)
    return boss


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield context, page
    context.close()


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def kept(page, user, *paths):
    """Wait until the service worker has kept the field pages of the user (it answers the page)
    and these pages are in the user's cache."""
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=20000)
    script = """async ([user, paths]) => {
      const cache = await caches.open('safeloop-user-' + user);
      for (const p of paths) { if (!(await cache.match(p))) return false; }
      return true;
    }"""
    eventually(lambda: page.evaluate(script, [str(user.pk), list(paths)]), "pages kept")


def eventually(check, what: str, seconds: float = 20):
    """Poll `check` (page.evaluate awaits the page's promises; wait_for_function would not)."""
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def cut(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def restore(context):
    context.unroute("**/*")
    context.set_offline(False)


def queue_length(page) -> int:
    return page.evaluate(QUEUE_LENGTH)


def wait_empty(page):
    eventually(lambda: queue_length(page) == 0, "an empty 待上传 list")


class DropMidway:
    """The first POST to `path` reaches the server, its answer is lost; receipts fail until
    `back()`: the phone cannot tell whether it arrived."""

    def __init__(self, context, path: str):
        self.context, self.path, self.dropped = context, path, 0
        context.route(lambda url: url.endswith(path) or path + "?" in url, self._post)
        context.route("**/offline/receipts/**", self._receipt)

    def _post(self, route):
        if route.request.method == "POST" and not self.dropped:
            route.fetch(max_redirects=0)  # the server does the work…
            self.dropped += 1
            route.abort("connectionreset")  # …and the answer never arrives
        else:
            route.fallback()

    def _receipt(self, route):
        route.abort("internetdisconnected")

    def back(self):
        self.context.unroute("**/offline/receipts/**")
        self.context.unroute_all()


# ---------------------------------------------------------------------------- installability


def test_installable_manifest_worker_and_field_pages_open_with_the_network_cut(phone, live_server, firm):
    context, page = phone
    checklist = checklist_start(actor=firm)
    base = live_server.url
    sign_in(page, base, firm)
    href = page.get_attribute("link[rel=manifest]", "href")
    manifest = json.loads(page.request.get(base + href).text())
    assert "安全" in manifest["name"] and manifest["short_name"] and manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        answer = page.request.get(base + icon["src"])
        assert answer.status == 200 and answer.headers["content-type"] == "image/png"
        width = Image.open(io.BytesIO(answer.body())).size[0]
        assert f"{width}x{width}" == icon["sizes"]
    registration = page.evaluate(
        "async () => { const r = await navigator.serviceWorker.ready; return [r.active.scriptURL, r.scope]; }"
    )
    assert registration == [f"{base}/sw.js", f"{base}/"]
    field_pages = ["/", "/hazards/new/", "/hazards/todo/", f"/checklists/{checklist.pk}/", "/offline/"]
    kept(page, firm, *field_pages)

    cut(context)
    for path in field_pages:
        page.goto(base + path)
        assert page.get_attribute("html", "data-offline-copy") is not None, path
        banner = page.locator("[data-offline-banner]")
        banner.wait_for()
        assert "离线" in banner.inner_text(), path
        brand = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
        assert brand == "rgb(15, 76, 129)", path  # the project's CSS came from the cache too
    page.goto(base + "/hazards/new/")
    assert page.locator("form[data-queue=hazard_report] textarea[name=description]").is_visible()
    page.goto(base + "/standards/")  # never opened: the shell says so
    assert "当前无网络" in page.locator("h1").inner_text()
    assert not page.errors


# ---------------------------------------------------------------------------- done means 1


def report_offline(page, base, tmp_path):
    page.goto(f"{base}/hazards/new/")
    page.fill("textarea[name=description]", "罐区静电接地线断开")
    page.fill("input[name=location]", "东侧罐区")
    photos = [
        big_photo(tmp_path, "a.jpg", (200, 50, 50), "2026:12:01 09:15:00"),
        big_photo(tmp_path, "b.jpg", (50, 50, 200), "2026:12:01 09:16:30"),
    ]
    page.set_input_files("input[name=photos]", [str(p) for p in photos])
    page.locator("form[data-queue=hazard_report] button[type=submit]").click()


def answer_three(page, base, checklist):
    page.goto(f"{base}/checklists/{checklist.pk}/")
    clauses = list(checklist.items.order_by("sort").values_list("clause_id", flat=True))[:3]
    for clause in clauses:
        page.locator(f"#item-{clause}").get_by_text("符合", exact=True).click()
        page.locator(f"#item-{clause} .queue-notice").wait_for()
    return clauses


def check_arrived_once(firm, checklist, clauses):
    hazard = Hazard.objects.get(enterprise=firm.enterprise)
    photos = list(Attachment.objects.filter(hazard=hazard))
    assert len(photos) == 2
    for photo in photos:
        assert photo.content_type == "image/jpeg"
        assert photo.captured_by == "exif"  # resized on the phone, EXIF time kept
        assert timezone.localtime(photo.captured_at).strftime("%Y-%m-%d") == "2026-12-01"
    report = HazardEvent.objects.get(hazard=hazard, action="report")
    assert report.payload["captured_at"]  # the phone's time, beside the event's arrival time
    answered = Item.objects.filter(checklist=checklist, clause_id__in=clauses, result="ok")
    assert answered.count() == 3
    return hazard, photos


def test_offline_report_with_two_photos_and_three_answers_arrives_exactly_once(phone, live_server, firm, tmp_path):
    context, page = phone
    checklist = checklist_start(actor=firm)
    base = live_server.url
    sign_in(page, base, firm)
    kept(page, firm, "/hazards/new/", f"/checklists/{checklist.pk}/", "/offline/")
    cut(context)
    report_offline(page, base, tmp_path)
    page.locator(".queue-notice a").wait_for()
    clauses = answer_three(page, base, checklist)
    page.goto(f"{base}/offline/")
    page.locator("#offline-queue li").nth(3).wait_for()
    assert page.locator("#offline-queue li").count() == 4
    assert "上报隐患" in page.locator("#offline-queue").inner_text()
    assert not Hazard.objects.exists()

    restore(context)  # `online`: the queue sends itself
    wait_empty(page)
    hazard, photos = check_arrived_once(firm, checklist, clauses)
    stored = Image.open(default_storage.open(photos[0].file))
    assert max(stored.size) == 2000  # long side 2,000 px
    exif = stored.getexif()
    assert exif.get_ifd(0x8825), "GPS kept"
    page.goto(f"{base}/offline/")
    assert page.locator("#offline-queue li").count() == 0
    assert page.locator("#offline-queue-empty").is_visible()
    page.goto(f"{base}/hazards/{hazard.pk}/")
    history = page.locator(".timeline").inner_text()
    assert "手机时间" in history and "到达服务器" in history
    assert not page.errors


def test_the_network_dropping_mid_upload_gives_no_duplicate(phone, live_server, firm, tmp_path):
    context, page = phone
    checklist = checklist_start(actor=firm)
    base = live_server.url
    sign_in(page, base, firm)
    kept(page, firm, "/hazards/new/", f"/checklists/{checklist.pk}/")
    cut(context)
    report_offline(page, base, tmp_path)
    page.locator(".queue-notice a").wait_for()
    clauses = answer_three(page, base, checklist)
    restore(context)
    drops = [DropMidway(context, "/hazards/new/")]
    drops += [DropMidway(context, f"/items/{clause}/") for clause in clauses]
    page.evaluate("SafeLoopQueue.flush()")  # what `online` runs; resolves when the pass is over
    assert sum(d.dropped for d in drops) == 4
    assert queue_length(page) == 4  # nothing known to have arrived…
    assert Hazard.objects.count() == 1  # …yet the server has it
    context.unroute_all()
    page.reload()  # the retry on page load: the same keys, the first answers
    wait_empty(page)
    check_arrived_once(firm, checklist, clauses)
    assert IdempotencyRecord.objects.count() == 4


# ---------------------------------------------------------------------------- every queued kind


@pytest.fixture
def ziyang_firm(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳安达化工有限公司")
    boss = make_user(Role.ENTERPRISE, enterprise=enterprise, display_name="厂长", position=Position.PRINCIPAL)
    worker = make_user(Role.ENTERPRISE, enterprise=enterprise, display_name="整改人")
    return boss, worker


def started_hazard(boss, worker):
    hazard = hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "location": "车间"})
    for actor, action, data in (
        (boss, "confirm", {}),
        (boss, "assign", {"responsible_unit": "车间", "responsible_person": "王", "deadline": in_a_year()}),
        (worker, "start", {}),
    ):
        hazard.refresh_from_db()
        hazard = hazard_act(hazard_id=hazard.pk, actor=actor, action=action, version=hazard.version, data=data)
    return hazard


def queue_and_drop(context, page, base, path, post_path, fill, retry: str):
    """Open `path` online, cut the network, fill and send the form, bring the network back with
    the answer of the POST lost, then retry by `retry` (reload / online)."""
    page.goto(base + path)
    cut(context)
    fill(page)
    page.locator(".queue-notice a").wait_for()
    assert queue_length(page) == 1
    restore(context)
    DropMidway(context, post_path)
    page.evaluate("SafeLoopQueue.flush()")
    assert queue_length(page) == 1
    context.unroute_all()
    if retry == "reload":
        page.reload()
    else:
        page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_empty(page)


def test_rectification_evidence_dropped_midway_arrives_once_and_old_photos_are_no_proof(
    phone, live_server, ziyang_firm, tmp_path
):
    context, page = phone
    boss, worker = ziyang_firm
    hazard = started_hazard(boss, worker)
    base = live_server.url
    sign_in(page, base, worker)
    old = big_photo(tmp_path, "old.jpg", (90, 90, 90), "2020:01:01 08:00:00")  # taken before 开始整改

    def fill(p):
        p.set_input_files("form[data-queue=rectification_evidence] input[type=file]", str(old))
        p.locator("form[data-queue=rectification_evidence] button[type=submit]").click()

    queue_and_drop(context, page, base, f"/hazards/{hazard.pk}/", f"/hazards/{hazard.pk}/attachments/", fill, "reload")
    evidence = Attachment.objects.get(hazard=hazard, kind="rectification")
    assert evidence.captured_by == "exif" and evidence.captured_at.year == 2020
    from safeloop.hazards.workflow.actions import rectification_proof

    assert not rectification_proof(hazard).exists()  # uploaded after the start, taken before: never proof


def test_hazard_action_dropped_midway_is_applied_once(phone, live_server, ziyang_firm):
    context, page = phone
    boss, _worker = ziyang_firm
    hazard = hazard_report(actor=boss, data={"source": "self_check", "description": "消防通道堵塞", "location": "仓库"})
    base = live_server.url
    sign_in(page, base, boss)

    def fill(p):
        form = p.locator("form[data-queue=hazard_action][action$='/act/confirm/']")
        form.locator("xpath=ancestor::details").locator("summary").click()
        form.locator("button[type=submit]").click()

    queue_and_drop(context, page, base, f"/hazards/{hazard.pk}/", f"/hazards/{hazard.pk}/act/confirm/", fill, "online")
    assert HazardEvent.objects.filter(hazard=hazard, action="confirm").count() == 1


def test_on_spot_record_dropped_midway_arrives_once(phone, live_server, ziyang_firm, tmp_path):
    context, page = phone
    boss, _worker = ziyang_firm
    base = live_server.url
    sign_in(page, base, boss)
    before = big_photo(tmp_path, "before.jpg", (150, 20, 20), "2026:12:02 10:00:00")
    after = big_photo(tmp_path, "after.jpg", (20, 150, 20), "2026:12:02 10:20:00")

    def fill(p):
        p.fill("textarea[name=description]", "灭火器压力不足")
        p.fill("input[name=location]", "一号车间")
        p.fill("input[name=fixer]", "李四")
        p.set_input_files("input[name=before]", str(before))
        p.set_input_files("input[name=after]", str(after))
        p.locator("form[data-queue=hazard_on_spot] button[type=submit]").click()

    queue_and_drop(context, page, base, "/hazards/on-spot/", "/hazards/on-spot/", fill, "reload")
    assert Hazard.objects.filter(on_spot=True).count() == 1


def test_checklist_answer_dropped_midway_is_saved_once(phone, live_server, firm):
    context, page = phone
    checklist = checklist_start(actor=firm)
    clause = checklist.items.order_by("sort").values_list("clause_id", flat=True)[0]
    base = live_server.url
    sign_in(page, base, firm)

    def fill(p):
        p.locator(f"#item-{clause}").get_by_text("不适用", exact=True).click()

    queue_and_drop(context, page, base, f"/checklists/{checklist.pk}/", f"/items/{clause}/", fill, "online")
    item = Item.objects.get(checklist=checklist, clause_id=clause)
    assert item.result == "na" and item.version == 2  # saved once


@pytest.fixture
def officers(reference):
    body = Department.objects.get(region_id="430902", kind="emergency")
    made = []
    for n in range(2):
        user = make_user(Role.DEPARTMENT, department=body, display_name=f"执法员{n}")
        OfficerCertificate.objects.create(user=user, certificate_no=f"43090200{n}")
        made.append(user)
    return body, made


def test_check_in_dropped_midway_is_recorded_once_at_the_phones_time(phone, live_server, officers, reference):
    context, page = phone
    body, people = officers
    enterprise = make_enterprise(region=ZIYANG_TOWN, category="hazchem")
    data = {"enterprise": enterprise.pk, "enforcement_body": body.pk, "officers": [u.pk for u in people]}
    inspection = inspection_create(actor=people[0], data=data)
    base = live_server.url
    sign_in(page, base, people[1])
    at_the_gate = timezone.now() - timedelta(minutes=40)

    def fill(p):
        p.clock.set_system_time(at_the_gate)  # the phone's clock when the officer was at the gate
        p.locator("form[data-queue=check_in] button[type=submit]").first.click()

    queue_and_drop(
        context,
        page,
        base,
        f"/inspections/{inspection.pk}/",
        f"/inspections/{inspection.pk}/actions/check_in/",
        fill,
        "reload",
    )
    check_in = CheckIn.objects.get(inspection=inspection)
    assert abs((check_in.at - at_the_gate).total_seconds()) < 5  # the phone's time, not the arrival


@pytest.fixture
def patroller(ziyang_user, settings, tmp_path):
    """A 资阳 township account and a risk point of its township (the flood tests' point)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    point = risk_point_create(actor=ziyang_user, data=POINT)
    return make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN, display_name="巡查员"), point


def fill_patrol(p, point, photo, lat="28.600000"):
    form = p.locator("form[data-queue=flood_patrol]")
    form.locator("select[name=risk_point]").select_option(str(point.pk))
    form.locator("input[name=lat]").fill(lat)
    form.locator("input[name=lng]").fill("112.320000")
    form.locator("input[name=photos]").set_input_files(str(photo))
    form.locator("button[type=submit]").click()


def test_flood_patrol_with_a_photo_offline_arrives_once_at_the_phones_time(phone, live_server, patroller, tmp_path):
    context, page = phone
    user, point = patroller
    base = live_server.url
    sign_in(page, base, user)
    kept(page, user, "/flood/patrols/new/")
    page.goto(f"{base}/flood/patrols/new/")
    cut(context)
    on_the_dike = timezone.now() - timedelta(minutes=50)
    page.clock.set_system_time(on_the_dike)  # the phone's clock on the dike
    fill_patrol(page, point, big_photo(tmp_path, "dike.jpg", (40, 90, 140), "2026:12:02 09:00:00"))
    page.locator(".queue-notice a").wait_for()
    assert queue_length(page) == 1 and not Patrol.objects.exists()
    restore(context)
    page.reload()
    wait_empty(page)
    patrol = Patrol.objects.get()
    assert PatrolPhoto.objects.filter(patrol=patrol).count() == 1
    assert abs((patrol.patrolled_at - on_the_dike).total_seconds()) < 5  # the phone's time, not the arrival
    assert not page.errors


def test_flood_patrol_dropped_midway_arrives_once(phone, live_server, patroller, tmp_path):
    context, page = phone
    user, point = patroller
    base = live_server.url
    sign_in(page, base, user)
    photo = big_photo(tmp_path, "dike.jpg", (40, 90, 140), "2026:12:02 09:00:00")
    at_the_point = timezone.now() - timedelta(minutes=30)

    def fill(p):
        p.clock.set_system_time(at_the_point)
        fill_patrol(p, point, photo)

    queue_and_drop(context, page, base, "/flood/patrols/new/", "/flood/patrols/new/", fill, "online")
    patrol = Patrol.objects.get()  # exactly once
    assert PatrolPhoto.objects.filter(patrol=patrol).count() == 1
    assert abs((patrol.patrolled_at - at_the_point).total_seconds()) < 5


def test_a_queued_flood_patrol_too_far_from_its_township_is_refused(phone, live_server, patroller, tmp_path, settings):
    context, page = phone
    user, point = patroller
    settings.SAFELOOP_FLOOD_PATROL_MAX_KM = 10
    base = live_server.url
    sign_in(page, base, user)
    page.goto(f"{base}/flood/patrols/new/")
    cut(context)
    fill_patrol(page, point, big_photo(tmp_path, "far.jpg", (40, 90, 140), "2026:12:02 09:00:00"), lat="29.100000")
    page.locator(".queue-notice a").wait_for()
    restore(context)
    page.goto(f"{base}/offline/")
    page.locator("#offline-queue li[data-state=refused]").wait_for(timeout=20000)
    assert not Patrol.objects.exists() and not PatrolPhoto.objects.exists()


# ---------------------------------------------------------------------------- conflicts, sessions


def test_a_queued_action_on_a_hazard_that_moved_on_is_a_conflict_to_redo_or_drop(phone, live_server, ziyang_firm):
    context, page = phone
    boss, worker = ziyang_firm
    hazard = hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "location": "车间"})
    base = live_server.url
    sign_in(page, base, boss)
    page.goto(f"{base}/hazards/{hazard.pk}/")
    cut(context)
    form = page.locator("form[data-queue=hazard_action][action$='/act/withdraw/']")
    form.locator("xpath=ancestor::details").locator("summary").click()
    form.locator("textarea, input[type=text]").first.fill("误报")
    form.locator("button[type=submit]").click()
    page.locator(".queue-notice a").wait_for()
    # meanwhile, at the office, the hazard is confirmed (its version moves on)
    hazard_act(hazard_id=hazard.pk, actor=boss, action="confirm", version=hazard.version, data={})
    restore(context)
    page.goto(f"{base}/offline/")
    item = page.locator("#offline-queue li[data-state=conflict]")
    item.wait_for(timeout=20000)
    text = item.inner_text()
    assert "未应用" in text and "已确认" in text and "确认" in text  # what changed
    hazard.refresh_from_db()
    assert hazard.status == "confirmed"  # nothing silently overwritten
    page.locator("[data-queue-redo]").click()  # redo on the hazard as it is now
    page.wait_for_function("() => !document.querySelector('#offline-queue li[data-state=pending]')", timeout=20000)
    wait_empty(page)
    hazard.refresh_from_db()
    assert hazard.status == "withdrawn"


def test_a_conflict_can_be_dropped(phone, live_server, ziyang_firm):
    context, page = phone
    boss, worker = ziyang_firm
    hazard = hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "location": "车间"})
    base = live_server.url
    sign_in(page, base, boss)
    page.goto(f"{base}/hazards/{hazard.pk}/")
    cut(context)
    form = page.locator("form[data-queue=hazard_action][action$='/act/confirm/']")
    form.locator("xpath=ancestor::details").locator("summary").click()
    form.locator("button[type=submit]").click()
    page.locator(".queue-notice a").wait_for()
    hazard_act(hazard_id=hazard.pk, actor=boss, action="withdraw", version=hazard.version, data={"reason": "重复上报"})
    restore(context)
    page.goto(f"{base}/offline/")
    page.locator("#offline-queue li[data-state=conflict]").wait_for(timeout=20000)
    page.once("dialog", lambda d: d.accept())
    page.locator("[data-queue-drop]").click()
    wait_empty(page)
    assert HazardEvent.objects.filter(hazard=hazard, action="confirm").count() == 0


def test_the_queue_survives_an_expired_session_and_is_sent_after_signing_in_again(phone, live_server, firm, tmp_path):
    context, page = phone
    base = live_server.url
    sign_in(page, base, firm)
    kept(page, firm, "/hazards/new/")
    cut(context)
    report_offline(page, base, tmp_path)
    page.locator(".queue-notice a").wait_for()
    Session.objects.all().delete()  # two hours on the dike: the session has expired
    restore(context)
    page.goto(f"{base}/hazards/new/")  # the sign-in page: nothing can be sent, nothing is lost
    page.wait_for_url("**/accounts/login/**")
    page.locator("[data-queue-login]").wait_for()
    assert not Hazard.objects.exists()
    sign_in(page, base, firm)
    wait_empty(page)
    assert Hazard.objects.count() == 1
    assert Attachment.objects.count() == 2


def test_logout_on_a_shared_phone_warns_with_the_unsent_items_and_clears_only_on_confirm(
    phone, live_server, firm, tmp_path
):
    context, page = phone
    base = live_server.url
    sign_in(page, base, firm)
    kept(page, firm, "/hazards/new/")
    cut(context)
    report_offline(page, base, tmp_path)
    page.locator(".queue-notice a").wait_for()
    restore(context)
    context.route(
        "**/hazards/new/", lambda route: route.abort() if route.request.method == "POST" else route.fallback()
    )
    page.goto(f"{base}/")
    page.locator("form[data-logout] button").click()
    dialog = page.locator("#logout-warning")
    dialog.wait_for()
    assert "罐区静电接地线断开" in dialog.inner_text() and "1" in dialog.locator("[data-count]").inner_text()
    dialog.get_by_role("button", name="取消，暂不退出").click()
    assert page.url == f"{base}/"
    assert queue_length(page) == 1  # kept
    page.locator("form[data-logout] button").click()
    dialog.get_by_role("button", name="删除这些记录并退出").click()
    page.wait_for_url("**/accounts/login/**")
    left = page.evaluate(
        """async () => {
          const names = (await caches.keys()).filter(n => n.startsWith('safeloop-user-'));
          const db = await idb.openDB('safeloop-offline', 1);
          return [names, await db.count('queue')];
        }"""
    )
    assert left == [[], 0]
    assert not Hazard.objects.exists()


def test_nothing_kept_for_one_account_is_shown_to_another_on_the_same_phone(phone, live_server, firm, reference):
    context, page = phone
    base = live_server.url
    sign_in(page, base, firm)
    kept(page, firm, "/hazards/todo/")
    other = make_user(Role.ENTERPRISE, enterprise=make_enterprise(region=ZIYANG_TOWN), display_name="另一家企业")
    Session.objects.all().delete()  # the first user's session ends without a logout
    sign_in(page, base, other)
    gone = f"safeloop-user-{firm.pk}"
    eventually(lambda: not page.evaluate("async (gone) => (await caches.keys()).includes(gone)", gone), "cache gone")
    cut(context)
    page.goto(f"{base}/hazards/todo/")
    assert firm.enterprise.name not in page.content()
