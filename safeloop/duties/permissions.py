"""What a role may open in duties outside the scope rules."""

from __future__ import annotations

from typing import Any

from safeloop.core.roles import REGULATOR_ROLES, Role


def can_open_duties(user: Any) -> bool:
    """The duty lists: regulators (their units) and enterprises (the enterprise list)."""
    return user.is_authenticated and (user.role in REGULATOR_ROLES or user.role == Role.ENTERPRISE)


def can_open_assessment(user: Any) -> bool:
    """Tasks, drills, accountability and the assessment: regulators of the units concerned."""
    return user.is_authenticated and user.role in REGULATOR_ROLES
