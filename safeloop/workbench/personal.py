"""The enterprise's and the expert's workbenches: their own work, not a region's figures.

An enterprise sees its open hazards by deadline (overdue first, working days left) and by
status; an expert the signatures the loop waits for from it (确认 and 验收 of major hazards), by
stage and by enterprise. As on the regulators' workbench, every point opens the ledger (or the
to-do list) filtered to exactly the hazards it counts, with the ledger's own filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import User
from safeloop.campaigns.selectors import enterprise_open_tasks
from safeloop.core.workdays import WorkdayCalendar
from safeloop.hazards.models import DEADLINE_STATUSES, Hazard, Status
from safeloop.hazards.selectors import LedgerFilters, filter_q, hazard_queryset, ledger, overdue_q
from safeloop.hazards.workflow import STAGES
from safeloop.workbench.charts import Chart, Point, Series, ledger_url

OPEN = {"list": "problems"}
OPEN_BY_DEADLINE = {"list": "problems", "sort": "deadline"}
SIGNATURES = {"awaiting": "sign"}  # of the to-do list (hazards:todo)
STAGE_OF_STATUS = {Status.REPORTED: "confirmation", Status.AWAITING_ACCEPTANCE: "acceptance"}


def _counted(user: User, today: date, params: dict[str, str]) -> int:
    """How many hazards the ledger lists with these parameters (one aggregate per chart)."""
    return ledger(user, LedgerFilters.from_params(params), today).count()


# ---------------------------------------------------------------- the enterprise


def deadline_buckets(today: date) -> list[tuple[str, dict[str, str]]]:
    """The hazards under rectification by their deadline: passed, then by days left (calendar)."""

    def running(first: int, last: int | None) -> dict[str, str]:
        params = {"list": "rectifying", "deadline_from": (today + timedelta(days=first)).isoformat()}
        return params | ({"deadline_to": (today + timedelta(days=last)).isoformat()} if last is not None else {})

    return [
        (str(_("已逾期")), {"overdue": "1"}),
        (str(_("7天内到期")), running(0, 7)),
        (str(_("8至30天到期")), running(8, 30)),
        (str(_("30天以后到期")), running(31, None)),
    ]


def deadline_chart(user: User, today: date) -> Chart:
    buckets = deadline_buckets(today)
    counts = hazard_queryset(user).aggregate(
        **{
            f"b{i}": Count("pk", filter=filter_q(LedgerFilters.from_params(params), today))
            for i, (_label, params) in enumerate(buckets)
        }
    )
    points = [Point(counts[f"b{i}"], counts[f"b{i}"], ledger_url(p)) for i, (_label, p) in enumerate(buckets)]
    note = _("整改期内（已交办、整改中）的隐患按整改期限；逾期的请尽快整改或申请延期。")
    return Chart(
        "deadlines",
        _("整改期限"),
        "hbar",
        [label for label, _p in buckets],
        [Series(_("隐患数"), points)],
        note=note,
        axis=_("整改期限"),
    )


def status_chart(user: User, today: date) -> Chart:
    qs = hazard_queryset(user).filter(filter_q(LedgerFilters.from_params(OPEN), today)).order_by()
    counts = dict(qs.values_list("status").annotate(n=Count("pk")))
    shown = [(value, label) for value, label in Status.choices if counts.get(value)]
    points = [Point(counts[value], counts[value], ledger_url(OPEN | {"status": value})) for value, _l in shown]
    return Chart(
        "open-status",
        _("在办隐患（按状态）"),
        "hbar",
        [str(label) for _v, label in shown],
        [Series(_("隐患数"), points)],
        axis=_("状态"),
    )


@dataclass(frozen=True)
class OpenRow:
    hazard: Hazard
    overdue: bool  # under rectification and past its deadline
    days: int | None  # working days past (overdue) or left (0: due today); None: no deadline running
    provisional: bool


def open_rows(user: User, today: date, limit: int = 20) -> list[OpenRow]:
    """The enterprise's open hazards: overdue first (longest first), then by deadline, then the
    ones without a deadline running (awaiting confirmation or acceptance)."""
    rank = Case(
        When(overdue_q(today), then=Value(0)),
        When(status__in=DEADLINE_STATUSES, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    qs = ledger(user, LedgerFilters.from_params(OPEN), today).select_related("enterprise")
    hazards = list(
        qs.annotate(rank=rank).order_by("rank", F("deadline").asc(nulls_last=True), "found_on", "pk")[:limit]
    )
    running = [h.deadline for h in hazards if h.deadline and h.status in DEADLINE_STATUSES]
    calendar = WorkdayCalendar(min([today, *running]), max([today, *running])) if running else None
    return [_open_row(h, today, calendar) for h in hazards]


def _open_row(h: Hazard, today: date, calendar: WorkdayCalendar | None) -> OpenRow:
    if calendar is None or h.deadline is None or h.status not in DEADLINE_STATUSES:
        return OpenRow(h, False, None, False)
    if h.deadline < today:
        return OpenRow(h, True, *calendar.workdays_between(h.deadline, today))
    return OpenRow(h, False, *calendar.workdays_between(today, h.deadline))


def enterprise_figures(user: User, today: date) -> dict:
    return {
        "charts": [deadline_chart(user, today), status_chart(user, today)],
        "open": open_rows(user, today),
        "open_url": ledger_url(OPEN_BY_DEADLINE),
        "open_total": _counted(user, today, OPEN),
        "campaign_tasks": list(enterprise_open_tasks(user).order_by("deadline", "pk")[:10]),
    }


# ---------------------------------------------------------------- the expert


def signatures_due(user: User, today: date, extra: dict[str, str] | None = None):
    return ledger(user, LedgerFilters.from_params({"todo": "1", **SIGNATURES, **(extra or {})}), today)


def stage_chart(user: User, today: date) -> Chart:
    counts = dict(signatures_due(user, today).order_by().values_list("status").annotate(n=Count("pk")))
    names = dict(STAGES)
    points, labels = [], []
    for status, stage in STAGE_OF_STATUS.items():
        n = counts.get(status, 0)
        labels.append(str(_("%(stage)s签字") % {"stage": names[stage]}))
        points.append(Point(n, n, ledger_url(SIGNATURES | {"status": status}, "hazards:todo")))
    return Chart("sign-stages", _("待我签字（按环节）"), "hbar", labels, [Series(_("待签字"), points)], axis=_("环节"))


def signature_enterprise_chart(user: User, today: date, limit: int = 10) -> Chart:
    qs = signatures_due(user, today).order_by()
    rows = list(
        qs.values_list("enterprise_id", "enterprise__name").annotate(n=Count("pk")).order_by("-n", "enterprise_id")
    )
    rows = rows[:limit]
    points = [Point(n, n, ledger_url(SIGNATURES | {"enterprise": str(pk)}, "hazards:todo")) for pk, _name, n in rows]
    return Chart(
        "sign-enterprises",
        _("待我签字（按企业）"),
        "hbar",
        [name for _pk, name, _n in rows],
        [Series(_("待签字"), points)],
        axis=_("企业"),
    )


def open_by_enterprise_chart(user: User, today: date, limit: int = 10) -> Chart:
    """The open hazards of the enterprises the expert is assigned to, most first."""
    qs = hazard_queryset(user).filter(filter_q(LedgerFilters.from_params(OPEN), today)).order_by()
    counted = (
        qs.values_list("enterprise_id", "enterprise__name").annotate(n=Count("pk")).order_by("-n", "enterprise_id")
    )
    rows = list(counted[:limit])
    points = [Point(n, n, ledger_url(OPEN | {"enterprise": str(pk)})) for pk, _name, n in rows]
    return Chart(
        "open-enterprises",
        _("负责企业的在办隐患（前%(n)d家）") % {"n": limit},
        "hbar",
        [name for _pk, name, _n in rows],
        [Series(_("在办隐患"), points)],
        axis=_("企业"),
    )


def expert_figures(user: User, today: date, limit: int = 10) -> dict:
    due = list(signatures_due(user, today).select_related("enterprise")[:limit])
    names = dict(STAGES)
    return {
        "charts": [
            stage_chart(user, today),
            signature_enterprise_chart(user, today),
            open_by_enterprise_chart(user, today),
        ],
        "signatures": [(h, names[STAGE_OF_STATUS.get(h.status, "acceptance")]) for h in due],
        "signatures_url": ledger_url(SIGNATURES, "hazards:todo"),
        "signatures_total": signatures_due(user, today).count(),
    }
