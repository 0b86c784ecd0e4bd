"""Accident, denominator, disaster and response input for pages, API and Excel import.
`core.inputs` reads the fields of `accidents.fields`; what stays here is the records' own rules:
places within the actor's scope, the enterprise or disaster within scope, the response clock."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from safeloop.accidents.fields import (
    ACCIDENT_FIELDS,
    DENOMINATOR,
    DENOMINATOR_FIELDS,
    DISASTER_FIELDS,
    RESPONSE,
    RESPONSE_CLOCK,
    RESPONSE_FIELDS,
)
from safeloop.accidents.models import Disaster
from safeloop.accounts.models import User
from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import FieldSpec, by_name
from safeloop.core.inputs import Inputs
from safeloop.core.scope import region_in_scope, visible
from safeloop.registry.models import Enterprise, Region, RegionLevel

# Where an accident, a disaster or a response happens: a county, or a township within it.
PLACE_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def clean_accident(
    actor: User, data: dict[str, Any], *, partial: bool = False, specs: Sequence[FieldSpec] = ACCIDENT_FIELDS
) -> dict[str, Any]:
    return _placed(actor, Inputs(data), specs, partial, refs={"enterprise": Enterprise})


def clean_denominator(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """One region's figures for one year; a blank figure is "no data" (stored as null, never 0)."""
    inp = Inputs(data)
    values = inp.read_values(DENOMINATOR_FIELDS)
    if values.get("region"):
        values["region"] = _region(actor, inp, DENOMINATOR["region"])
    inp.check()
    return values


def clean_disaster(actor: User, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    return _placed(actor, Inputs(data), DISASTER_FIELDS, partial)


def clean_response(actor: User, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Times may be cleared (not yet happened) except the report time; their order is checked by
    `check_response_clock` on the merged record."""
    return _placed(actor, Inputs(data), RESPONSE_FIELDS, partial, refs={"disaster": Disaster})


def _placed(
    actor: User, inp: Inputs, specs: Sequence[FieldSpec], partial: bool, refs: dict[str, type[Model]] | None = None
) -> dict[str, Any]:
    """A record that happened in a county or township of the actor's, its references within scope."""
    values, fields = inp.read_values(specs, partial=partial), by_name(specs)
    if values.get("region"):
        values["region"] = _place(actor, inp, fields["region"])
    for name, model in (refs or {}).items():
        if values.get(name):
            values[name] = inp.record(fields[name], visible(actor, model.objects.all()))
    inp.check()
    return values


def check_response_clock(response: Any) -> None:
    """report ≤ response started ≤ relief at the scene ≤ handed out (skipping moments not yet recorded)."""
    earlier = None
    for name in RESPONSE_CLOCK:
        moment = getattr(response, name)
        if moment is None:
            continue
        if earlier is not None and moment < getattr(response, earlier):
            message = _("{label}不能早于{earlier}").format(label=RESPONSE[name].label, earlier=RESPONSE[earlier].label)
            raise ValidationFailed.from_fields({name: message})
        earlier = name


def _place(actor: User, inp: Inputs, spec: FieldSpec) -> Region | None:
    """A county or township within the actor's scope."""
    unknown = _("{label}应为县（市、区）或乡镇（街道）区划代码").format(label=spec.label)
    return _region(actor, inp, spec, unknown=unknown, levels=PLACE_LEVELS)


def _region(
    actor: User, inp: Inputs, spec: FieldSpec, *, unknown: str = "", levels: Sequence[str] = ()
) -> Region | None:
    code = inp.read(spec)
    region = Region.objects.filter(code=code, **({"level__in": levels} if levels else {})).first()
    if region is None:
        inp.error(spec.name, unknown or _("{label}“{code}”不存在").format(label=spec.label, code=code))
    elif not region_in_scope(actor, region.code):
        inp.error(spec.name, _("{label}不在您的管辖范围内").format(label=spec.label))
        return None
    return region
