"""The leaders' daily digest: per leader, in scope, once a day, linking to the filtered ledger."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from safeloop.accounts.models import Notification, Role
from safeloop.hazards.digest import digest_for, digests_send
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.hazards.supervision import supervise
from tests.conftest import make_user

DAY = date(2026, 11, 10)  # Tuesday: the hazard below became overdue on Saturday 7th


@pytest.fixture
def overdue(general_self_found, boss):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        general_self_found.act(boss, "confirm")
        general_self_found.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline="2026-11-09")
    return general_self_found


@pytest.fixture
def escalated_yesterday(overdue):
    with time_machine.travel("2026-11-10 08:00 +0800", tick=False):  # Tuesday: one working day overdue
        supervise(today=date(2026, 11, 10))
    return overdue


def test_a_county_leader_gets_the_figures_of_their_county(escalated_yesterday, ziyang_user, heshan_user):
    digest = digest_for(ziyang_user, date(2026, 11, 11))
    assert (digest.new_overdue, digest.overdue, digest.escalated, digest.open_major) == (0, 1, 1, 0)
    assert digest_for(ziyang_user, DAY).new_overdue == 1  # deadline the 9th: new on the 10th
    assert digest_for(heshan_user, date(2026, 11, 11)).empty


def test_the_digest_counts_what_the_linked_ledger_shows(escalated_yesterday, ziyang_user):
    digest = digest_for(ziyang_user, DAY)
    assert digest.url == "/hazards/?overdue=1"
    assert digest.overdue == ledger(ziyang_user, LedgerFilters(overdue="1"), today=DAY).count()


def test_one_digest_per_leader_per_day(escalated_yesterday, city_user, ziyang_user, heshan_user, township_user):
    assert digests_send(today=DAY) == 2  # city and 资阳区; 赫山区 has nothing; a township is no leader
    assert digests_send(today=DAY) == 0
    assert set(Notification.objects.filter(kind="digest").values_list("user", flat=True)) == {
        city_user.pk,
        ziyang_user.pk,
    }
    assert digests_send(today=date(2026, 11, 11)) == 2


def test_the_digest_reads_as_a_sentence(escalated_yesterday, ziyang_user):
    digests_send(today=date(2026, 11, 11))
    notification = Notification.objects.get(kind="digest", user=ziyang_user)
    assert notification.title == (
        "每日隐患简报（11月11日）：新增逾期0条（逾期共1条），昨日升级督办1条，在办重大隐患0条"
    )
    assert notification.url == "/hazards/?overdue=1"


def test_open_major_hazards_link_to_the_major_problem_list(major_regulator_found, city_user):
    digest = digest_for(city_user, DAY)
    assert (digest.overdue, digest.open_major) == (0, 1)
    assert digest.url == "/hazards/?level=major&list=problems"


def test_inactive_leaders_get_nothing(escalated_yesterday, ziyang_user):
    ziyang_user.is_active = False
    ziyang_user.save()
    assert digests_send(today=DAY) == 0


def test_the_command_sends_for_a_given_day(escalated_yesterday, ziyang_user):
    out = StringIO()
    call_command("notify_digest", "--today", "2026-11-10", stdout=out)
    assert "已发送每日简报 1 条" in out.getvalue()
    assert Notification.objects.get(kind="digest").key == "digest:2026-11-10"


def test_the_digest_is_a_registered_daily_task(reference):
    from safeloop.core.schedule import daily_tasks
    from safeloop.hazards.tasks import notify_digest

    assert notify_digest in daily_tasks()
    make_user(Role.CITY, region_id="430900")
    assert notify_digest.call()["sent"] == 0  # nothing open: nothing to read, nothing sent
