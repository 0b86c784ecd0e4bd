"""Deadlines count working days: statutory holidays, make-up days, administrators' overrides."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeloop.core.models import CalendarDay
from safeloop.core.workdays import (
    Deadline,
    WorkdayCalendar,
    add_workdays,
    day_is_known,
    is_workday,
    workdays_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


def override(day: dt.date, *, workday: bool, note: str = "") -> CalendarDay:
    return CalendarDay.objects.create(date=day, is_workday=workday, note=note, source="国办发明电")


# 2026 per chinese-calendar 1.11.0: 中秋 9-25..27, 国庆 10-01..07, make-up days Sun 9-20 and Sat 10-10.


def test_national_day_2026_holiday_block_is_not_working_days():
    assert not any(is_workday(D(2026, 10, day)) for day in range(1, 8))


def test_national_day_make_up_sunday_and_saturday_are_working_days():
    assert is_workday(D(2026, 9, 20)) and is_workday(D(2026, 10, 10))


def test_ordinary_saturday_is_not_a_working_day():
    assert not is_workday(D(2026, 11, 28))


def test_deadline_set_the_day_before_national_day_skips_the_whole_block():
    assert add_workdays(D(2026, 9, 30), 1) == Deadline(D(2026, 10, 8), provisional=False)


def test_deadline_lands_on_the_last_working_day_before_the_block():
    assert add_workdays(D(2026, 9, 28), 2) == Deadline(D(2026, 9, 30), provisional=False)


def test_deadline_skips_mid_autumn_holiday():
    assert add_workdays(D(2026, 9, 24), 1).date == D(2026, 9, 28)


def test_make_up_saturday_counts_as_a_working_day():
    assert add_workdays(D(2026, 10, 9), 1).date == D(2026, 10, 10)


def test_ten_working_days_across_national_day():
    # 9-28, 29, 30, 10-8, 9, 10(Sat, make-up), 12, 13, 14, 15
    assert add_workdays(D(2026, 9, 25), 10).date == D(2026, 10, 15)


def test_zero_days_from_a_holiday_is_the_next_working_day():
    assert add_workdays(D(2026, 10, 3), 0).date == D(2026, 10, 8)


def test_zero_days_from_a_working_day_is_that_day():
    assert add_workdays(D(2026, 10, 10), 0).date == D(2026, 10, 10)


def test_negative_days_are_a_programming_error():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 10, 10), -1)


def test_admin_can_turn_a_weekday_into_a_holiday():
    override(D(2026, 11, 30), workday=False, note="临时停工")
    assert not is_workday(D(2026, 11, 30))
    assert add_workdays(D(2026, 11, 27), 1).date == D(2026, 12, 1)


def test_admin_can_turn_a_saturday_into_a_working_day():
    override(D(2026, 11, 28), workday=True, note="调休上班")
    assert add_workdays(D(2026, 11, 27), 1).date == D(2026, 11, 28)


def test_unknown_year_never_crashes_and_is_provisional():
    assert is_workday(D(2027, 1, 4))
    assert not day_is_known(D(2027, 1, 4))
    assert add_workdays(D(2027, 3, 1), 5) == Deadline(D(2027, 3, 8), provisional=True)


def test_deadline_reaching_into_an_unknown_year_is_provisional():
    # 12-31 (Thu) is known; the second day, 2027-01-01, is only a weekday guess.
    assert add_workdays(D(2026, 12, 30), 2) == Deadline(D(2027, 1, 1), provisional=True)


def test_deadline_within_a_known_year_is_not_provisional_even_near_its_end():
    assert add_workdays(D(2026, 12, 29), 2) == Deadline(D(2026, 12, 31), provisional=False)


def test_announced_year_entered_by_admin_is_no_longer_provisional():
    override(D(2027, 1, 1), workday=False, note="2027年元旦")
    assert day_is_known(D(2027, 3, 3))
    assert add_workdays(D(2026, 12, 31), 1) == Deadline(D(2027, 1, 4), provisional=False)


def test_workdays_between_counts_after_start_up_to_and_including_end():
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 9)) == (2, False)


def test_workdays_between_is_zero_when_end_is_not_after_start():
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 9)) == (0, False)
    assert workdays_between(D(2026, 10, 9), D(2026, 9, 1)) == (0, False)


def test_workdays_between_into_unknown_year_is_provisional():
    count, provisional = workdays_between(D(2026, 12, 30), D(2027, 1, 5))
    assert (count, provisional) == (4, True)  # 12-31, 1-1 (guess), 1-4, 1-5


def test_calendar_loads_overrides_for_its_years_in_one_query(django_assert_num_queries):
    override(D(2026, 11, 30), workday=False)
    with django_assert_num_queries(1):
        calendar = WorkdayCalendar(D(2026, 1, 1), D(2026, 12, 31))
        results = [calendar.add_workdays(D(2026, month, 10), 15) for month in range(1, 12)]
        calendar.workdays_between(D(2026, 1, 1), D(2026, 11, 30))
    assert all(not result.provisional for result in results)
    assert not calendar.is_workday(D(2026, 11, 30))


def test_calendar_extends_itself_with_one_query_per_new_span(django_assert_num_queries):
    calendar = WorkdayCalendar(D(2026, 6, 1), D(2026, 6, 1))
    with django_assert_num_queries(1):
        assert calendar.workdays_between(D(2026, 12, 1), D(2027, 12, 31))[1]
        assert calendar.is_workday(D(2027, 6, 1))


def test_module_level_deadline_uses_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_workdays(D(2026, 12, 20), 10)


def _brute_force_count(calendar: WorkdayCalendar, start: dt.date, end: dt.date) -> int:
    days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(calendar.is_workday(day) for day in days)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)), days=st.integers(1, 80))
def test_add_workdays_leaves_exactly_n_working_days_after_start(start, days):
    calendar = WorkdayCalendar(D(2025, 1, 1), D(2028, 12, 31))
    result = calendar.add_workdays(start, days)
    assert calendar.is_workday(result.date)
    assert _brute_force_count(calendar, start, result.date) == days
    assert calendar.workdays_between(start, result.date) == (days, result.provisional)
    assert result.provisional == (result.date.year >= 2027)
