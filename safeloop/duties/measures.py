"""Measures: the live figures that show whether a duty is done and what the assessment scores.

Every measure is a count of rows of another app (hazards, accidents, checklists, reward
mechanisms, inspections, campaign tasks) or of this one (annual tasks, drills): `numerator`
rows over `denominator` rows (a rate), or a count alone. `unit_figures` computes every measure
for many units at once from one grouped query per source — rows grouped by (township,
category, department override), then summed per unit by the unit's own rule: a region unit
takes its subtree, a department its categories in its region plus the enterprises assigned to
it (三管三必须, the same rule as `core.scope.department_q`). `drill_rows` lists the rows behind
one figure of one unit, under the viewer's scope, so every number opens the rows it counts.

The hazard measures are the hazard ledger's own filters (`hazards.selectors.filter_q` of the
ledger's parameters, the workbench's 整改率 and 逾期率), so a figure is also the count the ledger
shows for the same unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeloop.accidents.grading import grade_at_least_q, major_or_above_q, with_dead
from safeloop.accidents.models import Accident
from safeloop.campaigns.models import Task as CampaignTask
from safeloop.campaigns.models import TaskStatus as CampaignTaskStatus
from safeloop.checklists.models import Checklist
from safeloop.checklists.models import Status as ChecklistStatus
from safeloop.core.datetext import moment_text
from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import ScopedUser, department_area, department_q, region_q, visible
from safeloop.duties.models import Drill, Task, TaskStatus, Unit, UnitKind
from safeloop.enforcement.models import Clue
from safeloop.flood.models import Patrol
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, filter_q
from safeloop.inspections.models import Inspection, Plan
from safeloop.inspections.models import Status as InspectionStatus
from safeloop.registry.models import Enterprise
from safeloop.reporting.models import RewardMechanism


@dataclass(frozen=True)
class Measure:
    code: str
    label: Any
    numerator: Any  # what the numerator rows are, in words
    denominator: Any = None  # None: a count
    source: str = ""  # the rows' app, for the note and the drill page
    lower_is_better: bool = False


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("rectification_rate", _("隐患整改率"), _("本年发现已整改的隐患"), _("本年发现的隐患"), "hazards"),
        Measure("overdue_rate", _("隐患逾期率"), _("逾期未整改的隐患"), _("整改期内的隐患"), "hazards", True),
        Measure("major_cleared", _("重大隐患清零率"), _("本年重大隐患已整改"), _("本年发现的重大隐患"), "hazards"),
        Measure("overdue_major", _("逾期未整改重大隐患"), _("逾期未整改的重大隐患"), None, "hazards", True),
        Measure("major_accidents", _("重大及以上事故"), _("本年重大、特别重大生产安全事故"), None, "accidents", True),
        Measure("larger_accidents", _("较大及以上事故"), _("本年较大及以上生产安全事故"), None, "accidents", True),
        Measure("self_check_rate", _("企业自查自纠完成率"), _("本年提交自查清单的企业"), _("辖区企业"), "checklists"),
        Measure("reward_coverage", _("内部报告奖励机制覆盖率"), _("已建立机制的企业"), _("辖区企业"), "reporting"),
        Measure(
            "inspection_plan", _("执法检查计划完成率"), _("本年已办结的计划内检查"), _("计划检查户次"), "inspections"
        ),
        Measure(
            "campaign_progress",
            _("专项行动任务完成率"),
            _("已完成的专项行动任务"),
            _("本年到期的专项行动任务"),
            "campaigns",
        ),
        Measure("tasks_on_time", _("年度任务按期完成率"), _("按期完成的年度任务"), _("已到期的年度任务"), "duties"),
        Measure("drills", _("应急演练次数"), _("本年组织的应急演练"), None, "duties"),
        Measure("illegal_clues", _("打非治违线索"), _("本年登记的打非治违线索"), None, "enforcement"),
        Measure("flood_patrols", _("巡堤查险次数"), _("本年记录的防汛巡查"), None, "flood"),
        Measure("ent_overdue", _("本企业逾期未整改隐患"), _("逾期未整改的隐患"), None, "hazards", True),
        Measure("ent_self_check", _("本年提交的自查清单"), _("本年提交的自查清单"), None, "checklists"),
        Measure("ent_reward", _("内部报告奖励机制"), _("已建立"), None, "reporting"),
    )
}


@dataclass
class Figure:
    num: int = 0
    den: int | None = None

    @property
    def rate(self) -> Decimal | None:
        if self.den is None or not self.den:
            return None
        return (Decimal(self.num) / Decimal(self.den)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def shown(self) -> str:
        if self.den is None:
            return str(self.num)
        rate = self.rate
        return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


# ---------------------------------------------------------------- which rows a unit takes


@dataclass
class Matcher:
    """A unit's rule over grouped rows (region, category, department override)."""

    unit: Unit
    prefix: str
    categories: frozenset[str] = frozenset()
    department: int | None = None

    def holds(self, region: str, category: str | None, override: int | None) -> bool:
        if not _in(region, self.prefix):
            return False
        if self.department is None:
            return True
        return (category in self.categories and override is None) or override == self.department


