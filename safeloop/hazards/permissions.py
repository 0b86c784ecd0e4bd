"""What a role may do with the ledger outside the workflow table (which decides every action on
a hazard): one function per permission, for the views and the templates alike."""

from __future__ import annotations

from safeloop.accounts.models import User
from safeloop.hazards.services import allowed_sources


def can_report_hazards(user: User) -> bool:
    """Report a hazard: a role with at least one source it may report from."""
    return bool(allowed_sources(user))


def can_import_ledger(user: User) -> bool:
    """Import an existing ledger: regulators (the import itself checks the same)."""
    return user.is_regulator
