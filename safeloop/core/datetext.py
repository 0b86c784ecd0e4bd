"""Dates and moments as officials write them: "2026-12-02", "2026/12/2", "2026年12月2日",
"20261202", with a time ("14:30", "14时30分") and an offset ("+08:00", "Z"). Text in, a value or
None out; `core.inputs` says what is wrong and names the field."""

from __future__ import annotations

import re
from datetime import date, datetime, time

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(
    r"^[Tt\s]*(\d{1,2})\s*[:时]\s*(\d{1,2})\s*(?:分)?\s*(?:[:]\s*(\d{1,2})(?:\.\d+)?\s*)?(?:秒)?\s*"
    r"(Z|z|[+-]\d{2}:?\d{2})?$"
)


def parse_date(text: str) -> date | None:
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_moment(text: str) -> datetime | None:
    day_match = _DATE.match(text)
    if day_match is None:
        return None
    day = parse_date(text)
    rest = _TIME.match(text[day_match.end() :])
    if day is None or rest is None:
        return None
    hour, minute, second, offset = rest.groups()
    try:
        moment = datetime.combine(day, time(int(hour), int(minute), int(second or 0)))
    except ValueError:
        return None
    return _with_offset(moment, offset)


def _with_offset(moment: datetime, offset: str | None) -> datetime:
    if not offset:
        return moment
    if offset in ("Z", "z"):
        offset = "+00:00"
    elif ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    return datetime.fromisoformat(f"{moment.isoformat()}{offset}")


def moment_text(moment: datetime | None = None) -> str:
    """A moment as a user reads it: local time, to the minute (now when none is given)."""
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
