"""Triage as a table (core.transitions): accept (the first response), transfer, verify (the
report becomes a hazard, source 内部报告 / 群众举报, linked to it), reject with a reason the
reporter reads, and the reward (decided for the first valid reporter only, then paid).

Parties: `handler` (the unit handling the report now: see selectors.is_handler) and
`supervisor` (county and city accounts above it)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.core.chain import plain
from safeloop.core.errors import NotFound
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.scope import visible
from safeloop.core.transitions import Context, Rule, Transition, Who, Workflow
from safeloop.enforcement.models import ClueKind
from safeloop.enforcement.services import clue_from_source
from safeloop.hazards.clauses import clause_values
from safeloop.hazards.fields import REPORT as HAZARD
from safeloop.hazards.models import Level, Source
from safeloop.hazards.services import MAJOR_NEEDS_CLAUSE, hazard_create
from safeloop.registry.models import Department, Enterprise
from safeloop.reporting.fields import (
    AMOUNT,
    BASIS,
    DEPARTMENT,
    DUPLICATE_OF,
    ENTERPRISE,
    PAID_ON,
    REASON,
    REPLY,
    TRACKING,
    TRANSFER_NOTE,
)
from safeloop.reporting.models import (
    Channel,
    HandlerKind,
    Report,
    ReportEvent,
    ReportStatus,
    RewardStatus,
    reference_pk,
)
from safeloop.reporting.notifications import notify_handlers
from safeloop.reporting.selectors import is_handler, is_supervisor, reports_visible
from safeloop.reporting.services import response_deadline, suggested_reward

S = ReportStatus
# The hazard's text, when the report's own would let the enterprise guess who reported it.
HAZARD_TEXT = HAZARD["description"].but(
    required=False, help=gettext_lazy("不填则用报告原文；原文可能暴露报告人身份时，请改写后填写")
)
HANDLER, SUPERVISOR = "handler", "supervisor"
HANDLERS = Who(always=frozenset({HANDLER}))
HANDLERS_OR_SUPERVISORS = Who(always=frozenset({HANDLER, SUPERVISOR}))


def role_parties(actor: Any) -> frozenset[str]:
    if actor.role in ("county", "city"):
        return frozenset({SUPERVISOR})
    if actor.role in ("township", "department", "enterprise"):
        return frozenset({HANDLER})
    return frozenset()


def parties_of(actor: Any, report: Report) -> frozenset[str]:
    parties = set()
    if is_handler(actor, report):
        parties.add(HANDLER)
    if is_supervisor(actor, report):
        parties.add(SUPERVISOR)
    return frozenset(parties)


# ---------------------------------------------------------------- the rows' functions


def _now_responded(ctx: Context) -> None:
    if ctx.obj.first_response_at is None:
        ctx.obj.first_response_at = ctx.now


def run_accept(ctx: Context) -> dict[str, Any]:
    reply = ctx.inp.read(REPLY)
    ctx.inp.check()
    _now_responded(ctx)
    if reply:
        ctx.obj.public_reply = reply
    return {"reply": reply}


def run_transfer(ctx: Context) -> dict[str, Any]:
    report: Report = ctx.obj
    note = ctx.inp.read(TRANSFER_NOTE)
    department = None
    if ctx.inp.data.get("department"):
        departments = Department.objects.filter(region_id__in={report.region_id[:6], report.region_id[:4] + "00"})
        department = ctx.inp.record(DEPARTMENT, departments, missing=_("转交部门须是隐患所在县（市、区）的部门"))
    ctx.inp.check()
    if department is None and report.handler_kind == HandlerKind.TOWNSHIP:
        ctx.inp.error("department", _("该报告已由乡镇（街道）处理：请选择要转交的部门"))
        ctx.inp.check()
    report.handler_kind = HandlerKind.DEPARTMENT if department else HandlerKind.TOWNSHIP
    report.department = department
    report.respond_by = response_deadline(report, ctx.today)
    report.first_response_at = report.first_response_at or ctx.now
    ctx.then.append(lambda _event: transaction.on_commit(partial(notify_handlers, report.pk)))
    return {"handler_kind": report.handler_kind, "department": getattr(department, "pk", None), "note": note}


def run_verify(ctx: Context) -> dict[str, Any]:
    report: Report = ctx.obj
    inp = ctx.inp
    reply = inp.read(REPLY)
    original = report.duplicate_of
    if original is not None and original.status == S.VERIFIED and original.hazard_id:
        inp.check()
        report.hazard = original.hazard
        linked_existing = True
    else:
        report.hazard = _hazard_of(ctx, report)
        linked_existing = False
    _now_responded(ctx)
    report.closed_at = ctx.now
    report.public_reply = reply or _("经核查，您报告的隐患属实，已列入隐患台账整改。感谢您的报告。")
    assert report.hazard is not None
    return {"hazard": report.hazard.code, "linked_existing": linked_existing, "reply": report.public_reply}


def _hazard_of(ctx: Context, report: Report) -> Any:
    inp = ctx.inp
    values = inp.read_values([HAZARD["level"], HAZARD["clause"], HAZARD["nature"]])
    rewritten = inp.read(HAZARD_TEXT)
    values.setdefault("level", Level.GENERAL)
    clause_values(inp, values, HAZARD["clause"])
    if values["level"] == Level.MAJOR and not values["clause"] and "clause" not in inp.errors:
        inp.error("clause", str(MAJOR_NEEDS_CLAUSE))
    enterprise = report.enterprise
    if enterprise is None:
        scope = visible(ctx.actor, Enterprise.objects.select_related("region"))
        enterprise = inp.record(ENTERPRISE.but(required=True), scope)
    inp.check()
    assert enterprise is not None
    report.enterprise = enterprise
    report.category = enterprise.category
    source = Source.INTERNAL_REPORT if report.channel == Channel.INTERNAL else Source.PUBLIC_REPORT
    photos = [File(default_storage.open(p.file), name=p.original_name) for p in report.photos.all()]
    hazard, _event = hazard_create(
        actor=ctx.actor,
        values={
            "enterprise": enterprise,
            "description": rewritten or report.description,
            "location": report.location,
            "source": source,
            "finder_name": str(_("内部报告人") if report.channel == Channel.INTERNAL else _("举报人")),
            "found_on": report.created_at.date(),
            **values,
        },
        photos=photos,
        payload={"report": report.reference},
    )
    for photo in photos:
        photo.close()
    return hazard


def run_reject(ctx: Context) -> dict[str, Any]:
    report: Report = ctx.obj
    reason = ctx.inp.read(REASON)
    code = (ctx.inp.read(DUPLICATE_OF) or "").strip().upper()
    original = None
    if code:
        pk = reference_pk(code)
        original = reports_visible(ctx.actor).filter(pk=pk).exclude(pk=report.pk).first() if pk else None
        if original is None:
            ctx.inp.error("duplicate_of", _("没有编号为“%(code)s”的报告") % {"code": code})
    ctx.inp.check()
    if original is not None:
        report.duplicate_of = original
    _now_responded(ctx)
    report.closed_at = ctx.now
    report.public_reply = reason
    return {"reason": reason, "duplicate_of": original.reference if original else ""}


def first_valid(report: Report) -> bool:
    """Only the first valid reporter of a hazard is rewarded."""
    if report.duplicate_of_id and report.duplicate_of and report.duplicate_of.status == S.VERIFIED:
        return False
    if report.hazard_id is None:
        return True
    earlier = Report.objects.filter(hazard_id=report.hazard_id, status=S.VERIFIED)
    return not earlier.filter(
        Q(created_at__lt=report.created_at) | Q(created_at=report.created_at, pk__lt=report.pk)
    ).exists()


def run_decide_reward(ctx: Context) -> dict[str, Any]:
    report: Report = ctx.obj
    suggested, standard = suggested_reward(report)
    spec = AMOUNT.but(required=suggested is None)
    amount = ctx.inp.read(spec)
    basis = ctx.inp.read(BASIS)
    if amount is None and suggested is None:
        ctx.inp.error("reward_amount", _("没有适用的奖励标准，请填写奖励金额"))
    ctx.inp.check()
    amount = suggested if amount is None else amount
    report.reward_amount = amount
    report.reward_basis = basis or standard
    report.reward_status = RewardStatus.DECIDED if amount else RewardStatus.NOT_AWARDED
    return plain({"amount": amount, "basis": report.reward_basis})


def run_pay_reward(ctx: Context) -> dict[str, Any]:
    """Paid to whoever shows the report's tracking code (the reporter may be anonymous)."""
    paid_on = ctx.inp.read(PAID_ON)
    shown = "".join((ctx.inp.read(TRACKING) or "").split()).upper().replace("-", "")
    if shown and shown != ctx.obj.code:
        ctx.inp.error("tracking_code", _("查询码不符：奖励只发给出示本报告查询码的报告人"))
    ctx.inp.check()
    ctx.obj.reward_paid_on = paid_on
    ctx.obj.reward_status = RewardStatus.PAID
    return plain({"paid_on": paid_on})


