"""Who hears about a hazard event, and the message they get.

`ROUTES` is the table: for each action, the message and the audiences told. Audiences are
derived, never stored: the enterprise's users, whoever acted on the hazard before, the
supervising department of the enterprise (三管三必须, `registry.selectors.supervising_department`),
the township (属地) of the enterprise, and its county. The county hears about major hazards
(`COUNTY_IF_MAJOR`) and about every escalation (`COUNTY`). The actor is never told about their
own act. Delivery (rows and channels) is `accounts.notifications.notify`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.accounts.notifications import notify
from safeloop.hazards.models import Hazard, HazardEvent, Level
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import supervising_department

ENTERPRISE = "enterprise"  # the enterprise's active users: it must act next
PARTICIPANTS = "participants"  # everyone who acted on this hazard before
DEPARTMENT = "department"  # users of the enterprise's supervising department
TOWNSHIP = "township"  # users of the enterprise's township (属地)
COUNTY = "county"  # users of the enterprise's county
COUNTY_IF_MAJOR = "county_if_major"  # the county, when the hazard is major

REMIT = frozenset({DEPARTMENT, TOWNSHIP, COUNTY_IF_MAJOR})  # the authorities responsible for it


StrOrPromise = str | Promise


@dataclass(frozen=True)
class Route:
    message: StrOrPromise
    audiences: frozenset[str]


ROUTES: dict[str, Route] = {
    "report": Route(_("新上报隐患待确认"), REMIT | {ENTERPRISE}),
    "sign": Route(_("重大隐患签字已记录"), frozenset({PARTICIPANTS})),
    "confirm": Route(_("隐患已确认"), REMIT | {ENTERPRISE, PARTICIPANTS}),
    "withdraw": Route(_("隐患已撤销"), REMIT | {ENTERPRISE, PARTICIPANTS}),
    "assign": Route(_("隐患已交办，请按期整改"), REMIT | {ENTERPRISE}),
    "submit_plan": Route(_("治理方案已提交"), REMIT | {PARTICIPANTS}),
    "start": Route(_("企业已开始整改"), frozenset({PARTICIPANTS})),
    "request_extension": Route(_("企业申请延期，请审批"), REMIT | {PARTICIPANTS}),
    "decide_extension": Route(_("延期申请已审批"), REMIT | {ENTERPRISE}),
    "submit_rectification": Route(_("企业已提交整改，请验收"), REMIT | {PARTICIPANTS}),
    "accept": Route(_("整改已验收通过"), REMIT | {ENTERPRISE, PARTICIPANTS}),
    "reject": Route(_("整改验收未通过，请继续整改"), REMIT | {ENTERPRISE}),
    "close": Route(_("隐患已销号"), REMIT | {ENTERPRISE, PARTICIPANTS}),
    "look_back": Route(_("回头看已完成"), REMIT | {ENTERPRISE, PARTICIPANTS}),
    "reopen": Route(_("隐患已重新打开，请整改"), REMIT | {ENTERPRISE}),
    "urge": Route(_("隐患催办：请抓紧整改"), frozenset({ENTERPRISE, PARTICIPANTS})),
    "list": Route(_("重大隐患已挂牌督办"), REMIT | {ENTERPRISE, PARTICIPANTS, COUNTY}),
    "delist": Route(_("重大隐患已摘牌"), REMIT | {ENTERPRISE, PARTICIPANTS, COUNTY}),
    # 即查即改 is one recorded act of several rows; it is told once, when the record is complete.
    "fix_on_spot": Route(_("即查即改：隐患已当场整改并验收"), REMIT | {ENTERPRISE}),
    "escalate": Route(_("隐患已逾期并升级督办"), REMIT | {ENTERPRISE, PARTICIPANTS, COUNTY}),
    "remind": Route(_("隐患整改即将到期"), frozenset({ENTERPRISE})),
}


def notify_event(*, hazard_id: int, event_id: int) -> int:
    """Tell the audiences of one recorded event (called after the event's transaction commits)."""
    event = HazardEvent.objects.select_related("hazard").get(pk=event_id, hazard_id=hazard_id)
    route = ROUTES.get(event.action)
    if route is None:
        return 0
    return hazard_notify(
        hazard=event.hazard, action=event.action, title=f"{event.hazard.code}：{route.message}", actor_id=event.actor_id
    )


def hazard_notify(*, hazard: Hazard, action: str, title: str, actor_id: int | None = None) -> int:
    """Tell the audiences the table names for `action` about this hazard, except the actor."""
    route = ROUTES[action]
    users = recipients(hazard, route.audiences, actor_id=actor_id)
    return notify(users=users, kind=action, title=title, url=reverse("hazards:detail", args=[hazard.pk]))


def recipients(hazard: Hazard, audiences: frozenset[str], *, actor_id: int | None = None) -> list[User]:
    terms = audience_terms(hazard, audiences)
    if not terms:
        return []
    qs = User.objects.filter(reduce(operator.or_, terms), is_active=True)
    return list(qs.exclude(pk=actor_id) if actor_id else qs)


def audience_terms(hazard: Hazard, audiences: frozenset[str]) -> list[Q]:
    """One filter on users per audience; together they are one query."""
    enterprise = Enterprise.objects.select_related("supervising_department_override").get(pk=hazard.enterprise_id)
    if COUNTY_IF_MAJOR in audiences and hazard.level == Level.MAJOR:
        audiences = audiences | {COUNTY}
    found = (AUDIENCES[name](hazard, enterprise) for name in sorted(audiences) if name in AUDIENCES)
    return [q for q in found if q is not None]


def _department_users(hazard: Hazard, enterprise: Enterprise) -> Q | None:
    department = supervising_department(enterprise)
    return None if department is None else Q(role=Role.DEPARTMENT, department_id=department.pk)


def _participants(hazard: Hazard, enterprise: Enterprise) -> Q:
    return Q(pk__in=HazardEvent.objects.filter(hazard_id=hazard.pk, actor__isnull=False).values("actor_id"))


AUDIENCES: dict[str, Callable[[Hazard, Enterprise], Q | None]] = {
    ENTERPRISE: lambda hazard, enterprise: Q(role=Role.ENTERPRISE, enterprise_id=enterprise.pk),
    PARTICIPANTS: _participants,
    DEPARTMENT: _department_users,
    TOWNSHIP: lambda hazard, enterprise: Q(role=Role.TOWNSHIP, region_id=enterprise.region_id),
    COUNTY: lambda hazard, enterprise: Q(role=Role.COUNTY, region_id=enterprise.region_id[:6]),
}
