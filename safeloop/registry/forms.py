"""The enterprise form: `ENTERPRISE_FIELDS` (those the user may edit) with their drop-down options.
The form holds no rules; the service validates and `FormState` shows its refusal."""

from __future__ import annotations

from typing import Any

from safeloop.accounts.models import User
from safeloop.core.fields import only
from safeloop.core.forms import FormState
from safeloop.registry.fields import ENTERPRISE_FIELDS
from safeloop.registry.models import Department, Enterprise
from safeloop.registry.selectors import category_tree, regions_for_user
from safeloop.registry.validation import can_override_supervision, editable_fields


def enterprise_form(user: User, *, post: Any = None, enterprise: Enterprise | None = None) -> FormState:
    """What the user posted, else the enterprise's values (a new one's are blank)."""
    # The override is offered to those who may set it; others keep what is stored (not posted).
    shown = editable_fields(user) - (set() if can_override_supervision(user) else {"supervising_department_override"})
    specs = only(ENTERPRISE_FIELDS, frozenset(shown))
    options = {
        "region": township_choices(user),
        "category": [(c.code, f"{c.parent.name} / {c.name}" if c.parent else c.name) for c in category_tree()],
        "supervising_department_override": [
            (str(d.pk), d.name) for d in Department.objects.order_by("region_id", "kind")
        ],
    }
    # A new enterprise's key supervision is blank: the service then takes its category's.
    return FormState.of_page(specs, post, enterprise or Enterprise(key_sector=None), options=options)


def township_choices(user: User) -> list:
    """The townships of the user's area, grouped under their county."""
    groups: dict[str, list] = {}
    counties = {}
    for region in regions_for_user(user):
        if region.level == "county":
            counties[region.code] = region.name
        else:
            groups.setdefault(region.code[:6], []).append((region.code, region.name))
    return [(counties.get(code, code), items) for code, items in groups.items()]