def _in(region: str, prefix: str) -> bool:
    return region == prefix if len(prefix) >= 9 else region.startswith(prefix)


def matcher(unit: Unit) -> Matcher:
    if unit.department_id:
        area = department_area(unit.department_id)
        if area is None:
            return Matcher(unit, "-")
        return Matcher(unit, subtree_prefix(area.region), frozenset(area.categories), unit.department_id)
    return Matcher(unit, subtree_prefix(unit.region_id))


def enterprise_q(unit: Unit) -> Q:
    """The enterprises a unit answers for, as a filter on Enterprise."""
    if unit.department_id:
        return department_q(Enterprise.scope, unit.department_id)
    return region_q("region", subtree_prefix(unit.region_id))


# ---------------------------------------------------------------- the definitions, as filters


def hazard_filters(today: date, year: int) -> dict[str, Q]:
    def ledger(params: dict[str, str]) -> Q:
        return filter_q(LedgerFilters.from_params(params), today)

    y = str(year)
    return {
        "found": ledger({"list": "found", "year": y}),
        "rectified": ledger({"list": "closures", "year": y}),
        "overdue": ledger({"overdue": "1"}),
        "rectifying": ledger({"list": "rectifying"}),
        "major_found": ledger({"list": "found", "year": y, "level": "major"}),
        "major_rectified": ledger({"list": "closures", "year": y, "level": "major"}),
        "overdue_major": ledger({"overdue": "1", "level": "major"}),
    }


HAZARD_PARTS = {
    "rectification_rate": ("rectified", "found"),
    "overdue_rate": ("overdue", "rectifying"),
    "major_cleared": ("major_rectified", "major_found"),
    "overdue_major": ("overdue_major", None),
}
ENTERPRISE_PARTS = {"self_check_rate": ("self_checked", "enterprises"), "reward_coverage": ("rewarded", "enterprises")}


def _submitted_in(year: int) -> QuerySet:
    return Checklist.objects.filter(
        enterprise=OuterRef("pk"), status=ChecklistStatus.SUBMITTED, submitted_at__year=year
    )


def accident_rows(year: int) -> QuerySet[Accident]:
    return with_dead(Accident.objects.filter(production_safety=True, occurred_at__year=year))


def campaign_task_q(year: int) -> Q:
    return Q(deadline__year=year) & ~Q(status=CampaignTaskStatus.CANCELLED)


def due_task_q(year: int, today: date) -> Q:
    return Q(year=year, due_on__lte=today)


def on_time_q() -> Q:
    return Q(status=TaskStatus.DONE, completed_on__isnull=False, completed_on__lte=F("due_on"))


# ---------------------------------------------------------------- all units at once


