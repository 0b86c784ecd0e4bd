"""The hazard workflow as a table, over `core.transitions`: (state, action) → next state, who
may act, under which conditions, and the fields each action asks for.

`TRANSITIONS` is the only place that decides what is allowed: the buttons on the hazard page,
the API's `actions` and request schemas, the to-do lists and the lifecycle diagram in docs/ all
come from it. `hazard_act()` is the only entry point that changes a hazard's status.

Parties (who, relative to this hazard): `enterprise` (a user of the hazard's enterprise),
`expert` (an expert assigned to it), `regulator` (city, county, township, department users
whose scope includes it), `supervisor` (regulators above township level: the authority that
closes regulator findings and major hazards).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.accounts.selectors import has_active_account, has_other_account, signing_capacity
from safeloop.core.fields import FieldSpec, Kind, model_spec
from safeloop.core.scope import area_q
from safeloop.core.transitions import Context, Pick, Rule, Subset, Transition, Turn, Who, Workflow
from safeloop.hazards.deadlines import deadline_from_input
from safeloop.hazards.documents import issue_documents
from safeloop.hazards.fields import FIXER
from safeloop.hazards.listing import lister_body, lister_level, may_decide, open_listing, publish_by, rule_of
from safeloop.hazards.models import (
    OPEN_STATUSES,
    Acceptor,
    Attachment,
    EvidenceKind,
    Hazard,
    HazardEvent,
    Level,
    Listing,
    ListingLevel,
    Source,
    Status,
)
from safeloop.hazards.notifications import notify_event
from safeloop.hazards.numbers import order_number, review_number
from safeloop.hazards.services import hazard_recur, listing_close, listing_open
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import supervising_department

S = Status
ENTERPRISE, EXPERT, REGULATOR, SUPERVISOR = "enterprise", "expert", "regulator", "supervisor"
SELF_MANAGED_SOURCES = (Source.SELF_CHECK, Source.INTERNAL_REPORT)


def is_self_managed(hazard: Hazard) -> bool:
    """A general hazard the enterprise found itself: the enterprise runs the whole loop, but a
    different person must accept what was fixed."""
    return hazard.level == Level.GENERAL and hazard.source in SELF_MANAGED_SOURCES


SELF_MANAGED = Subset(test=is_self_managed, q=Q(level=Level.GENERAL, source__in=SELF_MANAGED_SOURCES))
# 即查即改 (services' hazard_fix_on_spot): the recorder enters, in the same act, the rectification
# a named person did before their eyes. A reopen clears the mark: from then on the enterprise submits.
ON_SPOT = Subset(test=lambda hazard: hazard.on_spot, q=Q(on_spot=True))
REGULATORS_OR_SELF = Who(always=frozenset({REGULATOR}), also=frozenset({ENTERPRISE}), when=SELF_MANAGED)
CLOSERS = Who(always=frozenset({SUPERVISOR}), also=frozenset({ENTERPRISE}), when=SELF_MANAGED)
SIGNERS = Who(always=frozenset({EXPERT, ENTERPRISE}))
DOERS = Who(always=frozenset({ENTERPRISE, REGULATOR}))
ENTERPRISE_ONLY = Who(always=frozenset({ENTERPRISE}))
ENTERPRISE_OR_ON_SPOT_RECORDER = Who(always=frozenset({ENTERPRISE}), also=frozenset({REGULATOR}), when=ON_SPOT)
REGULATORS = Who(always=frozenset({REGULATOR}))
SUPERVISORS = Who(always=frozenset({SUPERVISOR}))


# ---------------------------------------------------------------- the actions' fields

STAGES = (("confirmation", _("确认")), ("acceptance", _("验收")))
STAGE = FieldSpec(name="stage", label=_("签字环节"), kind=Kind.CHOICE, required=True, choices=STAGES)
SIGN_OPINION = FieldSpec(name="opinion", label=_("签字意见"), kind=Kind.TEXTAREA, max_length=500)
LEVEL = model_spec(Hazard, "level", label=_("隐患等级"))
CLAUSE = model_spec(Hazard, "clause", help=_("重大隐患必填，如 GM10-11-03"))
DOWNGRADE_REASON = FieldSpec(
    name="reason", label=_("降级理由"), kind=Kind.TEXTAREA, max_length=2000, help=_("重大隐患改为一般隐患时必填")
)
WITHDRAW_REASON = FieldSpec(name="reason", label=_("撤销理由"), kind=Kind.TEXTAREA, required=True, max_length=500)
RESPONSIBLE_UNIT = model_spec(Hazard, "responsible_unit", required=True)
RESPONSIBLE_PERSON = model_spec(Hazard, "responsible_person", required=True)
DEADLINE_DAYS = FieldSpec(
    name="deadline_days",
    label=_("整改期限（工作日数）"),
    kind=Kind.INTEGER,
    minimum=1,
    maximum=750,
    help=_("从今天起的工作日数，节假日不计；或填下面的日期"),
)
DEADLINE_ON = FieldSpec(name="deadline", label=_("整改期限日期"), kind=Kind.DATE)
PLAN_GOAL = FieldSpec(name="goal", label=_("治理目标和任务"), kind=Kind.TEXTAREA, max_length=2000)
MEASURES = model_spec(Hazard, "measures", required=True, max_length=2000)
FUNDS = FieldSpec(name="funds", label=_("整改资金"), kind=Kind.MONEY, unit="元", required=True, minimum=0)
PLAN_DEADLINE = FieldSpec(name="deadline", label=_("治理时限"), kind=Kind.DATE, required=True)
CONTINGENCY_PLAN = model_spec(Hazard, "contingency_plan", max_length=2000, help=_("重大隐患必填"))
EXTEND_TO = FieldSpec(name="deadline", label=_("申请延至"), kind=Kind.DATE, required=True)
EXTEND_REASON = FieldSpec(name="reason", label=_("延期理由"), kind=Kind.TEXTAREA, required=True, max_length=500)
APPROVE = FieldSpec(name="approve", label=_("是否同意"), kind=Kind.BOOLEAN, required=True)
DECISION_NOTE = FieldSpec(
    name="reason", label=_("审批意见"), kind=Kind.TEXTAREA, max_length=500, help=_("不同意时必填")
)
RECTIFICATION_NOTE = FieldSpec(name="note", label=_("整改情况说明"), kind=Kind.TEXTAREA, required=True, max_length=2000)
RECTIFIED_ON = FieldSpec(
    name="rectified_on", label=_("完成日期"), kind=Kind.DATE, not_future=True, help=_("不填为今天")
)
EVIDENCE = FieldSpec(
    name="attachments",
    label=_("整改证明"),
    kind=Kind.IDS,
    required=True,
    help=_("尚无可用的整改证明：请先在下方“整改照片及证明”处上传整改后的照片或文件，再回来勾选"),
)
ACCEPT_OPINION = FieldSpec(name="opinion", label=_("验收意见"), kind=Kind.TEXTAREA, required=True, max_length=1000)
REJECT_REASON = FieldSpec(name="reason", label=_("退回理由"), kind=Kind.TEXTAREA, required=True, max_length=1000)
LOOK_BACK_RESULTS = (("holds", _("整改成效保持")), ("recurred", _("隐患复发")))
LOOK_BACK_RESULT = FieldSpec(
    name="result", label=_("回头看结果"), kind=Kind.CHOICE, required=True, choices=LOOK_BACK_RESULTS
)
LOOK_BACK_NOTE = FieldSpec(name="note", label=_("回头看情况"), kind=Kind.TEXTAREA, required=True, max_length=2000)
REOPEN_REASON = FieldSpec(name="reason", label=_("重新打开理由"), kind=Kind.TEXTAREA, required=True, max_length=1000)
NEW_DEADLINE_DAYS = DEADLINE_DAYS.but(label=_("新期限（工作日数）"))
NEW_DEADLINE_ON = DEADLINE_ON.but(label=_("新期限日期"))
URGE_NOTE = FieldSpec(name="note", label=_("催办意见"), kind=Kind.TEXTAREA, required=True, max_length=1000)
LISTING_DEADLINE = FieldSpec(
    name="deadline", label=_("督办整改期限"), kind=Kind.DATE, help=_("不填为隐患的整改期限；尚未交办的必填")
)
LISTING_REQUIREMENT = FieldSpec(
    name="requirement",
    label=_("督办要求"),
    kind=Kind.TEXTAREA,
    max_length=2000,
    help=_("写入挂牌督办通知书，不对外公开"),
)
DELIST_REASON = FieldSpec(
    name="reason", label=_("摘牌理由"), kind=Kind.TEXTAREA, required=True, max_length=500, help=_("不对外公开")
)


# ---------------------------------------------------------------- signatures (专家+企业双签字)


def signing_stage(hazard: Hazard) -> str:
    return "confirmation" if hazard.status == S.REPORTED else "acceptance"


def signing_party(parties: frozenset[str]) -> str | None:
    if EXPERT in parties:
        return EXPERT
    return ENTERPRISE if ENTERPRISE in parties else None


def signatures(hazard: Hazard, stage: str) -> set[str]:
    """Parties whose `sign` for this stage counts: acceptance signatures are reset by a reject
    or a new submission, so each acceptance round needs both again."""
    signed: set[str] = set()
    for event in hazard.events.order_by("seq").only("action", "payload"):
        if event.action == "sign" and event.payload.get("stage") == stage:
            signed.add(event.payload["party"])
        elif stage == "acceptance" and event.action in ("reject", "submit_rectification"):
            signed.clear()
    return signed


def _require_both_signatures(ctx: Context, stage: str) -> None:
    if ctx.obj.level != Level.MAJOR:
        return
    missing = {EXPERT, ENTERPRISE} - signatures(ctx.obj, stage)
    if missing:
        names = "、".join(
            str(name)
            for party, name in ((EXPERT, _("专家")), (ENTERPRISE, _("企业主要负责人或其授权签字人")))
            if party in missing
        )
        ctx.inp.error("signatures", gettext("重大隐患需专家和企业主要负责人双签字，尚缺：%(names)s") % {"names": names})


# ---------------------------------------------------------------- the table's rules


def _signing_counts(turn: Turn) -> bool:
    hazard = turn.obj
    return hazard.level == Level.MAJOR or (hazard.status == S.REPORTED and not is_self_managed(hazard))


def _not_signed_yet(turn: Turn) -> bool:
    party = signing_party(turn.parties)
    return party is None or party not in signatures(turn.obj, signing_stage(turn.obj))


def _decides_extension(turn: Turn) -> bool:
    return turn.obj.assigned_by_role != REGULATOR or REGULATOR in turn.parties


def _extension_deciders_q(actor: User, parties: frozenset[str]) -> Q:
    return Q() if REGULATOR in parties else ~Q(assigned_by_role=REGULATOR)


def _look_back_due(turn: Turn) -> bool:
    return turn.obj.look_back_due is None or turn.today >= turn.obj.look_back_due


def _listing_body_decides(turn: Turn) -> bool:
    listing = open_listing(turn.obj)
    return listing is None or may_decide(turn.actor, listing)


def _listing_bodies_q(actor: User, parties: frozenset[str]) -> Q:
    """Hazards not listed, or listed by a body whose area includes the actor's listing area."""
    listed = Listing.objects.filter(delisted_on__isnull=True)
    if lister_level(actor) is None:
        return ~Q(pk__in=listed.values("hazard_id"))
    ours = listed.filter(area_q("region", actor.region_id))
    return ~Q(pk__in=listed.values("hazard_id")) | Q(pk__in=ours.values("hazard_id"))


