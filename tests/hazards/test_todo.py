"""The to-do list: who is expected to act (hazards.todo), grouped by step, most urgent first, with
working days left; the page's filters, paging and query count; the API's `todo=1`."""

from __future__ import annotations

from datetime import date
from functools import reduce
from operator import or_

import pytest
import time_machine
from django.urls import reverse

from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, ledger, todo
from safeloop.hazards.services import hazard_report
from safeloop.hazards.supervision import supervise
from safeloop.hazards.todo import STEPS, step_of, todo_of
from tests.conftest import PASSWORD, ZIYANG_TOWN, make_enterprise
from tests.hazards.conftest import Loop

MONDAY = "2026-11-02 09:00 +0800"  # November 2026 has no holidays: working days are Mon–Fri
NOV_2 = date(2026, 11, 2)


def found(actor, enterprise, description="通道堵塞", **data) -> Loop:
    data = {"enterprise": enterprise.pk, "source": "regulator", "description": description} | data
    return Loop(hazard_report(actor=actor, data=data))


def assigned(actor, enterprise, deadline: str, description="通道堵塞") -> Loop:
    loop = found(actor, enterprise, description)
    loop.act(actor, "confirm")
    loop.act(actor, "assign", responsible_unit="企业", responsible_person="张", deadline=deadline)
    return loop


def waiting(user, today=NOV_2) -> dict[str, str]:
    """Each hazard on the user's to-do, by description, with the step it is listed under."""
    return {h.description: step_of(h.awaiting).action for h in todo(user, today)}


@pytest.fixture
def no_account(reference):
    """An enterprise nobody can sign in for: its regulator records its steps."""
    return make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="无账号化工有限公司")


@pytest.fixture
def haulier(reference):
    return make_enterprise(region=ZIYANG_TOWN, category="road_transport", name="资阳货运有限公司")


# ---------------------------------------------------------------- who is expected


@time_machine.travel(MONDAY, tick=False)
def test_the_steps_are_the_tables_rows_with_a_to_do():
    from safeloop.hazards.workflow import TRANSITIONS

    assert [step.action for step in STEPS] == [t.action for t in TRANSITIONS if t.todo]
    assert {str(s.label) for s in STEPS} >= {"待确认", "待交办", "待提交方案", "待开始整改", "待验收", "待签字"}


@time_machine.travel(MONDAY, tick=False)
def test_the_city_does_not_get_county_work_until_it_is_escalated_to_it(city_user, ziyang_user, no_account):
    mine = found(city_user, no_account, "市级检查发现")  # the city's finding is the 属地's work
    found(ziyang_user, no_account, "县级检查发现")
    late = assigned(ziyang_user, no_account, "2026-11-06", "逾期十个工作日")
    assigned(ziyang_user, no_account, "2026-11-13", "逾期五个工作日")
    assert waiting(city_user) == {}
    assert set(waiting(ziyang_user)) == {"市级检查发现", "县级检查发现", "逾期十个工作日", "逾期五个工作日"}
    supervise(today=date(2026, 11, 20))  # 10 working days late: 约谈; 5 working days: 督办
    late.hazard.refresh_from_db()
    assert late.hazard.escalation == 3
    assert waiting(city_user, date(2026, 11, 20)) == {"逾期十个工作日": "start"}
    assert "逾期十个工作日" in waiting(ziyang_user, date(2026, 11, 20))  # the owner keeps it
    assert mine.hazard in ledger(city_user, LedgerFilters())  # the ledger still shows the city everything


@time_machine.travel(MONDAY, tick=False)
def test_the_level_that_takes_a_hazard_to_the_city_is_a_setting(settings, city_user, ziyang_user, no_account):
    assigned(ziyang_user, no_account, "2026-11-13", "逾期五个工作日")
    supervise(today=date(2026, 11, 20))
    assert waiting(city_user, date(2026, 11, 20)) == {}
    settings.SAFELOOP_TODO_CITY_ESCALATION = 1  # 督办
    assert waiting(city_user, date(2026, 11, 20)) == {"逾期五个工作日": "start"}


