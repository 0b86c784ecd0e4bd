"""The hazard workflow as a table: (state, action) → next state, who may act, what it needs.

`TRANSITIONS` is the only place that decides what is allowed. `apply_action()` is the only
entry point that changes a hazard's status: lock the row, check the version, look the move up
in the table, check the actor's party, run the action's small function (which validates and
sets fields), save, append the event, schedule notifications after commit. The same table
renders the buttons on the hazard page and the lifecycle diagram in docs/.

Parties (who, relative to this hazard): `enterprise` (a user of the hazard's enterprise),
`expert` (an expert assigned to it), `regulator` (city, county, township, department,
sysadmin users whose scope includes it), `supervisor` (regulators above township level: the
authority that closes regulator findings and major hazards).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeloop.accounts.models import Role, User
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.inputs import Inputs
from safeloop.core.scope import visible
from safeloop.hazards.documents import issue_documents
from safeloop.hazards.events import event_append
from safeloop.hazards.models import Attachment, Hazard, Level, Source, Status

S = Status
ENTERPRISE, EXPERT, REGULATOR, SUPERVISOR = "enterprise", "expert", "regulator", "supervisor"
PARTY_LABELS = {ENTERPRISE: "企业", EXPERT: "专家", REGULATOR: "监管部门/属地", SUPERVISOR: "监管部门（县级以上）"}
SELF_MANAGED_SOURCES = (Source.SELF_CHECK, Source.INTERNAL_REPORT)


@dataclass
class Context:
    hazard: Hazard
    actor: User
    parties: frozenset[str]
    inp: Inputs
    now: datetime
    today: date
    attachments: list[Attachment] = field(default_factory=list)
    target: str | None = None  # an action may choose among the table's targets (look_back)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # first is the default; () keeps the status
    who: Who
    who_label: str
    needs: str  # what the action requires, for the docs and the API description
    run: Callable[[Context], dict[str, Any]]
    todo: Callable[[date], Q] | None = None  # when waiting for this action puts a hazard on a to-do list
    offered: Callable[[Hazard], bool] = lambda hazard: True  # whether to show the button at all


def is_self_managed(hazard: Hazard) -> bool:
    """A general hazard the enterprise found itself: the enterprise runs the whole loop, but a
    different person must accept what was fixed."""
    return hazard.level == Level.GENERAL and hazard.source in SELF_MANAGED_SOURCES


SELF_MANAGED_Q = Q(level=Level.GENERAL, source__in=SELF_MANAGED_SOURCES)


@dataclass(frozen=True)
class Who:
    """Parties that may act always, plus those that may act on self-managed hazards."""

    always: frozenset[str]
    if_self_managed: frozenset[str] = frozenset()

    def __call__(self, hazard: Hazard) -> frozenset[str]:
        return self.always | self.if_self_managed if is_self_managed(hazard) else self.always

    def q(self, party: str) -> Q | None:
        """The hazards on which `party` may act, as a filter (for to-do lists)."""
        if party in self.always:
            return Q()
        return SELF_MANAGED_Q if party in self.if_self_managed else None


REGULATORS_OR_SELF = Who(frozenset({REGULATOR}), frozenset({ENTERPRISE}))
CLOSERS = Who(frozenset({SUPERVISOR}), frozenset({ENTERPRISE}))
SIGNERS = Who(frozenset({EXPERT, ENTERPRISE}))
DOERS = Who(frozenset({ENTERPRISE, REGULATOR}))
ENTERPRISE_ONLY = Who(frozenset({ENTERPRISE}))
SUPERVISORS = Who(frozenset({SUPERVISOR}))


# ---------------------------------------------------------------- signatures (专家+企业双签字)


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
    if ctx.hazard.level != Level.MAJOR:
        return
    missing = {EXPERT, ENTERPRISE} - signatures(ctx.hazard, stage)
    if missing:
        names = "、".join(
            name for party, name in ((EXPERT, "专家"), (ENTERPRISE, "企业主要负责人")) if party in missing
        )
        ctx.inp.error("signatures", f"重大隐患需专家和企业主要负责人双签字，尚缺：{names}")


# ---------------------------------------------------------------- the actions' small functions


def run_sign(ctx: Context) -> dict:
    stage = "confirmation" if ctx.hazard.status == S.REPORTED else "acceptance"
    asked = ctx.inp.text("stage", "签字环节", required=True)
    if asked and asked != stage:
        ctx.inp.error("stage", f"当前环节应为“{stage}”（确认 confirmation / 验收 acceptance）")
    if stage == "acceptance" and ctx.hazard.level != Level.MAJOR:
        ctx.inp.error("stage", "只有重大隐患需要验收双签字")
    party = EXPERT if EXPERT in ctx.parties else ENTERPRISE
    if party == ENTERPRISE and ctx.actor.role != Role.ENTERPRISE:
        ctx.inp.error("party", "企业签字须由企业主要负责人账号本人完成")
    if party in signatures(ctx.hazard, stage):
        ctx.inp.error("stage", "本环节您一方已签字")
    opinion = ctx.inp.text("opinion", "签字意见", max_length=500)
    ctx.inp.check()
    return {"stage": stage, "party": party, "opinion": opinion}


def run_confirm(ctx: Context) -> dict:
    """Confirm at the level being decided: confirming as major needs both signatures (which
    may be given on a hazard reported as general); downgrading a major one needs a reason."""
    h = ctx.hazard
    level = ctx.inp.choice("level", "隐患等级", Level, default=h.level)
    clause = ctx.inp.text("clause", "判定依据", max_length=200) or h.clause
    reason = ctx.inp.text("reason", "降级理由", required=h.level == Level.MAJOR and level == Level.GENERAL)
    was = h.level
    h.level, h.clause = level, clause
    if level == Level.MAJOR and not clause:
        ctx.inp.error("clause", "重大隐患必须注明判定依据（标准条款）")
    _require_both_signatures(ctx, "confirmation")
    ctx.inp.check()
    return {"level": level, "clause": clause, "previous_level": was, "reason": reason}


def run_withdraw(ctx: Context) -> dict:
    reason = ctx.inp.text("reason", "撤销理由", required=True, max_length=500)
    ctx.inp.check()
    return {"reason": reason}


def run_assign(ctx: Context) -> dict:
    from safeloop.hazards.deadlines import deadline_from_input

    h = ctx.hazard
    h.responsible_unit = ctx.inp.text("responsible_unit", "责任单位", required=True, max_length=120)
    h.responsible_person = ctx.inp.text("responsible_person", "责任人", required=True, max_length=60)
    due = deadline_from_input(ctx.inp, ctx.today)
    ctx.inp.check()
    h.deadline = h.original_deadline = due.date
    h.deadline_provisional = due.provisional
    h.assigned_by_role = ENTERPRISE if ENTERPRISE in ctx.parties and REGULATOR not in ctx.parties else REGULATOR
    if h.assigned_by_role == REGULATOR and h.source != Source.SELF_CHECK:
        from safeloop.hazards.numbers import order_number

        h.order_no = order_number(h, ctx.today.year)
    return {
        "responsible_unit": h.responsible_unit,
        "responsible_person": h.responsible_person,
        "deadline": h.deadline.isoformat(),
        "provisional": due.provisional,
        "order_no": h.order_no,
    }


def run_submit_plan(ctx: Context) -> dict:
    h, inp = ctx.hazard, ctx.inp
    h.plan_goal = inp.text("goal", "治理目标和任务", max_length=2000)
    h.measures = inp.text("measures", "整改措施", required=True)
    h.funds = inp.decimal("funds", "整改资金", required=True, minimum=Decimal(0))
    h.responsible_person = inp.text("responsible_person", "责任人", required=True, max_length=60)
    plan_deadline = inp.date("deadline", "治理时限", required=True)
    h.contingency_plan = inp.text("contingency_plan", "安全措施和应急预案", required=h.level == Level.MAJOR)
    if plan_deadline and h.deadline and plan_deadline > h.deadline:
        inp.error("deadline", f"治理时限不能晚于交办期限 {h.deadline:%Y-%m-%d}（如需延长请申请延期）")
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
    if ctx.hazard.level == Level.MAJOR and not ctx.hazard.plan_submitted_at:
        ctx.inp.error("plan", "重大隐患须先提交治理方案（措施、资金、责任人、时限、预案五落实）才能开始整改")
    ctx.inp.check()
    return {}


def run_request_extension(ctx: Context) -> dict:
    h = ctx.hazard
    if h.extension_request:
        raise Conflict("已有待审批的延期申请，请等待审批结果")
    until = ctx.inp.date("deadline", "申请延至", required=True)
    reason = ctx.inp.text("reason", "延期理由", required=True, max_length=500)
    if until and h.deadline and until <= h.deadline:
        ctx.inp.error("deadline", f"申请延至日期应晚于当前期限 {h.deadline:%Y-%m-%d}")
    ctx.inp.check()
    h.extension_request = {"deadline": until.isoformat(), "reason": reason, "by": ctx.actor.pk}
    return {"deadline": until.isoformat(), "reason": reason, "current_deadline": h.deadline.isoformat()}


def run_decide_extension(ctx: Context) -> dict:
    h = ctx.hazard
    if not h.extension_request:
        raise Conflict("没有待审批的延期申请")
    approve = ctx.inp.boolean("approve", "是否同意", required=True)
    reason = ctx.inp.text("reason", "审批意见", required=approve is False, max_length=500)
    if h.assigned_by_role == REGULATOR and REGULATOR not in ctx.parties:
        raise Forbidden("延期申请由交办部门审批")
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
    h = ctx.hazard
    note = ctx.inp.text("note", "整改情况说明", required=True, max_length=2000)
    done_on = ctx.inp.date("rectified_on", "完成日期") or ctx.today
    if done_on > ctx.today:
        ctx.inp.error("rectified_on", "完成日期不能晚于今天")
    ctx.attachments = _fresh_attachments(ctx)
    if not ctx.attachments:
        ctx.inp.error("attachments", "请上传整改后的照片或证明文件（至少一个）")
    ctx.inp.check()
    h.rectified_on, h.rectified_by = done_on, ctx.actor
    return {"note": note, "rectified_on": done_on.isoformat()}


def _fresh_attachments(ctx: Context) -> list[Attachment]:
    ids = ctx.inp.ids("attachments", "附件")
    found = list(ctx.hazard.attachments.filter(pk__in=ids, used_in_event__isnull=True))
    if len(found) != len(set(ids)):
        ctx.inp.error("attachments", "附件不存在、不属于该隐患或已用于其他环节")
    return found


def run_accept(ctx: Context) -> dict:
    h = ctx.hazard
    opinion = ctx.inp.text("opinion", "验收意见", required=True, max_length=1000)
    if h.rectified_by_id == ctx.actor.pk:
        raise Forbidden("验收须由整改人以外的人员进行")
    _require_both_signatures(ctx, "acceptance")
    ctx.inp.check()
    h.accepted_by_name, h.accepted_on = str(ctx.actor), ctx.today
    if h.order_no and not h.review_no:
        from safeloop.hazards.numbers import review_number

        h.review_no = review_number(h, ctx.today.year)
    return {"opinion": opinion, "review_no": h.review_no}


def run_reject(ctx: Context) -> dict:
    reason = ctx.inp.text("reason", "退回理由", required=True, max_length=1000)
    if ctx.hazard.rectified_by_id == ctx.actor.pk:
        raise Forbidden("验收须由整改人以外的人员进行")
    ctx.inp.check()
    ctx.hazard.rectified_on = None
    return {"reason": reason}


def look_back_days(hazard: Hazard) -> int:
    major = hazard.level == Level.MAJOR
    return settings.SAFELOOP_LOOK_BACK_DAYS_MAJOR if major else settings.SAFELOOP_LOOK_BACK_DAYS_GENERAL


def run_close(ctx: Context) -> dict:
    h = ctx.hazard
    h.closed_on = ctx.today
    h.look_back_due = ctx.today + timedelta(days=look_back_days(h))
    return {"look_back_due": h.look_back_due.isoformat()}


def run_look_back(ctx: Context) -> dict:
    h = ctx.hazard
    result = ctx.inp.text("result", "回头看结果", required=True)
    note = ctx.inp.text("note", "回头看情况", required=True, max_length=2000)
    if result and result not in ("holds", "recurred"):
        ctx.inp.error("result", "回头看结果应为 holds（整改成效保持）或 recurred（隐患复发）")
    if h.look_back_due and ctx.today < h.look_back_due:
        ctx.inp.error("result", f"回头看应在 {h.look_back_due:%Y-%m-%d} 之后进行")
    ctx.inp.check()
    ctx.target = S.VERIFIED if result == "holds" else S.RECURRED
    return {"result": result, "note": note}


def run_reopen(ctx: Context) -> dict:
    from safeloop.hazards.deadlines import deadline_from_input

    reason = ctx.inp.text("reason", "重新打开理由", required=True, max_length=1000)
    due = deadline_from_input(ctx.inp, ctx.today)
    ctx.inp.check()
    h = ctx.hazard
    h.deadline, h.deadline_provisional = due.date, due.provisional
    h.closed_on = h.accepted_on = h.look_back_due = h.rectified_on = None
    h.accepted_by_name = h.review_no = ""
    h.escalation = 0
    return {"reason": reason, "deadline": due.date.isoformat()}


# ---------------------------------------------------------------- the table


def _always(today: date) -> Q:
    return Q()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "sign",
        "签字",
        (S.REPORTED, S.AWAITING_ACCEPTANCE),
        (),
        SIGNERS,
        "专家、企业主要负责人",
        "重大隐患；stage=confirmation（确认）或 acceptance（验收）；每方每轮一次",
        run_sign,
        lambda today: Q(level=Level.MAJOR),
        lambda hazard: hazard.level == Level.MAJOR or (hazard.status == S.REPORTED and not is_self_managed(hazard)),
    ),
    Transition(
        "confirm",
        "确认隐患",
        (S.REPORTED,),
        (S.CONFIRMED,),
        REGULATORS_OR_SELF,
        "监管部门/属地；企业自查的一般隐患由企业自行确认",
        "重大隐患须有判定依据和专家+企业双签字",
        run_confirm,
        _always,
    ),
    Transition(
        "withdraw",
        "撤销",
        (S.REPORTED, S.CONFIRMED),
        (S.WITHDRAWN,),
        REGULATORS_OR_SELF,
        "监管部门/属地；企业可撤销自查的一般隐患",
        "理由；交办前",
        run_withdraw,
    ),
    Transition(
        "assign",
        "交办",
        (S.CONFIRMED,),
        (S.ASSIGNED,),
        REGULATORS_OR_SELF,
        "监管部门/属地；企业自查的一般隐患由企业自行交办",
        "责任单位、责任人、期限（日期或工作日数）；监管检查发现的生成责令限期整改指令书",
        run_assign,
        _always,
    ),
    Transition(
        "submit_plan",
        "提交治理方案",
        (S.ASSIGNED, S.RECTIFYING),
        (),
        DOERS,
        "企业、监管部门",
        "五落实：措施、资金、责任人、时限、应急预案（重大隐患必填预案）",
        run_submit_plan,
        lambda today: Q(level=Level.MAJOR, plan_submitted_at__isnull=True),
    ),
    Transition(
        "start",
        "开始整改",
        (S.ASSIGNED,),
        (S.RECTIFYING,),
        DOERS,
        "企业、监管部门",
        "重大隐患须先提交治理方案",
        run_start,
        _always,
    ),
    Transition(
        "request_extension",
        "申请延期",
        (S.RECTIFYING,),
        (),
        ENTERPRISE_ONLY,
        "企业",
        "新期限晚于当前期限、理由；原期限保留在记录中",
        run_request_extension,
        offered=lambda hazard: not hazard.extension_request,
    ),
    Transition(
        "decide_extension",
        "审批延期",
        (S.RECTIFYING,),
        (),
        REGULATORS_OR_SELF,
        "交办方",
        "同意或不同意；不同意须写理由",
        run_decide_extension,
        lambda today: Q(extension_request__isnull=False),
        lambda hazard: bool(hazard.extension_request),
    ),
    Transition(
        "submit_rectification",
        "提交整改",
        (S.RECTIFYING,),
        (S.AWAITING_ACCEPTANCE,),
        ENTERPRISE_ONLY,
        "企业",
        "整改说明和至少一个照片/证明附件",
        run_submit_rectification,
        _always,
    ),
    Transition(
        "accept",
        "验收通过",
        (S.AWAITING_ACCEPTANCE,),
        (S.ACCEPTED,),
        REGULATORS_OR_SELF,
        "监管部门/属地；企业自查的一般隐患由企业内部验收",
        "验收意见；验收人不得是整改人；重大隐患须专家+企业验收双签字；监管检查发现的生成整改复查意见书",
        run_accept,
        _always,
    ),
    Transition(
        "reject",
        "验收退回",
        (S.AWAITING_ACCEPTANCE,),
        (S.RECTIFYING,),
        REGULATORS_OR_SELF,
        "同验收",
        "退回理由；双签字作废，下一轮重新签",
        run_reject,
    ),
    Transition(
        "close",
        "销号",
        (S.ACCEPTED,),
        (S.CLOSED,),
        CLOSERS,
        "企业自查的一般隐患由企业销号；监管检查发现的和重大隐患由县级以上监管部门销号",
        "排定回头看日期（一般30天、重大90天，可配置）",
        run_close,
        _always,
    ),
    Transition(
        "look_back",
        "回头看",
        (S.CLOSED,),
        (S.VERIFIED, S.RECURRED),
        CLOSERS,
        "同销号",
        "到期后进行；结果 holds 或 recurred，复发时生成关联的新隐患",
        run_look_back,
        lambda today: Q(look_back_due__lte=today),
    ),
    Transition(
        "reopen",
        "重新打开",
        (S.ACCEPTED, S.CLOSED),
        (S.RECTIFYING,),
        SUPERVISORS,
        "县级以上监管部门",
        "理由和新期限",
        run_reopen,
    ),
)
TABLE: dict[tuple[str, str], Transition] = {(src, t.action): t for t in TRANSITIONS for src in t.sources}
ACTIONS = {t.action for t in TRANSITIONS}
# Events that are not user actions of the table: the first report, escalations, imports.
ACTION_LABELS = {"report": "上报", "escalate": "督办升级", "import": "导入历史"} | {
    t.action: t.label for t in TRANSITIONS
}


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
    """The actor's parties for a hazard already known to be in the actor's scope."""
    if actor.role == Role.ENTERPRISE and actor.enterprise_id != hazard.enterprise_id:
        return frozenset()
    return role_parties(actor)


def todo_q(actor: User, today: date) -> Q | None:
    """Hazards waiting for something this actor's parties may do, derived from the table."""
    parties = role_parties(actor)
    terms = [
        Q(status__in=t.sources) & who & t.todo(today)
        for t in TRANSITIONS
        if t.todo is not None
        for who in [t.who.q(p) for p in parties]
        if who is not None
    ]
    return reduce(operator.or_, terms) if terms else None


