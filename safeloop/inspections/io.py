"""The Excel export of the inspection list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.core.bulk import Export
from safeloop.core.xlsx import Column
from safeloop.inspections.models import Inspection, ParticipantRole, Status
from safeloop.inspections.selectors import InspectionFilters, inspection_list, may_inspect


def _officers(i: Inspection) -> str:
    return "、".join(
        f"{p.name}（{p.certificate_no}）" for p in i.participants.all() if p.role == ParticipantRole.OFFICER
    )


def _assistants(i: Inspection) -> str:
    return "、".join(p.name for p in i.participants.all() if p.role == ParticipantRole.ASSISTANT)


def _select(user: Any, filters: InspectionFilters) -> Any:
    return inspection_list(user, filters).prefetch_related("participants", "findings")


COLUMNS = [
    Column(_("检查编号"), "code", lambda i: i.code, 16),
    Column(_("被检查企业"), "enterprise", lambda i: i.enterprise.name, 30),
    Column(_("执法主体"), "enforcement_body", lambda i: i.enforcement_body.name, 24),
    Column(_("检查类型"), "kind", lambda i: i.get_kind_display(), 12),
    Column(_("计划检查日期"), "planned_on", lambda i: i.planned_on, 12),
    Column(_("状态"), "status", lambda i: i.get_status_display(), 10),
    Column(_("执法人员"), "officers", _officers, 36),
    Column(_("辅助人员"), "assistants", _assistants, 20),
    Column(_("扫码入企"), "checked_in", lambda i: _("是") if i.checked_in_at else _("否"), 10),
    Column(
        _("未扫码办结"),
        "flag",
        lambda i: _("是") if i.status == Status.CLOSED and i.checked_in_at is None else "",
        10,
    ),
    Column(_("发现隐患数"), "findings", lambda i: len(i.findings.all()), 10),
    Column(_("超频次理由"), "over_cap", lambda i: i.get_over_cap_reason_display() if i.over_cap_reason else "", 12),
    Column(_("企业评价"), "rating", lambda i: i.rating or "", 8),
]

INSPECTION_EXPORT = Export(
    kind="inspections.inspection_export",
    title=gettext_lazy("行政检查"),
    columns=COLUMNS,
    filters=InspectionFilters,
    select=_select,
    allowed=lambda user: may_inspect(user) or user.role == "enterprise",
    back="inspections:list",
)