def test_the_city_is_told_whose_work_its_list_holds(login, city_user, ziyang_user):
    assert "市级待办只列升级至“挂牌督办”及以上的隐患" in login(city_user).get(reverse("hazards:todo")).content.decode()
    assert "市级待办" not in login(ziyang_user).get(reverse("hazards:todo")).content.decode()


@time_machine.travel(MONDAY, tick=False)
def test_a_department_follows_what_it_took_up_and_the_county_what_it_did(transport_user, ziyang_user, haulier):
    found(transport_user, haulier, "交通部门检查发现")
    found(ziyang_user, haulier, "县级检查发现")
    handed = found(ziyang_user, haulier, "县级发现、交通部门交办")
    assert waiting(transport_user) == {"交通部门检查发现": "confirm"}
    assert waiting(ziyang_user) == {"县级检查发现": "confirm", "县级发现、交通部门交办": "confirm"}
    handed.act(ziyang_user, "confirm")
    handed.act(transport_user, "assign", responsible_unit="企业", responsible_person="张", deadline="2026-11-20")
    assert waiting(transport_user) == {"交通部门检查发现": "confirm", "县级发现、交通部门交办": "start"}
    assert waiting(ziyang_user) == {"县级检查发现": "confirm"}
    assert ledger(ziyang_user, LedgerFilters()).count() == 3  # all remain in the county's ledger


@time_machine.travel(MONDAY, tick=False)
def test_the_enterprises_own_steps_wait_for_the_enterprise(ziyang_user, boss, general_self_found, no_account):
    own = assigned(ziyang_user, boss.enterprise, "2026-11-20", "有账号企业待整改")
    assigned(ziyang_user, no_account, "2026-11-20", "无账号企业待整改")
    assert waiting(ziyang_user) == {"无账号企业待整改": "start"}  # recorded on the account-less firm's behalf
    assert waiting(boss) == {"配电箱未接地": "confirm", "有账号企业待整改": "start"}
    assert own.hazard not in todo(ziyang_user, NOV_2)


@time_machine.travel(MONDAY, tick=False)
def test_closing_and_looking_back_wait_for_the_county_not_the_township_nor_the_city(
    ziyang_user, township_user, city_user, boss, worker
):
    loop = assigned(ziyang_user, boss.enterprise, "2026-11-20", "监管发现的一般隐患")
    loop.act(worker, "start")
    loop.act(worker, "submit_rectification", note="已整改", attachments=[loop.upload(worker)])
    assert waiting(township_user) == waiting(ziyang_user) == {"监管发现的一般隐患": "accept"}
    loop.act(township_user, "accept", opinion="整改到位")
    assert (waiting(ziyang_user), waiting(township_user), waiting(city_user)) == (
        {"监管发现的一般隐患": "close"},
        {},
        {},
    )
    loop.act(ziyang_user, "close")
    assert waiting(ziyang_user, date(2026, 12, 31)) == {"监管发现的一般隐患": "look_back"}
    assert waiting(city_user, date(2026, 12, 31)) == waiting(township_user, date(2026, 12, 31)) == {}


# ---------------------------------------------------------------- groups, order, days left


@time_machine.travel(MONDAY, tick=False)
def test_a_hazard_awaiting_several_steps_is_listed_once_under_the_first(ziyang_user, expert, boss):
    loop = found(ziyang_user, boss.enterprise, "重大隐患", level="major", clause="化工121-12")
    assert waiting(expert) == waiting(boss) == {"重大隐患": "sign"}
    assert waiting(ziyang_user) == {"重大隐患": "confirm"}  # it may confirm once both have signed
    loop.act(expert, "sign", stage="confirmation")
    loop.act(boss, "sign", stage="confirmation")
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="企业", responsible_person="张", deadline="2026-12-31")
    # the boss may both submit the plan and start (which then refuses without a plan): one row
    assert [step_of(h.awaiting).action for h in todo(boss, NOV_2)] == ["submit_plan"]


