"""The six links, the forbidden shortcuts, and who may do what."""

from datetime import date

import pytest
import time_machine

from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.hazards.events import verify_all
from safeloop.hazards.models import Hazard, HazardEvent, Status
from safeloop.hazards.workflow import TRANSITIONS, available_actions
from tests.conftest import in_a_year

TODAY = "2026-11-02 09:00 +0800"


@time_machine.travel(TODAY, tick=False)
def test_general_self_found_hazard_goes_through_all_six_links(general_self_found, boss, worker):
    loop = general_self_found
    assert loop.hazard.code.startswith("YH-430902-2026-")
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="二号车间", responsible_person="王强", deadline_days=5)
    assert loop.hazard.deadline == date(2026, 11, 9)  # 5 working days after Monday 2 Nov
    loop.act(worker, "start")
    loop.act(worker, "submit_rectification", note="已重新接地并检测", attachments=[loop.upload(worker)])
    loop.act(boss, "accept", opinion="接地电阻 2Ω，合格")
    loop.act(boss, "close")
    assert loop.hazard.look_back_due == date(2026, 12, 2)
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        loop.act(boss, "look_back", result="holds", note="复查未见复发")
    assert loop.hazard.status == Status.VERIFIED
    actions = list(loop.hazard.events.values_list("action", flat=True))
    assert actions == ["report", "confirm", "assign", "start", "submit_rectification", "accept", "close", "look_back"]
    assert list(verify_all()) == []


@time_machine.travel(TODAY, tick=False)
def test_major_regulator_found_hazard_needs_double_signatures_plan_and_supervisor(
    major_regulator_found, ziyang_user, boss, worker, expert
):
    loop = major_regulator_found
    with pytest.raises(ValidationFailed) as exc:
        loop.act(ziyang_user, "confirm")
    assert "专家、企业主要负责人" in exc.value.fields["signatures"]
    loop.act(expert, "sign", stage="confirmation", opinion="符合判定标准第十二项")
    loop.act(boss, "sign", stage="confirmation")
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="储罐区", responsible_person="李明", deadline="2026-12-31")
    assert loop.hazard.order_no == "资阳应急责改〔2026〕1号"
    # 开始整改 is not offered before the 治理方案, so nobody presses a button that is then refused.
    assert "start" not in {t.action for t in available_actions(boss, loop.hazard)}
    with pytest.raises(Conflict) as exc:
        loop.act(boss, "start")
    assert exc.value.code == "plan_missing" and "治理方案" in exc.value.message
    loop.act(
        boss,
        "submit_plan",
        measures="加装可燃气体检测报警仪并联锁",
        funds="48000",
        responsible_person="李明",
        deadline="2026-12-20",
        contingency_plan="整改期间停用该区域，配置便携式报警仪",
    )
    loop.act(worker, "start")
    loop.act(worker, "request_extension", deadline="2027-01-20", reason="设备到货延迟")
    loop.act(ziyang_user, "decide_extension", approve=True, reason="同意")
    assert (loop.hazard.original_deadline, loop.hazard.deadline) == (date(2026, 12, 31), date(2027, 1, 20))
    loop.act(worker, "submit_rectification", note="已安装并联锁", attachments=[loop.upload(worker)])
    loop.act(expert, "sign", stage="acceptance")
    # With one signature 验收通过 is not offered (no button to be refused by), and the table says why.
    assert "accept" not in {t.action for t in available_actions(ziyang_user, loop.hazard)}
    with pytest.raises(Conflict, match="完成验收签字后才能验收"):
        loop.act(ziyang_user, "accept", opinion="合格")
    loop.act(boss, "sign", stage="acceptance")
    loop.act(ziyang_user, "accept", opinion="合格")
    assert loop.hazard.review_no == "资阳应急复查〔2026〕1号"
    with pytest.raises(Forbidden):
        loop.act(boss, "close")
    loop.act(ziyang_user, "close")
    assert loop.hazard.look_back_due == date(2027, 1, 31)
    with time_machine.travel("2027-02-01 09:00 +0800", tick=False):
        loop.act(ziyang_user, "look_back", result="recurred", note="报警仪被人为关闭")
    assert loop.hazard.status == Status.RECURRED
    new = Hazard.objects.get(recurrence_of=loop.hazard)
    assert (new.status, new.level, new.code) == (Status.REPORTED, "major", "YH-430902-2027-000001")
    assert list(verify_all()) == []