SIGNING_COUNTS = Rule(test=_signing_counts, refusal=_("只有重大隐患（或拟确认为重大隐患的）需要专家和企业双签字"))
NOT_SIGNED_YET = Rule(test=_not_signed_yet, refusal=_("本环节您一方已签字"), code="duplicate")
EXTENSION_PENDING = Rule(
    test=lambda turn: bool(turn.obj.extension_request),
    refusal=_("没有待审批的延期申请"),
    q=lambda actor, parties: Q(extension_request__isnull=False),
)
NO_EXTENSION_PENDING = Rule(
    test=lambda turn: not turn.obj.extension_request, refusal=_("已有待审批的延期申请，请等待审批结果")
)
ASSIGNER_DECIDES = Rule(test=_decides_extension, refusal=_("延期申请由交办部门审批"), q=_extension_deciders_q)
NOT_THE_FIXER = Rule(
    test=lambda turn: turn.obj.rectified_by_id != turn.actor.pk,
    refusal=_("验收须由整改人以外的人员进行"),
    q=lambda actor, parties: ~Q(rectified_by=actor),
)
LOOK_BACK_DUE = Rule(test=_look_back_due, refusal=_("回头看尚未到期，请在回头看日期之后进行"))
MAJOR_ONLY = Rule(test=lambda turn: turn.obj.level == Level.MAJOR, refusal=_("只有重大隐患可以挂牌督办"))
NOT_LISTED = Rule(test=lambda turn: open_listing(turn.obj) is None, refusal=_("该隐患已挂牌督办，如需改变级别请先摘牌"))
LISTED = Rule(test=lambda turn: open_listing(turn.obj) is not None, refusal=_("该隐患未挂牌督办"))
LISTS_AT_ITS_LEVEL = Rule(
    test=lambda turn: lister_level(turn.actor) is not None,
    refusal=_("挂牌督办由县级、市级（省级）安委会账号按本级进行"),
)
LISTING_BODY_DECIDES = Rule(
    test=_listing_body_decides,
    refusal=_("挂牌督办的隐患由挂牌督办单位或其上级摘牌、销号"),
    q=_listing_bodies_q,
)


