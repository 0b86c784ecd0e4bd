"""What a role may do with the ledger outside the workflow table (which decides every action on
a hazard): one function per permission, for the views and the templates alike."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeloop.accounts.models import User
from safeloop.hazards.services import allowed_sources
from safeloop.hazards.workflow import ENTERPRISE, REGULATOR, role_parties
from safeloop.registry.models import Enterprise


def can_report_hazards(user: User) -> bool:
    """Report a hazard: a role with at least one source it may report from."""
    return bool(allowed_sources(user))


def can_import_ledger(user: User) -> bool:
    """Import an existing ledger: regulators (the import itself checks the same)."""
    return user.is_regulator


def can_fix_on_spot(user: User) -> bool:
    """即查即改: regulators (not the system administrator) and enterprise accounts — the parties
    that confirm, assign and accept a general hazard in the table."""
    return bool(role_parties(user) & {REGULATOR, ENTERPRISE})


def enterprise_page_links(user: User, enterprise: Enterprise) -> list[tuple[str, str]]:
    """What the enterprise's page offers of the loop (registered with registry.links)."""
    query = urlencode({"enterprise": enterprise.pk})
    links = [(_("即查即改"), f"{reverse('hazards:on_spot')}?{query}")] if can_fix_on_spot(user) else []
    if can_report_hazards(user):
        links.append((_("上报隐患"), f"{reverse('hazards:new')}?{query}"))
    return links
