"""The campaign's and the task's workflows as tables (core.transitions).

Campaign: 草拟中 →(launch)→ 进行中 →(close)→ 已结束. Launching freezes the target list and creates
the tasks (`services.run_launch`). Task: 待开展 →(start)→ 排查中 →(complete | checklist_done)→ 已完成,
or →(cancel)→ 已撤销 when its enterprise is taken off the list with a reason.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import User
from safeloop.campaigns.models import Campaign, CampaignEvent, Route, Status, Task, TaskEvent, TaskStatus
from safeloop.core.errors import NotFound, ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.scope import region_in_scope
from safeloop.core.transitions import Context, Transition, Who, Workflow

ORGANISER = "organiser"
ENTERPRISE = "enterprise"
ASSIGNEE = "assignee"

NOTE = FieldSpec(name="note", label=_("排查情况"), kind=Kind.TEXTAREA, required=True, max_length=4000)
FINDINGS = FieldSpec(
    name="findings",
    label=_("发现的隐患"),
    kind=Kind.TEXTAREA,
    max_length=8000,
    help=_("每行一条隐患描述；没有发现隐患则留空"),
)
REASON = FieldSpec(name="reason", label=_("理由"), kind=Kind.TEXT, required=True, max_length=300)


def is_organiser(actor: User, campaign: Campaign) -> bool:
    """The launching unit: an area user of the campaign's own region, its lead department, or an administrator."""
    if actor.role == Role.SYSADMIN:
        return True
    if actor.role in AREA_ROLES:
        return actor.region_id == campaign.region_id
    return (
        actor.role == Role.DEPARTMENT
        and bool(actor.department_id)
        and actor.department_id == campaign.lead_department_id
    )


def campaign_role_parties(actor: User) -> frozenset[str]:
    regulator = actor.role in AREA_ROLES or actor.role in (Role.DEPARTMENT, Role.SYSADMIN)
    return frozenset({ORGANISER}) if regulator else frozenset()


def campaign_parties(actor: User, campaign: Campaign) -> frozenset[str]:
    return frozenset({ORGANISER}) if is_organiser(actor, campaign) else frozenset()


def _run_launch(ctx: Context) -> dict[str, Any]:
    from safeloop.campaigns.services import run_launch

    return run_launch(ctx)


def _run_close(ctx: Context) -> dict[str, Any]:
    return {}


class CampaignWorkflow(Workflow):
    """The table's one entry point, locking the row through the campaign's own visibility rule
    (`selectors.campaign_q`) instead of `core.scope` (a department that leads a campaign sees it)."""

    def act(self, *, pk: Any, actor: Any, action: str, version: Any, data: dict | None = None) -> Any:
        from safeloop.campaigns.selectors import campaign_locked

        t = self.transition(action)
        if t is None:
            raise NotFound(_("没有名为“%(action)s”的操作") % {"action": action})
        if version in (None, ""):
            raise ValidationFailed(
                str(_("请提供当前版本号 version")), fields={"version": str(_("version 为必填的整数"))}
            )
        with transaction.atomic():
            obj = campaign_locked(actor, pk, version)
            turn = self.turn(actor, obj)
            refused = self.refusal(t, turn)
            if refused is not None:
                raise refused
            return self._apply(t, turn, data)


CAMPAIGN_FLOW = CampaignWorkflow(
    model=Campaign,
    events=CampaignEvent,
    role_parties=campaign_role_parties,
    parties_of=campaign_parties,
    related=("region",),
    transitions=(
        Transition(
            action="launch",
            label=_("启动行动"),
            sources=(Status.DRAFT,),
            targets=(Status.LAUNCHED,),
            who=Who(always=frozenset({ORGANISER})),
            who_label=_("发起单位"),
            needs=_("至少一家对象企业，结束日期不早于今天；启动时冻结对象名单并逐企生成任务"),
            run=_run_launch,
        ),
        Transition(
            action="close",
            label=_("结束行动"),
            sources=(Status.LAUNCHED,),
            targets=(Status.CLOSED,),
            who=Who(always=frozenset({ORGANISER})),
            who_label=_("发起单位"),
            needs=_("无"),
            run=_run_close,
        ),
    ),
)


# ---------------------------------------------------------------- tasks


def task_role_parties(actor: User) -> frozenset[str]:
    if actor.role == Role.ENTERPRISE:
        return frozenset({ENTERPRISE})
    return frozenset({ASSIGNEE, ORGANISER}) if actor.role != Role.EXPERT else frozenset()


def task_parties(actor: User, task: Task) -> frozenset[str]:
    parties: set[str] = set()
    if actor.role == Role.ENTERPRISE and actor.enterprise_id == task.enterprise_id:
        parties.add(ENTERPRISE)
    if _is_assignee(actor, task):
        parties.add(ASSIGNEE)
    if is_organiser(actor, task.campaign):
        parties.add(ORGANISER)
    return frozenset(parties)


def _is_assignee(actor: User, task: Task) -> bool:
    if task.route == Route.TOWNSHIP:
        return actor.role in (Role.TOWNSHIP, Role.COUNTY) and region_in_scope(actor, task.enterprise.region_id)
    if task.route == Route.DEPARTMENT:
        return actor.role == Role.DEPARTMENT and actor.department_id == task.department_id
    return False


def _run(name: str) -> Any:
    def run(ctx: Context) -> dict[str, Any]:
        from safeloop.campaigns import services

        result: dict[str, Any] = getattr(services, name)(ctx)
        return result

    return run


ACTOR_OF_ROUTE = {Route.ENTERPRISE: ENTERPRISE, Route.TOWNSHIP: ASSIGNEE, Route.DEPARTMENT: ASSIGNEE}
OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)

TASK_FLOW = Workflow(
    model=Task,
    events=TaskEvent,
    role_parties=task_role_parties,
    parties_of=task_parties,
    related=("campaign", "enterprise", "enterprise__region"),
    transitions=(
        Transition(
            action="start",
            label=_("开始排查"),
            sources=(TaskStatus.PENDING,),
            targets=(TaskStatus.IN_PROGRESS,),
            who=Who(always=frozenset({ENTERPRISE, ASSIGNEE})),
            who_label=_("承办单位（企业自查任务由本企业）"),
            needs=_("企业自查任务：打开本企业的自查清单（已有填写中的清单则沿用）"),
            run=_run("run_start"),
        ),
        Transition(
            action="complete",
            label=_("录入排查结果"),
            sources=OPEN,
            targets=(TaskStatus.DONE,),
            who=Who(always=frozenset({ASSIGNEE})),
            who_label=_("属地乡镇或监管部门"),
            needs=_("排查情况；每条发现的隐患进入隐患闭环"),
            fields=(NOTE, FINDINGS),
            run=_run("run_complete"),
        ),
        Transition(
            action="checklist_done",
            label=_("自查清单已提交"),
            sources=(TaskStatus.IN_PROGRESS,),
            targets=(TaskStatus.DONE,),
            who=Who(always=frozenset({ENTERPRISE})),
            who_label=_("本企业账号"),
            needs=_("提交自查清单时自动完成"),
            run=_run("run_checklist_done"),
        ),
        Transition(
            action="cancel",
            label=_("撤销任务"),
            sources=OPEN,
            targets=(TaskStatus.CANCELLED,),
            who=Who(always=frozenset({ORGANISER})),
            who_label=_("发起单位"),
            needs=_("理由"),
            fields=(REASON,),
            run=_run("run_cancel"),
        ),
    ),
)

# Actions a user takes with a button (checklist_done is taken by submitting the checklist).
BUTTONS = ("start", "complete", "cancel")
