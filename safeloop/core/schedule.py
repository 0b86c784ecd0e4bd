"""Daily jobs: each app registers its own in `AppConfig.ready()`; `manage.py serve` enqueues them
at start and then once a day — or every `every_hours` for a job registered with a shorter period
(the map board's stored figures, every 4 hours).

Core knows no app above it, so the scheduler asks this registry instead of importing the tasks.
In production a cron job or systemd timer may call the commands instead (docs/deploy.md).

A daily job works through many items (hazards under a deadline, leaders to tell, expired
files); one bad item must not stop the pass for the whole city. `each(items, work, job=…)`
runs `work` on every item, logs a failure with the item and the traceback, counts it, and goes
on; the job reports its `Tally` (done, failed, the first failed items).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger("safeloop.schedule")
T = TypeVar("T")
KEPT_FAILURES = 20  # the failed items a tally names (all are logged)

DAY_HOURS = 24

_daily: list[Any] = []
_hours: dict[Any, int] = {}


def register_daily(task: Any, *, every_hours: int = DAY_HOURS) -> None:
    """`task` is a django-tasks task (it has `.enqueue()`); registering twice keeps one."""
    if task not in _daily:
        _daily.append(task)
    _hours[task] = every_hours


def daily_tasks() -> list[Any]:
    return list(_daily)


def period_hours(task: Any) -> int:
    return _hours.get(task, DAY_HOURS)


def enqueue_daily() -> int:
    """Enqueue every daily job; one that cannot be enqueued is logged and the others still are."""
    return each(daily_tasks(), lambda task: task.enqueue(), job="enqueue daily jobs").done


def enqueue_due(last: dict[Any, float], now: float) -> int:
    """Enqueue the jobs whose period has passed since `last[task]` (seconds, the caller's clock;
    a job not in `last` is due), and note when. `manage.py serve` calls this every few minutes."""
    due = [task for task in daily_tasks() if now - last.get(task, -1e18) >= period_hours(task) * 3600]
    tally = each(due, lambda task: task.enqueue(), job="enqueue daily jobs")
    for task in due:
        last[task] = now  # a job that could not be enqueued waits for its next period (logged)
    return tally.done


@dataclass
class Tally:
    done: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def failure(self, job: str, item: Any) -> None:
        logger.exception("%s: %r failed; the pass goes on", job, item)
        self.failed += 1
        if len(self.failures) < KEPT_FAILURES:
            self.failures.append(str(getattr(item, "pk", item)))


def each(
    items: Iterable[T], work: Callable[[T], Any], *, job: str, atomic: bool = False, tally: Tally | None = None
) -> Tally:
    """Run `work(item)` for every item, isolating each failure. With `atomic`, each item runs in
    its own savepoint, so a failed item's writes are undone and the connection stays usable
    (without it, `work` keeps its writes in its own `transaction.atomic()`)."""
    tally = tally or Tally()
    for item in items:
        try:
            if atomic:
                with transaction.atomic():
                    work(item)
            else:
                work(item)
        except Exception:  # noqa: BLE001 - a daily pass must survive any one item
            tally.failure(job, item)
        else:
            tally.done += 1
    return tally