# ---------------------------------------------------------------- who signs for the enterprise, who accepts


def _signs_for_the_enterprise(turn: Turn) -> bool:
    """An enterprise's signature is its principal's, or that of the delegate the principal has
    named on record (accounts.SigningDelegation); an expert's is the expert's own."""
    return ENTERPRISE not in turn.parties or signing_capacity(turn.actor, turn.today) is not None


def _enterprise_signers_q(actor: User, parties: frozenset[str]) -> Q:
    return Q() if ENTERPRISE not in parties or signing_capacity(actor) is not None else Q(pk__in=[])


ENTERPRISE_SIGNER = Rule(
    test=_signs_for_the_enterprise,
    refusal=_("企业签字须由本企业主要负责人或其授权的签字人本人进行"),
    q=_enterprise_signers_q,
)


def _acceptor_kinds(actor: User, parties: frozenset[str]) -> set[str]:
    """The recorded acceptors this actor is (the department acceptor is one department)."""
    kinds = {""}  # none recorded (history imported or from before it was recorded): `who` decides
    if ENTERPRISE in parties:
        kinds.add(Acceptor.ENTERPRISE)
    if REGULATOR in parties:
        kinds.add(Acceptor.REGULATOR)
    if REGULATOR in parties and actor.role == Role.TOWNSHIP:
        kinds.add(Acceptor.TOWNSHIP)
    return kinds


def _is_the_acceptor(turn: Turn) -> bool:
    h = turn.obj
    if h.acceptor == Acceptor.DEPARTMENT:
        return turn.actor.role == Role.DEPARTMENT and turn.actor.department_id == h.acceptor_department_id
    return h.acceptor in _acceptor_kinds(turn.actor, turn.parties)


def _acceptor_q(actor: User, parties: frozenset[str]) -> Q:
    q = Q(acceptor__in=_acceptor_kinds(actor, parties))
    if actor.role == Role.DEPARTMENT and actor.department_id:
        q |= Q(acceptor=Acceptor.DEPARTMENT, acceptor_department_id=actor.department_id)
    return q


THE_ACCEPTOR = Rule(
    test=_is_the_acceptor,
    refusal=_("验收应由提交整改时确定的验收方进行（见本隐患的“验收方”）"),
    q=_acceptor_q,
)
FALLBACKS = (Acceptor.TOWNSHIP, Acceptor.DEPARTMENT)


