"""Reads of duties, all under the scope rules (out of scope is 404).

`unit_q(user)`: a regulator of an area sees the units of its area (`core.scope.area_q` on the
unit's region: the city every county, township and department; a county its own, its townships
and its departments); a department its own unit and the units under a position it holds; a
system administrator all. Enterprises see no unit, only the enterprise list (the template every
enterprise's positions follow) and their own measures. Lists, tasks, drills, accountability
records and assessment rows are visible when their unit is (a task: its lead or a co-operating
unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.errors import NotFound
from safeloop.core.regions import ancestors
from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.rows import detail_url, labels
from safeloop.core.scope import ScopedUser, area_q, user_area
from safeloop.duties.measures import MEASURES, Figure, enterprise_figures, unit_figures
from safeloop.duties.models import (
    Accountability,
    Drill,
    DutyItem,
    DutyList,
    Milestone,
    PositionHolder,
    Scheme,
    SchemeStatus,
    Task,
    TaskStatus,
    Unit,
)
from safeloop.duties.scoring import UnitScore, compute, from_json


def unit_q(user: ScopedUser) -> Q | None:
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.SYSADMIN:
        return Q()
    if user.role in AREA_ROLES and user.region_id:
        return area_q("region", user.region_id)
    if user.role == Role.DEPARTMENT and user.department_id:
        return Q(department_id=user.department_id)
    return None


def units_visible(user: ScopedUser) -> QuerySet[Unit]:
    q = unit_q(user)
    return Unit.objects.none() if q is None else Unit.objects.filter(q)


def unit_get(user: ScopedUser, pk: Any) -> Unit:
    try:
        found = units_visible(user).select_related("region", "department").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def own_unit(user: ScopedUser) -> Unit | None:
    """The unit a user's account works for: its department's, or its region's government."""
    if user.role == Role.DEPARTMENT and user.department_id:
        return Unit.objects.filter(department_id=user.department_id).first()
    if user.role in AREA_ROLES and user.region_id:
        return Unit.objects.filter(department=None, region_id=user.region_id).first()
    return None


# ---------------------------------------------------------------- duty lists


def duty_lists(user: ScopedUser, year: int | None = None) -> QuerySet[DutyList]:
    q = Q(unit__in=units_visible(user))
    if user.is_authenticated and user.is_active and user.role != Role.EXPERT:
        q |= Q(unit=None)  # the enterprise template: every signed-in regulator and enterprise
    qs = DutyList.objects.filter(q).select_related("unit", "unit__region")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "unit__sort", "unit__region_id", "kind", "-version")