@time_machine.travel(TODAY, tick=False)
def test_close_before_acceptance_is_a_state_conflict_and_changes_nothing(general_self_found, boss):
    loop = general_self_found
    before = (loop.hazard.status, loop.hazard.version, HazardEvent.objects.count())
    with pytest.raises(Conflict) as exc:
        loop.act(boss, "close")
    assert exc.value.code == "wrong_state"
    loop.hazard.refresh_from_db()
    assert (loop.hazard.status, loop.hazard.version, HazardEvent.objects.count()) == before


def test_acting_on_a_stale_version_is_refused(general_self_found, boss):
    from safeloop.hazards.workflow import hazard_act

    stale = general_self_found.hazard.version
    general_self_found.act(boss, "confirm")
    with pytest.raises(Conflict) as exc:
        hazard_act(
            hazard_id=general_self_found.hazard.pk,
            actor=boss,
            action="withdraw",
            version=stale,
            data={"reason": "误报"},
        )
    assert exc.value.code == "stale_version"


def test_outsider_cannot_act_and_learns_nothing(general_self_found, heshan_user):
    with pytest.raises(NotFound):
        general_self_found.act(heshan_user, "confirm")


def test_expert_cannot_confirm(major_regulator_found, expert):
    with pytest.raises(Forbidden):
        major_regulator_found.act(expert, "confirm")


def test_enterprise_cannot_confirm_a_regulator_finding(major_regulator_found, boss):
    with pytest.raises(Forbidden):
        major_regulator_found.act(boss, "confirm")


@time_machine.travel(TODAY, tick=False)
def test_the_fixer_cannot_accept_own_work(general_self_found, boss, worker):
    loop = general_self_found
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline_days=3)
    loop.act(worker, "start")
    loop.act(worker, "submit_rectification", note="done", attachments=[loop.upload(worker)])
    with pytest.raises(Forbidden) as exc:
        loop.act(worker, "accept", opinion="自己验收")
    assert "整改人以外" in exc.value.message


@time_machine.travel(TODAY, tick=False)
def test_rectification_needs_evidence(general_self_found, boss, worker):
    loop = general_self_found
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline_days=3)
    loop.act(worker, "start")
    with pytest.raises(ValidationFailed) as exc:
        loop.act(worker, "submit_rectification", note="done")
    assert "attachments" in exc.value.fields


@time_machine.travel(TODAY, tick=False)
def test_reject_sends_back_and_voids_acceptance_signatures(major_regulator_found, ziyang_user, boss, worker, expert):
    loop = major_regulator_found
    loop.act(expert, "sign", stage="confirmation")
    loop.act(boss, "sign", stage="confirmation")
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="罐区", responsible_person="李", deadline_days=10)
    loop.act(
        boss,
        "submit_plan",
        measures="m",
        funds="1",
        responsible_person="李",
        deadline="2026-11-10",
        contingency_plan="p",
    )
    loop.act(worker, "start")
    loop.act(worker, "submit_rectification", note="n", attachments=[loop.upload(worker)])
    loop.act(expert, "sign", stage="acceptance")
    loop.act(boss, "sign", stage="acceptance")
    loop.act(ziyang_user, "reject", reason="报警仪未联锁")
    assert loop.hazard.status == Status.RECTIFYING
    loop.act(worker, "submit_rectification", note="已联锁", attachments=[loop.upload(worker)])
    with pytest.raises(Conflict):  # the signatures of the rejected round no longer count
        loop.act(ziyang_user, "accept", opinion="合格")


