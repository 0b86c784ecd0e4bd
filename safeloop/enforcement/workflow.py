"""The clue's and the case's workflows as tables over `core.transitions`.

Clue: received (待核查) —check→ checked (已核查) —open_case→ case_opened (已立案); from received or
checked it may be transferred (移交) to the competent department, which accepts it within the
deadline (policy.TRANSFER_ACCEPT_WORKDAYS working days), or closed with a reason.

Case: filed (立案) —decide→ handling (处理: 责令停产停业, 取缔, 关闭, 罚款, 没收, 移送公安; one
decision per measure) —close→ closed (结案, only after a decision). A case with no step for
policy.STALL_WORKDAYS working days is stalled; the county or city escalates it (督办). A closed
case is re-checked; a re-check that finds the activity resumed (回潮) files a new case linked to it.

Parties: `dept` (a user of the routed department / the case's enforcement body), `area` (a city
or county account without a department: the 应急局 and the government), `township` (a township
account: it records and checks clues).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.core.chain import chain_append
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.scope import region_q
from safeloop.core.transitions import Context, Rule, Transition, Who, Workflow
from safeloop.core.workdays import add_workdays
from safeloop.enforcement import policy
from safeloop.enforcement.fields import (
    BODY,
    CHECK_NOTE,
    ESCALATE_NOTE,
    FACTS,
    FINE,
    MEASURE,
    NOTE,
    OPINION,
    REASON,
    RECHECK_NOTE,
    RESUMED,
    TO_DEPARTMENT,
    TRANSFER_REASON,
)
from safeloop.enforcement.models import Case, CaseEvent, CaseStatus, Clue, ClueEvent, ClueStatus, Measure
from safeloop.enforcement.services import case_code, document_number
from safeloop.registry.bodies import certified_officers, may_enforce
from safeloop.registry.models import Department

DEPT, AREA, TOWNSHIP = "dept", "area", "township"
STOPPING = frozenset({Measure.SUSPEND, Measure.BAN, Measure.SHUT})


def role_parties(actor: Any) -> frozenset[str]:
    if actor.role == Role.TOWNSHIP:
        return frozenset({TOWNSHIP})
    if actor.role in (Role.CITY, Role.COUNTY) and not actor.department_id:
        return frozenset({AREA})
    if actor.department_id and actor.role in (Role.DEPARTMENT, Role.CITY, Role.COUNTY):
        return frozenset({DEPT})
    return frozenset()


def parties_of(actor: Any, obj: Any) -> frozenset[str]:
    parties = set(role_parties(actor))
    if DEPT in parties and actor.department_id != obj.department_id:
        parties.discard(DEPT)
    return frozenset(parties)


# ---------------------------------------------------------------- clue


def bodies_for(actor: Any, clue: Any = None) -> Any:
    """The departments the actor may open a case for: its own, or (an area account) those of
    its area; only legal enforcement bodies (registry.bodies)."""
    if actor.department_id:
        qs = Department.objects.filter(pk=actor.department_id)
    elif actor.role in (Role.CITY, Role.COUNTY, Role.SYSADMIN):
        area = actor.region_id or ""
        qs = Department.objects.filter(region_q("region", subtree_prefix(area))) if area else Department.objects.all()
    else:
        qs = Department.objects.none()
    return qs


def run_check(ctx: Context) -> dict[str, Any]:
    ctx.obj.check_note = ctx.inp.read(CHECK_NOTE)
    ctx.inp.check()
    return {"note": ctx.obj.check_note}


def _body(ctx: Context) -> Department | None:
    clue = ctx.obj
    if ctx.inp.data.get("body") in (None, ""):
        body = (
            clue.department
            if clue.department and bodies_for(ctx.actor).filter(pk=clue.department_id).exists()
            else None
        )
        if body is None:
            ctx.inp.error("body", _("请选择执法主体"))
    else:
        body = ctx.inp.record(BODY, bodies_for(ctx.actor))
    if body is not None and not may_enforce(body):
        ctx.inp.error(
            "body",
            _("“%(body)s”不具备执法主体资格：须为行政执法部门并有两名以上持有效执法证的执法人员") % {"body": body.name},
        )
        return None
    return body


def run_open_case(ctx: Context) -> dict[str, Any]:
    body = _body(ctx)
    facts = ctx.inp.read(FACTS)
    ctx.inp.check()
    assert body is not None
    case = case_open(clue=ctx.obj, body=body, actor=ctx.actor, facts=facts or ctx.obj.description, today=ctx.today)
    ctx.obj.actioned_at = ctx.now
    return {"case": case.code, "body": body.pk, "filing_no": case.filing_no}


def case_open(
    *, clue: Clue, body: Department, actor: Any, facts: str, today: Any, reopened_from: Case | None = None
) -> Case:
    officers = [[str(u), u.officer_certificate.certificate_no] for u in certified_officers(body)[:2]]
    case = Case.objects.create(
        code=case_code(clue.region_id),
        clue=clue,
        subject=clue.subject,
        enterprise=clue.enterprise,
        region_id=clue.region_id,
        category_id=clue.category_id,
        department=body,
        kind_id=clue.kind_id,
        operation_id=clue.operation_id,
        reopened_from=reopened_from,
        facts=facts,
        officers=officers,
        filed_on=today,
        deadline=today + timedelta(days=int(policy.CASE_DECISION_DAYS.value)),
        filing_no=document_number(body, "filing", today.year),
        created_by=actor,
    )
    chain_append(
        events=CaseEvent,
        owner=case,
        action="file",
        actor=actor,
        at=timezone.now(),
        from_status="",
        payload={
            "clue": clue.code,
            "body": body.pk,
            "filing_no": case.filing_no,
            "reopened_from": getattr(reopened_from, "code", None),
        },
    )
    return case


def _transfer_targets(clue: Any) -> Any:
    return Department.objects.filter(region_id__in=(clue.region_id[:6], f"{clue.region_id[:4]}00")).exclude(
        pk=clue.department_id or 0
    )


def run_transfer(ctx: Context) -> dict[str, Any]:
    target = ctx.inp.record(TO_DEPARTMENT, _transfer_targets(ctx.obj))
    reason = ctx.inp.read(TRANSFER_REASON)
    ctx.inp.check()
    assert target is not None
    deadline = add_workdays(ctx.today, int(policy.TRANSFER_ACCEPT_WORKDAYS.value))
    ctx.obj.transferred_from, ctx.obj.department = ctx.obj.department, target
    ctx.obj.accept_by = deadline.date
    ctx.obj.actioned_at = ctx.now
    return {
        "to": target.pk,
        "reason": reason,
        "accept_by": deadline.date.isoformat(),
        "provisional": deadline.provisional,
    }


def run_accept(ctx: Context) -> dict[str, Any]:
    late = ctx.obj.accept_by is not None and ctx.today > ctx.obj.accept_by
    ctx.obj.accept_by = None
    return {"late": late}


def run_close_clue(ctx: Context) -> dict[str, Any]:
    ctx.obj.close_reason = ctx.inp.read(REASON)
    ctx.inp.check()
    ctx.obj.actioned_at = ctx.now
    return {"reason": ctx.obj.close_reason}


CLUE_FLOW = Workflow(
    model=Clue,
    events=ClueEvent,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("department", "region", "kind", "subject"),
    transitions=(
        Transition(
            action="check",
            label=gettext_lazy("核查"),
            sources=(ClueStatus.RECEIVED,),
            targets=(ClueStatus.CHECKED,),
            who=Who(always=frozenset({DEPT, AREA, TOWNSHIP})),
            who_label=gettext_lazy("承办部门、乡镇或应急管理部门"),
            needs=gettext_lazy("现场核查情况"),
            fields=(CHECK_NOTE,),
            run=run_check,
        ),
        Transition(
            action="open_case",
            label=gettext_lazy("立案"),
            sources=(ClueStatus.CHECKED,),
            targets=(ClueStatus.CASE_OPENED,),
            who=Who(always=frozenset({DEPT, AREA})),
            who_label=gettext_lazy("承办部门或应急管理部门"),
            needs=gettext_lazy("执法主体（两名以上持证执法人员的行政执法部门）、案情摘要"),
            fields=(BODY, FACTS),
            run=run_open_case,
        ),
        Transition(
            action="transfer",
            label=gettext_lazy("移交"),
            sources=(ClueStatus.RECEIVED, ClueStatus.CHECKED),
            targets=(ClueStatus.TRANSFERRED,),
            who=Who(always=frozenset({DEPT, AREA})),
            who_label=gettext_lazy("承办部门或应急管理部门"),
            needs=gettext_lazy("有管辖权的部门、移交理由；接收部门须在期限内接收"),
            fields=(TO_DEPARTMENT, TRANSFER_REASON),
            run=run_transfer,
        ),
        Transition(
            action="accept",
            label=gettext_lazy("接收"),
            sources=(ClueStatus.TRANSFERRED,),
            targets=(ClueStatus.RECEIVED,),
            who=Who(always=frozenset({DEPT})),
            who_label=gettext_lazy("接收移交的部门"),
            needs=gettext_lazy("确认接收"),
            run=run_accept,
        ),
        Transition(
            action="close",
            label=gettext_lazy("办结"),
            sources=(ClueStatus.RECEIVED, ClueStatus.CHECKED),
            targets=(ClueStatus.CLOSED,),
            who=Who(always=frozenset({DEPT, AREA})),
            who_label=gettext_lazy("承办部门或应急管理部门"),
            needs=gettext_lazy("办结理由（如查无实据）"),
            fields=(REASON,),
            run=run_close_clue,
        ),
    ),
)


def clue_act(*, pk: int, actor: Any, action: str, version: Any, data: dict | None = None) -> Clue:
    return CLUE_FLOW.act(pk=pk, actor=actor, action=action, version=version, data=data)


# ---------------------------------------------------------------- case


def run_decide(ctx: Context) -> dict[str, Any]:
    measure, note, fine = ctx.inp.read(MEASURE), ctx.inp.read(NOTE), ctx.inp.read(FINE)
    if measure == Measure.FINE and fine is None and "fine" not in ctx.inp.errors:
        ctx.inp.error("fine", _("处理措施为罚款时须填写罚款金额"))
    ctx.inp.check()
    case = ctx.obj
    entry = {"measure": measure, "note": note, "on": ctx.today.isoformat()}
    if measure == Measure.FINE:
        entry["fine"] = str(fine)
        case.fine_total = (case.fine_total or Decimal(0)) + fine
    if measure == Measure.POLICE:
        case.police_referred = True
    if measure in STOPPING and not case.order_no:
        case.order_no = document_number(case.department, "order", ctx.today.year)
        entry["order_no"] = case.order_no
    case.measures = [*case.measures, entry]
    if case.first_action_at is None:
        case.first_action_at = ctx.now
    return entry


def run_close_case(ctx: Context) -> dict[str, Any]:
    opinion = ctx.inp.read(OPINION)
    if not ctx.obj.measures:
        ctx.inp.error("measure", _("处理措施：尚未作出处理决定，不能结案"))
    ctx.inp.check()
    case = ctx.obj
    case.closing_opinion, case.closed_on = opinion, ctx.today
    case.closing_no = document_number(case.department, "closing", ctx.today.year)
    return {"opinion": opinion, "closing_no": case.closing_no}


def run_recheck(ctx: Context) -> dict[str, Any]:
    resumed, note = ctx.inp.read(RESUMED), ctx.inp.read(RECHECK_NOTE)
    ctx.inp.check()
    payload: dict[str, Any] = {"resumed": bool(resumed), "note": note}
    if resumed:
        case = ctx.obj
        facts = _("复查发现违法行为回潮：%(note)s（原案件 %(code)s）") % {"note": note, "code": case.code}
        again = case_open(
            clue=case.clue, body=case.department, actor=ctx.actor, facts=facts, today=ctx.today, reopened_from=case
        )
        payload["new_case"] = again.code
    return payload


def stalled(case: Any, today: Any) -> bool:
    """No step for policy.STALL_WORKDAYS working days (derived, never stored)."""
    if case.status == CaseStatus.CLOSED:
        return False
    last = case.updated_at.date() if case.updated_at else case.filed_on
    return add_workdays(last, int(policy.STALL_WORKDAYS.value)).date < today


def run_escalate(ctx: Context) -> dict[str, Any]:
    note = ctx.inp.read(ESCALATE_NOTE)
    ctx.inp.check()
    ctx.obj.escalated_on = ctx.today
    return {"note": note}


STALLED = Rule(test=lambda turn: stalled(turn.obj, turn.today), refusal=gettext_lazy("案件未超期停滞，无需督办"))


CASE_FLOW = Workflow(
    model=Case,
    events=CaseEvent,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("department", "region", "kind", "clue"),
    transitions=(
        Transition(
            action="decide",
            label=gettext_lazy("作出处理决定"),
            sources=(CaseStatus.FILED, CaseStatus.HANDLING),
            targets=(CaseStatus.HANDLING,),
            who=Who(always=frozenset({DEPT, AREA})),
            who_label=gettext_lazy("执法主体或应急管理部门"),
            needs=gettext_lazy("处理措施（责令停产停业、取缔、关闭、罚款、没收、移送公安）与处理决定；罚款须填金额"),
            fields=(MEASURE, FINE, NOTE),
            run=run_decide,
        ),
        Transition(
            action="close",
            label=gettext_lazy("结案"),
            sources=(CaseStatus.FILED, CaseStatus.HANDLING),
            targets=(CaseStatus.CLOSED,),
            who=Who(always=frozenset({DEPT, AREA})),
            who_label=gettext_lazy("执法主体或应急管理部门"),
            needs=gettext_lazy("已作出处理决定；结案意见"),
            fields=(OPINION,),
            run=run_close_case,
        ),
        Transition(
            action="escalate",
            label=gettext_lazy("督办"),
            sources=(CaseStatus.FILED, CaseStatus.HANDLING),
            offered=(STALLED,),
            who=Who(always=frozenset({AREA})),
            who_label=gettext_lazy("市、县两级应急管理部门"),
            needs=gettext_lazy("案件超期停滞时督办意见"),
            fields=(ESCALATE_NOTE,),
            run=run_escalate,
        ),
        Transition(
            action="recheck",
            label=gettext_lazy("回潮复查"),
            sources=(CaseStatus.CLOSED,),
            who=Who(always=frozenset({DEPT, AREA, TOWNSHIP})),
            who_label=gettext_lazy("执法主体、乡镇或应急管理部门"),
            needs=gettext_lazy("复查情况；发现回潮时重新立案并关联原案件"),
            fields=(RESUMED, RECHECK_NOTE),
            run=run_recheck,
        ),
    ),
)


def case_act(*, pk: int, actor: Any, action: str, version: Any, data: dict | None = None) -> Case:
    return CASE_FLOW.act(pk=pk, actor=actor, action=action, version=version, data=data)


__all__ = ["CASE_FLOW", "CLUE_FLOW", "STOPPING", "case_act", "clue_act", "stalled"]
