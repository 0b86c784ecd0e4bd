"""The actions' small functions: each reads its fields, sets the hazard's attributes and
returns the event's payload; and what may prove a rectification."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Q, QuerySet, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.selectors import signing_capacity
from safeloop.core.errors import Forbidden
from safeloop.core.transitions import Context, Pick
from safeloop.hazards.clauses import read_clause
from safeloop.hazards.deadlines import deadline_from_input
from safeloop.hazards.documents import issue_documents
from safeloop.hazards.fields import FIXER
from safeloop.hazards.listing import lister_body, lister_level, open_listing, publish_by, rule_of
from safeloop.hazards.models import (
    Attachment,
    EvidenceKind,
    Hazard,
    HazardEvent,
    Level,
    ListingLevel,
    Source,
)
from safeloop.hazards.numbers import order_number, review_number
from safeloop.hazards.services import hazard_recur, listing_close, listing_open
from safeloop.hazards.workflow.fields import (
    ACCEPT_OPINION,
    APPROVE,
    CLAUSE,
    CONTINGENCY_PLAN,
    DEADLINE_DAYS,
    DEADLINE_ON,
    DECISION_NOTE,
    DELIST_REASON,
    DOWNGRADE_REASON,
    EVIDENCE,
    EXTEND_REASON,
    EXTEND_TO,
    FUNDS,
    LEVEL,
    LISTING_DEADLINE,
    LISTING_REQUIREMENT,
    LOOK_BACK_NOTE,
    LOOK_BACK_RESULT,
    MEASURES,
    NEW_DEADLINE_DAYS,
    NEW_DEADLINE_ON,
    PLAN_DEADLINE,
    PLAN_GOAL,
    RECTIFICATION_NOTE,
    RECTIFIED_ON,
    REJECT_REASON,
    REOPEN_REASON,
    RESPONSIBLE_PERSON,
    RESPONSIBLE_UNIT,
    SIGN_OPINION,
    STAGE,
    STAGES,
    URGE_NOTE,
    WITHDRAW_REASON,
)
from safeloop.hazards.workflow.parties import ENTERPRISE, REGULATOR, S
from safeloop.hazards.workflow.rules import (
    _require_both_signatures,
    expected_acceptor,
    on_spot_acceptor,
    signing_party,
    signing_stage,
)

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
    clause = read_clause(ctx.inp, CLAUSE) or h.clause
    reason = ctx.inp.read(DOWNGRADE_REASON.but(required=h.level == Level.MAJOR and level == Level.GENERAL))
    was = h.level
    h.level, h.clause = level, clause
    if level == Level.MAJOR and not clause and CLAUSE.name not in ctx.inp.errors:
        ctx.inp.error(CLAUSE.name, gettext("重大隐患必须注明判定依据（标准条款）"))
    _require_both_signatures(ctx, "confirmation")
    ctx.inp.check()
    return {"level": level, "clause": clause.id if clause else None, "previous_level": was, "reason": reason}


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
    return {}  # a major hazard's 治理方案 first: the row's PLAN_SUBMITTED rule


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
    """What may prove the rectification: evidence of that kind, uploaded since 开始整改, not used
    yet, and taken since 开始整改 by its capture time (EXIF or the phone's clock): a photo taken
    before is never proof, whenever it was uploaded (docs/offline.md)."""
    started = hazard.events.filter(action="start").order_by("seq").values("at")[:1]
    proof = hazard.attachments.filter(
        kind=EvidenceKind.RECTIFICATION, used_in_event__isnull=True, uploaded_at__gte=Subquery(started)
    )
    if hazard.on_spot:  # 即查即改: the after photo is taken before the one act that records it all
        return proof
    return proof.filter(Q(captured_at__isnull=True) | Q(captured_at__gte=Subquery(started)))


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
    if level is None:  # the row's rules refuse an actor whose body does not list, before this
        raise Forbidden(gettext("您所在的单位不能挂牌督办"))
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
