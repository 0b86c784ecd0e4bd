"""What a role may do in the registry: one function per permission, used by the views (to
refuse) and by the templates (to offer the button) alike, so the two never disagree."""

from __future__ import annotations

from safeloop.accounts.models import Role, User
from safeloop.registry.validation import can_override_supervision, editable_fields

__all__ = ["can_edit_enterprises", "can_override_supervision", "can_register_enterprises"]

CREATOR_ROLES = frozenset({Role.CITY, Role.COUNTY, Role.TOWNSHIP, Role.DEPARTMENT, Role.SYSADMIN})


def can_register_enterprises(user: User) -> bool:
    """Register an enterprise, one by one or by Excel import."""
    return user.role in CREATOR_ROLES


def can_edit_enterprises(user: User) -> bool:
    """Edit enterprises in scope (an enterprise user only its own contact fields)."""
    return bool(editable_fields(user))