def test_withdraw_needs_a_reason_and_numbers_are_not_reused(general_self_found, boss):
    loop = general_self_found
    with pytest.raises(ValidationFailed):
        loop.act(boss, "withdraw")
    loop.act(boss, "withdraw", reason="重复上报")
    from safeloop.hazards.services import hazard_report

    again = hazard_report(actor=boss, data={"source": "self_check", "description": "另一处"})
    assert again.code != loop.hazard.code
    assert int(again.code[-6:]) == int(loop.hazard.code[-6:]) + 1


def test_buttons_come_from_the_table(general_self_found, boss, expert, ziyang_user):
    hazard = general_self_found.hazard
    assert [t.action for t in available_actions(boss, hazard)] == ["confirm", "withdraw"]
    assert [t.action for t in available_actions(ziyang_user, hazard)] == ["confirm", "withdraw"]
    assert all(t.action in {x.action for x in TRANSITIONS} for t in available_actions(expert, hazard))


@time_machine.travel("2026-09-25 09:00 +0800", tick=False)
def test_working_day_deadline_skips_national_day_holidays(general_self_found, boss):
    loop = general_self_found
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline_days=5)
    # 2026: 25–27 Sep Mid-autumn, 1–7 Oct National Day, Sat 10 Oct a make-up working day
    # (State Council notice, as chinese-calendar 1.11 records it): 28, 29, 30 Sep, 8, 9 Oct.
    assert loop.hazard.deadline == date(2026, 10, 9)
    assert not loop.hazard.deadline_provisional


def test_system_administrator_sees_but_does_not_act(general_self_found, sysadmin_user):
    assert available_actions(sysadmin_user, general_self_found.hazard) == []
    with pytest.raises(Forbidden):
        general_self_found.act(sysadmin_user, "confirm")


@pytest.mark.parametrize("funds", ["NaN", "Infinity", "1e20", "-5"])
def test_impossible_funds_are_refused_in_chinese(major_regulator_found, ziyang_user, boss, expert, funds):
    loop = major_regulator_found
    loop.act(expert, "sign", stage="confirmation")
    loop.act(boss, "sign", stage="confirmation")
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="罐区", responsible_person="李", deadline=in_a_year())
    with pytest.raises(ValidationFailed) as exc:
        loop.act(
            boss,
            "submit_plan",
            measures="m",
            funds=funds,
            responsible_person="李",
            deadline=in_a_year(days_before=30),
            contingency_plan="p",
        )
    assert "资金" in exc.value.fields["funds"]


def test_a_general_report_can_be_confirmed_as_major_with_both_signatures(ziyang_user, ziyang_enterprise, boss, expert):
    from safeloop.hazards.services import hazard_report
    from tests.hazards.conftest import Loop

    loop = Loop(
        hazard_report(
            actor=ziyang_user,
            data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "涉氨速冻间超员"},
        )
    )
    assert "sign" in [t.action for t in available_actions(expert, loop.hazard)]
    loop.act(expert, "sign", stage="confirmation")
    loop.act(boss, "sign", stage="confirmation")
    confirmed = loop.act(ziyang_user, "confirm", level="major", clause="GM10-12-02")
    assert confirmed.level == "major"


def test_downgrading_a_major_hazard_needs_a_reason(major_regulator_found, ziyang_user, boss, expert):
    loop = major_regulator_found
    with pytest.raises(ValidationFailed) as exc:
        loop.act(ziyang_user, "confirm", level="general")
    assert "reason" in exc.value.fields


@time_machine.travel(TODAY, tick=False)
def test_approved_extension_restarts_supervision(general_self_found, boss, worker, ziyang_user):
    loop = general_self_found
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="车间", responsible_person="王", deadline="2026-11-05")
    loop.act(worker, "start")
    Hazard.objects.filter(pk=loop.hazard.pk).update(escalation=1)
    loop.act(worker, "request_extension", deadline="2026-11-30", reason="等配件")
    assert loop.act(ziyang_user, "decide_extension", approve="true").escalation == 0
