"""The Excel export of a campaign's task list (core.xlsx_write): each target with its status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.campaigns.models import Campaign, Task, TaskStatus
from safeloop.core.fields import Kind
from safeloop.core.xlsx import Column
from safeloop.core.xlsx_write import Heading, workbook_file

OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)


def columns() -> list[Column]:
    today = timezone.localdate()
    return [
        Column(_("任务编号"), "code", lambda t: t.code, 24),
        Column(_("企业"), "enterprise", lambda t: t.enterprise.name, 30),
        Column(_("统一社会信用代码"), "credit_code", lambda t: t.enterprise.credit_code, 22),
        Column(_("乡镇街道"), "region", lambda t: t.enterprise.region.name, 16),
        Column(_("承办"), "route", lambda t: t.get_route_display(), 14),
        Column(_("承办部门"), "department", lambda t: t.department.name if t.department else "", 18),
        Column(_("完成时限"), "deadline", lambda t: t.deadline, 12, kind=Kind.DATE),
        Column(_("状态"), "status", lambda t: t.get_status_display(), 10),
        Column(_("是否逾期"), "overdue", lambda t: _("是") if t.status in OPEN and t.deadline < today else _("否"), 10),
        Column(_("发现隐患数"), "hazards", lambda t: t.n_findings, 10),
        Column(_("完成时间"), "completed_at", lambda t: t.completed_at, 18, kind=Kind.MOMENT),
    ]


def task_workbook(campaign: Campaign, tasks: Iterable[Task]) -> IO[bytes]:
    return workbook_file(_("专项行动任务清单"), columns(), tasks, heading=Heading(filters=[campaign.title]))
