"""Reads of campaigns, all through the scope rules.

A campaign row belongs to the launching unit's region, so `core.scope` alone would hide a city
campaign from a county. Its own rule (`campaign_q`): a user sees a campaign launched by a unit
of their region, above it or within it, one their department leads or co-operates in, or one
whose targets include an enterprise they see. Tasks, targets and findings are scoped through
their enterprise (`core.scope`): a county sees its part of a city campaign. Out of scope is 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accidents.models import Accident
from safeloop.campaigns.models import Campaign, Finding, Kind, Status, Target, Task, TaskStatus
from safeloop.campaigns.targeting import Proposal, Seed, propose, seed_error, seed_of_accident, seed_of_hazard
from safeloop.core.errors import Conflict, NotFound
from safeloop.core.regions import ancestors, subtree_prefix
from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.rows import detail_url, labels
from safeloop.core.scope import ScopedUser, area_q, complete_area, user_area, visible
from safeloop.hazards.models import Hazard, Level
from safeloop.hazards.models import Status as HazardStatus

CLOSED_HAZARD = (HazardStatus.CLOSED, HazardStatus.VERIFIED, HazardStatus.WITHDRAWN)
RECTIFIED_HAZARD = (HazardStatus.AWAITING_ACCEPTANCE, HazardStatus.ACCEPTED, *CLOSED_HAZARD)


def campaign_q(user: ScopedUser) -> Q | None:
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.SYSADMIN:
        return Q()
    q = Q(pk__in=visible(user, Target.objects.filter(removed_at=None)).values("campaign_id"))
    if user.role in AREA_ROLES and user.region_id:
        q |= area_q("region", user.region_id) | Q(region_id__in=ancestors(user.region_id)[1:])
    if user.role == Role.DEPARTMENT and user.department_id:
        q |= Q(lead_department_id=user.department_id) | Q(co_departments__id=user.department_id)
        area = user_area(user)
        if area:
            q |= Q(region_id=area)
    return q


def campaigns_visible(user: ScopedUser) -> QuerySet[Campaign]:
    q = campaign_q(user)
    if q is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(pk__in=Campaign.objects.filter(q).values("pk"))


def campaign_list(user: ScopedUser, *, kind: str = "", status: str = "") -> QuerySet[Campaign]:
    qs = campaigns_visible(user).select_related("region", "lead_department")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def campaign_detail(user: ScopedUser, pk: Any) -> Campaign:
    try:
        found = campaigns_visible(user).select_related("region", "lead_department").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def campaign_locked(user: ScopedUser, pk: Any, version: Any) -> Campaign:
    """The campaign, locked for this transaction, when the user sees it; `version` checked if given."""
    campaign_detail(user, pk)
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("region").get(pk=int(pk))
    if version not in (None, "") and str(campaign.version) != str(version).strip():
        raise Conflict(_("该专项行动已被他人修改，请刷新后重试"), code="stale_version")
    return campaign


def tasks_visible(user: ScopedUser, campaign: Campaign) -> QuerySet[Task]:
    """The campaign's tasks the user sees. Every target lies in the campaign's region (the filter
    is read within the creator's scope, whose region the campaign takes), so a user who sees that
    whole region sees every task: no `enterprise IN (…)` subquery over a province for them."""
    tasks = Task.objects.filter(campaign=campaign)
    return tasks if _sees_whole_region(user, campaign) else visible(user, tasks)


def _sees_whole_region(user: ScopedUser, campaign: Campaign) -> bool:
    area = complete_area(user)
    return area is not None and subtree_prefix(campaign.region_id).startswith(area)


def task_list(user: ScopedUser, campaign: Campaign, *, status: str = "", overdue: bool | None = None) -> QuerySet[Task]:
    qs = tasks_visible(user, campaign).select_related("enterprise", "enterprise__region", "department")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q())
    return qs.order_by("deadline", "pk")


def overdue_q(today: Any = None) -> Q:
    return Q(status__in=(TaskStatus.PENDING, TaskStatus.IN_PROGRESS), deadline__lt=today or timezone.localdate())


def task_detail(user: ScopedUser, pk: Any) -> Task:
    try:
        found = (
            visible(user, Task.objects.select_related("campaign", "enterprise", "checklist")).filter(pk=int(pk)).first()
        )
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def enterprise_open_tasks(user: ScopedUser) -> QuerySet[Task]:
    return visible(user, Task.objects.filter(status__in=(TaskStatus.PENDING, TaskStatus.IN_PROGRESS))).select_related(
        "campaign"
    )


def targets_visible(user: ScopedUser, campaign: Campaign) -> QuerySet[Target]:
    return visible(user, Target.objects.filter(campaign=campaign)).select_related("enterprise", "enterprise__region")


def findings_visible(user: ScopedUser, campaign: Campaign) -> QuerySet[Finding]:
    findings = Finding.objects.filter(task__campaign=campaign).select_related("hazard", "task__enterprise")
    return findings if _sees_whole_region(user, campaign) else visible(user, findings)


# ---------------------------------------------------------------- seeds


def seed_for(user: ScopedUser, *, hazard: Any = None, accident: Any = None) -> Hazard | Accident:
    """The seed hazard or accident, when the user sees it (else a 400 naming the field)."""
    if hazard:
        found = _visible_pk(user, Hazard.objects.select_related("enterprise", "clause"), hazard)
        if found is None:
            raise seed_error_for("seed_hazard", _("源头隐患不存在或不在您的管辖范围内"))
        return found
    found_accident = _visible_pk(user, Accident.objects.select_related("enterprise"), accident)
    if found_accident is None:
        raise seed_error_for("seed_accident", _("源头事故不存在或不在您的管辖范围内"))
    return found_accident


def seed_error_for(name: str, message: str) -> Any:
    error = seed_error(message)
    error.fields = {name: message}
    return error


def _visible_pk(user: ScopedUser, qs: QuerySet[Any], key: Any) -> Any:
    try:
        return visible(user, qs).filter(pk=int(key)).first()
    except (TypeError, ValueError):
        return None


def seed_proposals(user: ScopedUser, seed: Hazard | Accident, region: str = "") -> list[Proposal]:
    """举一反三: similar enterprises within the region the user governs (or a part of it)."""
    area = user_area(user) or ""
    if region and (not area or region.startswith(subtree_prefix(area))):
        area = region  # a part of the user's region; a region outside it is ignored (scope still applies)
    picked: Seed = seed_of_hazard(seed) if isinstance(seed, Hazard) else seed_of_accident(seed)
    if not area:
        area = picked.enterprise.region_id[:2] + "0000" if picked.enterprise is not None else ""
    return propose(user, picked, area)


# ---------------------------------------------------------------- progress


@dataclass
class Progress:
    key: str
    name: str
    targets: int = 0
    reached: int = 0  # a task started or done
    inspected: int = 0  # done
    overdue: int = 0
    hazards: int = 0
    major: int = 0
    rectified: int = 0
    closed: int = 0

    @property
    def done_share(self) -> int:
        return round(100 * self.inspected / self.targets) if self.targets else 0


def progress(user: ScopedUser, campaign: Campaign, by: str = "county") -> tuple[Progress, list[Progress]]:
    """Totals and rows by county (`county`), township (`township`) or department (`department`),
    the laggards (lowest share done) first."""
    key, name = _grouping(by)
    tasks = tasks_visible(user, campaign)
    rows: dict[str, Progress] = {}
    today = timezone.localdate()
    counts = tasks.values(key, name).annotate(
        n=Count("pk"),
        reached=Count("pk", filter=Q(status__in=(TaskStatus.IN_PROGRESS, TaskStatus.DONE))),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    for row in counts:
        p = rows.setdefault(str(row[key] or ""), Progress(str(row[key] or ""), str(row[name] or _("未指定"))))
        p.targets, p.reached, p.inspected, p.overdue = row["n"], row["reached"], row["done"], row["overdue"]
    found = (
        findings_visible(user, campaign)
        .values(f"task__{key}")
        .annotate(
            n=Count("pk"),
            major=Count("pk", filter=Q(hazard__level=Level.MAJOR)),
            rectified=Count("pk", filter=Q(hazard__status__in=RECTIFIED_HAZARD)),
            closed=Count("pk", filter=Q(hazard__status__in=CLOSED_HAZARD)),
        )
    )
    for row in found:
        p = rows.setdefault(str(row[f"task__{key}"] or ""), Progress(str(row[f"task__{key}"] or ""), ""))
        p.hazards, p.major, p.rectified, p.closed = row["n"], row["major"], row["rectified"], row["closed"]
    ordered = sorted(rows.values(), key=lambda p: (p.done_share, -p.overdue, p.key))
    return _total(ordered), ordered


def _grouping(by: str) -> tuple[str, str]:
    if by == "township":
        return "enterprise__region_id", "enterprise__region__name"
    if by == "department":
        return "department_id", "department__name"
    return "enterprise__region__parent_id", "enterprise__region__parent__name"


def _total(rows: list[Progress]) -> Progress:
    total = Progress("", _("合计"))
    for p in rows:
        for attr in ("targets", "reached", "inspected", "overdue", "hazards", "major", "rectified", "closed"):
            setattr(total, attr, getattr(total, attr) + getattr(p, attr))
    return total


# ---------------------------------------------------------------- statistics


@dataclass
class Figures:
    """A campaign's statistics over the user's part of it (issue 12 §5)."""

    inspected: int = 0
    hazards: int = 0
    major: int = 0
    rectified: int = 0
    same_hazard: int | None = None  # 举一反三: similar enterprises found with the seed's clause

    @property
    def per_100(self) -> float | None:
        return round(100 * self.hazards / self.inspected, 1) if self.inspected else None

    @property
    def major_share(self) -> int | None:
        return round(100 * self.major / self.hazards) if self.hazards else None

    @property
    def rectification_rate(self) -> int | None:
        return round(100 * self.rectified / self.hazards) if self.hazards else None


def figures_of(user: ScopedUser, campaigns: list[Campaign]) -> dict[int, Figures]:
    """Each campaign's figures (`figures_by_id`)."""
    seeds = {c.pk: c.seed_hazard.clause_id if c.seed_hazard_id and c.seed_hazard else None for c in campaigns}
    return figures_by_id(user, seeds)


def figures_by_id(user: ScopedUser, seeds: dict[int, str | None]) -> dict[int, Figures]:
    """Each campaign's figures, three grouped queries for any number of campaigns (a list page);
    `seeds`: campaign id → the clause of its seed hazard (举一反三), or None."""
    ids = list(seeds)
    out = {pk: Figures() for pk in ids}
    done = visible(user, Task.objects.filter(campaign_id__in=ids, status=TaskStatus.DONE))
    for done_row in done.values("campaign_id").annotate(n=Count("pk")).order_by():
        out[done_row["campaign_id"]].inspected = done_row["n"]
    found = visible(user, Finding.objects.filter(task__campaign_id__in=ids)).values("task__campaign_id")
    for row in found.annotate(
        n=Count("pk"),
        major=Count("pk", filter=Q(hazard__level=Level.MAJOR)),
        rectified=Count("pk", filter=Q(hazard__status__in=RECTIFIED_HAZARD)),
    ).order_by():
        f = out[row["task__campaign_id"]]
        f.hazards, f.major, f.rectified = row["n"], row["major"], row["rectified"]
    seeded = [pk for pk, clause in seeds.items() if clause]
    for pk in seeded:
        out[pk].same_hazard = 0
    if seeded:
        same = visible(
            user,
            Finding.objects.filter(
                task__campaign_id__in=seeded, hazard__clause_id=F("task__campaign__seed_hazard__clause_id")
            ),
        )
        for pk, n in (
            same.values_list("task__campaign_id").annotate(n=Count("task__enterprise_id", distinct=True)).order_by()
        ):
            out[pk].same_hazard = n
    return out


CAMPAIGN_ROW_FIELDS = (
    "pk",
    "code",
    "title",
    "kind",
    "status",
    "region__name",
    "lead_department__name",
    "starts_on",
    "ends_on",
    "seed_hazard__clause_id",
)


def campaign_rows(user: ScopedUser, qs: QuerySet[Campaign]) -> list[dict[str, Any]]:
    """One page of the campaign list as dicts of ready-to-show values with each campaign's
    figures, from one narrow query and the figures' grouped ones (docs/performance.md)."""
    kinds, statuses, url = labels(Kind), labels(Status), detail_url("campaigns:detail")
    found = list(qs.values_list(*CAMPAIGN_ROW_FIELDS))
    figures = figures_by_id(user, {row[0]: row[-1] for row in found})
    rows = []
    for pk, code, title, kind, status, region, lead, starts, ends, _clause in found:
        rows.append(
            {
                "url": url(pk),
                "code": code,
                "title": title,
                "kind": kinds.get(kind, kind),
                "status": statuses.get(status, status),
                "region": region,
                "lead": lead,
                "period": f"{starts:%Y-%m-%d} ～ {ends:%Y-%m-%d}",
                "figures": figures[pk],
            }
        )
    return rows
