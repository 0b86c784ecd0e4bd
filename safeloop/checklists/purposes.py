"""What a checklist was opened for, as seen from the checklists app.

A checklist is an enterprise's self-inspection (source `self_check`) unless a higher app that
opened it for its own purpose says otherwise: a campaign task (专项整治 / 举一反三) reports its
不符合 items with the campaign's source and links them back. The higher app registers a
`Purpose` in its `AppConfig.ready()`; checklists never imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from safeloop.checklists.models import Checklist
    from safeloop.hazards.models import Hazard


@dataclass(frozen=True)
class HazardOrigin:
    """How the 不符合 items of one checklist enter the hazard loop."""

    source: str  # a hazards.Source value
    description_head: str = ""  # replaces 企业自查不符合 in the description, when given
    payload: dict[str, Any] = field(default_factory=dict)  # merged into the report event's payload


class Purpose(Protocol):
    def origin(self, checklist: Checklist) -> HazardOrigin | None:
        """The origin of this checklist's hazards, or None when the checklist is not this purpose's."""

    def submitted(self, checklist: Checklist, actor: Any, hazards: Sequence[Hazard]) -> None:
        """Called inside the submit transaction, after the hazards were reported."""


_purposes: list[Purpose] = []


def provide_purpose(purpose: Purpose) -> None:
    """Register (once per app; registering the same class again replaces it)."""
    _purposes[:] = [p for p in _purposes if type(p) is not type(purpose)] + [purpose]


def hazard_origin(checklist: Checklist) -> HazardOrigin | None:
    return next((o for o in (p.origin(checklist) for p in _purposes) if o is not None), None)


def checklist_submitted(checklist: Checklist, actor: Any, hazards: Sequence[Hazard]) -> None:
    for purpose in _purposes:
        purpose.submitted(checklist, actor, hazards)
