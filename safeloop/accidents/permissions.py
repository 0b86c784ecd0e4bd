"""What a role may do with accidents and region-wide records: one function per permission, for
the views (to refuse) and the templates (to offer the link) alike."""

from __future__ import annotations

from safeloop.accounts.models import Role, User
from safeloop.core.scope import complete_area

COUNTY_CODE_LENGTH = 6
WRITER_ROLES = frozenset({Role.CITY, Role.COUNTY, Role.TOWNSHIP, Role.SYSADMIN})


def can_write_records(user: User) -> bool:
    """Record or edit accidents, disasters, responses and denominators (the area authorities)."""
    return user.role in WRITER_ROLES


def sees_whole_region(user: User) -> bool:
    """Disasters, responses and denominators belong to a region, not to an enterprise or a
    sector: only a user who sees a whole region (city, county, township, sysadmin) has any, and
    the target figures built on them are for the same users."""
    return complete_area(user) is not None


def sees_whole_county(user: User) -> bool:
    """A user who sees at least a whole county (county, city, sysadmin): the level at which the
    target figures are computed and ranked (the target dashboard, and the links to it)."""
    prefix = complete_area(user)
    return prefix is not None and len(prefix) <= COUNTY_CODE_LENGTH
