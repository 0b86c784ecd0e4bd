"""Daily jobs: each app registers its own in `AppConfig.ready()`; `manage.py serve` enqueues them.

Core knows no app above it, so the scheduler asks this registry instead of importing the tasks.
In production a cron job or systemd timer may call the commands instead (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

_daily: list[Any] = []


def register_daily(task: Any) -> None:
    """`task` is a django-tasks task (it has `.enqueue()`); registering twice keeps one."""
    if task not in _daily:
        _daily.append(task)


def daily_tasks() -> list[Any]:
    return list(_daily)
