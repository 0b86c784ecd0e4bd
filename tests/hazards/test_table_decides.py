"""The table decides alone: in every state, for every party, the actions offered (the page's
buttons, the API's `actions`) are exactly those the entry point lets through to the action's
own requirements — an offered action is never refused with 403 or 409, and an action that is
not offered is always refused by the table (403 or 409), never accepted and never a 400."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safeloop.accounts.models import Role
from safeloop.core.errors import Forbidden, ServiceError
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import hazard_get, todo
from safeloop.hazards.services import hazard_report
from safeloop.hazards.todo import step_of
from safeloop.hazards.workflow import TRANSITIONS, available_actions, hazard_act
from safeloop.registry.models import Department
from tests.conftest import make_user
from tests.hazards.conftest import PLAN, Loop

TODAY = "2026-11-02 09:00 +0800"
LATER = "2027-03-01 09:00 +0800"  # after every look-back is due


class Undo(Exception):
    pass


def outcome(user, hazard: Hazard, action: str) -> str:
    """What the entry point answers to this action with no fields; nothing is kept."""
    try:
        with transaction.atomic():
            hazard_act(hazard_id=hazard.pk, actor=user, action=action, version=hazard.version, data={})
            raise Undo
    except Undo:
        return "done"
    except ServiceError as exc:
        return str(exc.status)


def assert_table_decides_alone(hazard: Hazard, users: dict) -> None:
    """Actions from other states are a wrong state before anything else (tested elsewhere), so
    each party tries every action that leaves this state."""
    hazard.refresh_from_db()
    here = [t for t in TRANSITIONS if hazard.status in t.sources]
    for name, user in users.items():
        offered = {t.action for t in available_actions(user, hazard)}
        assert offered <= {t.action for t in here}
        for t in here:
            answer = outcome(user, hazard, t.action)
            where = f"{name} {t.action} on {hazard.status}"
            if t.action in offered:
                assert answer in ("done", "400"), f"offered but refused: {where} → {answer}"
            else:
                assert answer in ("403", "409"), f"not offered but let through: {where} → {answer}"


@pytest.fixture
def parties(boss, worker, expert, township_user, ziyang_user, city_user, sysadmin_user):
    department = make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430902", kind="emergency"))
    return {
        "enterprise principal": boss,
        "enterprise fixer": worker,
        "expert": expert,
        "township": township_user,
        "county": ziyang_user,
        "city": city_user,
        "department": department,
        "sysadmin": sysadmin_user,
    }


def test_every_party_sees_the_hazard(parties, general_self_found):
    for user in parties.values():
        assert hazard_get(user, general_self_found.hazard.pk)


def test_the_table_decides_alone_through_a_self_managed_loop(parties, boss, worker):
    with time_machine.travel(TODAY, tick=False):
        loop = Loop(hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地"}))
        steps = [
            (boss, "confirm", {}),
            (boss, "assign", {"responsible_unit": "车间", "responsible_person": "王", "deadline_days": 5}),
            (worker, "start", {}),
            (worker, "request_extension", {"deadline": "2026-12-31", "reason": "等配件"}),
            (boss, "decide_extension", {"approve": "false", "reason": "期限足够"}),
            (worker, "submit_rectification", {"note": "已接地", "attachments": "upload"}),
            (boss, "accept", {"opinion": "合格"}),
            (boss, "close", {}),
        ]
        walk(loop, steps, parties)
    with time_machine.travel(LATER, tick=False):
        assert_table_decides_alone(loop.hazard, parties)
        loop.act(boss, "look_back", result="holds", note="未复发")
        assert_table_decides_alone(loop.hazard, parties)


def test_the_table_decides_alone_through_a_major_regulator_finding(
    parties, major_regulator_found, ziyang_user, boss, worker, expert
):
    steps = [
        (expert, "sign", {"stage": "confirmation"}),
        (boss, "sign", {"stage": "confirmation"}),
        (ziyang_user, "confirm", {}),
        (ziyang_user, "assign", {"responsible_unit": "罐区", "responsible_person": "李", "deadline": "2026-11-30"}),
        (boss, "submit_plan", PLAN),
        (worker, "start", {}),
        (worker, "request_extension", {"deadline": "2026-12-31", "reason": "设备到货延迟"}),
        (ziyang_user, "decide_extension", {"approve": "true"}),
        (worker, "submit_rectification", {"note": "已安装", "attachments": "upload"}),
        (expert, "sign", {"stage": "acceptance"}),
        (ziyang_user, "reject", {"reason": "未联锁"}),
        (worker, "submit_rectification", {"note": "已联锁", "attachments": "upload"}),
        (expert, "sign", {"stage": "acceptance"}),
        (boss, "sign", {"stage": "acceptance"}),
        (ziyang_user, "accept", {"opinion": "合格"}),
        (ziyang_user, "close", {}),
    ]
    with time_machine.travel(TODAY, tick=False):
        walk(major_regulator_found, steps, parties)
    with time_machine.travel(LATER, tick=False):
        assert_table_decides_alone(major_regulator_found.hazard, parties)
        major_regulator_found.act(ziyang_user, "reopen", reason="复查发现问题", deadline_days=10)
        assert_table_decides_alone(major_regulator_found.hazard, parties)


def test_the_table_decides_alone_on_a_general_regulator_finding(parties, ziyang_user, ziyang_enterprise):
    with time_machine.travel(TODAY, tick=False):
        data = {"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堵塞"}
        loop = Loop(hazard_report(actor=ziyang_user, data=data))
        assert_table_decides_alone(loop.hazard, parties)
        loop.act(ziyang_user, "withdraw", reason="重复上报")
        assert_table_decides_alone(loop.hazard, parties)


def test_the_table_decides_alone_on_a_listed_and_urged_major_hazard(
    parties, major_regulator_found, ziyang_user, city_user, boss, expert
):
    steps = [
        (expert, "sign", {"stage": "confirmation"}),
        (boss, "sign", {"stage": "confirmation"}),
        (ziyang_user, "confirm", {}),
        (city_user, "list", {"deadline": "2026-12-31"}),
        (ziyang_user, "assign", {"responsible_unit": "罐区", "responsible_person": "李", "deadline": "2026-11-30"}),
        (ziyang_user, "urge", {"note": "请抓紧制定方案"}),
        (city_user, "delist", {"reason": "经研究决定摘牌"}),
        (ziyang_user, "list", {}),
    ]
    with time_machine.travel(TODAY, tick=False):
        walk(major_regulator_found, steps, parties)


def test_the_table_decides_alone_after_an_on_the_spot_record(parties, ziyang_user, township_user, ziyang_enterprise):
    from safeloop.hazards.on_spot import hazard_fix_on_spot
    from tests.hazards.conftest import photo

    record = {"description": "灭火器被遮挡", "before": [photo()], "after": [photo()], "fixer": "保安张三"}
    with time_machine.travel(TODAY, tick=False):
        for recorder in (ziyang_user, township_user):  # closed by the county; accepted for the county to close
            hazard = hazard_fix_on_spot(actor=recorder, data=record | {"enterprise": ziyang_enterprise.pk})
            assert_table_decides_alone(hazard, parties)


def walk(loop: Loop, steps: list, parties: dict) -> None:
    """Check the whole table in the state before each step, and after the last."""
    for actor, action, data in steps:
        assert_table_decides_alone(loop.hazard, parties)
        if data.get("attachments") == "upload":
            data = {**data, "attachments": [loop.upload(actor)]}
        loop.act(actor, action, **data)
    assert_table_decides_alone(loop.hazard, parties)


# ---------------------------------------------------------------- the two rules that used to be hand-written 403s


def offered(user, hazard: Hazard) -> set[str]:
    return {t.action for t in available_actions(user, hazard)}


def rectifying(loop: Loop, assigner, worker) -> Loop:
    loop.act(assigner, "confirm")
    loop.act(assigner, "assign", responsible_unit="车间", responsible_person="王", deadline="2026-11-30")
    loop.act(worker, "start")
    return loop


def submitted(loop: Loop, boss, worker) -> Loop:
    rectifying(loop, boss, worker).act(worker, "submit_rectification", note="done", attachments=[loop.upload(worker)])
    return loop


@time_machine.travel(TODAY, tick=False)
def test_the_fixer_is_not_offered_acceptance_and_is_refused_it(general_self_found, boss, worker):
    loop = submitted(general_self_found, boss, worker)
    assert {"accept", "reject"} & offered(worker, loop.hazard) == set()
    assert {"accept", "reject"} <= offered(boss, loop.hazard)
    for action in ("accept", "reject"):
        with pytest.raises(Forbidden) as exc:
            loop.act(worker, action, opinion="自己验收", reason="自己退回")
        assert exc.value.message == "验收须由整改人以外的人员进行"


@time_machine.travel(TODAY, tick=False)
def test_only_the_assigning_regulator_decides_an_extension(general_self_found, ziyang_user, boss, worker):
    """A self-found hazard the enterprise could run itself, but the county assigned it."""
    loop = rectifying(general_self_found, ziyang_user, worker)
    loop.act(worker, "request_extension", deadline="2026-12-31", reason="等配件")
    assert "decide_extension" not in offered(boss, loop.hazard)
    assert "decide_extension" in offered(ziyang_user, loop.hazard)
    with pytest.raises(Forbidden) as exc:
        loop.act(boss, "decide_extension", approve="true")
    assert exc.value.message == "延期申请由交办部门审批"


@time_machine.travel(TODAY, tick=False)
def test_the_enterprise_decides_an_extension_it_assigned_itself(general_self_found, boss, worker):
    loop = rectifying(general_self_found, boss, worker)
    loop.act(worker, "request_extension", deadline="2026-12-31", reason="等配件")
    assert "decide_extension" in offered(boss, loop.hazard)
    assert loop.act(boss, "decide_extension", approve="是").deadline.isoformat() == "2026-12-31"


@time_machine.travel(TODAY, tick=False)
def test_a_party_that_has_signed_is_not_offered_to_sign_again(major_regulator_found, expert, boss):
    loop = major_regulator_found
    loop.act(expert, "sign", stage="confirmation")
    assert "sign" not in offered(expert, loop.hazard)
    assert "sign" in offered(boss, loop.hazard)


# ---------------------------------------------------------------- what an action saves


@time_machine.travel(TODAY, tick=False)
def test_an_action_saves_only_the_fields_it_changed(general_self_found, boss):
    loop = general_self_found
    loop.act(boss, "confirm")
    with CaptureQueriesContext(connection) as queries:
        loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline_days=3)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "hazards_hazard" SET')]
    saved = next(sql for sql in updates if '"status"' in sql)
    assert '"description"' not in saved and '"found_on"' not in saved
    assert all(f'"{name}"' in saved for name in ("responsible_unit", "deadline", "version", "updated_at"))


@time_machine.travel(TODAY, tick=False)
def test_the_fixers_to_do_list_leaves_out_what_waits_for_someone_elses_acceptance(general_self_found, boss, worker):
    loop = submitted(general_self_found, boss, worker)
    assert list(todo(boss)) == [loop.hazard]
    assert list(todo(worker)) == []


def test_a_major_hazard_without_its_plan_waits_for_the_plan_not_for_the_start(
    major_regulator_found, ziyang_user, boss, expert
):
    loop = major_regulator_found
    loop.confirm_major(ziyang_user, expert, boss)
    loop.act(ziyang_user, "assign", responsible_unit="储罐区", responsible_person="李明", deadline_days=30)
    offered = {t.action for t in available_actions(boss, loop.hazard)}
    assert "submit_plan" in offered and "start" not in offered
    waiting = todo(boss).get(pk=loop.hazard.pk)
    assert step_of(waiting.awaiting).action == "submit_plan"
    loop.act(boss, "submit_plan", **PLAN)
    assert "start" in {t.action for t in available_actions(boss, loop.hazard)}
