"""Links a record's page offers to the work of apps above the record's own app (a major hazard's
or an accident's page proposing a 举一反三 campaign).

The record's app may not import those apps: each registers its links for a model in its
`AppConfig.ready()`, with the permission its own page checks, so a page offers only what the
user may open. `record_links(user, obj)` gives the (label, url) pairs for the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RecordLinks = Callable[[Any, Any], list[tuple[str, str]]]  # (user, record) → (label, url) pairs
_PROVIDERS: dict[str, list[RecordLinks]] = {}


def provide_record_links(model_label: str, fn: RecordLinks) -> None:
    """`model_label` as Django spells it: "hazards.hazard", "accidents.accident"."""
    providers = _PROVIDERS.setdefault(model_label, [])
    if fn not in providers:
        providers.append(fn)


def record_links(user: Any, obj: Any) -> list[tuple[str, str]]:
    label = obj._meta.label_lower
    return [link for provide in _PROVIDERS.get(label, []) for link in provide(user, obj)]
