"""The hazard lifecycle diagram and action table in docs/, rendered from the workflow table."""

from __future__ import annotations

from safeloop.core.diagram import lifecycle_markdown as workflow_markdown
from safeloop.hazards.models import Status
from safeloop.hazards.workflow import TRANSITIONS

HEADER = """# 隐患闭环生命周期 (generated)

Generated from `safeloop/hazards/workflow.py` by `manage.py hazard_lifecycle`; do not edit by
hand (a test fails when this file and the table disagree). `fields` are each action's request
body besides `version` (`*` required); the same specs render the page's forms.

即查即改 (`POST /api/v1/hazards/fixed-on-spot`, page `/hazards/on-spot/`) is not a row of its own:
one recorded act runs report → confirm → assign → start → submit_rectification → accept (→ close
where the recorder may close) through these rows, each an event of the chain.
"""


def lifecycle_markdown() -> str:
    return workflow_markdown(TRANSITIONS, header=HEADER, start=(Status.REPORTED, "上报 report"))
