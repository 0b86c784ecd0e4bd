"""Deadline supervision as a ladder (节点化督办): a reminder some working days before the deadline,
then levels of escalation by working days overdue, each level recorded once.

A workflow configures its ladder; the pass is the same for all:

    LADDER = Ladder(
        rows=lambda: Task.objects.filter(status="open", deadline__isnull=False),
        columns=("pk", "deadline", "escalation", "status"),
        rungs=lambda: (Rung(level=1, after=1), Rung(level=2, after=5, applies=is_key_task)),
        remind_before=lambda: settings.TASK_REMIND_WORKDAYS,
        record=record_escalation,        # (row, rung, overdue): the event, who is told
        remind=tell_reminder,            # (row, working days left)
    )
    LADDER.run(today=date(2026, 11, 9))

Overdue-ness is derived from the deadline, never stored; the level reached is stored (in
`level_field`) so that running the pass twice changes nothing. Rows are read in batches by id,
and each escalation locks its row and checks again that it is still due and not yet at that level.
A row that fails (a stored deadline outside the calendar's years, a notification channel down)
is logged and counted in the report (`failed`, `failures`), and the pass goes on (`core.schedule.each`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safeloop.core.schedule import Tally, each
from safeloop.core.services import save_changed, snapshot
from safeloop.core.workdays import WorkdayCalendar


@dataclass(frozen=True, kw_only=True)
class Rung:
    level: int
    after: int  # working days overdue from which this level applies
    applies: Callable[[Any], bool] = lambda row: True  # a level only some rows reach (挂牌督办: major hazards)


@dataclass
class LadderReport(Tally):
    """What a pass did: rows read, reminders, escalations; and (`Tally`) rows that failed —
    logged with their traceback and counted, while the pass went on with the others."""

    checked: int = 0
    reminded: int = 0
    escalated: int = 0


@dataclass(frozen=True, kw_only=True)
class Ladder:
    rows: Callable[[], QuerySet]  # the rows under a deadline
    columns: tuple[str, ...]  # what the pass reads of each (with the deadline and the level)
    rungs: Callable[[], Sequence[Rung]]  # read at run time: thresholds come from settings
    remind_before: Callable[[], int]  # working days before the deadline
    record: Callable[[Any, Rung, int], None]  # inside the escalation's transaction, after the level is saved
    remind: Callable[[Any, int], None]
    deadline_field: str = "deadline"
    level_field: str = "escalation"
    batch: int = 5000

    def due(self, row: Any, overdue: int) -> Rung | None:
        """The highest rung this row has reached after `overdue` working days."""
        reached = [r for r in self.rungs() if overdue >= r.after and r.applies(row)]
        return max(reached, key=lambda r: r.level, default=None)

    def run(self, *, today: date | None = None) -> LadderReport:
        today = today or timezone.localdate()
        calendar = WorkdayCalendar(date(today.year - 2, 1, 1), date(today.year + 1, 12, 31))
        report, last_id = LadderReport(), 0
        job = f"deadline supervision of {self.rows().model._meta.label}"
        while batch := self._batch(last_id):
            each(batch, lambda row: self._check(row, today, calendar, report), job=job, tally=report)
            report.checked += len(batch)
            last_id = batch[-1].pk
        return report

    def _batch(self, last_id: int) -> list[Any]:
        columns = dict.fromkeys(("pk", *self.columns, self.deadline_field, self.level_field))
        return list(self.rows().filter(pk__gt=last_id).order_by("pk").only(*columns)[: self.batch])

    def _check(self, row: Any, today: date, calendar: WorkdayCalendar, report: LadderReport) -> None:
        deadline, level = getattr(row, self.deadline_field), getattr(row, self.level_field)
        if deadline < today:
            overdue, _ = calendar.workdays_between(deadline, today)
            rung = self.due(row, overdue)
            if rung is not None and rung.level > level and self._escalate(row.pk, rung, overdue):
                report.escalated += 1
        elif not level:
            left, _ = calendar.workdays_between(today, deadline)
            if left == self.remind_before():
                self.remind(row, left)
                report.reminded += 1

    def _escalate(self, pk: Any, rung: Rung, overdue: int) -> bool:
        with transaction.atomic():
            row = self.rows().select_for_update().filter(pk=pk).first()
            if row is None or rung.level <= getattr(row, self.level_field):
                return False  # someone acted (or another pass ran) since the batch was read
            before = snapshot(row)
            setattr(row, self.level_field, rung.level)
            save_changed(row, before)
            self.record(row, rung, overdue)
            return True
