"""Who may do what in 防汛抗旱: one function per permission, for views, templates and services."""

from __future__ import annotations

from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.scope import complete_area


def sees_flood(user) -> bool:
    """Flood records belong to a region: the city, county and township accounts (and the
    system administrator) see their area's; departments and enterprises have none."""
    return complete_area(user) is not None


def can_record(user) -> bool:
    """Record risk points, duty, patrols, zero reports, drought and resources (the area authorities)."""
    return user.role in AREA_ROLES or user.role == Role.SYSADMIN


def can_command(user) -> bool:
    """Start and end warnings and responses, handle and clear a 险情: a county or the city."""
    return user.role in (Role.CITY, Role.COUNTY, Role.SYSADMIN)