def available_actions(actor: User, hazard: Hazard) -> list[Transition]:
    """The buttons this actor sees on this hazard (the table decides; requirements are checked on use)."""
    mine = parties_of(actor, hazard)
    return [t for t in TRANSITIONS if hazard.status in t.sources and mine & t.who(hazard) and t.offered(hazard)]


# ---------------------------------------------------------------- the one entry point


def apply_action(*, hazard_id: int, actor: User, action: str, version: Any, data: dict | None = None) -> Hazard:
    if action not in ACTIONS:
        raise NotFound(f"没有名为“{action}”的操作")
    version = _version(version)
    with transaction.atomic():
        hazard = _locked(actor, hazard_id)
        if hazard.version != version:
            raise Conflict(f"该隐患已被他人处理（当前版本 {hazard.version}），请刷新后重试", code="stale_version")
        transition = TABLE.get((hazard.status, action))
        if transition is None:
            raise Conflict(
                f"隐患当前状态为“{hazard.get_status_display()}”，不能执行“{_label(action)}”", code="wrong_state"
            )
        parties = parties_of(actor, hazard)
        if not parties & transition.who(hazard):
            raise Forbidden(f"“{_label(action)}”应由{transition.who_label}进行")
        return _run(transition, hazard, actor, parties, data)


