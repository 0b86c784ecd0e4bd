"""Reports in the change feed (core.changes) without what is confidential (ADR 0026): the
tracking code is the reporter's bearer credential, so no staff client receives it, and the
identity is in its own table (never in a report's data). The feed's keys follow
`selectors.reports_visible`: an enterprise account sees only the internal reports about its
enterprise (a citizen's report about it carries no enterprise key), experts see none."""

from __future__ import annotations

from typing import Any

from safeloop.core.changes import FeedType, scope_keys
from safeloop.core.roles import Role
from safeloop.reporting.models import Channel, Report

CONFIDENTIAL = frozenset({"code"})


def report_keys(report: Report) -> dict[str, Any]:
    keys = scope_keys(report)
    if report.channel != Channel.INTERNAL:
        keys["enterprise"] = None
    return keys


REPORT_FEED = FeedType("report", Report, exclude=CONFIDENTIAL, keys=report_keys, hidden_from=frozenset({Role.EXPERT}))
