"""挂牌督办 by hand at a government level, its 摘牌 (by decision or on 销号), and 催办."""

from datetime import date

import pytest
import time_machine

from safeloop.accounts.models import Notification, Role
from safeloop.core.errors import Conflict, Forbidden, ValidationFailed
from safeloop.hazards.events import verify_all
from safeloop.hazards.models import Escalation, Listing
from safeloop.hazards.selectors import todo
from safeloop.hazards.supervision import supervise
from safeloop.hazards.workflow import available_actions
from safeloop.registry.models import Department
from tests.conftest import make_user
from tests.hazards.conftest import PLAN

TODAY = "2026-11-02 09:00 +0800"  # a Monday


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def major(major_regulator_found, ziyang_user, boss, expert):
    loop = major_regulator_found
    loop.confirm_major(ziyang_user, expert, boss)
    loop.act(ziyang_user, "assign", responsible_unit="储罐区", responsible_person="李明", deadline="2026-12-31")
    return loop


def offered(user, loop) -> set[str]:
    loop.hazard.refresh_from_db()
    return {t.action for t in available_actions(user, loop.hazard)}


def test_a_county_lists_a_major_hazard_at_county_level(major, ziyang_user):
    major.act(ziyang_user, "list", requirement="每周报告进展")
    listing = Listing.objects.get()
    assert (listing.level, listing.body, listing.region_id) == ("county", "资阳区安全生产委员会", "430902")
    assert (listing.listed_on, listing.deadline) == (date(2026, 11, 2), date(2026, 12, 31))
    assert listing.publish_by == date(2026, 11, 9)  # within 5 working days (Qingdao)
    event = major.hazard.events.get(action="list")
    assert (listing.listed_seq, event.payload["level_name"], event.payload["body"]) == (event.seq, "县级", listing.body)
    assert list(verify_all()) == []


def test_a_city_lists_at_city_level_with_its_own_deadline(major, city_user):
    major.act(city_user, "list", deadline="2026-12-15")
    assert Listing.objects.values_list("level", "body", "deadline").get() == (
        "city",
        "益阳市安全生产委员会",
        date(2026, 12, 15),
    )


def test_a_province_level_needs_an_account_of_the_province(major, ziyang_enterprise):
    province = make_user(Role.CITY, region_id="430000")
    major.act(province, "list")
    assert Listing.objects.values_list("level", "body").get() == ("province", "湖南省安全生产委员会")


def test_departments_and_townships_do_not_list(major, township_user):
    department = make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430902", kind="emergency"))
    for user in (department, township_user):
        assert "list" not in offered(user, major)
        with pytest.raises(Forbidden):
            major.act(user, "list")


def test_only_major_hazards_are_listed(general_self_found, boss, ziyang_user):
    general_self_found.act(boss, "confirm")
    assert "list" not in offered(ziyang_user, general_self_found)
    with pytest.raises(Conflict) as refused:
        general_self_found.act(ziyang_user, "list", deadline="2026-12-01")
    assert refused.value.message == "只有重大隐患可以挂牌督办"


def test_a_hazard_is_listed_once_at_a_time_and_a_confirmed_one_needs_a_deadline(
    major_regulator_found, ziyang_user, boss, expert
):
    loop = major_regulator_found
    loop.confirm_major(ziyang_user, expert, boss)
    with pytest.raises(ValidationFailed) as refused:
        loop.act(ziyang_user, "list")
    assert refused.value.fields == {"deadline": "该隐患尚未交办、没有整改期限，请填写督办整改期限"}
    loop.act(ziyang_user, "list", deadline="2026-12-31")
    with pytest.raises(Conflict):
        loop.act(ziyang_user, "list", deadline="2026-12-31")


def test_the_listing_body_or_a_body_above_it_delists(major, ziyang_user, city_user):
    major.act(city_user, "list")
    assert "delist" not in offered(ziyang_user, major)
    with pytest.raises(Forbidden) as refused:
        major.act(ziyang_user, "delist", reason="已整改")
    assert refused.value.message == "挂牌督办的隐患由挂牌督办单位或其上级摘牌、销号"
    major.act(city_user, "delist", reason="经研究决定摘牌")
    listing = Listing.objects.get()
    assert (listing.delisted_on, listing.delist_reason) == (date(2026, 11, 2), "经研究决定摘牌")
    assert listing.delist_publish_by == date(2026, 11, 9)
    major.act(ziyang_user, "list")  # a county may list it again at its level
    assert "delist" in offered(city_user, major)  # the city is above the county