def _run(transition: Transition, hazard: Hazard, actor: User, parties: frozenset[str], data: dict | None) -> Hazard:
    now = timezone.now()
    ctx = Context(hazard, actor, parties, Inputs(data), now, timezone.localdate(now))
    before = hazard.status
    payload = transition.run(ctx)
    hazard.status = ctx.target or (transition.targets[0] if transition.targets else before)
    hazard.version += 1
    hazard.save()
    hashes = [a.sha256 for a in ctx.attachments]
    event = event_append(
        hazard=hazard,
        action=transition.action,
        actor=actor,
        at=now,
        from_status=before,
        payload=payload,
        attachments=hashes,
    )
    issue_documents(hazard=hazard, event=event, actor=actor)
    Attachment.objects.filter(pk__in=[a.pk for a in ctx.attachments]).update(used_in_event=event.seq)
    if hazard.status == S.RECURRED:
        from safeloop.hazards.services import hazard_recur

        hazard_recur(original=hazard, actor=actor, note=payload["note"])
    transaction.on_commit(lambda: _notify(hazard.pk, event.pk))
    return hazard


def _notify(hazard_id: int, event_id: int) -> None:
    from safeloop.hazards.notifications import notify_event

    notify_event(hazard_id=hazard_id, event_id=event_id)


def _locked(actor: User, hazard_id: int) -> Hazard:
    qs = visible(actor, Hazard.objects.select_for_update(of=("self",)).select_related("enterprise"))
    hazard = qs.filter(pk=hazard_id).first()
    if hazard is None:
        raise NotFound()
    return hazard


def _version(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed("请提供当前版本号 version", fields={"version": "version 为必填的整数"}) from None


def _label(action: str) -> str:
    return next((t.label for t in TRANSITIONS if t.action == action), action)