def self_accept_fallback() -> tuple[str, ...]:
    """Who accepts the self-found hazard of an enterprise with no second account: the township
    (属地) or the supervising department first, per SAFELOOP_SELF_ACCEPT_FALLBACK, then the other."""
    first = getattr(settings, "SAFELOOP_SELF_ACCEPT_FALLBACK", Acceptor.TOWNSHIP)
    if first not in FALLBACKS:
        raise ImproperlyConfigured(f"SAFELOOP_SELF_ACCEPT_FALLBACK={first!r} must be township or department")
    return (first, *(kind for kind in FALLBACKS if kind != first))


def expected_acceptor(hazard: Hazard, fixer: User) -> tuple[str, str, int | None]:
    """Who is to accept this rectification, decided as it is submitted: (kind, the body's name,
    its department). The enterprise accepts its own self-found hazard when another of its accounts
    can (never the fixer); else the township or the supervising department, whichever has an
    account; a hazard a regulator assigned, or any other, goes to the regulators."""
    if not is_self_managed(hazard) or hazard.assigned_by_role == REGULATOR:
        return Acceptor.REGULATOR, str(Acceptor.REGULATOR.label), None
    if has_other_account(hazard.enterprise_id, besides=fixer.pk):
        return Acceptor.ENTERPRISE, hazard.enterprise.name, None
    for kind in self_accept_fallback():
        found = _fallback_acceptor(kind, hazard.enterprise)
        if found is not None:
            return found
    return Acceptor.REGULATOR, str(Acceptor.REGULATOR.label), None


def on_spot_acceptor(ctx: Context) -> tuple[str, str, int | None]:
    """即查即改: the recorder, who witnessed the fix, accepts it in the same act."""
    if ENTERPRISE in ctx.parties:
        return Acceptor.ENTERPRISE, ctx.obj.enterprise.name, None
    return Acceptor.REGULATOR, str(Acceptor.REGULATOR.label), None


def _fallback_acceptor(kind: str, enterprise: Enterprise) -> tuple[str, str, int | None] | None:
    if kind == Acceptor.TOWNSHIP:
        staffed = has_active_account(role=Role.TOWNSHIP, region_ids=[enterprise.region_id])
        return (Acceptor.TOWNSHIP, enterprise.region.name, None) if staffed else None
    department = supervising_department(enterprise)
    if department is None or not has_active_account(role=Role.DEPARTMENT, department_id=department.pk):
        return None
    return Acceptor.DEPARTMENT, department.name, department.pk


# ---------------------------------------------------------------- the actions' small functions


def run_sign(ctx: Context) -> dict:
    stage = signing_stage(ctx.obj)
    asked = ctx.inp.read(STAGE)
    if asked and asked != stage:
        shown = dict(STAGES)[stage]
        ctx.inp.error(STAGE.name, gettext("当前应进行%(stage)s环节的签字") % {"stage": shown})
    opinion = ctx.inp.read(SIGN_OPINION)
    ctx.inp.check()
    party = signing_party(ctx.parties)
    payload = {"stage": stage, "party": party, "opinion": opinion}
    return payload | (_enterprise_signer(ctx) if party == ENTERPRISE else {})


def _enterprise_signer(ctx: Context) -> dict:
    """The signer signs in their own name (the event's actor) and position, never the principal's."""
    capacity = signing_capacity(ctx.actor, ctx.today)
    assert capacity is not None  # the ENTERPRISE_SIGNER guard let this actor through
    position = ctx.actor.position
    return {
        "position": position,
        "position_name": str(ctx.actor.get_position_display()),
        "capacity": capacity.capacity,
        "delegation": capacity.delegation_id,
    }


def run_confirm(ctx: Context) -> dict:
    """Confirm at the level being decided: confirming as major needs both signatures (which
    may be given on a hazard reported as general); downgrading a major one needs a reason."""
    h = ctx.obj
    level = ctx.inp.read(LEVEL) or h.level
    clause = ctx.inp.read(CLAUSE) or h.clause
    reason = ctx.inp.read(DOWNGRADE_REASON.but(required=h.level == Level.MAJOR and level == Level.GENERAL))
    was = h.level
    h.level, h.clause = level, clause
    if level == Level.MAJOR and not clause:
        ctx.inp.error(CLAUSE.name, gettext("重大隐患必须注明判定依据（标准条款）"))
    _require_both_signatures(ctx, "confirmation")
    ctx.inp.check()
    return {"level": level, "clause": clause, "previous_level": was, "reason": reason}


def run_withdraw(ctx: Context) -> dict:
    reason = ctx.inp.read(WITHDRAW_REASON)
    ctx.inp.check()
    return {"reason": reason, "delisted": _delist(ctx, gettext("隐患撤销"))}


def run_assign(ctx: Context) -> dict:
    h = ctx.obj
    h.responsible_unit = ctx.inp.read(RESPONSIBLE_UNIT)
    h.responsible_person = ctx.inp.read(RESPONSIBLE_PERSON)
    due = deadline_from_input(ctx.inp, ctx.today, on=DEADLINE_ON, days=DEADLINE_DAYS)
    ctx.inp.check()
    h.deadline = h.original_deadline = due.date
    h.deadline_provisional = due.provisional
    h.assigned_by_role = ENTERPRISE if ENTERPRISE in ctx.parties and REGULATOR not in ctx.parties else REGULATOR
    # An on-the-spot removal is ordered on the spot (现场处理措施决定书), not given a 限期整改 order.
    if h.assigned_by_role == REGULATOR and h.source != Source.SELF_CHECK and not h.on_spot:
        h.order_no = order_number(h, ctx.today.year)
    ctx.then.append(partial(_issue, ctx))
    return {
        "responsible_unit": h.responsible_unit,
        "responsible_person": h.responsible_person,
        "deadline": h.deadline.isoformat(),
        "provisional": due.provisional,
        "order_no": h.order_no,
    } | ({"on_spot": True} if h.on_spot else {})


