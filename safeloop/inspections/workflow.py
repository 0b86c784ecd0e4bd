"""The inspection's workflow as a table over `core.transitions`.

States: planned (待检查) → in_progress (检查中, the first check-in at the gate) → closed (已办结);
a planned inspection may be cancelled. Findings are recorded while planned or in progress (an
inspection closed without any check-in is flagged, never refused: the flag is the point).

Parties: `officer` (one of the inspection's officers), `body` (a user of the enforcement body),
`supervisor` (a city or county account whose area holds it), `enterprise` (the inspected
enterprise's account, which rates the visit).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.core.fields import CAPTURED_AT, FieldSpec, Kind
from safeloop.core.roles import Role
from safeloop.core.transitions import Context, Transition, Who, Workflow
from safeloop.enforcement.models import ClueKind
from safeloop.enforcement.services import clue_from_source
from safeloop.hazards.fields import REPORT
from safeloop.hazards.models import Source
from safeloop.hazards.services import hazard_report
from safeloop.inspections.fields import ACCURACY, LAT, LNG, RATING, RATING_NOTE, REASON, SUMMARY
from safeloop.inspections.models import CheckIn, Finding, Inspection, InspectionEvent, ParticipantRole, Status

OFFICER, BODY, SUPERVISOR, ENTERPRISE = "officer", "body", "supervisor", "enterprise"

FINDING_FIELDS = (
    REPORT["description"],
    REPORT["location"],
    REPORT["nature"],
    REPORT["level"],
    REPORT["clause"],
)


def role_parties(actor: Any) -> frozenset[str]:
    if actor.role == Role.ENTERPRISE:
        return frozenset({ENTERPRISE})
    if actor.role in (Role.CITY, Role.COUNTY) and not actor.department_id:
        return frozenset({SUPERVISOR})
    if actor.department_id and actor.role in (Role.DEPARTMENT, Role.CITY, Role.COUNTY):
        return frozenset({OFFICER, BODY})
    return frozenset()


def parties_of(actor: Any, inspection: Inspection) -> frozenset[str]:
    parties: set[str] = set()
    if actor.role == Role.ENTERPRISE:
        return frozenset({ENTERPRISE}) if actor.enterprise_id == inspection.enterprise_id else frozenset()
    if actor.department_id and actor.department_id == inspection.enforcement_body_id:
        parties.add(BODY)
        officers = inspection.participants.filter(role=ParticipantRole.OFFICER, user_id=actor.pk)
        if officers.exists():
            parties.add(OFFICER)
    if actor.role in (Role.CITY, Role.COUNTY) and not actor.department_id:
        parties.add(SUPERVISOR)
    return frozenset(parties)


def run_check_in(ctx: Context) -> dict[str, Any]:
    lat, lng, accuracy = ctx.inp.read(LAT), ctx.inp.read(LNG), ctx.inp.read(ACCURACY)
    captured = ctx.inp.read(CAPTURED_AT)
    if (lat is None) != (lng is None):
        ctx.inp.error("lat" if lat is None else "lng", _("经纬度须同时提供"))
    ctx.inp.check()
    # offline: the check-in happened at the gate when the phone says (sent later from the queue);
    # the event's own time is the server's arrival. A phone clock ahead of the server is capped.
    at = min(captured, ctx.now) if captured else ctx.now
    CheckIn.objects.create(inspection=ctx.obj, user=ctx.actor, at=at, lat=lat, lng=lng, accuracy_m=accuracy)
    if ctx.obj.checked_in_at is None or at < ctx.obj.checked_in_at:
        ctx.obj.checked_in_at = at
    return {
        "captured_at": at.isoformat() if captured else None,
        "by": ctx.actor.pk,
        "lat": None if lat is None else str(lat),
        "lng": None if lng is None else str(lng),
        "accuracy_m": accuracy,
    }


def finding_source(actor: Any) -> str:
    return str(Source.TOWNSHIP_PATROL if actor.role == Role.TOWNSHIP else Source.REGULATOR)


def run_finding(ctx: Context) -> dict[str, Any]:
    data = {name: ctx.inp.data.get(name) for name in ("description", "location", "nature", "level", "clause")}
    data |= {
        "enterprise": ctx.obj.enterprise_id,
        "source": finding_source(ctx.actor),
        "finder_name": str(ctx.actor),
    }
    hazard = hazard_report(actor=ctx.actor, data=data)
    Finding.objects.create(inspection=ctx.obj, hazard=hazard)
    return {"hazard": hazard.code, "level": hazard.level}


ILLEGAL_KIND = FieldSpec(name="clue_kind", label=gettext_lazy("违法类型"), kind=Kind.CHOICE, required=True)
ILLEGAL_TEXT = FieldSpec(
    name="description", label=gettext_lazy("违法行为"), kind=Kind.TEXTAREA, required=True, max_length=4000
)


def run_illegal(ctx: Context) -> dict[str, Any]:
    """A finding of illegal activity (无证经营, 非法储存, 未批先建 …) is a 打非治违 clue, not a
    hazard: created through the enforcement service and routed to the department of its type."""
    kinds = tuple(ClueKind.objects.values_list("code", "name"))
    kind, text = ctx.inp.read(ILLEGAL_KIND.but(choices=kinds)), ctx.inp.read(ILLEGAL_TEXT)
    ctx.inp.check()
    enterprise = ctx.obj.enterprise
    clue = clue_from_source(
        actor=ctx.actor,
        kind=kind,
        source="inspection",
        description=text,
        address=enterprise.address or enterprise.name,
        region=enterprise.region_id,
        origin=f"inspection:{ctx.obj.code}",
        enterprise=enterprise,
    )
    return {"clue": clue.code, "kind": kind}


def run_close(ctx: Context) -> dict[str, Any]:
    summary = ctx.inp.read(SUMMARY)
    ctx.inp.check()
    if summary:
        ctx.obj.summary = summary
    ctx.obj.closed_at = ctx.now
    return {"summary": ctx.obj.summary, "checked_in": ctx.obj.checked_in_at is not None}


def run_cancel(ctx: Context) -> dict[str, Any]:
    reason = ctx.inp.read(REASON)
    ctx.inp.check()
    return {"reason": reason}


def run_rate(ctx: Context) -> dict[str, Any]:
    rating, note = ctx.inp.read(RATING), ctx.inp.read(RATING_NOTE)
    ctx.inp.check()
    ctx.obj.rating, ctx.obj.rating_note = rating, note
    return {"rating": rating, "note": note}


FLOW = Workflow(
    model=Inspection,
    events=InspectionEvent,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("enterprise", "enforcement_body"),
    transitions=(
        Transition(
            action="check_in",
            label=gettext_lazy("扫码入企"),
            sources=(Status.PLANNED, Status.IN_PROGRESS),
            targets=(Status.IN_PROGRESS,),
            who=Who(always=frozenset({OFFICER})),
            who_label=gettext_lazy("本次检查的执法人员"),
            needs=gettext_lazy("在企业门口扫企业码；手机提供定位时记录位置"),
            fields=(LAT, LNG, ACCURACY, CAPTURED_AT),
            run=run_check_in,
        ),
        Transition(
            action="finding",
            label=gettext_lazy("记录检查发现"),
            sources=(Status.PLANNED, Status.IN_PROGRESS),
            who=Who(always=frozenset({OFFICER, BODY})),
            who_label=gettext_lazy("执法主体的执法人员"),
            needs=gettext_lazy("隐患描述、部位、类别、等级；重大隐患须注明判定依据"),
            fields=FINDING_FIELDS,
            run=run_finding,
        ),
        Transition(
            action="illegal",
            label=gettext_lazy("发现非法违法行为（移送打非治违）"),
            sources=(Status.PLANNED, Status.IN_PROGRESS),
            who=Who(always=frozenset({OFFICER, BODY})),
            who_label=gettext_lazy("执法主体的执法人员"),
            needs=gettext_lazy("违法类型与违法行为；形成打非治违线索，转监管部门"),
            fields=(ILLEGAL_KIND, ILLEGAL_TEXT),
            run=run_illegal,
        ),
        Transition(
            action="close",
            label=gettext_lazy("办结"),
            sources=(Status.PLANNED, Status.IN_PROGRESS),
            targets=(Status.CLOSED,),
            who=Who(always=frozenset({OFFICER, BODY})),
            who_label=gettext_lazy("执法主体的执法人员"),
            needs=gettext_lazy("检查情况；未扫码入企的检查办结后被标记"),
            fields=(SUMMARY,),
            run=run_close,
        ),
        Transition(
            action="cancel",
            label=gettext_lazy("取消"),
            sources=(Status.PLANNED,),
            targets=(Status.CANCELLED,),
            who=Who(always=frozenset({BODY, SUPERVISOR})),
            who_label=gettext_lazy("执法主体或本级政府"),
            needs=gettext_lazy("取消理由"),
            fields=(REASON,),
            run=run_cancel,
        ),
        Transition(
            action="rate",
            label=gettext_lazy("评价本次检查"),
            sources=(Status.CLOSED,),
            who=Who(always=frozenset({ENTERPRISE})),
            who_label=gettext_lazy("被检查企业"),
            needs=gettext_lazy("1至5分及意见"),
            fields=(RATING, RATING_NOTE),
            run=run_rate,
        ),
    ),
)


def inspection_act(*, pk: int, actor: Any, action: str, version: Any, data: dict | None = None) -> Inspection:
    return FLOW.act(pk=pk, actor=actor, action=action, version=version, data=data)
