"""The forms of accidents (and their 续报), disasters and responses: the field lists of
`accidents.fields` with their drop-down options. Forms hold no rules; the services validate and
`FormState` shows their refusal next to the fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from safeloop.accidents.fields import (
    ACCIDENT_EDIT_FIELDS,
    ACCIDENT_FIELDS,
    CASUALTY_FIELDS,
    DISASTER_FIELDS,
    RESPONSE_FIELDS,
)
from safeloop.accidents.models import Accident, Disaster, EmergencyResponse
from safeloop.accounts.models import User
from safeloop.core.forms import FormState
from safeloop.registry.selectors import regions_for_user


def region_choices(user: User) -> list:
    """Counties (the place when no township applies) with their townships beneath."""
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for region in regions_for_user(user):
        county = region.code[:6]
        if region.level == "county":
            names[county] = region.name
            groups.setdefault(county, []).insert(0, (region.code, _("{name}（县级）").format(name=region.name)))
        else:
            groups.setdefault(county, []).append((region.code, region.name))
    return [(names.get(code, code), items) for code, items in groups.items()]


def accident_form(user: User, post: Any, accident: Accident | None = None) -> FormState:
    specs = ACCIDENT_EDIT_FIELDS if accident else ACCIDENT_FIELDS
    return FormState.of_page(specs, post, accident or Accident(), options={"region": region_choices(user)})


def casualty_form(post: Any, accident: Accident) -> FormState:
    return FormState.of_page(CASUALTY_FIELDS, post, accident)


def disaster_form(user: User, post: Any, disaster: Disaster | None = None) -> FormState:
    return FormState.of_page(DISASTER_FIELDS, post, disaster or Disaster(), options={"region": region_choices(user)})


def response_form(
    user: User, post: Any, disasters: Sequence[Disaster], response: EmergencyResponse | None = None
) -> FormState:
    options = {
        "region": region_choices(user),
        "disaster": [(str(d.pk), f"{d.occurred_on:%Y-%m-%d} {d.title}") for d in disasters],
    }
    return FormState.of_page(RESPONSE_FIELDS, post, response or EmergencyResponse(), options=options)