def run_submit_plan(ctx: Context) -> dict:
    h, inp = ctx.obj, ctx.inp
    h.plan_goal = inp.read(PLAN_GOAL)
    h.measures = inp.read(MEASURES)
    h.funds = inp.read(FUNDS)
    h.responsible_person = inp.read(RESPONSIBLE_PERSON)
    plan_deadline = inp.read(PLAN_DEADLINE)
    h.contingency_plan = inp.read(CONTINGENCY_PLAN.but(required=h.level == Level.MAJOR))
    if plan_deadline and h.deadline and plan_deadline > h.deadline:
        message = gettext("治理时限不能晚于交办期限 %(deadline)s（如需延长请申请延期）")
        inp.error(PLAN_DEADLINE.name, message % {"deadline": f"{h.deadline:%Y-%m-%d}"})
    inp.check()
    h.plan_submitted_at = ctx.now
    return {
        "measures": h.measures,
        "funds": str(h.funds),
        "responsible_person": h.responsible_person,
        "deadline": plan_deadline.isoformat(),
        "goal": h.plan_goal,
        "contingency_plan": h.contingency_plan,
    }


def run_start(ctx: Context) -> dict:
    if ctx.obj.level == Level.MAJOR and not ctx.obj.plan_submitted_at:
        message = gettext("重大隐患须先提交治理方案（措施、资金、责任人、时限、预案五落实）才能开始整改")
        ctx.inp.error("plan", message)
    ctx.inp.check()
    return {}


def run_request_extension(ctx: Context) -> dict:
    h = ctx.obj
    until = ctx.inp.read(EXTEND_TO)
    reason = ctx.inp.read(EXTEND_REASON)
    if until and h.deadline and until <= h.deadline:
        message = gettext("申请延至日期应晚于当前期限 %(deadline)s")
        ctx.inp.error(EXTEND_TO.name, message % {"deadline": f"{h.deadline:%Y-%m-%d}"})
    ctx.inp.check()
    h.extension_request = {"deadline": until.isoformat(), "reason": reason, "by": ctx.actor.pk}
    return {"deadline": until.isoformat(), "reason": reason, "current_deadline": h.deadline.isoformat()}


def run_decide_extension(ctx: Context) -> dict:
    h = ctx.obj
    approve = ctx.inp.read(APPROVE)
    reason = ctx.inp.read(DECISION_NOTE.but(required=approve is False))
    ctx.inp.check()
    requested = h.extension_request
    if approve:
        h.deadline = date.fromisoformat(requested["deadline"])
        h.escalation = 0  # supervision starts again from the new deadline
    h.extension_request = None
    return {
        "approve": approve,
        "reason": reason,
        "requested": requested["deadline"],
        "original_deadline": h.original_deadline.isoformat(),
        "deadline": h.deadline.isoformat(),
    }


def run_submit_rectification(ctx: Context) -> dict:
    h = ctx.obj
    note = ctx.inp.read(RECTIFICATION_NOTE)
    done_on = ctx.inp.read(RECTIFIED_ON) or ctx.today
    fixer = ctx.inp.read(FIXER)
    attachments = ctx.picked[EVIDENCE.name]
    ctx.inp.check()
    h.rectified_on, h.fixer_name = done_on, fixer or str(ctx.actor)
    # 即查即改: the fixer is the person named, not the recorder's account (who accepts next)
    h.rectified_by = None if h.on_spot else ctx.actor
    h.acceptor, h.acceptor_name, h.acceptor_department_id = (
        on_spot_acceptor(ctx) if h.on_spot else expected_acceptor(h, ctx.actor)
    )
    ctx.evidence = [a.sha256 for a in attachments]
    ctx.then.append(partial(_mark_used, [a.pk for a in attachments]))
    return {
        "note": note,
        "rectified_on": done_on.isoformat(),
        "fixer": h.fixer_name,
        "acceptor": h.acceptor,
        "acceptor_name": h.acceptor_name,
    }


def rectification_proof(hazard: Hazard) -> QuerySet[Attachment]:
    """What may prove the rectification: evidence of that kind, uploaded since 开始整改, not used yet."""
    started = hazard.events.filter(action="start").order_by("seq").values("at")[:1]
    return hazard.attachments.filter(
        kind=EvidenceKind.RECTIFICATION, used_in_event__isnull=True, uploaded_at__gte=Subquery(started)
    )


PROOF = Pick(
    field=EVIDENCE.name,
    among=rectification_proof,
    refusal=_("只能选择开始整改后上传、尚未使用过的整改照片或证明"),
    missing=_("请上传整改后的照片或证明文件（至少一个），并逐个勾选"),
)


def _mark_used(attachment_ids: list[int], event: HazardEvent) -> None:
    Attachment.objects.filter(pk__in=attachment_ids).update(used_in_event=event.seq)


