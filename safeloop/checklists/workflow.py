"""The checklist's workflow as a table (core.transitions): 填写中 → 已提交. Answers are saved item
by item outside the table (services.item_answer: the status stays, each answer is an event);
submitting is the one state change."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.checklists.models import Checklist, ChecklistEvent, Status
from safeloop.checklists.submission import run_submit
from safeloop.core.transitions import Transition, Who, Workflow

ENTERPRISE = "enterprise"
ENTERPRISE_ONLY = Who(always=frozenset({ENTERPRISE}))


def role_parties(actor: User) -> frozenset[str]:
    return frozenset({ENTERPRISE}) if actor.role == Role.ENTERPRISE else frozenset()


def parties_of(actor: User, checklist: Checklist) -> frozenset[str]:
    """Only an account of the checklist's own enterprise walks it; regulators read it."""
    if actor.role == Role.ENTERPRISE and actor.enterprise_id == checklist.enterprise_id:
        return frozenset({ENTERPRISE})
    return frozenset()


TRANSITIONS = (
    Transition(
        action="submit",
        label=_("提交自查结果"),
        sources=(Status.IN_PROGRESS,),
        targets=(Status.SUBMITTED,),
        who=ENTERPRISE_ONLY,
        who_label=_("本企业账号"),
        needs=_("每一项都已填写；每个不符合项作为重大隐患上报，引用该条款"),
        run=run_submit,
    ),
)
FLOW = Workflow(
    model=Checklist,
    events=ChecklistEvent,
    transitions=TRANSITIONS,
    role_parties=role_parties,
    parties_of=parties_of,
    related=("enterprise", "enterprise__region"),
)


def available_actions(user: User, checklist: Checklist) -> list[Transition]:
    return FLOW.available(user, checklist)
