"""Deadlines in working days (Chinese holidays and make-up days, via core.workdays)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from safeloop.core.fields import FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.core.workdays import Deadline, add_workdays


def deadline_from_input(inp: Inputs, today: date, *, on: FieldSpec, days: FieldSpec) -> Deadline:
    """A date (`on`) or a number of working days from today (`days`); one of them is required."""
    explicit, count = inp.read(on), inp.read(days)
    if explicit is None and count is None:
        if not {on.name, days.name} & set(inp.errors):  # a value was given, but is wrong: said already
            inp.error(on.name, _("请填写%(on)s，或%(days)s") % {"on": on.label, "days": days.label})
        return Deadline(today, False)
    if explicit is not None:
        if explicit < today:
            inp.error(on.name, _("%(on)s不能早于今天") % {"on": on.label})
        return Deadline(explicit, False)
    return add_workdays(today, count)