def test_closing_a_listed_hazard_delists_it_and_only_its_body_closes(
    major, ziyang_user, city_user, boss, worker, expert
):
    major.act(city_user, "list")
    major.act(boss, "submit_plan", **PLAN)
    major.act(worker, "start")
    major.act(worker, "submit_rectification", note="已安装", attachments=[major.upload(worker)])
    major.act(expert, "sign", stage="acceptance")
    major.act(boss, "sign", stage="acceptance")
    major.act(ziyang_user, "accept", opinion="合格")
    assert "close" not in offered(ziyang_user, major)
    with pytest.raises(Forbidden):
        major.act(ziyang_user, "close")
    assert major.hazard not in todo(ziyang_user) and major.hazard in todo(city_user)  # the 销号 waits for the city
    major.act(city_user, "close")
    listing, close = Listing.objects.get(), major.hazard.events.get(action="close")
    assert (listing.delisted_on, listing.delisted_seq, close.payload["delisted"]) == (
        date(2026, 11, 2),
        close.seq,
        "益阳市安全生产委员会",
    )
    assert list(verify_all()) == []


def test_withdrawing_a_listed_hazard_delists_it(major_regulator_found, ziyang_user, boss, expert):
    loop = major_regulator_found
    loop.confirm_major(ziyang_user, expert, boss)
    loop.act(ziyang_user, "list", deadline="2026-12-31")
    loop.act(ziyang_user, "withdraw", reason="重复上报")
    assert Listing.objects.get().delisted_on == date(2026, 11, 2)


def test_settings_choose_the_levels_and_the_publication_period(settings, major, ziyang_user, city_user):
    settings.SAFELOOP_LISTING_LEVELS = ["city", "province"]
    settings.SAFELOOP_LISTING_PUBLISH_WORKDAYS = 3
    assert "list" not in offered(ziyang_user, major)
    major.act(city_user, "list")
    assert Listing.objects.get().publish_by == date(2026, 11, 5)


def test_listing_tells_the_enterprise_and_the_county(
    django_capture_on_commit_callbacks, major, city_user, ziyang_user, boss
):
    with django_capture_on_commit_callbacks(execute=True):
        major.act(city_user, "list")
    told = set(Notification.objects.filter(kind="list").values_list("user__username", flat=True))
    assert {boss.username, ziyang_user.username} <= told and city_user.username not in told


def test_the_daily_pass_does_not_list_again_what_a_body_listed_by_hand(major, ziyang_user, boss):
    major.act(ziyang_user, "list")
    supervise(today=date(2027, 1, 11))  # 6 working days overdue
    major.hazard.refresh_from_db()
    assert major.hazard.escalation == Escalation.SUPERVISED
    assert major.hazard.events.filter(action="escalate").count() == 1


# ---------------------------------------------------------------- 催办


def test_a_regulator_urges_and_the_enterprise_sees_the_mark(
    django_capture_on_commit_callbacks, login, major, township_user, boss, worker
):
    with django_capture_on_commit_callbacks(execute=True):
        major.act(township_user, "urge", note="请本周内完成方案")
    event = major.hazard.events.get(action="urge")
    assert event.payload == {"note": "请本周内完成方案"} and major.hazard.urged_at is not None
    told = set(Notification.objects.filter(kind="urge").values_list("user__username", flat=True))
    assert {boss.username, worker.username} <= told and township_user.username not in told
    page = login(worker).get(f"/hazards/{major.hazard.pk}/").content.decode()
    assert "已催办" in page and "请本周内完成方案" in page


def test_the_enterprise_does_not_urge_itself_and_a_note_is_required(major, boss, ziyang_user):
    assert "urge" not in offered(boss, major)
    with pytest.raises(Forbidden):
        major.act(boss, "urge", note="自己催自己")
    with pytest.raises(ValidationFailed) as refused:
        major.act(ziyang_user, "urge")
    assert refused.value.fields == {"note": "催办意见为必填项"}