def duty_list_get(user: ScopedUser, pk: Any) -> DutyList:
    try:
        found = duty_lists(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def list_items(duty_list: DutyList) -> list[DutyItem]:
    return list(duty_list.items.select_related("position").order_by("sort", "pk"))


def holders(duty_list: DutyList) -> list[PositionHolder]:
    """Every holder (current and past) of the list's positions: the history of who held them."""
    return list(
        PositionHolder.objects.filter(position__in=duty_list.items.values("position_id"))
        .select_related("position")
        .order_by("position__sort", "-started_on")
    )


# ---------------------------------------------------------------- tasks


def tasks_visible(user: ScopedUser) -> QuerySet[Task]:
    units = units_visible(user)
    q = unit_q(user)
    if q is None:
        return Task.objects.none()
    if q == Q():
        return Task.objects.all()
    return Task.objects.filter(Q(lead_unit__in=units) | Q(co_units__in=units)).distinct()


def task_list(user: ScopedUser, *, year: int | None = None, key: str = "", status: str = "") -> QuerySet[Task]:
    qs = tasks_visible(user).select_related("lead_unit")
    if year:
        qs = qs.filter(year=year)
    if key == "1":
        qs = qs.filter(key_project=True)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("year", "code")


def task_get(user: ScopedUser, pk: Any) -> Task:
    try:
        found = tasks_visible(user).select_related("lead_unit").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def planned_pct(task: Task, today: date | None = None) -> int:
    """The share of the plan due by today: the last milestone passed (its planned %)."""
    today = today or timezone.localdate()
    passed = [m.planned_pct for m in task.milestones.all() if m.due_on <= today]
    return max(passed, default=0)


def progress_pct(task: Task) -> int:
    reports = list(task.progress_reports.all())
    return reports[-1].progress_pct if reports else task.percent


def is_behind(task: Task, today: date | None = None) -> bool:
    return task.status != TaskStatus.DONE and progress_pct(task) < planned_pct(task, today)


def next_milestone(task: Task) -> Milestone | None:
    return next((m for m in task.milestones.all() if m.done_on is None), None)


def task_rows(tasks: list[Task], today: date) -> list[dict[str, Any]]:
    """One page of the task list as dicts of ready-to-show values (docs/performance.md: no
    `get_FOO_display`, `{% url %}` or date filter per cell); `tasks` with their milestones and
    progress reports prefetched."""
    statuses, url = labels(TaskStatus), detail_url("duties:task")
    rows = []
    for t in tasks:
        nxt = next_milestone(t)
        rows.append(
            {
                "url": url(t.pk),
                "title": t.title,
                "code": t.code,
                "lead": t.lead_unit.name,
                "due": f"{t.due_on:%Y-%m-%d}",
                "overdue": t.status != TaskStatus.DONE and t.due_on < today,
                "status": statuses.get(t.status, t.status),
                "budget": round(t.budget / 10000) if t.budget is not None else "",
                "planned": planned_pct(t, today),
                "progress": progress_pct(t),
                "behind": is_behind(t, today),
                "next": f"{nxt.title} · {nxt.due_on:%Y-%m-%d}" if nxt else "",
            }
        )
    return rows


def key_projects_summary(user: ScopedUser, year: int) -> list[dict]:
    """Key projects of the year the user sees (for the briefings): plan vs progress, in order."""
    today = timezone.localdate()
    qs = task_list(user, year=year, key="1").prefetch_related("milestones", "progress_reports")
    out = []
    for task in qs:
        planned, progress = planned_pct(task, today), progress_pct(task)
        out.append(
            {
                "name": task.title,
                "lead_unit": task.lead_unit.name,
                "budget": task.budget if task.budget is not None else Decimal(0),
                "planned_pct": int(planned),
                "progress_pct": int(progress),
                "behind": task.status != TaskStatus.DONE and progress < planned,
                "status_label": str(task.get_status_display()),
                "url": reverse("duties:task", args=[task.pk]),
            }
        )
    return out


# ---------------------------------------------------------------- drills and accountability


def drills_visible(user: ScopedUser) -> QuerySet[Drill]:
    return Drill.objects.filter(unit__in=units_visible(user)).select_related("unit")


def accountability_visible(user: ScopedUser) -> QuerySet[Accountability]:
    return Accountability.objects.filter(unit__in=units_visible(user)).select_related("unit", "task", "hazard")


# ---------------------------------------------------------------- the assessment


def scheme_for(user: ScopedUser, year: Any) -> Scheme:
    """The year's scheme of the user's city (or wider): the one that assesses the user's units."""
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    area = user_area(user)
    if area is None or unit_q(user) is None:
        raise NotFound()
    qs = Scheme.objects.filter(year=year)
    if area:
        qs = qs.filter(Q(region_id__in=ancestors(area)) | area_q("region", area))
    found = qs.order_by("region_id").first()
    if found is None:
        raise NotFound()
    return found


def scheme_scores(scheme: Scheme, today: date | None = None) -> list[UnitScore]:
    """Every unit's scores: the frozen result of a closed scheme (its sealed bytes, checked
    against their hash), else computed from the live rows."""
    if scheme.status == SchemeStatus.CLOSED and scheme.sealed_id:
        from safeloop.duties.services import frozen_result

        return from_json(frozen_result(scheme)["units"])
    return compute(scheme, today)


def assessment_rows(user: ScopedUser, scheme: Scheme, today: date | None = None) -> list[UnitScore]:
    """The scores of the units the user sees, in rank order (ranks among all units assessed)."""
    visible_ids = set(units_visible(user).values_list("pk", flat=True))
    return [s for s in scheme_scores(scheme, today) if s.unit in visible_ids]


def assessment_summary(user: ScopedUser, year: int) -> list[dict]:
    """The ranked assessment of the year, the user's units only (for the briefings)."""
    try:
        scheme = scheme_for(user, year)
    except NotFound:
        return []
    return [
        {
            "rank": s.rank,
            "unit": s.unit,
            "name": s.name,
            "region": s.region,
            "kind": s.kind,
            "score": s.score,
            "vetoed": s.vetoed,
            "url": reverse("duties:assessment_unit", args=[scheme.year, s.unit]),
        }
        for s in assessment_rows(user, scheme)
    ]


# ---------------------------------------------------------------- my duties


@dataclass
class MyItem:
    text: str
    basis: str
    measure: str
    label: str
    value: str
    url: str


@dataclass
class MyDuties:
    positions: list[str]
    unit: Unit | None
    items: list[MyItem]
    tasks: list[tuple[Task, Milestone | None]]
    portfolio: list[Unit]


def my_duties(user: Any, year: int | None = None) -> MyDuties | None:
    """The duty items and tasks of the user's position(s) with each measure's current value and
    what is due next; a leader's portfolio units. None when the user has none."""
    year = year or timezone.localdate().year
    held = list(PositionHolder.objects.filter(user=user, ended_on=None).select_related("position", "position__unit"))
    if user.role == Role.ENTERPRISE:
        return _enterprise_duties(user, year)
    unit = held[0].position.unit if held else own_unit(user)
    if unit is None:
        return None
    positions = [h.position for h in held]
    items_q = Q(duty_list__unit=unit, duty_list__year=year)
    if positions:
        items_q &= Q(position__in=positions)
    items = list(DutyItem.objects.filter(items_q).select_related("position").order_by("duty_list_id", "sort"))
    wanted = {i.measure for i in items if i.measure in MEASURES}
    figures = unit_figures([unit], year, only=wanted).get(unit.pk, {}) if wanted else {}
    my = [_my_item(i, figures.get(i.measure), unit, year) for i in items]
    tasks = list(
        Task.objects.filter(year=year, lead_unit=unit).exclude(status=TaskStatus.DONE).prefetch_related("milestones")
    )
    portfolio = sorted({u for p in positions for u in p.portfolio_units.all()}, key=lambda u: (u.sort, u.pk))
    return MyDuties(
        positions=[p.title for p in positions] or [unit.name],
        unit=unit,
        items=my,
        tasks=[(t, next_milestone(t)) for t in sorted(tasks, key=lambda t: t.due_on)][:8],
        portfolio=portfolio,
    )


def _my_item(item: DutyItem, figure: Figure | None, unit: Unit, year: int) -> MyItem:
    measure = MEASURES.get(item.measure)
    url = ""
    if measure is not None:
        url = reverse("duties:drill", args=[year, unit.pk, item.measure, "num"])
    return MyItem(
        text=item.text,
        basis=item.basis,
        measure=item.measure,
        label=str(measure.label) if measure else "",
        value=figure.shown() if figure else "",
        url=url,
    )


def _enterprise_duties(user: Any, year: int) -> MyDuties | None:
    """An enterprise account: the template list's items of its position (主要负责人, 安全管理人员…)."""
    kind = {"principal": "principal", "safety_manager": "safety_manager"}.get(user.position or "", "employee")
    items = list(
        DutyItem.objects.filter(duty_list__unit=None, duty_list__year=year, position__kind=kind).select_related(
            "position"
        )
    )
    if not items:
        return None
    figures = enterprise_figures(user.enterprise_id, year) if user.enterprise_id else {}
    links = {
        "ent_overdue": reverse("hazards:ledger") + "?overdue=1",
        "ent_self_check": reverse("checklists:list"),
        "ent_reward": reverse("reporting:mechanism", args=[user.enterprise_id]) if user.enterprise_id else "",
    }
    return MyDuties(
        positions=[items[0].position.title if items[0].position else ""],
        unit=None,
        items=[
            MyItem(
                i.text,
                i.basis,
                i.measure,
                str(MEASURES[i.measure].label) if i.measure in MEASURES else "",
                _enterprise_value(i.measure, figures.get(i.measure)),
                links.get(i.measure, ""),
            )
            for i in items
        ],
        tasks=[],
        portfolio=[],
    )


def _enterprise_value(code: str, figure: Figure | None) -> str:
    if figure is None:
        return ""
    if code == "ent_reward":
        return str(_("已建立")) if figure.num else str(_("未建立"))
    return str(figure.num)
