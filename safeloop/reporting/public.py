"""What the holder of a tracking code sees: the report's progress in public words, the reply the
handler wrote for them, the reward's status. Never a name, a handler, an account, the hazard's
number or any other record: the page and the API both show exactly `PublicProgress`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.hazards.models import Status as HazardStatus
from safeloop.reporting.models import Channel, HandlerKind, Report, ReportStatus, RewardStatus

SUMMARY_LENGTH = 60


def _status_words() -> dict[str, str]:
    return {
        ReportStatus.RECEIVED: _("已受理，等待核查"),
        ReportStatus.CHECKING: _("正在核查"),
        ReportStatus.VERIFIED: _("经核查属实，已列入隐患整改"),
        ReportStatus.REJECTED: _("未予认定"),
    }


def _hazard_words(status: str) -> str:
    if status in (HazardStatus.ACCEPTED, HazardStatus.CLOSED, HazardStatus.VERIFIED):
        return _("已整改完毕")
    if status == HazardStatus.WITHDRAWN:
        return _("已撤销")
    return _("整改中")


@dataclass(frozen=True)
class PublicProgress:
    tracking_code: str
    status: str
    status_text: str
    submitted_on: date
    responded: bool
    reply: str
    summary: str
    rectification: str  # '' until verified
    reward_status: str
    reward_text: str
    reward_amount: Decimal | None
    can_escalate: bool  # the reporter may take an internal report to the township (services.may_escalate)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def progress_of(report: Report) -> PublicProgress:
    line = (report.description or "").strip().splitlines()[0] if report.description.strip() else ""
    rectification = ""
    if report.status == ReportStatus.VERIFIED and report.hazard is not None:
        rectification = _hazard_words(report.hazard.status)
    shown_amount = report.reward_status in (RewardStatus.DECIDED, RewardStatus.PAID)
    return PublicProgress(
        tracking_code=report.code,
        status=report.status,
        status_text=_status_words()[report.status],
        submitted_on=timezone.localdate(report.created_at),
        responded=report.first_response_at is not None,
        reply=report.public_reply,
        summary=line if len(line) <= SUMMARY_LENGTH else f"{line[: SUMMARY_LENGTH - 1]}…",
        rectification=rectification,
        reward_status=report.reward_status,
        reward_text=str(RewardStatus(report.reward_status).label) if report.reward_status else "",
        reward_amount=report.reward_amount if shown_amount else None,
        can_escalate=may_escalate(report, timezone.localdate()),
    )


def may_escalate(report: Report, today: date) -> bool:
    """An internal report the enterprise did not answer in time, or rejected, may be taken by its
    reporter to the township (安委〔2024〕7号 pilot practice, RULES.md §5: an internal report not dealt
    with may be reported outside)."""
    if report.channel != Channel.INTERNAL or report.handler_kind != HandlerKind.ENTERPRISE:
        return False
    unanswered = report.first_response_at is None and report.respond_by is not None and report.respond_by < today
    return unanswered or report.status == ReportStatus.REJECTED
