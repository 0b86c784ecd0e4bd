"""What a user may do with accounts: one function per permission, for the views (to refuse),
the menu and the templates (to offer) alike."""

from __future__ import annotations

from typing import Any

from safeloop.accounts.models import Position
from safeloop.core.roles import Role


def can_manage_enterprise_accounts(user: Any) -> bool:
    """Add, disable and re-enable the accounts of one's own enterprise, set their positions, name
    the signing delegate and hand the principal's position over: the principal (主要负责人) only."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.ENTERPRISE
        and user.enterprise_id
        and user.position == Position.PRINCIPAL
    )
