"""What the briefings read from apps of their own layer (duties), which they may not import.

The workbench (the layer above both) registers the implementations in its `AppConfig.ready()`:

    provide_key_projects(duties.selectors.key_projects_summary, "duties:...")  # fn(user, year) -> rows
    provide_ranking(duties.selectors.assessment_summary, "duties:...")  # fn(user, year) -> ranked rows

(the second argument, optional, is the URL name of the list the rows come from)

Key project rows carry name, lead_unit, budget (Decimal), planned_pct, progress_pct, behind,
status_label, url; ranking rows carry rank, unit, name, region, kind, score (Decimal), vetoed,
url. Without a provider the paragraph prints 暂无数据 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.urls import NoReverseMatch, reverse

Rows = Sequence[Mapping[str, Any]]
Source = Callable[[Any, int], Rows]

_sources: dict[str, Source] = {}
_lists: dict[str, str] = {}


def provide_key_projects(fn: Source, list_url_name: str = "") -> None:
    """`list_url_name`: the URL name of the list the rows come from (the figures' drill-down)."""
    _sources["key_projects"] = fn
    _lists["key_projects"] = list_url_name


def provide_ranking(fn: Source, list_url_name: str = "") -> None:
    _sources["ranking"] = fn
    _lists["ranking"] = list_url_name


def list_url(name: str, year: int) -> str:
    """The address of the provider's list for the year ('' when the provider named none)."""
    url_name = _lists.get(name)
    if not url_name:
        return ""
    try:  # a list addressed by its year (…/assessments/2026/)
        return reverse(url_name, kwargs={"year": year})
    except NoReverseMatch:
        return f"{reverse(url_name)}?year={year}"


def source(name: str) -> Source | None:
    return _sources.get(name)


def withdraw(name: str) -> None:
    """Forget a provider (tests that register a fake one put the real one back with this)."""
    _sources.pop(name, None)
    _lists.pop(name, None)
