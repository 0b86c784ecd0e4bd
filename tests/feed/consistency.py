"""What a client's copy of the feed would hold, against the database: for every registered type,
each object's last change carries its current data, and a deleted object's last change is a
deletion. A write path that forgot `changed()` shows up here as a stale or missing object."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from safeloop.core.changes import DELETED, feed_named, feed_types
from safeloop.core.models import Change

NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _same(value: Any) -> Any:
    """A value as compared: a moment as its timestamp, a number (or a decimal's text) as a Decimal
    (a value saved as 12.5 reads back as "12.50")."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] in "T ":
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            return value
    if isinstance(value, str) and NUMBER.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def feed_problems(types: list[str] | None = None, *, missing: bool = True) -> list[str]:
    """One line per object whose last change differs from the database (none: the copy is true).
    `missing` False skips objects the feed never saw (rows a test made with the ORM directly)."""
    problems = []
    for name in types or feed_types():
        feed = feed_named(name)
        last: dict[Any, dict] = {}
        for row in Change.objects.filter(type=name).order_by("position").values("object_id", "op", "data"):
            last[row["object_id"]] = row
        objects = {obj.pk: obj for obj in feed.model._default_manager.all()}
        for pk, obj in objects.items():
            row = last.get(pk)
            if row is None:
                if missing:
                    problems.append(f"{name} {pk}: never in the feed")
                continue
            now = {k: _same(v) for k, v in feed.snapshot(obj).items()}
            then = {k: _same(v) for k, v in (row["data"] or {}).items()}
            if row["op"] == DELETED or now != then:
                diff = sorted(k for k in now if now.get(k) != then.get(k))
                problems.append(f"{name} {pk}: stale ({row['op']}; {', '.join(diff)})")
        problems += [
            f"{name} {pk}: deleted, feed says {row['op']}"
            for pk, row in last.items()
            if pk not in objects and row["op"] != DELETED
        ]
    return problems