# ---------------------------------------------------------------- 打非治违 (issue 17)

ILLEGAL_KIND = FieldSpec(name="clue_kind", label=gettext_lazy("违法类型"), kind=Kind.CHOICE, required=True)


def run_refer_illegal(ctx: Context) -> dict[str, Any]:
    """The report is about illegal production (无证经营, 非法储存 …), not a hazard of a registered
    enterprise's own: it becomes a 打非治违 clue through the enforcement service, routed to the
    department of its type. The report counts as true (属实): the reporter may be rewarded."""
    report: Report = ctx.obj
    kinds = tuple(ClueKind.objects.values_list("code", "name"))
    kind = ctx.inp.read(ILLEGAL_KIND.but(choices=kinds))
    reply = ctx.inp.read(REPLY)
    ctx.inp.check()
    clue = clue_from_source(
        actor=ctx.actor,
        kind=kind,
        source="public_report" if report.channel == Channel.PUBLIC else "other",
        description=report.description,
        address=report.location or report.region.name,
        region=report.region_id,
        origin=f"report:{report.pk}",  # never the tracking code: it is the reporter's secret
        enterprise=report.enterprise,
        name="" if report.enterprise_id else _("被举报场所（待核实）"),
    )
    _now_responded(ctx)
    report.closed_at = ctx.now
    report.public_reply = reply or _("经核查，您举报的非法违法行为已移交执法部门查处。感谢您的举报。")
    return {"clue": clue.code, "reply": report.public_reply}


