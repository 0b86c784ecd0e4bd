"""What a role may do with campaigns outside the workflow tables."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.core.roles import AREA_ROLES


def can_open_campaigns(user: User) -> bool:
    """The campaign list: regulators (what they see), and enterprises (their own tasks)."""
    return user.role in AREA_ROLES or user.role in (Role.DEPARTMENT, Role.SYSADMIN, Role.ENTERPRISE)


def can_launch_campaigns(user: User) -> bool:
    return user.role in AREA_ROLES or user.role in (Role.DEPARTMENT, Role.SYSADMIN)


def seed_links(user: User, record: Any) -> list[tuple[str, str]]:
    """举一反三 from a major hazard's or an accident's page (registered in `core.links`)."""
    if not can_launch_campaigns(user):
        return []
    if record._meta.label_lower == "hazards.hazard":
        if record.level != "major":
            return []
        return [(_("举一反三"), f"{reverse('campaigns:new')}?{urlencode({'seed_hazard': record.pk})}")]
    return [(_("举一反三"), f"{reverse('campaigns:new')}?{urlencode({'seed_accident': record.pk})}")]
