"""The leaders' daily digest: one notification a day per city and county account, summing up,
in the leader's scope, the hazards that became overdue, yesterday's escalations and the open
major hazards, linking to the ledger filtered the same way as the figures are counted.

Run daily (the `notify_digest` task, registered in HazardsConfig.ready(), or the command).
Idempotent per user per day: the notification's key is the day, and a unique constraint
refuses a second one even when two runs race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.accounts.notifications import notify
from safeloop.core.schedule import Tally, each
from safeloop.hazards.models import HazardEvent
from safeloop.hazards.selectors import LedgerFilters, ledger

LEADER_ROLES = (Role.CITY, Role.COUNTY)
# The ledger views the digest counts and links to (the same filters as the workbench cards).
OVERDUE = {"overdue": "1"}
OPEN_MAJOR = {"level": "major", "list": "problems"}


@dataclass(frozen=True)
class Digest:
    day: date
    new_overdue: int
    overdue: int
    escalated: int
    open_major: int

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.escalated or self.open_major)

    @property
    def title(self) -> str:
        return _(
            "每日隐患简报（%(month)d月%(day)d日）：新增逾期%(new_overdue)d条（逾期共%(overdue)d条），"
            "昨日升级督办%(escalated)d条，在办重大隐患%(open_major)d条"
        ) % {
            "month": self.day.month,
            "day": self.day.day,
            "new_overdue": self.new_overdue,
            "overdue": self.overdue,
            "escalated": self.escalated,
            "open_major": self.open_major,
        }

    @property
    def url(self) -> str:
        params = OVERDUE if self.overdue or self.escalated else OPEN_MAJOR
        return f"{reverse('hazards:ledger')}?{urlencode(params)}"


def digest_for(user: User, day: date) -> Digest:
    """The figures of one leader's digest for `day`, all through the leader's scope."""
    overdue = ledger(user, LedgerFilters(**OVERDUE), today=day)
    yesterday = day - timedelta(days=1)
    return Digest(
        day=day,
        new_overdue=overdue.filter(deadline=yesterday).count(),
        overdue=overdue.count(),
        escalated=_escalations(overdue, yesterday, day),
        open_major=ledger(user, LedgerFilters(**OPEN_MAJOR), today=day).count(),
    )


def _escalations(overdue, start: date, end: date) -> int:
    """Escalation events recorded on [start, end) for hazards still overdue: looked up through
    the overdue hazards (an indexed set), never by scanning every event."""
    tz = timezone.get_current_timezone()
    window = (datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz))
    events = HazardEvent.objects.filter(hazard__in=overdue.order_by().values("pk"), action="escalate")
    return events.filter(at__gte=window[0], at__lt=window[1]).count()


def digests_send(*, today: date | None = None, tally: Tally | None = None) -> int:
    """Send the day's digest to every active leader who has something to read; returns how many
    were sent now (a leader already told today is not told again). A leader whose digest fails
    is logged and counted in `tally`; the others are still told."""
    day = today or timezone.localdate()
    sent = 0

    def tell(user: User) -> None:
        nonlocal sent
        digest = digest_for(user, day)
        if not digest.empty:
            sent += notify(users=[user], kind="digest", title=digest.title, url=digest.url, key=f"digest:{day}")

    leaders = User.objects.filter(role__in=LEADER_ROLES, is_active=True).order_by("pk")
    each(leaders, tell, job="notify_digest", atomic=True, tally=tally)
    return sent