NOT_YET_DECIDED = Rule(
    test=lambda turn: turn.obj.reward_status == RewardStatus.NONE,
    refusal=gettext_lazy("该报告的奖励已经决定"),
    code="already_decided",
)
FIRST_VALID = Rule(
    test=lambda turn: first_valid(turn.obj),
    refusal=gettext_lazy("同一隐患只奖励第一位有效报告人：此前已有属实的报告"),
    code="not_first",
)
DECIDED = Rule(
    test=lambda turn: turn.obj.reward_status == RewardStatus.DECIDED,
    refusal=gettext_lazy("奖励尚未决定，或已发放，或决定不予奖励"),
    code="not_decided",
)
NOT_ENTERPRISE: Rule = Rule(
    test=lambda turn: turn.actor.role != "enterprise",
    refusal=gettext_lazy("企业不能转交报告；请在期限内核查处理"),
)


REPORT_FLOW = Workflow(
    model=Report,
    events=ReportEvent,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("enterprise", "enterprise__category", "region", "duplicate_of", "hazard"),
    transitions=(
        Transition(
            action="accept",
            label=gettext_lazy("受理核查"),
            sources=(S.RECEIVED,),
            targets=(S.CHECKING,),
            who=HANDLERS,
            who_label=gettext_lazy("处理单位"),
            needs=gettext_lazy("可附答复举报人的话"),
            fields=(REPLY,),
            run=run_accept,
        ),
        Transition(
            action="transfer",
            label=gettext_lazy("转交"),
            sources=(S.RECEIVED, S.CHECKING),
            targets=(S.RECEIVED,),
            who=HANDLERS_OR_SUPERVISORS,
            who_label=gettext_lazy("处理单位或县、市监管部门"),
            needs=gettext_lazy("转交的部门（不填为隐患所在乡镇街道）"),
            fields=(DEPARTMENT, TRANSFER_NOTE),
            guards=(NOT_ENTERPRISE,),
            run=run_transfer,
        ),
        Transition(
            action="verify",
            label=gettext_lazy("核实属实"),
            sources=(S.CHECKING,),
            targets=(S.VERIFIED,),
            who=HANDLERS,
            who_label=gettext_lazy("处理单位"),
            needs=gettext_lazy("隐患等级（重大隐患须注明判定依据）；未指明企业的须选择企业"),
            fields=(HAZARD["level"], HAZARD["clause"], HAZARD["nature"], HAZARD_TEXT, ENTERPRISE, REPLY),
            run=run_verify,
        ),
        Transition(
            action="reject",
            label=gettext_lazy("不予认定"),
            sources=(S.RECEIVED, S.CHECKING),
            targets=(S.REJECTED,),
            who=HANDLERS,
            who_label=gettext_lazy("处理单位"),
            needs=gettext_lazy("理由（举报人可见）；重复报告可填原报告查询码"),
            fields=(REASON, DUPLICATE_OF),
            run=run_reject,
        ),
        Transition(
            action="refer_illegal",
            label=gettext_lazy("移送打非治违"),
            sources=(S.RECEIVED, S.CHECKING),
            targets=(S.VERIFIED,),
            who=HANDLERS_OR_SUPERVISORS,
            who_label=gettext_lazy("处理单位或县、市监管部门"),
            needs=gettext_lazy("违法类型；举报的是非法违法生产经营时移送执法部门"),
            fields=(ILLEGAL_KIND, REPLY),
            guards=(NOT_ENTERPRISE,),
            run=run_refer_illegal,
        ),
        Transition(
            action="decide_reward",
            label=gettext_lazy("决定奖励"),
            sources=(S.VERIFIED,),
            who=HANDLERS_OR_SUPERVISORS,
            who_label=gettext_lazy("处理单位或县、市监管部门"),
            needs=gettext_lazy("奖励金额（不填按适用的奖励标准）"),
            fields=(AMOUNT.but(required=False), BASIS),
            offered=(NOT_YET_DECIDED, FIRST_VALID),
            run=run_decide_reward,
        ),
        Transition(
            action="pay_reward",
            label=gettext_lazy("登记发放"),
            sources=(S.VERIFIED,),
            who=HANDLERS_OR_SUPERVISORS,
            who_label=gettext_lazy("处理单位或县、市监管部门"),
            needs=gettext_lazy("发放日期"),
            fields=(PAID_ON, TRACKING),
            offered=(DECIDED,),
            run=run_pay_reward,
        ),
    ),
)


def report_act(*, report_id: Any, actor: Any, action: str, version: Any, data: dict | None = None) -> Report:
    """One triage action. A report the actor may not see is missing (404), whatever the table says."""
    if not reports_visible(actor).filter(pk=report_id).exists():
        raise NotFound()
    return REPORT_FLOW.act(pk=report_id, actor=actor, action=action, version=version, data=data)


def available_actions(actor: Any, report: Report) -> list[Transition]:
    return REPORT_FLOW.available(actor, report)