def run_accept(ctx: Context) -> dict:
    h = ctx.obj
    opinion = ctx.inp.read(ACCEPT_OPINION)
    _require_both_signatures(ctx, "acceptance")
    ctx.inp.check()
    h.accepted_by_name, h.accepted_on = str(ctx.actor), ctx.today
    if h.order_no and not h.review_no:
        h.review_no = review_number(h, ctx.today.year)
    ctx.then.append(partial(_issue, ctx))
    return {"opinion": opinion, "review_no": h.review_no}


def _issue(ctx: Context, event: HazardEvent) -> None:
    """The documents the event issues (order or notice on 交办, review on 验收), sealed in the
    action's transaction: a failure to seal undoes the action."""
    issue_documents(hazard=ctx.obj, event=event, actor=ctx.actor)


def run_reject(ctx: Context) -> dict:
    reason = ctx.inp.read(REJECT_REASON)
    ctx.inp.check()
    ctx.obj.rectified_on = None
    return {"reason": reason}


def look_back_days(hazard: Hazard) -> int:
    major = hazard.level == Level.MAJOR
    return settings.SAFELOOP_LOOK_BACK_DAYS_MAJOR if major else settings.SAFELOOP_LOOK_BACK_DAYS_GENERAL


def run_close(ctx: Context) -> dict:
    h = ctx.obj
    h.closed_on = ctx.today
    h.look_back_due = ctx.today + timedelta(days=look_back_days(h))
    return {"look_back_due": h.look_back_due.isoformat(), "delisted": _delist(ctx, gettext("隐患销号"))}


def run_look_back(ctx: Context) -> dict:
    result = ctx.inp.read(LOOK_BACK_RESULT)
    note = ctx.inp.read(LOOK_BACK_NOTE)
    ctx.inp.check()
    ctx.target = S.VERIFIED if result == "holds" else S.RECURRED
    if ctx.target == S.RECURRED:
        ctx.then.append(lambda event: hazard_recur(original=ctx.obj, actor=ctx.actor, note=note))
    return {"result": result, "note": note}


def run_reopen(ctx: Context) -> dict:
    reason = ctx.inp.read(REOPEN_REASON)
    due = deadline_from_input(ctx.inp, ctx.today, on=NEW_DEADLINE_ON, days=NEW_DEADLINE_DAYS)
    ctx.inp.check()
    h = ctx.obj
    h.deadline, h.deadline_provisional = due.date, due.provisional
    h.closed_on = h.accepted_on = h.look_back_due = h.rectified_on = None
    h.accepted_by_name = h.review_no = h.fixer_name = ""
    h.escalation = 0
    h.on_spot = False  # the on-the-spot fix did not hold: rectified and accepted like any other now
    return {"reason": reason, "deadline": due.date.isoformat()}


def run_urge(ctx: Context) -> dict:
    note = ctx.inp.read(URGE_NOTE)
    ctx.inp.check()
    ctx.obj.urged_at = ctx.now
    return {"note": note}


def run_list(ctx: Context) -> dict:
    """挂牌督办 at the actor's level, until the deadline of the listing (by default the hazard's)."""
    h, level = ctx.obj, lister_level(ctx.actor)
    deadline = ctx.inp.read(LISTING_DEADLINE) or h.deadline
    requirement = ctx.inp.read(LISTING_REQUIREMENT)
    if deadline is None:
        ctx.inp.error(LISTING_DEADLINE.name, gettext("该隐患尚未交办、没有整改期限，请填写督办整改期限"))
    elif deadline < ctx.today:
        ctx.inp.error(LISTING_DEADLINE.name, gettext("督办整改期限不能早于今天"))
    ctx.inp.check()
    values = {
        "level": level,
        "body": lister_body(ctx.actor),
        "region_id": ctx.actor.region_id,
        "listed_on": ctx.today,
        "deadline": deadline,
        "requirement": requirement,
        "publish_by": publish_by(ctx.today, rule_of(level).publish_workdays),
    }
    ctx.then.append(lambda event: listing_open(hazard=h, values=values, seq=event.seq))
    shown = {"level_name": str(ListingLevel(level).label), "deadline": deadline.isoformat()}
    return values | shown | {"listed_on": ctx.today.isoformat(), "publish_by": values["publish_by"].isoformat()}


def run_delist(ctx: Context) -> dict:
    reason = ctx.inp.read(DELIST_REASON)
    ctx.inp.check()
    return {"reason": reason, "delisted": _delist(ctx, reason)}


def _delist(ctx: Context, reason: str) -> str:
    """摘牌 the hazard's open listing in this act, if it has one; the body, for the event."""
    listing = open_listing(ctx.obj)
    if listing is None:
        return ""
    due = publish_by(ctx.today, rule_of(listing.level).delist_publish_workdays)
    ctx.then.append(
        lambda event: listing_close(listing_id=listing.pk, on=ctx.today, reason=reason, publish_by=due, seq=event.seq)
    )
    return listing.body


# ---------------------------------------------------------------- the table


