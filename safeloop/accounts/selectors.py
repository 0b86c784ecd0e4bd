"""Reads of accounts: the acting user of a command, an expert's assigned enterprises, a user's
notifications, an enterprise's own accounts and who signs for it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Notification, Position, Role, SigningDelegation, User
from safeloop.core.models import AuditEntry


def actor_for(username: str) -> User:
    """Commands act as a named user, so scope and audit apply exactly as on the pages."""
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在或已停用") from None


UNREAD_SHOWN = 99  # the bell shows "99+" beyond this, so the count never scans more rows


def unread_count(user: User) -> int:
    """Unread notifications, counted up to UNREAD_SHOWN + 1 (one query on the unread index)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)[: UNREAD_SHOWN + 1].count()


def notification_list(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's own notifications, newest first; nobody reaches another user's."""
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


class Bell:
    """The unread count for the top bar; counted on first use, so a page without the bar
    (or a signed-out visitor) costs no query."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self.user) if self.user.is_authenticated else 0

    @property
    def label(self) -> str:
        return f"{UNREAD_SHOWN}+" if self.count > UNREAD_SHOWN else str(self.count)


# ---------------------------------------------------------------- an enterprise's own accounts

POSITION_ORDER = Case(
    *(When(position=value, then=Value(rank)) for rank, value in enumerate(Position.values)),
    default=Value(len(Position.values)),
    output_field=IntegerField(),
)


def enterprise_members(actor: Any) -> QuerySet[User]:
    """The accounts of the actor's own enterprise (principal first); nobody else's, so an
    account of another enterprise is missing (404), like any object outside one's scope."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_id:
        return User.objects.none()
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=actor.enterprise_id).order_by(
        POSITION_ORDER, "-is_active", "display_name", "username"
    )


def member_get(actor: Any, pk: Any) -> User:
    found = enterprise_members(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def open_delegation_q(today: date | None = None) -> Q:
    """A delegation in force: not revoked and not past its last day."""
    today = today or timezone.localdate()
    return Q(revoked_at__isnull=True) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def delegation_history(actor: Any) -> QuerySet[SigningDelegation]:
    """Every naming and revocation of the actor's enterprise, newest first."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_id:
        return SigningDelegation.objects.none()
    qs = SigningDelegation.objects.filter(enterprise_id=actor.enterprise_id)
    return qs.select_related("principal", "delegate", "revoked_by")


def current_delegation(actor: Any) -> SigningDelegation | None:
    return delegation_history(actor).filter(open_delegation_q()).first()


ACCOUNT_ACTIONS = {
    "enterprise_user.add": _("创建账号"),
    "enterprise_user.update": _("修改账号信息"),
    "enterprise_user.disable": _("停用账号"),
    "enterprise_user.enable": _("重新启用账号"),
    "enterprise_user.reset_password": _("重置密码"),
    "enterprise_user.principal_handover": _("移交主要负责人"),
    "user.password": _("本人修改密码"),
}
SHOWN_CHANGES = ("display_name", "phone", "position")


def account_history(member: User, limit: int = 20) -> list[tuple[AuditEntry, str, list[str]]]:
    """What was done to this account and by whom (the audit log), newest first, in words:
    each entry with its action and the new values of the fields a person reads."""
    entries = AuditEntry.objects.filter(target_type="accounts.user", target_id=str(member.pk)).select_related("actor")
    return [(e, str(ACCOUNT_ACTIONS.get(e.action, _("系统管理员修改"))), _changes_in_words(e)) for e in entries[:limit]]


def _changes_in_words(entry: AuditEntry) -> list[str]:
    positions = dict(Position.choices)
    words = []
    for name in SHOWN_CHANGES:
        if name in entry.changes:
            new = entry.changes[name][1]
            label = getattr(User._meta.get_field(name), "verbose_name", name)
            words.append(f"{label}：{positions.get(new, new) if name == 'position' else new or '—'}")
    return words


@dataclass(frozen=True)
class SigningCapacity:
    """In what capacity an account gives its enterprise's signature."""

    capacity: str  # "principal" or "delegate"
    delegation_id: int | None = None


def signing_capacity(user: Any, today: date | None = None) -> SigningCapacity | None:
    """Whether this account signs for its enterprise (专家+企业双签字): as its principal, or as
    the delegate the current principal has named on record. None: it does not."""
    if not (user.is_active and user.role == Role.ENTERPRISE and user.enterprise_id):
        return None
    if user.position == Position.PRINCIPAL:
        return SigningCapacity("principal")
    named = (
        SigningDelegation.objects.filter(
            open_delegation_q(today), delegate_id=user.pk, enterprise_id=user.enterprise_id
        )
        .filter(principal__position=Position.PRINCIPAL, principal__enterprise_id=user.enterprise_id)
        .values_list("pk", flat=True)
        .first()
    )
    return SigningCapacity("delegate", named) if named else None


def has_other_account(enterprise_id: int, *, besides: int | None) -> bool:
    """Does the enterprise have an active account other than this one (who may accept its work)?"""
    qs = User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True)
    return (qs.exclude(pk=besides) if besides is not None else qs).exists()


def has_active_account(*, role: str, region_ids: Iterable[str] = (), department_id: int | None = None) -> bool:
    """Does an active account of this role exist for one of these regions, or this department?"""
    qs = User.objects.filter(role=role, is_active=True)
    qs = qs.filter(department_id=department_id) if department_id is not None else qs.filter(region_id__in=region_ids)
    return qs.exists()
