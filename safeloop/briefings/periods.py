"""The span a briefing counts and the same span a year before ("同期" = the same calendar span)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.docx import chinese_date


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # inclusive

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first moment after the span (exclusive bound of a datetime query)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def earlier(self) -> Span:
        """The same calendar span one year before (29 February becomes 28 February)."""
        return Span(_year_before(self.start), _year_before(self.end))

    def words(self) -> str:
        return _("%(start)s至%(end)s") % {"start": chinese_date(self.start), "end": chinese_date(self.end)}


def _year_before(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))


def period_span(kind: str, year: int, period: int | None, today: date) -> Span:
    """The calendar span of a monthly, quarterly or annual briefing, cut at `today` when it is
    not over yet (a briefing counts what has happened, and last year over the same days)."""
    if kind == "monthly" and period:
        start, end = date(year, period, 1), date(year, period, calendar.monthrange(year, period)[1])
    elif kind == "quarterly" and period:
        first = 3 * (period - 1) + 1
        start, end = date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    return Span(start, min(end, max(today, start)))


def period_words(kind: str, year: int, period: int | None) -> str:
    if kind == "monthly" and period:
        return _("%(y)s年%(m)s月") % {"y": year, "m": period}
    if kind == "quarterly" and period:
        return _("%(y)s年第%(q)s季度") % {"y": year, "q": "一二三四"[period - 1]}
    return _("%(y)s年") % {"y": year}