def _always(today: date) -> Q:
    return Q()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        action="sign",
        label=_("签字"),
        sources=(S.REPORTED, S.AWAITING_ACCEPTANCE),
        who=SIGNERS,
        who_label=_("专家、企业主要负责人或其授权签字人"),
        needs=_(
            "重大隐患在确认和验收时各需专家、企业签字；企业一方由主要负责人或其授权的签字人以本人姓名签字；每方每轮签一次"
        ),
        fields=(STAGE, SIGN_OPINION),
        offered=(SIGNING_COUNTS, NOT_SIGNED_YET),
        guards=(ENTERPRISE_SIGNER,),
        run=run_sign,
        todo=lambda today: Q(level=Level.MAJOR),
    ),
    Transition(
        action="confirm",
        label=_("确认隐患"),
        sources=(S.REPORTED,),
        targets=(S.CONFIRMED,),
        who=REGULATORS_OR_SELF,
        who_label=_("监管部门/属地；企业自查的一般隐患由企业自行确认"),
        needs=_("重大隐患须有判定依据和专家+企业双签字"),
        fields=(LEVEL, CLAUSE, DOWNGRADE_REASON),
        run=run_confirm,
        todo=_always,
    ),
    Transition(
        action="withdraw",
        label=_("撤销"),
        sources=(S.REPORTED, S.CONFIRMED),
        targets=(S.WITHDRAWN,),
        who=REGULATORS_OR_SELF,
        who_label=_("监管部门/属地；企业可撤销自查的一般隐患"),
        needs=_("撤销理由；仅限交办前"),
        fields=(WITHDRAW_REASON,),
        run=run_withdraw,
    ),
    Transition(
        action="assign",
        label=_("交办"),
        sources=(S.CONFIRMED,),
        targets=(S.ASSIGNED,),
        who=REGULATORS_OR_SELF,
        who_label=_("监管部门/属地；企业自查的一般隐患由企业自行交办"),
        needs=_("责任单位、责任人、期限（日期或工作日数）；监管检查发现的生成责令限期整改指令书"),
        fields=(RESPONSIBLE_UNIT, RESPONSIBLE_PERSON, DEADLINE_DAYS, DEADLINE_ON),
        run=run_assign,
        todo=_always,
    ),
    Transition(
        action="submit_plan",
        label=_("提交治理方案"),
        sources=(S.ASSIGNED, S.RECTIFYING),
        who=DOERS,
        who_label=_("企业、监管部门"),
        needs=_("五落实：措施、资金、责任人、时限、应急预案（重大隐患必填预案）"),
        fields=(PLAN_GOAL, MEASURES, FUNDS, RESPONSIBLE_PERSON, PLAN_DEADLINE, CONTINGENCY_PLAN),
        run=run_submit_plan,
        todo=lambda today: Q(level=Level.MAJOR, plan_submitted_at__isnull=True),
    ),
    Transition(
        action="start",
        label=_("开始整改"),
        sources=(S.ASSIGNED,),
        targets=(S.RECTIFYING,),
        who=DOERS,
        who_label=_("企业、监管部门"),
        needs=_("重大隐患须先提交治理方案"),
        run=run_start,
        todo=_always,
    ),
    Transition(
        action="request_extension",
        label=_("申请延期"),
        sources=(S.RECTIFYING,),
        who=ENTERPRISE_ONLY,
        who_label=_("企业"),
        needs=_("新期限晚于当前期限、理由；原期限保留在记录中；已有待审批的申请时不能再申请"),
        fields=(EXTEND_TO, EXTEND_REASON),
        offered=(NO_EXTENSION_PENDING,),
        run=run_request_extension,
    ),
    Transition(
        action="decide_extension",
        label=_("审批延期"),
        sources=(S.RECTIFYING,),
        who=REGULATORS_OR_SELF,
        who_label=_("交办方"),
        needs=_("同意或不同意；不同意须写理由；监管部门交办的由监管部门审批"),
        fields=(APPROVE, DECISION_NOTE),
        offered=(EXTENSION_PENDING,),
        guards=(ASSIGNER_DECIDES,),
        run=run_decide_extension,
        todo=_always,
    ),
    Transition(
        action="urge",
        label=_("催办"),
        sources=(S.ASSIGNED, S.RECTIFYING),
        who=REGULATORS,
        who_label=_("监管部门/属地"),
        needs=_("催办意见；通知企业及参与办理的人，企业待办中标注已催办"),
        fields=(URGE_NOTE,),
        run=run_urge,
    ),
    Transition(
        action="submit_rectification",
        label=_("提交整改"),
        sources=(S.RECTIFYING,),
        targets=(S.AWAITING_ACCEPTANCE,),
        who=ENTERPRISE_OR_ON_SPOT_RECORDER,
        who_label=_("企业；即查即改的由现场记录人登记"),
        needs=_("整改说明和至少一个整改证明：开始整改后上传、尚未使用的整改照片或证明，逐个勾选"),
        fields=(RECTIFICATION_NOTE, RECTIFIED_ON, FIXER, EVIDENCE),
        picks=(PROOF,),
        run=run_submit_rectification,
        todo=_always,
    ),
    Transition(
        action="accept",
        label=_("验收通过"),
        sources=(S.AWAITING_ACCEPTANCE,),
        targets=(S.ACCEPTED,),
        who=REGULATORS_OR_SELF,
        who_label=_(
            "提交整改时确定的验收方：企业自查的一般隐患由企业内部验收，企业没有其他账号时由属地乡镇或行业主管部门验收；其他由监管部门验收"
        ),
        needs=_("验收意见；验收人不得是整改人；重大隐患须专家+企业验收双签字；监管检查发现的生成整改复查意见书"),
        fields=(ACCEPT_OPINION,),
        guards=(NOT_THE_FIXER, THE_ACCEPTOR),
        run=run_accept,
        todo=_always,
    ),
    Transition(
        action="reject",
        label=_("验收退回"),
        sources=(S.AWAITING_ACCEPTANCE,),
        targets=(S.RECTIFYING,),
        who=REGULATORS_OR_SELF,
        who_label=_("同验收"),
        needs=_("退回理由；退回人不得是整改人；双签字作废，下一轮重新签"),
        fields=(REJECT_REASON,),
        guards=(NOT_THE_FIXER, THE_ACCEPTOR),
        run=run_reject,
    ),
    Transition(
        action="close",
        label=_("销号"),
        sources=(S.ACCEPTED,),
        targets=(S.CLOSED,),
        who=CLOSERS,
        who_label=_("企业自查的一般隐患由企业销号；监管检查发现的和重大隐患由县级以上监管部门销号"),
        needs=_("排定回头看日期（一般30天、重大90天，可配置）；挂牌督办的由挂牌督办单位或其上级销号，同时摘牌"),
        guards=(LISTING_BODY_DECIDES,),
        run=run_close,
        todo=_always,
    ),
    Transition(
        action="look_back",
        label=_("回头看"),
        sources=(S.CLOSED,),
        targets=(S.VERIFIED, S.RECURRED),
        who=CLOSERS,
        who_label=_("同销号"),
        needs=_("回头看日期到后进行；结果为整改成效保持或隐患复发，复发时生成关联的新隐患"),
        fields=(LOOK_BACK_RESULT, LOOK_BACK_NOTE),
        offered=(LOOK_BACK_DUE,),
        run=run_look_back,
        todo=lambda today: Q(look_back_due__lte=today),
    ),
    Transition(
        action="reopen",
        label=_("重新打开"),
        sources=(S.ACCEPTED, S.CLOSED),
        targets=(S.RECTIFYING,),
        who=SUPERVISORS,
        who_label=_("县级以上监管部门"),
        needs=_("理由和新期限"),
        fields=(REOPEN_REASON, NEW_DEADLINE_DAYS, NEW_DEADLINE_ON),
        run=run_reopen,
    ),
    Transition(
        action="list",
        label=_("挂牌督办"),
        sources=OPEN_STATUSES,
        who=SUPERVISORS,
        who_label=_("县级、市级（省级）安委会，按本级挂牌"),
        needs=_("仅限重大隐患；督办整改期限（不填为整改期限）、督办要求；挂牌后按规定期限公开（青岛：5个工作日内）"),
        fields=(LISTING_DEADLINE, LISTING_REQUIREMENT),
        offered=(MAJOR_ONLY, NOT_LISTED),
        guards=(LISTS_AT_ITS_LEVEL,),
        run=run_list,
    ),
    Transition(
        action="delist",
        label=_("摘牌"),
        sources=(*OPEN_STATUSES, S.ACCEPTED),
        who=SUPERVISORS,
        who_label=_("挂牌督办单位或其上级"),
        needs=_("摘牌理由（不公开）；销号时自动摘牌；摘牌后按规定期限公开"),
        fields=(DELIST_REASON,),
        offered=(LISTED,),
        guards=(LISTING_BODY_DECIDES,),
        run=run_delist,
    ),
)


