"""The hazard workflow as a table, over `core.transitions`: (state, action) → next state, who
may act, under which conditions, and the fields each action asks for.

`TRANSITIONS` is the only place that decides what is allowed: the buttons on the hazard page,
the API's `actions` and request schemas, the to-do lists and the lifecycle diagram in docs/ all
come from it. `hazard_act()` is the only entry point that changes a hazard's status.

Parties (who, relative to this hazard): `enterprise` (a user of the hazard's enterprise),
`expert` (an expert assigned to it), `regulator` (city, county, township, department users
whose scope includes it), `supervisor` (regulators above township level: the authority that
closes regulator findings and major hazards).

The package: `parties` (who, relative to a hazard), `fields` (what each action asks for),
`rules` (conditions, signatures, who accepts), `actions` (the rows' small functions), `table`
(the rows, the workflow over them and the entry point `hazard_act`).
"""

from safeloop.hazards.workflow.actions import PROOF, look_back_days
from safeloop.hazards.workflow.fields import STAGES
from safeloop.hazards.workflow.parties import (
    ENTERPRISE,
    EXPERT,
    REGULATOR,
    SUPERVISOR,
    is_self_managed,
    parties_of,
    role_parties,
)
from safeloop.hazards.workflow.rules import THE_ACCEPTOR, signatures, signing_stage
from safeloop.hazards.workflow.table import (
    ACTION_LABELS,
    HAZARD_FLOW,
    TRANSITIONS,
    action_options,
    available_actions,
    hazard_act,
    todo_q,
)

__all__ = [
    "ACTION_LABELS",
    "ENTERPRISE",
    "EXPERT",
    "HAZARD_FLOW",
    "PROOF",
    "REGULATOR",
    "STAGES",
    "SUPERVISOR",
    "THE_ACCEPTOR",
    "TRANSITIONS",
    "action_options",
    "available_actions",
    "hazard_act",
    "is_self_managed",
    "look_back_days",
    "parties_of",
    "role_parties",
    "signatures",
    "signing_stage",
    "todo_q",
]
