"""Who may open the reporting pages (the menu names these, the views refuse with them)."""

from __future__ import annotations

from typing import Any

from safeloop.core.roles import Role


def can_open_reports(user: Any) -> bool:
    """Regulators, the system administrator and enterprises (their internal reports); experts
    have no part in reports."""
    return bool(user.is_authenticated and user.is_active and user.role != Role.EXPERT)