@dataclass
class _Rows:
    """Grouped rows of one source: ((region, category, override), {part: n}), summed once by
    region prefix (a province's 2 digits, a city's 4, a county's 6, the township itself) so that
    a unit's total is a look-up, not a scan: a region unit takes its prefix's sum; a department
    its categories' sums without override plus the rows overridden to it."""

    rows: list[tuple[tuple[str, str | None, int | None], dict[str, int]]] = field(default_factory=list)
    _region: dict[str, dict[str, int]] | None = None
    _category: dict[tuple[str, str | None], dict[str, int]] = field(default_factory=dict)
    _override: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)

    def add(self, key: tuple[str, str | None, int | None], counts: dict[str, int]) -> None:
        self.rows.append((key, counts))

    @classmethod
    def of(cls, qs: Iterable[Any], region: str, category: str, override: str | None) -> _Rows:
        out = cls()
        for row in qs:
            counts: dict[str, Any] = dict(row)
            key = (counts.pop(region), counts.pop(category), counts.pop(override) if override else None)
            out.add(key, counts)
        return out

    def _index(self) -> None:
        self._region = {}
        for (region, category, override), counts in self.rows:
            for prefix in {region[:2], region[:4], region[:6], region}:
                _add(self._region.setdefault(prefix, {}), counts)
                if override is None:
                    _add(self._category.setdefault((prefix, category), {}), counts)
                else:
                    _add(self._override.setdefault((prefix, override), {}), counts)

    def total(self, m: Matcher) -> dict[str, int]:
        if self._region is None:
            self._index()
        assert self._region is not None
        out: dict[str, int] = defaultdict(int)
        if m.department is None:
            _add(out, self._region.get(m.prefix, {}))
            return out
        for category in m.categories:
            _add(out, self._category.get((m.prefix, category), {}))
        _add(out, self._override.get((m.prefix, m.department), {}))
        return out


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for part, n in counts.items():
        into[part] = into.get(part, 0) + (n or 0)


def _hazard_rows(prefix: str, today: date, year: int) -> _Rows:
    counts = {name: Count("pk", filter=q) for name, q in hazard_filters(today, year).items()}
    qs = (
        Hazard.objects.filter(enterprise__in=Enterprise.objects.filter(region_q("region", prefix)).values("pk"))
        .values("enterprise__region_id", "enterprise__category_id", "enterprise__supervising_department_override_id")
        .order_by()
        .annotate(**counts)
    )
    return _Rows.of(
        qs, "enterprise__region_id", "enterprise__category_id", "enterprise__supervising_department_override_id"
    )


def _enterprise_rows(prefix: str, year: int) -> _Rows:
    qs = (
        Enterprise.objects.filter(region_q("region", prefix))
        .values("region_id", "category_id", "supervising_department_override_id")
        .order_by()
        .annotate(
            enterprises=Count("pk"),
            self_checked=Count("pk", filter=Q(Exists(_submitted_in(year)))),
            rewarded=Count("pk", filter=Q(reward_mechanism__established=True)),
        )
    )
    return _Rows.of(qs, "region_id", "category_id", "supervising_department_override_id")


def _accident_rows(prefix: str, year: int) -> _Rows:
    qs = (
        accident_rows(year)
        .filter(region_q("region", prefix))
        .values("region_id", "category_id")
        .order_by()
        .annotate(
            major_accidents=Count("pk", filter=major_or_above_q()),
            larger_accidents=Count("pk", filter=grade_at_least_q("larger")),
        )
    )
    return _Rows.of(qs, "region_id", "category_id", None)


def _clue_rows(prefix: str, year: int) -> _Rows:
    """打非治违 clues by township and the category of the activity (a department takes its
    categories' clues, as it takes their accidents: 三管三必须)."""
    qs = (
        Clue.objects.filter(region_q("region", prefix), created_at__year=year)
        .values("region_id", "category_id")
        .order_by()
        .annotate(illegal_clues=Count("pk"))
    )
    return _Rows.of(qs, "region_id", "category_id", None)


