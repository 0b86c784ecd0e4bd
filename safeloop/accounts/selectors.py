"""Reads of accounts: the acting user of a command, an expert's assigned enterprises."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import QuerySet

from safeloop.accounts.models import ExpertAssignment, User


def actor_for(username: str) -> User:
    """Commands act as a named user, so scope and audit apply exactly as on the pages."""
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在或已停用") from None


def expert_enterprise_ids(user: User) -> QuerySet[ExpertAssignment]:
    """The enterprises assigned to an expert (the expert's whole scope), as an id subquery."""
    return ExpertAssignment.objects.filter(expert_id=user.pk, active=True).values("enterprise_id")
