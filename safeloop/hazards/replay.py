"""What a hazard's history says its current fields are: each event that sets one of them names
the value in its payload, so replaying the chain gives level, description, deadline, responsible
person and clause (and the last event gives the status, `core.chain`). A field that differs from
its replay was changed behind the workflow: `verify_ledger` reports it.

Every legitimate change of these fields is therefore an event: the workflow's rows (confirm,
assign, submit_plan, decide_extension, reopen), the report, and the `migrated` event with which
migration hazards/0007 stated the fields of hazards recorded before they were replayed, and the
`clause_linked` event with which 0010 turned a free-text 判定依据 into a clause id (or kept it as
legacy text). `clause` replays as the clause id.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from safeloop.hazards.models import Hazard, HazardEvent, Level

REPLAYED = ("description", "level", "clause", "deadline", "responsible_person", "legacy_clause")
# Which payload keys of which action set a replayed field (the same name on the hazard). Other
# actions may carry a key of the same name that means something else (a requested deadline, a
# listing's deadline, the deadline as it stood at an escalation): only these set the field.
SETS = {
    "report": REPLAYED,  # a live report states three; an imported one all, as the old ledger had them
    "confirm": ("level", "clause"),
    "assign": ("responsible_person", "deadline"),
    "submit_plan": ("responsible_person",),
    "decide_extension": ("deadline",),
    "reopen": ("deadline",),
    "migrated": REPLAYED,
    "clause_linked": ("clause", "legacy_clause"),
}
BLANK: dict[str, Any] = {
    "description": "",
    "level": Level.GENERAL,
    "clause": "",
    "deadline": None,
    "responsible_person": "",
    "legacy_clause": "",
}


def replayed(events: list[HazardEvent]) -> dict[str, Any]:
    """The replayed fields after these events (a field no event set keeps a new hazard's value)."""
    state = dict(BLANK)
    for event in events:
        for name in SETS.get(event.action, ()):
            if name in event.payload:
                state[name] = event.payload[name]
    return state


def current(hazard: Hazard) -> dict[str, Any]:
    """The hazard's replayed fields as its events write them (dates as ISO text)."""
    return {name: _as_payload(getattr(hazard, "clause_id" if name == "clause" else name)) for name in REPLAYED}


def _as_payload(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def replay_problems(hazard: Hazard, chain: list[HazardEvent]) -> Iterator[str]:
    """A message for each replayed field whose current value its events do not give."""
    state, now = replayed(chain), current(hazard)
    for name in REPLAYED:
        if (state[name] or None) != (now[name] or None):
            label = Hazard._meta.get_field(name).verbose_name
            yield _("当前“%(field)s”与事件回放不符，被绕过流程修改") % {"field": label}
