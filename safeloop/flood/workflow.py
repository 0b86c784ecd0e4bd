"""The 险情's workflow as a table (core.transitions): 已报告 → 处置中 → 已解除, the county (or the
city) acting, each step due within hours (data/deadlines.csv). The report itself is the patrol
that found it (services.patrol_record appends the `report` event)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from safeloop.core.roles import Role
from safeloop.core.transitions import Context, Transition, Who, Workflow
from safeloop.flood.fields import CLEAR, HANDLE
from safeloop.flood.models import Danger, DangerEvent, DangerStatus
from safeloop.flood.reference import deadlines

COMMAND, TOWNSHIP = "command", "township"


def role_parties(actor: Any) -> frozenset[str]:
    if actor.role in (Role.CITY, Role.COUNTY, Role.SYSADMIN):
        return frozenset({COMMAND})
    if actor.role == Role.TOWNSHIP:
        return frozenset({TOWNSHIP})
    return frozenset()


def parties_of(actor: Any, danger: Danger) -> frozenset[str]:
    """The danger is visible to the actor already (locked through `visible`)."""
    return role_parties(actor)


def run_handle(ctx: Context) -> dict[str, Any]:
    measures = ctx.inp.read(HANDLE)
    ctx.inp.check()
    ctx.obj.measures, ctx.obj.handling_at = measures, ctx.now
    ctx.obj.clear_due = ctx.now + deadlines()["clear"]
    return {"measures": measures, "late": ctx.now > ctx.obj.handle_due}


def run_clear(ctx: Context) -> dict[str, Any]:
    result = ctx.inp.read(CLEAR)
    ctx.inp.check()
    ctx.obj.result, ctx.obj.cleared_at = result, ctx.now
    return {"result": result, "late": bool(ctx.obj.clear_due and ctx.now > ctx.obj.clear_due)}


FLOW = Workflow(
    model=Danger,
    events=DangerEvent,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("risk_point", "region"),
    transitions=(
        Transition(
            action="handle",
            label=_("开始处置"),
            sources=(DangerStatus.REPORTED,),
            targets=(DangerStatus.HANDLING,),
            who=Who(always=frozenset({COMMAND})),
            who_label=_("县（市、区）或市防指"),
            needs=_("处置措施（抢险队伍、物资、技术方案）"),
            fields=(HANDLE,),
            run=run_handle,
        ),
        Transition(
            action="clear",
            label=_("解除险情"),
            sources=(DangerStatus.HANDLING,),
            targets=(DangerStatus.CLEARED,),
            who=Who(always=frozenset({COMMAND})),
            who_label=_("县（市、区）或市防指"),
            needs=_("解除情况（险情已控制、复查结果）"),
            fields=(CLEAR,),
            run=run_clear,
        ),
    ),
)


def danger_act(*, pk: int, actor: Any, action: str, version: Any, data: dict | None = None) -> Danger:
    return FLOW.act(pk=pk, actor=actor, action=action, version=version, data=data)


def available_actions(actor: Any, danger: Danger) -> list[Transition]:
    return FLOW.available(actor, danger)
