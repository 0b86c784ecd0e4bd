"""What a role may do with campaigns outside the workflow tables."""

from __future__ import annotations

from safeloop.accounts.models import Role, User
from safeloop.core.roles import AREA_ROLES


def can_open_campaigns(user: User) -> bool:
    """The campaign list: regulators (what they see), and enterprises (their own tasks)."""
    return user.role in AREA_ROLES or user.role in (Role.DEPARTMENT, Role.SYSADMIN, Role.ENTERPRISE)


def can_launch_campaigns(user: User) -> bool:
    return user.role in AREA_ROLES or user.role in (Role.DEPARTMENT, Role.SYSADMIN)
