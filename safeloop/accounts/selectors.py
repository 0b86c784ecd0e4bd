"""Reads of accounts: the acting user of a command, an expert's assigned enterprises, a user's notifications."""

from __future__ import annotations

from functools import cached_property

from django.core.management.base import CommandError
from django.db.models import QuerySet

from safeloop.accounts.models import ExpertAssignment, Notification, User


def actor_for(username: str) -> User:
    """Commands act as a named user, so scope and audit apply exactly as on the pages."""
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在或已停用") from None


def expert_enterprise_ids(user: User) -> QuerySet[ExpertAssignment]:
    """The enterprises assigned to an expert (the expert's whole scope), as an id subquery."""
    return ExpertAssignment.objects.filter(expert_id=user.pk, active=True).values("enterprise_id")


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
