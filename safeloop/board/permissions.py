"""Who may open the map board: one function, for the views, the API and the menu alike."""

from __future__ import annotations

from safeloop.accounts.models import User
from safeloop.core.roles import Role
from safeloop.core.scope import user_area


def can_open_board(user: User) -> bool:
    """The board shows areas: for users with one (government roles, departments, the system
    administrator); an enterprise or an expert has no area to fight from."""
    return user.is_authenticated and user.role not in (Role.ENTERPRISE, Role.EXPERT) and user_area(user) is not None
