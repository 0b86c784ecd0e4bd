from typing import Any

from safeloop.core.roles import Role

WRITERS = (Role.CITY, Role.COUNTY, Role.SYSADMIN)


def can_open_briefings(user: Any) -> bool:
    """Briefings are the 安委办's: a city's or a county's (and the system administrator's).
    Who sees which one is the scope of its region (`core.scope`)."""
    return bool(user.is_authenticated and user.is_active and user.role in WRITERS)
