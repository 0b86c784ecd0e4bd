"""The lifecycle diagram and action table in docs/, rendered from the workflow table."""

from __future__ import annotations

from safeloop.hazards.models import Status
from safeloop.hazards.workflow import TRANSITIONS

HEADER = """# 隐患闭环生命周期 (generated)

Generated from `safeloop/hazards/workflow.py` by `manage.py hazard_lifecycle`; do not edit by
hand (a test fails when this file and the table disagree).
"""


def lifecycle_markdown() -> str:
    return "\n".join([HEADER, "```mermaid", "stateDiagram-v2", *_edges(), "```", "", *_table(), ""])


def _edges() -> list[str]:
    lines = ["    [*] --> reported: 上报 report"]
    for t in TRANSITIONS:
        for source in t.sources:
            for target in t.targets or (source,):
                lines.append(f"    {source} --> {target}: {t.label} {t.action}")
    lines += [f"    {status} --> [*]" for status in (Status.VERIFIED, Status.WITHDRAWN)]
    return lines


def _table() -> list[str]:
    rows = ["| action | 名称 | from | to | who | needs |", "|---|---|---|---|---|---|"]
    for t in TRANSITIONS:
        targets = ", ".join(t.targets) or "(unchanged)"
        rows.append(f"| `{t.action}` | {t.label} | {', '.join(t.sources)} | {targets} | {t.who_label} | {t.needs} |")
    return rows
