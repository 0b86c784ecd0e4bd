"""core.schedule: a job registered with a shorter period than a day is enqueued again when it
has passed; the daily ones once a day (`manage.py serve`'s scheduler)."""

from __future__ import annotations

from safeloop.core import schedule


class Recorder:
    def __init__(self) -> None:
        self.enqueued = 0

    def enqueue(self) -> None:
        self.enqueued += 1


def test_each_job_is_enqueued_at_start_and_again_when_its_own_period_has_passed(monkeypatch):
    monkeypatch.setattr(schedule, "_daily", [])
    daily, often = Recorder(), Recorder()
    schedule.register_daily(daily)
    schedule.register_daily(often, every_hours=4)
    last: dict = {}
    assert schedule.enqueue_due(last, 0.0) == 2  # at start: every job
    assert schedule.enqueue_due(last, 3 * 3600.0) == 0
    assert schedule.enqueue_due(last, 4 * 3600.0) == 1 and often.enqueued == 2 and daily.enqueued == 1
    assert schedule.enqueue_due(last, 24 * 3600.0) == 2 and daily.enqueued == 2 and often.enqueued == 3