# ---------------------------------------------------------------- who is acting


def role_parties(actor: User) -> frozenset[str]:
    """The system administrator sees everything but acts in no hazard's loop: running the
    platform is not a supervisory authority."""
    if actor.role == Role.SYSADMIN:
        return frozenset()
    if actor.role == Role.ENTERPRISE:
        return frozenset({ENTERPRISE})
    if actor.role == Role.EXPERT:
        return frozenset({EXPERT})
    if actor.is_regulator:
        return frozenset({REGULATOR}) if actor.role == Role.TOWNSHIP else frozenset({REGULATOR, SUPERVISOR})
    return frozenset()


def parties_of(actor: User, hazard: Hazard) -> frozenset[str]:
    """The actor's parties for a hazard already known to be in the actor's scope. An enterprise
    party is an account of the hazard's own enterprise, signing in its own name."""
    if actor.role == Role.ENTERPRISE and actor.enterprise_id != hazard.enterprise_id:
        return frozenset()
    return role_parties(actor)


def _notify(hazard_id: int, event_id: int) -> None:
    notify_event(hazard_id=hazard_id, event_id=event_id)


HAZARD_FLOW = Workflow(
    model=Hazard,
    events=HazardEvent,
    transitions=TRANSITIONS,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("enterprise",),
    notify=_notify,
)
# Events that are not user actions of the table: the first report, escalations, imports.
ACTION_LABELS = {"report": _("上报"), "escalate": _("督办升级"), "import": _("导入历史")} | HAZARD_FLOW.labels


# ---------------------------------------------------------------- the entry point and its readers


def hazard_act(*, hazard_id: int, actor: User, action: str, version: Any, data: dict | None = None) -> Hazard:
    """Take one action on one hazard: the table decides, then the action's function runs."""
    return HAZARD_FLOW.act(pk=hazard_id, actor=actor, action=action, version=version, data=data)


def available_actions(actor: User, hazard: Hazard) -> list[Transition]:
    """The buttons this actor sees on this hazard, and the API's `actions`."""
    return HAZARD_FLOW.available(actor, hazard)


def action_options(t: Transition, hazard: Hazard) -> dict[str, list[tuple[str, str]]]:
    """The records the row lets its list fields name now (the proof a submission may tick)."""
    return HAZARD_FLOW.options(t, hazard)


def todo_q(actor: User, today: date) -> Q | None:
    """Hazards waiting for something this actor's parties may do, derived from the table."""
    return HAZARD_FLOW.todo_q(actor, today)