def _patrol_rows(prefix: str, year: int) -> _Rows:
    """Flood patrols (巡堤查险) by township; a department records none."""
    qs = (
        Patrol.objects.filter(region_q("region", prefix), patrolled_at__year=year)
        .values("region_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    out = _Rows()
    for row in qs:
        out.add((row["region_id"], None, None), {"flood_patrols": row["n"]})
    return out


def _campaign_rows(prefix: str, year: int) -> _Rows:
    qs = (
        CampaignTask.objects.filter(campaign_task_q(year))
        .filter(enterprise__in=Enterprise.objects.filter(region_q("region", prefix)).values("pk"))
        .values("enterprise__region_id", "enterprise__category_id", "enterprise__supervising_department_override_id")
        .order_by()
        .annotate(campaign_tasks=Count("pk"), campaign_done=Count("pk", filter=Q(status=CampaignTaskStatus.DONE)))
    )
    return _Rows.of(
        qs, "enterprise__region_id", "enterprise__category_id", "enterprise__supervising_department_override_id"
    )


def _inspection_counts(year: int) -> tuple[dict[int, int], dict[int, int], dict[int, str]]:
    """Plan targets and closed plan inspections by department, and each department's region."""
    planned = dict(
        Plan.objects.filter(year=year)
        .values("department_id")
        .order_by()
        .annotate(n=Sum("target_total"))
        .values_list("department_id", "n")
    )
    done = dict(
        Inspection.objects.filter(plan__year=year, status=InspectionStatus.CLOSED)
        .values("plan__department_id")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("plan__department_id", "n")
    )
    from safeloop.registry.models import Department

    regions = dict(Department.objects.filter(pk__in=set(planned) | set(done)).values_list("pk", "region_id"))
    return planned, done, regions


def _unit_region_prefixes(units: Iterable[Unit]) -> dict[int, str]:
    return {u.pk: subtree_prefix(u.region_id) for u in units}


SOURCES = {
    "hazards": set(HAZARD_PARTS),
    "enterprises": set(ENTERPRISE_PARTS),
    "accidents": {"major_accidents", "larger_accidents"},
    "campaigns": {"campaign_progress"},
    "inspections": {"inspection_plan"},
    "tasks": {"tasks_on_time"},
    "drills": {"drills"},
    "clues": {"illegal_clues"},
    "patrols": {"flood_patrols"},
}


def unit_figures(
    units: list[Unit], year: int, today: date | None = None, only: set[str] | None = None
) -> dict[int, dict[str, Figure]]:
    """Every measure (or those in `only`) for every unit given: one grouped query per source."""
    today = today or timezone.localdate()
    if not units:
        return {}

    def needed(source: str) -> bool:
        return only is None or bool(SOURCES[source] & only)

    matchers = {u.pk: matcher(u) for u in units}
    prefix = _common_prefix([m.prefix for m in matchers.values()])
    empty = _Rows()
    hazards = _hazard_rows(prefix, today, year) if needed("hazards") else empty
    enterprises = _enterprise_rows(prefix, year) if needed("enterprises") else empty
    accidents = _accident_rows(prefix, year) if needed("accidents") else empty
    campaigns = _campaign_rows(prefix, year) if needed("campaigns") else empty
    clues = _clue_rows(prefix, year) if needed("clues") else empty
    patrols = _patrol_rows(prefix, year) if needed("patrols") else empty
    planned, inspected, dept_regions = _inspection_counts(year) if needed("inspections") else ({}, {}, {})
    tasks = _task_counts(year, today) if needed("tasks") else {}
    drills = (
        dict(
            Drill.objects.filter(held_on__year=year)
            .values("unit_id")
            .order_by()
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        if needed("drills")
        else {}
    )
    members_needed = needed("tasks") or needed("drills")
    all_units = {u.pk: u for u in Unit.objects.all()} if members_needed else {}
    out: dict[int, dict[str, Figure]] = {}
    for unit in units:
        m = matchers[unit.pk]
        h, e, a, c = hazards.total(m), enterprises.total(m), accidents.total(m), campaigns.total(m)
        figures = {code: Figure(h[n], h[d] if d else None) for code, (n, d) in HAZARD_PARTS.items()}
        figures |= {code: Figure(e[n], e[d]) for code, (n, d) in ENTERPRISE_PARTS.items()}
        figures["major_accidents"] = Figure(a["major_accidents"])
        figures["larger_accidents"] = Figure(a["larger_accidents"])
        figures["campaign_progress"] = Figure(c["campaign_done"], c["campaign_tasks"])
        figures["illegal_clues"] = Figure(clues.total(m).get("illegal_clues", 0))
        figures["flood_patrols"] = Figure(patrols.total(m).get("flood_patrols", 0))
        departments = _departments_of(unit, dept_regions)
        figures["inspection_plan"] = Figure(
            sum(inspected.get(d, 0) for d in departments), sum(planned.get(d, 0) for d in departments)
        )
        members = _member_units(unit, all_units) if members_needed else []
        figures["tasks_on_time"] = Figure(
            sum(tasks[u][0] for u in members if u in tasks), sum(tasks[u][1] for u in members if u in tasks)
        )
        figures["drills"] = Figure(sum(drills.get(u, 0) for u in members))
        out[unit.pk] = figures if only is None else {k: v for k, v in figures.items() if k in only}
    return out


def _common_prefix(prefixes: list[str]) -> str:
    first = min(prefixes, key=len) if prefixes else ""
    common = first
    for p in prefixes:
        while not p.startswith(common):
            common = common[:-1]
    return common  # one county: its own rows only; counties and the city's departments: the city's


def _departments_of(unit: Unit, dept_regions: dict[int, str]) -> list[int]:
    """A department answers for its own plan; a region unit for its own departments' plans."""
    if unit.department_id:
        return [unit.department_id]
    return [d for d, region in dept_regions.items() if region == unit.region_id]


def _member_units(unit: Unit, all_units: dict[int, Unit]) -> list[int]:
    """A department's own tasks and drills; a region unit's, its townships' and departments' of its region."""
    if unit.department_id:
        return [unit.pk]
    if unit.kind == UnitKind.COUNTY:
        return [
            u.pk
            for u in all_units.values()
            if u.pk == unit.pk
            or (u.kind == UnitKind.TOWNSHIP and u.region_id.startswith(unit.region_id))
            or (u.department_id and u.region_id == unit.region_id)
        ]
    return [unit.pk]


def _task_counts(year: int, today: date) -> dict[int, tuple[int, int]]:
    rows = (
        Task.objects.filter(due_task_q(year, today))
        .values("lead_unit_id")
        .order_by()
        .annotate(due=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    )
    return {r["lead_unit_id"]: (r["on_time"], r["due"]) for r in rows}


def enterprise_figures(enterprise_id: int, year: int, today: date | None = None) -> dict[str, Figure]:
    """The enterprise positions' measures of one enterprise (three counts)."""
    today = today or timezone.localdate()
    overdue = Hazard.objects.filter(hazard_filters(today, year)["overdue"], enterprise_id=enterprise_id).count()
    checked = Checklist.objects.filter(
        enterprise_id=enterprise_id, status=ChecklistStatus.SUBMITTED, submitted_at__year=year
    ).count()
    reward = RewardMechanism.objects.filter(enterprise_id=enterprise_id, established=True).count()
    return {"ent_overdue": Figure(overdue), "ent_self_check": Figure(checked), "ent_reward": Figure(reward)}


# ---------------------------------------------------------------- the rows behind one figure


@dataclass(frozen=True)
class DrillRows:
    title: str
    rows: QuerySet
    columns: list[tuple[Any, Callable[[Any], Any]]]
    link: Callable[[Any], str] | None = None


def drill_rows(user: ScopedUser, unit: Unit, code: str, part: str, year: int, today: date | None = None) -> DrillRows:
    """The rows `unit_figures` counted for `code`'s numerator (`part`="num") or denominator ("den"),
    those the viewer may see (`core.scope.visible`)."""
    from django.urls import reverse

    today = today or timezone.localdate()
    qs: QuerySet[Any]
    measure = MEASURES[code]
    title = str(measure.numerator if part == "num" else measure.denominator)
    enterprises = Enterprise.objects.filter(enterprise_q(unit)).values("pk")
    if code in HAZARD_PARTS:
        name = HAZARD_PARTS[code][0 if part == "num" else 1] or ""
        qs = visible(user, Hazard.objects.filter(hazard_filters(today, year)[name], enterprise__in=enterprises))
        qs = qs.select_related("enterprise").order_by("-found_on", "-pk")
        return DrillRows(
            title,
            qs,
            [
                (_("隐患编号"), lambda h: h.code),
                (_("企业"), lambda h: h.enterprise.name),
                (_("等级"), lambda h: h.get_level_display()),
                (_("状态"), lambda h: h.get_status_display()),
                (_("发现日期"), lambda h: h.found_on),
                (_("整改期限"), lambda h: h.deadline or ""),
            ],
            lambda h: reverse("hazards:detail", args=[h.pk]),
        )
    if code in ENTERPRISE_PARTS:
        qs = Enterprise.objects.filter(enterprise_q(unit))
        if part == "num":
            qs = (
                qs.filter(Exists(_submitted_in(year)))
                if code == "self_check_rate"
                else qs.filter(reward_mechanism__established=True)
            )
        qs = visible(user, qs).select_related("region", "category").order_by("region_id", "pk")
        return DrillRows(
            title,
            qs,
            [
                (_("企业"), lambda e: e.name),
                (_("乡镇街道"), lambda e: e.region.name),
                (_("行业"), lambda e: e.category.name),
            ],
            lambda e: reverse("registry:enterprise_detail", args=[e.pk]),
        )
    if code in ("major_accidents", "larger_accidents"):
        qs = accident_rows(year).filter(_accident_unit_q(unit))
        qs = qs.filter(major_or_above_q() if code == "major_accidents" else grade_at_least_q("larger"))
        qs = visible(user, qs).select_related("region").order_by("-occurred_at", "-pk")
        return DrillRows(
            title,
            qs,
            [
                (_("事故"), lambda a: a.title),
                (_("发生地"), lambda a: a.region.name),
                (_("发生时间"), lambda a: moment_text(a.occurred_at)),
                (_("死亡"), lambda a: a.deaths),
                (_("等级"), lambda a: a.grade_label),
            ],
            lambda a: reverse("accidents:accident_detail", args=[a.pk]),
        )
    if code == "campaign_progress":
        qs = CampaignTask.objects.filter(campaign_task_q(year), enterprise__in=enterprises)
        if part == "num":
            qs = qs.filter(status=CampaignTaskStatus.DONE)
        qs = visible(user, qs).select_related("campaign", "enterprise").order_by("deadline", "pk")
        return DrillRows(
            title,
            qs,
            [
                (_("专项行动"), lambda t: t.campaign.title),
                (_("企业"), lambda t: t.enterprise.name),
                (_("完成时限"), lambda t: t.deadline),
                (_("状态"), lambda t: t.get_status_display()),
            ],
            lambda t: reverse("campaigns:task", args=[t.pk]),
        )
    if code == "inspection_plan":
        depts = [unit.department_id] if unit.department_id else list(_region_departments(unit.region_id))
        if part == "num":
            qs = visible(
                user,
                Inspection.objects.filter(
                    plan__year=year, plan__department_id__in=depts, status=InspectionStatus.CLOSED
                ),
            )
            qs = qs.select_related("enterprise", "enforcement_body").order_by("-closed_at", "-pk")
            return DrillRows(
                title,
                qs,
                [
                    (_("检查编号"), lambda i: i.code),
                    (_("企业"), lambda i: i.enterprise.name),
                    (_("执法主体"), lambda i: i.enforcement_body.name),
                    (
                        _("办结时间"),
                        lambda i: timezone.localtime(i.closed_at).strftime("%Y-%m-%d") if i.closed_at else "",
                    ),
                ],
                lambda i: reverse("inspections:detail", args=[i.pk]),
            )
        qs = Plan.objects.filter(year=year, department_id__in=depts).select_related("department").order_by("pk")
        return DrillRows(
            title,
            qs,
            [
                (_("检查计划"), lambda p: p.name),
                (_("执法主体"), lambda p: p.department.name),
                (_("计划检查户次"), lambda p: p.target_total),
            ],
        )
    if code == "illegal_clues":
        qs = Clue.objects.filter(_accident_unit_q(unit), created_at__year=year)
        qs = visible(user, qs).select_related("kind", "region").order_by("-created_at", "-pk")
        return DrillRows(
            title,
            qs,
            [
                (_("线索编号"), lambda c: c.code),
                (_("违法类型"), lambda c: c.kind.name),
                (_("乡镇街道"), lambda c: c.region.name),
                (_("状态"), lambda c: c.get_status_display()),
                (_("登记时间"), lambda c: moment_text(c.created_at)),
            ],
            lambda c: reverse("enforcement:clue", args=[c.pk]),
        )
    if code == "flood_patrols":
        area = Q(pk__in=[]) if unit.department_id else region_q("region", subtree_prefix(unit.region_id))
        qs = visible(user, Patrol.objects.filter(area, patrolled_at__year=year))
        qs = qs.select_related("risk_point", "region").order_by("-patrolled_at", "-pk")
        return DrillRows(
            title,
            qs,
            [
                (_("风险点"), lambda p: p.risk_point.name),
                (_("乡镇街道"), lambda p: p.region.name),
                (_("巡查时间"), lambda p: moment_text(p.patrolled_at)),
            ],
        )
    all_units = {u.pk: u for u in Unit.objects.all()}
    members = _member_units(unit, all_units)
    if code == "tasks_on_time":
        qs = Task.objects.filter(due_task_q(year, today), lead_unit_id__in=members)
        if part == "num":
            qs = qs.filter(on_time_q())
        qs = qs.select_related("lead_unit").order_by("due_on", "pk")
        return DrillRows(
            title,
            qs,
            [
                (_("任务"), lambda t: t.title),
                (_("牵头单位"), lambda t: t.lead_unit.name),
                (_("完成时限"), lambda t: t.due_on),
                (_("完成日期"), lambda t: t.completed_on or ""),
                (_("状态"), lambda t: t.get_status_display()),
            ],
            lambda t: reverse("duties:task", args=[t.pk]),
        )
    qs = (
        Drill.objects.filter(held_on__year=year, unit_id__in=members).select_related("unit").order_by("-held_on", "-pk")
    )
    return DrillRows(
        title,
        qs,
        [
            (_("演练日期"), lambda d: d.held_on),
            (_("组织单位"), lambda d: d.unit.name),
            (_("演练预案"), lambda d: d.plan),
            (_("参演人数"), lambda d: d.participants),
        ],
    )


def _accident_unit_q(unit: Unit) -> Q:
    if unit.department_id:
        area = department_area(unit.department_id)
        if area is None:
            return Q(pk__in=[])
        return region_q("region", subtree_prefix(area.region)) & Q(category_id__in=list(area.categories))
    return region_q("region", subtree_prefix(unit.region_id))


def _region_departments(region_id: str) -> Iterable[int]:
    from safeloop.registry.models import Department

    return Department.objects.filter(region_id=region_id).values_list("pk", flat=True)
