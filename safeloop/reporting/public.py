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
from safeloop.reporting.models import Report, ReportStatus, RewardStatus

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
    )
