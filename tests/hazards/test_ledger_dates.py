"""The ledger's filters the workbench's charts drill down with: 销号 and deadline date ranges,
曾逾期 (a deadline missed, rectified later or not yet), and the 排查 / 整改期内 lists."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from safeloop.hazards.ledger_io import ledger_words
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.hazards.services import hazard_report
from tests.hazards.conftest import Loop

MONDAY = "2026-11-02 09:00 +0800"  # 5 working days later: Monday 9 November


def self_found(boss, worker, description: str, *, done_on: str | None) -> Loop:
    """A general hazard the enterprise found, due 2026-11-09, rectified (and closed) on `done_on`."""
    with time_machine.travel(MONDAY, tick=False):
        loop = Loop(hazard_report(actor=boss, data={"source": "self_check", "description": description}))
        loop.act(boss, "confirm")
        loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline_days=5)
        loop.act(worker, "start")
    if done_on:
        with time_machine.travel(f"{done_on} 10:00 +0800", tick=False):
            loop.act(worker, "submit_rectification", note="已整改", attachments=[loop.upload(worker)])
            loop.act(boss, "accept", opinion="合格")
            loop.act(boss, "close")
    return loop


@pytest.fixture
def three(boss, worker):
    return {
        "in_time": self_found(boss, worker, "按期整改", done_on="2026-11-06"),
        "late": self_found(boss, worker, "逾期后整改", done_on="2026-11-20"),
        "open": self_found(boss, worker, "仍未整改", done_on=None),
    }


def listed(user, today: date, **params) -> set[str]:
    return set(ledger(user, LedgerFilters.from_params(params), today).values_list("description", flat=True))


def test_late_is_a_missed_deadline_rectified_later_or_not_yet(three, boss):
    today = date(2026, 12, 1)
    assert listed(boss, today, overdue="late") == {"逾期后整改", "仍未整改"}
    assert listed(boss, today, overdue="1") == {"仍未整改"}
    assert listed(boss, date(2026, 11, 9), overdue="late") == set()  # due today: not late yet


def test_closed_and_deadline_ranges(three, boss):
    today = date(2026, 12, 1)
    assert listed(boss, today, closed_from="2026-11-01", closed_to="2026-11-10") == {"按期整改"}
    assert listed(boss, today, closed_from="2026-11-11") == {"逾期后整改"}
    assert listed(boss, today, deadline_from="2026-11-09", deadline_to="2026-11-09") == {
        "按期整改",
        "逾期后整改",
        "仍未整改",
    }
    assert listed(boss, today, deadline_to="2026-11-08") == set()


def test_the_found_and_rectifying_lists(three, boss):
    today = date(2026, 12, 1)
    assert listed(boss, today, list="found") == {"按期整改", "逾期后整改", "仍未整改"}
    assert listed(boss, today, list="rectifying") == {"仍未整改"}


def test_the_page_names_a_list_without_a_tab_and_the_export_title_says_the_filters(three, boss, login):
    page = login(boss).get(reverse("hazards:ledger"), {"list": "rectifying", "deadline_from": "2026-11-01"})
    assert page.context["page"].paginator.count == 1
    assert "整改期内（已交办、整改中）" in page.content.decode()
    words = ledger_words(boss, LedgerFilters(list="found", overdue="late", closed_from="2026-11-01"))
    assert words == ["排查隐患（不含已撤销）", "曾逾期", "销号日期 2026-11-01 起"]
