"""What a role may do with checklists outside the workflow table."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.registry.models import Enterprise


def can_self_inspect(user: User) -> bool:
    """Walk a checklist: an account of an enterprise (for its own enterprise)."""
    return user.role == Role.ENTERPRISE and bool(user.enterprise_id)


def can_see_completion(user: User) -> bool:
    """Completion by county, category and month, and the statistics: regulators (scoped)."""
    return user.is_regulator or user.role == Role.SYSADMIN


def can_open_checklists(user: User) -> bool:
    """The checklist list: the enterprise's own, or completion for regulators."""
    return can_self_inspect(user) or can_see_completion(user)


def enterprise_page_links(user: User, enterprise: Enterprise) -> list[tuple[str, str]]:
    """The enterprise's own account walks its checklist; a regulator opens its checklists."""
    if can_self_inspect(user) and user.enterprise_id == enterprise.pk:
        return [(_("企业自查"), reverse("checklists:list"))]
    if can_see_completion(user):
        return [(_("自查记录"), f"{reverse('checklists:list')}?{urlencode({'enterprise': enterprise.pk})}")]
    return []