@time_machine.travel(MONDAY, tick=False)
def test_the_page_groups_by_step_with_the_count_of_each(login, ziyang_user, no_account):
    found(ziyang_user, no_account, "待确认一")
    found(ziyang_user, no_account, "待确认二")
    confirmed = found(ziyang_user, no_account, "待交办一")
    confirmed.act(ziyang_user, "confirm")
    assigned(ziyang_user, no_account, "2026-11-20", "待开始一")
    page = login(ziyang_user).get(reverse("hazards:todo"))
    shown = [
        (str(step.label), total, [row.hazard.description for row in rows])
        for step, total, rows in page.context["sections"]
    ]
    assert shown == [
        ("待确认", 2, ["待确认一", "待确认二"]),
        ("待交办", 1, ["待交办一"]),
        ("待开始整改", 1, ["待开始一"]),
    ]
    html = page.content.decode()
    assert "待确认 <b>2</b>" in html and "待交办 <b>1</b>" in html and "共 <strong>4</strong> 项" in html


@time_machine.travel(MONDAY, tick=False)
def test_the_most_urgent_come_first_with_working_days_left_or_overdue(login, ziyang_user, no_account):
    assigned(ziyang_user, no_account, "2026-11-20", "两周后")
    assigned(ziyang_user, no_account, "2026-11-04", "后天")
    with time_machine.travel("2026-10-19 09:00 +0800", tick=False):
        assigned(ziyang_user, no_account, "2026-10-23", "早已逾期")
    assigned(ziyang_user, no_account, "2026-11-02", "今天")
    page = login(ziyang_user).get(reverse("hazards:todo"))
    ((step, total, rows),) = page.context["sections"]
    assert [(r.hazard.description, r.left, r.overdue) for r in rows] == [
        ("早已逾期", None, 6),  # 23 Oct (Fri) → 2 Nov (Mon): 26–30 Oct and 2 Nov
        ("今天", 0, None),
        ("后天", 2, None),
        ("两周后", 14, None),
    ]
    html = page.content.decode()
    assert "逾期6个工作日" in html and "今天到期" in html and "剩2个工作日" in html and "剩14个工作日" in html


@time_machine.travel(MONDAY, tick=False)
def test_one_step_at_a_time_and_the_filters_keep_each_other(login, ziyang_user, no_account, heshan_enterprise):
    found(ziyang_user, no_account, "一般待确认")
    found(ziyang_user, no_account, "重大待确认", level="major", clause="化工121-12")
    assigned(ziyang_user, no_account, "2026-11-20", "一般待开始")
    client = login(ziyang_user)
    page = client.get(reverse("hazards:todo"), {"awaiting": "confirm", "level": "general", "region": ZIYANG_TOWN})
    assert [h.description for h in page.context["page"].object_list] == ["一般待确认"]
    counts = {step.action: n for step, n in page.context["counts"]}
    assert counts == {"confirm": 1, "start": 1}  # the counts keep the level and the region, not the step
    html = page.content.decode().replace("&amp;", "&")
    assert f'href="?level=general&region={ZIYANG_TOWN}&awaiting=start"' in html
    assert f'href="?level=general&region={ZIYANG_TOWN}"' in html  # 全部
    assert 'name="awaiting" value="confirm"' in html


@time_machine.travel(MONDAY, tick=False)
def test_paging_keeps_the_filters_and_shows_the_page_count(login, ziyang_user, no_account, monkeypatch):
    monkeypatch.setattr("safeloop.hazards.views.PAGE_SIZE", 2)
    for i in range(3):
        found(ziyang_user, no_account, f"待确认{i}")
    client = login(ziyang_user)
    first = client.get(reverse("hazards:todo"), {"level": "general", "awaiting": "confirm"})
    html = first.content.decode().replace("&amp;", "&")
    assert "第 1 / 2 页" in html and 'href="?level=general&awaiting=confirm&page=2"' in html
    second = client.get(reverse("hazards:todo"), {"level": "general", "awaiting": "confirm", "page": "2"})
    html = second.content.decode().replace("&amp;", "&")
    assert [h.description for h in second.context["page"].object_list] == ["待确认2"]
    assert "上一页" in html and 'href="?level=general&awaiting=confirm&page=1"' in html


