"""Deadlines in working days (Chinese holidays and make-up days, via core.workdays)."""

from __future__ import annotations

from datetime import date

from safeloop.core.inputs import Inputs
from safeloop.core.workdays import Deadline, add_workdays


def deadline_from_input(inp: Inputs, today: date) -> Deadline:
    """`deadline` (a date) or `deadline_days` (working days from today); one is required."""
    explicit = inp.date("deadline", "整改期限")
    days = inp.integer("deadline_days", "整改期限（工作日）", minimum=1, maximum=750)
    if explicit is None and days is None:
        inp.error("deadline", "请填写整改期限（日期，或 deadline_days 个工作日）")
        return Deadline(today, False)
    if explicit is not None:
        if explicit < today:
            inp.error("deadline", "整改期限不能早于今天")
        return Deadline(explicit, False)
    return add_workdays(today, days)
