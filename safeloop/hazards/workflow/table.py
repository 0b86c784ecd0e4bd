"""The table itself, the workflow over it, and the entry point."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import User
from safeloop.core.transitions import Transition, Workflow
from safeloop.hazards.fields import FIXER
from safeloop.hazards.models import (
    OPEN_STATUSES,
    Hazard,
    HazardEvent,
    Level,
)
from safeloop.hazards.notifications import notify_event
from safeloop.hazards.workflow.actions import (
    PROOF,
    run_accept,
    run_assign,
    run_close,
    run_confirm,
    run_decide_extension,
    run_delist,
    run_list,
    run_look_back,
    run_reject,
    run_reopen,
    run_request_extension,
    run_sign,
    run_start,
    run_submit_plan,
    run_submit_rectification,
    run_urge,
    run_withdraw,
)
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
    URGE_NOTE,
    WITHDRAW_REASON,
)
from safeloop.hazards.workflow.parties import (
    CLOSERS,
    DOERS,
    ENTERPRISE_ONLY,
    ENTERPRISE_OR_ON_SPOT_RECORDER,
    REGULATORS,
    REGULATORS_OR_SELF,
    SIGNERS,
    SUPERVISORS,
    S,
    parties_of,
    role_parties,
)
from safeloop.hazards.workflow.rules import (
    ACCEPTANCE_SIGNED,
    ASSIGNER_DECIDES,
    ENTERPRISE_SIGNER,
    EXPERT_SIGNER,
    EXTENSION_PENDING,
    LISTED,
    LISTING_BODY_DECIDES,
    LISTS_AT_ITS_LEVEL,
    LOOK_BACK_DUE,
    MAJOR_ONLY,
    NO_EXTENSION_PENDING,
    NOT_LISTED,
    NOT_SIGNED_YET,
    NOT_THE_FIXER,
    PLAN_SUBMITTED,
    SIGNING_COUNTS,
    THE_ACCEPTOR,
)

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
        guards=(ENTERPRISE_SIGNER, EXPERT_SIGNER),
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
        offered=(PLAN_SUBMITTED,),
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
        offered=(ACCEPTANCE_SIGNED,),
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
# Events that are not user actions of the table: the first report, escalations, imports, and the
# event with which the keyed ledger took over a hazard recorded before it (hazards/0007).
ACTION_LABELS = {
    "report": _("上报"),
    "escalate": _("督办升级"),
    "import": _("导入历史"),
    "migrated": _("台账升级存证"),
} | HAZARD_FLOW.labels


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
