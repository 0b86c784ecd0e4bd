"""Who may open the target dashboard: one function, for the view and the menu alike."""

from __future__ import annotations

from safeloop.accidents.permissions import sees_whole_county
from safeloop.accounts.models import User


def can_open_dashboard(user: User) -> bool:
    """The targets are region-wide figures (all sectors, disasters, denominators) computed and
    ranked by county: for users who see a whole county or more. A department's figures would
    be a part passing for the whole; a township has no targets of its own."""
    return sees_whole_county(user)