@time_machine.travel(MONDAY, tick=False)
def test_the_to_do_page_answers_in_a_fixed_number_of_queries(
    login, ziyang_user, no_account, django_assert_max_num_queries
):
    for i in range(12):
        assigned(ziyang_user, no_account, f"2026-11-{10 + i}", f"待开始{i}")
        found(ziyang_user, no_account, f"待确认{i}")
    client = login(ziyang_user)
    # session, user, counts by step (they give the total too), page, calendar, the top bar's
    # region, bell; the first request of the scope reads its pickers too (regions, departments,
    # categories), the next ones have them from the cache (registry.pickers)
    with django_assert_max_num_queries(7 + 3):
        page = client.get(reverse("hazards:todo"))
    assert page.context["page"].paginator.count == 24
    with django_assert_max_num_queries(7):
        again = client.get(reverse("hazards:todo"), {"page": "1"})
    assert [r.hazard.pk for _, _, rows in again.context["sections"] for r in rows] == [
        r.hazard.pk for _, _, rows in page.context["sections"] for r in rows
    ]


@time_machine.travel(MONDAY, tick=False)
def test_an_htmx_request_gets_the_results_only(login, ziyang_user, no_account):
    found(ziyang_user, no_account, "待确认")
    body = login(ziyang_user).get(reverse("hazards:todo"), HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="results">') and "<html" not in body


# ---------------------------------------------------------------- the API


@time_machine.travel(MONDAY, tick=False)
def test_the_api_lists_the_to_do_with_the_step_each_waits_for(client, ziyang_user, no_account):
    found(ziyang_user, no_account, "待确认")
    assigned(ziyang_user, no_account, "2026-11-20", "待开始")
    found(ziyang_user, no_account, "已撤销").act(ziyang_user, "withdraw", reason="重复")
    token = client.post(
        "/api/v1/auth/token", {"username": ziyang_user.username, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/hazards", {"todo": "1"}, headers=headers).json()
    assert body["count"] == 2
    assert [(r["description"], r["awaiting"]) for r in body["results"]] == [("待确认", "confirm"), ("待开始", "start")]
    one = client.get("/api/v1/hazards", {"todo": "1", "awaiting": "start"}, headers=headers).json()
    assert [r["description"] for r in one["results"]] == ["待开始"]
    plain = client.get("/api/v1/hazards", headers=headers).json()
    assert plain["count"] == 3 and {r["awaiting"] for r in plain["results"]} == {None}


@time_machine.travel(MONDAY, tick=False)
@pytest.mark.parametrize("who", ["ziyang_user", "township_user", "transport_user", "city_user", "expert"])
def test_the_owner_is_asked_once_and_each_hazard_keeps_its_first_step(request, who, ziyang_user, no_account, boss):
    """`Todo` states the owner's term once; the list it gives is the one of its steps read one by
    one (a hazard under the first step whose `owner & owned | anyway` it meets)."""
    user = request.getfixturevalue(who)
    found(ziyang_user, no_account, "待确认")
    assigned(ziyang_user, no_account, "2026-11-20", "待开始")
    found(ziyang_user, boss.enterprise, "重大隐患", level="major", clause="化工121-12")
    plan = todo_of(user, NOV_2)
    expected: dict[int, int] = {}
    for step in plan.steps:
        mine = step.owned & plan.owner if step.owned is not None and plan.owner is not None else None
        q = reduce(or_, [part for part in (mine, step.anyway) if part is not None])
        for pk in Hazard.objects.filter(q).values_list("pk", flat=True):
            expected.setdefault(pk, step.rank)
    listed = todo(user, NOV_2)
    assert {h.pk: h.awaiting for h in listed} == expected
    assert str(listed.query).count("hazards_hazardevent") <= 2  # the WHERE's and the CASE's
