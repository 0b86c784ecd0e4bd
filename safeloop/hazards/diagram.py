"""The hazard lifecycle diagram and action table in docs/, rendered from the workflow table."""

from __future__ import annotations

from safeloop.core.diagram import lifecycle_markdown as workflow_markdown
from safeloop.hazards.models import Status
from safeloop.hazards.workflow import TRANSITIONS

HEADER = """# 隐患闭环生命周期 (generated)

Generated from `safeloop/hazards/workflow.py` by `manage.py hazard_lifecycle`; do not edit by
hand (a test fails when this file and the table disagree). `fields` are each action's request
body besides `version` (`*` required); the same specs render the page's forms.
"""


def lifecycle_markdown() -> str:
    return workflow_markdown(TRANSITIONS, header=HEADER, start=(Status.REPORTED, "上报 report"))
