"""Working days for deadlines: Chinese statutory holidays and make-up working days (调休).

For each date: an administrator's `CalendarDay` row wins; else chinese-calendar, when it knows
the year; else Monday to Friday, and the answer is provisional. A year with at least one
`CalendarDay` row counts as announced, so entering next year's 国务院办公厅 notice makes its
deadlines firm before chinese-calendar is upgraded.

`WorkdayCalendar` loads whole years once and keeps running counts, so a nightly pass over a
million hazards reuses one instance and answers each question with a lookup and a bisection.

The calendar covers the years a date read by `core.inputs` may fall in (1900 to the year after
the latest date an input may name, `SAFELOOP_DATE_MAX_YEARS_AHEAD`); asked about any other
year it raises `OutOfCalendar` (a 400 with a Chinese message) instead of building centuries of
days or failing on year 10000.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import chinese_calendar
from django.db.models import Q
from django.utils.translation import gettext as _

from safeloop.core.errors import ValidationFailed
from safeloop.core.inputs import EARLIEST_DATE, latest_date
from safeloop.core.models import CalendarDay

ONE_DAY = dt.timedelta(days=1)
# Calendar days beyond n * 7/5 that cover the longest holiday block (春节, 9 days) and its
# weekends, so one query usually covers a whole deadline; a short guess only costs a query.
_SLACK_DAYS = 14


class OutOfCalendar(ValidationFailed):
    """A date outside the years the calendar covers (a stored deadline of 9999-12-31)."""


def calendar_years() -> range:
    return range(EARLIEST_DATE.year, latest_date().year + 2)


def in_calendar(day: dt.date) -> bool:
    """Whether the calendar can count with `day`: a page showing working days left skips a stored
    date outside it (it shows no count) instead of failing for every row."""
    return day.year in calendar_years()


def _refuse_outside(first_year: int, last_year: int) -> None:
    years = calendar_years()
    if first_year < years.start or last_year >= years.stop:
        year = first_year if first_year < years.start else last_year
        message = _("日期超出工作日历的范围：{year}年不在{first}年至{last}年之间").format(
            year=year, first=years.start, last=years.stop - 1
        )
        raise OutOfCalendar(message, fields={"date": message})


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool


@cache
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _horizon(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days * 7 // 5 + _SLACK_DAYS)


class WorkdayCalendar:
    """Working days over a span of whole years, extended (one query each time) when asked
    about a day outside it. Not thread-safe; make one per request or batch."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self._years = range(0)
        self._overrides: dict[dt.date, bool] = {}
        self._cover(min(first, last).year, max(first, last).year)

    # Public questions -------------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        return self._work[self._index(day)]

    def day_is_known(self, day: dt.date) -> bool:
        return self._known[self._index(day)]

    def add_workdays(self, start: dt.date, days: int) -> Deadline:
        """`days` working days after `start` (not counted); 0 means start or the next workday."""
        if days < 0:
            raise ValueError("days must not be negative")
        first = start if days == 0 else start + ONE_DAY
        need = max(days, 1)
        self._cover(first.year, _horizon(first, days).year)
        while self._work_count[-1] < self._work_count[self._index(first)] + need:
            self._cover(self._years.start, self._years.stop)  # one more year
        base = self._index(first)
        end = bisect.bisect_left(self._work_count, self._work_count[base] + need) - 1
        return Deadline(self._date(end), self._has_unknown(base, end + 1))

    def workdays_between(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """Working days in (start, end], and whether any of those days is provisional."""
        if end <= start:
            return 0, False
        self._cover(start.year, end.year)
        lo, hi = self._index(start) + 1, self._index(end) + 1
        return self._work_count[hi] - self._work_count[lo], self._has_unknown(lo, hi)

    # Loading ------------------------------------------------------------------------------

    def _cover(self, first_year: int, last_year: int) -> None:
        old = self._years
        if old and old.start <= first_year and last_year < old.stop:
            return
        _refuse_outside(first_year, last_year)
        if old:
            new = range(min(first_year, old.start), max(last_year + 1, old.stop))
            self._load(range(new.start, old.start), range(old.stop, new.stop))
        else:
            new = range(first_year, last_year + 1)
            self._load(new)
        self._years = new
        self._rebuild()

    def _load(self, *spans: range) -> None:
        spans = tuple(span for span in spans if span)
        if not spans:
            return
        query = Q()
        for span in spans:
            query |= Q(date__range=(dt.date(span.start, 1, 1), dt.date(span.stop - 1, 12, 31)))
        self._overrides.update(CalendarDay.objects.filter(query).values_list("date", "is_workday"))

    def _rebuild(self) -> None:
        announced = {day.year for day in self._overrides}
        count = (dt.date(self._years.stop, 1, 1) - dt.date(self._years.start, 1, 1)).days
        status = [self._resolve(self._date(i), announced) for i in range(count)]
        self._work = [work for work, _ in status]
        self._known = [known for _, known in status]
        # Running counts: _work_count[i] is the number of workdays among the first i days.
        self._work_count = [0, *accumulate(self._work)]
        self._unknown_count = [0, *accumulate(not known for known in self._known)]

    def _resolve(self, day: dt.date, announced: set[int]) -> tuple[bool, bool]:
        """(is a workday, is known) for one day, in the module's resolution order."""
        if day in self._overrides:
            return self._overrides[day], True
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day), True
        return day.weekday() < 5, day.year in announced

    # Index arithmetic -----------------------------------------------------------------

    def _index(self, day: dt.date) -> int:
        self._cover(day.year, day.year)
        return (day - dt.date(self._years.start, 1, 1)).days

    def _date(self, index: int) -> dt.date:
        return dt.date(self._years.start, 1, 1) + dt.timedelta(days=index)

    def _has_unknown(self, lo: int, hi: int) -> bool:
        """Is any day with index in [lo, hi) provisional?"""
        return self._unknown_count[hi] - self._unknown_count[lo] > 0


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar(day, day).is_workday(day)


def day_is_known(day: dt.date) -> bool:
    return WorkdayCalendar(day, day).day_is_known(day)


def add_workdays(start: dt.date, days: int) -> Deadline:
    return WorkdayCalendar(start, _horizon(start, max(days, 0))).add_workdays(start, days)


def workdays_between(start: dt.date, end: dt.date) -> tuple[int, bool]:
    return WorkdayCalendar(start, max(start, end)).workdays_between(start, end)
