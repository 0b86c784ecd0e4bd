"""Reads of the hazard ledger; every one goes through `scope.visible`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import and_
from typing import Any, ClassVar

from django.db.models import Case, Count, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_noop
from django_stubs_ext import StrOrPromise
from ninja import Field

from safeloop.accounts.models import User
from safeloop.core.codes import normalise_credit_code
from safeloop.core.fields import FieldSpec
from safeloop.core.filters import DAY, RECORD_ID, YEAR, Filters
from safeloop.core.inputs import Inputs
from safeloop.core.keyset import Keyset
from safeloop.core.regions import subtree_prefix, year_start
from safeloop.core.roles import AREA_ROLES, Role
from safeloop.core.rows import detail_url, labels
from safeloop.core.scope import department_q, get_visible_or_404, prefix_q, region_q, visible_where
from safeloop.core.workdays import WorkdayCalendar, in_calendar
from safeloop.hazards.models import DEADLINE_STATUSES, Escalation, Hazard, HazardEvent, Level, Source, Status
from safeloop.hazards.todo import RANKS, Step, step_of, todo_of
from safeloop.registry.models import Category, Enterprise

REGION_CODE_LENGTHS = (6, 9, 12)
COUNTY_CODE = 6  # county (GB/T 2260), township (NBS, 9 or 12 digits)
SORTS = {
    "found": ("-found_on", "-id"),
    "deadline": ("deadline", "id"),
    "code": ("code",),
    "status": ("status", "-found_on", "-id"),
}
# 问题清单 (still to be solved) and 销号清单 (closed out) as preset status sets; the workbench's
# rates (workbench/data/rates.csv) count over two more: 排查 (everything found but withdrawn)
# and 整改期内 (a rectification deadline running: the statuses that can be overdue).
PROBLEMS = (Status.REPORTED, Status.CONFIRMED, Status.ASSIGNED, Status.RECTIFYING, Status.AWAITING_ACCEPTANCE)
CLOSURES = (Status.ACCEPTED, Status.CLOSED, Status.VERIFIED, Status.RECURRED)
LISTS = {
    "problems": PROBLEMS,
    "closures": CLOSURES,
    "found": PROBLEMS + CLOSURES,
    "rectifying": DEADLINE_STATUSES,
}
# The date ranges the ledger filters by: <name>_from / <name>_to on the hazard's column.
DATE_RANGES = {"found": "found_on", "closed": "closed_on", "deadline": "deadline"}


class LedgerFilters(Filters):
    typed: ClassVar[dict[str, FieldSpec]] = {
        "enterprise": RECORD_ID,
        "department": RECORD_ID,
        "found_from": DAY,
        "found_to": DAY,
        "closed_from": DAY,
        "closed_to": DAY,
        "deadline_from": DAY,
        "deadline_to": DAY,
        "year": YEAR,
    }
    q: str = Field(
        "", title=gettext_noop("搜索"), description=gettext_noop("隐患编号、企业名称、信用代码（前缀）或描述")
    )
    region: str = Field("", title=gettext_noop("区域"))
    department: str = Field("", title=gettext_noop("监管部门"))
    enterprise: str = Field("", title=gettext_noop("企业"))
    category: str = Field("", title=gettext_noop("行业"))
    level: str = Field("", title=gettext_noop("等级"))
    status: str = Field("", title=gettext_noop("状态"))
    source: str = Field("", title=gettext_noop("来源"))
    overdue: str = Field(
        "",
        title=gettext_noop("逾期"),
        description=gettext_noop("1：仅逾期未整改；late：曾逾期（期限已过且未在期限内完成整改，含逾期后完成的）"),
    )
    found_from: str = Field("", title=gettext_noop("发现日期起"))
    found_to: str = Field("", title=gettext_noop("发现日期止"))
    closed_from: str = Field("", title=gettext_noop("销号日期起"))
    closed_to: str = Field("", title=gettext_noop("销号日期止"))
    deadline_from: str = Field("", title=gettext_noop("整改期限起"))
    deadline_to: str = Field("", title=gettext_noop("整改期限止"))
    year: str = Field("", title=gettext_noop("发现年份"))
    todo: str = Field(
        "", title=gettext_noop("我的待办"), description=gettext_noop("1：仅等待我处理的，按环节、紧急程度排序")
    )
    awaiting: str = Field(
        "", title=gettext_noop("待办环节"), description=gettext_noop("与 todo=1 同用：只列等待该操作的（操作名）")
    )
    list: str = Field("", title=gettext_noop("清单"), description="problems / closures / found / rectifying")
    sort: str = Field("found", title=gettext_noop("排序"), description="found / deadline / code / status")

    def dates(self, what: str = "found") -> tuple[date | None, date | None]:
        """A date range (`DATE_RANGES`: found, closed, deadline), its dates already read by
        `typed`; empty: no bound."""
        inp = Inputs(self.model_dump())
        start, end = (inp.date(name, self.title_of(name)) for name in (f"{what}_from", f"{what}_to"))
        return start, end


def hazard_queryset(user: User, enterprise_terms: tuple[Q, ...] = (), scan: bool = False) -> QuerySet[Hazard]:
    """The hazards the user sees; `enterprise_terms` (conditions on their enterprise) join the
    scope's one `enterprise IN (…)` subquery (`scope.visible_where`)."""
    return visible_where(user, Hazard.objects.all(), *enterprise_terms, scan=scan)


def ledger(user: User, f: LedgerFilters, today: date | None = None, page: bool = False) -> QuerySet[Hazard]:
    """The 台账 with its filters; with `todo=1` the user's to-do, in the to-do's order. The
    filters on the enterprise (region, department, category) go into the scope's subquery.
    `page`: the query reads a page in order (not a count): for an area wider than a county the
    hazards' own indexes drive it, not the list of enterprises (`scope.InWithoutIndex`)."""
    today = today or timezone.localdate()
    enterprise_terms = tuple(_enterprise_terms(f))
    scan = page and _wide(user) and _scannable(f)
    qs = (
        _todo_of(user, f, today, enterprise_terms)
        if f.todo == "1"
        else hazard_queryset(user, enterprise_terms, scan).order_by(*SORTS.get(f.sort, SORTS["found"]))
    )
    for q in _hazard_terms(f, today):
        qs = qs.filter(q)
    return qs


def _scannable(f: LedgerFilters) -> bool:
    """Filters under which a wide area's page is best read from the hazards' own indexes: none
    on the hazard (the sort order's index finds the first 50 at once), or overdue alone (the
    (status, deadline) index). A region or a narrower filter leaves the enterprise list to drive
    it: planner statistics over a sample (`core.db`) would misjudge the hazards' own indexes."""
    narrowing = (f.q, f.enterprise, f.region, f.level, f.status, f.source, f.list, f.year)
    dates = any(getattr(f, f"{what}_{end}") for what in DATE_RANGES for end in ("from", "to"))
    return not any(narrowing) and not dates and f.overdue in ("", "1")


def _wide(user: User) -> bool:
    """More than a county: a city's or province's regulators, or a department (a whole sector)."""
    if user.role == Role.DEPARTMENT:
        return True
    return user.role in AREA_ROLES and len(subtree_prefix(user.region_id or "")) < COUNTY_CODE


def _todo_of(user: User, f: LedgerFilters, today: date, enterprise_terms: tuple[Q, ...]) -> QuerySet[Hazard]:
    return awaiting_only(todo(user, today, enterprise_terms), f.awaiting)


def awaiting_only(qs: QuerySet[Hazard], awaiting: str) -> QuerySet[Hazard]:
    """A to-do queryset narrowed to the hazards waiting for one step (all when none is named)."""
    if not awaiting:
        return qs
    # `awaiting` is todo()'s annotation, which the type checker's model of Hazard cannot see.
    return qs.filter(awaiting=RANKS[awaiting]) if awaiting in RANKS else qs.none()  # type: ignore[misc]


def filter_q(f: LedgerFilters, today: date) -> Q:
    """The ledger's filters as one condition on hazards (scope aside): what a count beside the
    ledger (a workbench figure) filters by, so that it counts what the ledger lists."""
    return reduce(and_, _filter_terms(f, today), Q())


def _filter_terms(f: LedgerFilters, today: date) -> list[Q]:
    enterprise_terms = _enterprise_terms(f)
    # one IN (enterprises …) rather than joins: see core.scope._via_enterprise
    terms = [Q(enterprise__in=Enterprise.objects.filter(*enterprise_terms).values("pk"))] if enterprise_terms else []
    return terms + _hazard_terms(f, today)


def _hazard_terms(f: LedgerFilters, today: date) -> list[Q]:
    """The filters on the hazard's own columns (and the search)."""
    terms = [_search_q(f.q)] if f.q else []
    if f.enterprise:  # ids, years and dates are checked by the reader (LedgerFilters.typed)
        terms.append(Q(enterprise_id=int(f.enterprise)))
    terms += [Q(**{name: getattr(f, name)}) for name in ("level", "status", "source") if getattr(f, name)]
    if f.list in LISTS:
        terms.append(Q(status__in=LISTS[f.list]))
    if f.overdue in OVERDUE_TERMS:
        terms.append(OVERDUE_TERMS[f.overdue](today))
    for what, column in DATE_RANGES.items():
        start, end = f.dates(what)
        terms += [Q(**{f"{column}__gte": start})] if start else []
        terms += [Q(**{f"{column}__lte": end})] if end else []
    if f.year:
        year = int(f.year)
        terms.append(Q(found_on__gte=year_start(year).date(), found_on__lt=year_start(year + 1).date()))
    return terms


def _enterprise_terms(f: LedgerFilters) -> list[Q]:
    """Filters on the enterprise, each without a query of its own where it can: a region code's
    subtree by prefix (a code that names no region matches nothing), a category with its children
    (工贸 → 冶金 … 商贸) as a subquery, not a join."""
    terms = []
    if f.region:
        valid = f.region.isdigit() and len(f.region) in REGION_CODE_LENGTHS
        terms.append(region_q("region", subtree_prefix(f.region)) if valid else Q(pk__in=[]))
    if f.department:  # a department that does not exist supervises nothing
        terms.append(department_q(Enterprise.scope, int(f.department)))
    if f.category:
        family = Category.objects.filter(Q(code=f.category) | Q(parent_id=f.category)).values("code")
        terms.append(Q(category_id__in=family))
    return terms


def overdue_q(today: date) -> Q:
    """Overdue is derived: still to be rectified and past its deadline."""
    return Q(status__in=DEADLINE_STATUSES, deadline__lt=today)


def late_q(today: date) -> Q:
    """Missed its deadline (逾期发生): the deadline set has passed and the rectification was not
    done by it — not done yet, or done later. The current deadline counts, so an extension granted
    in time is no lateness; a withdrawn hazard is none."""
    not_in_time = Q(rectified_on__isnull=True) | Q(rectified_on__gt=F("deadline"))
    return Q(deadline__lt=today) & ~Q(status=Status.WITHDRAWN) & not_in_time


OVERDUE_TERMS = {"1": overdue_q, "late": late_q}


def is_overdue(hazard: Hazard, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return hazard.status in DEADLINE_STATUSES and hazard.deadline is not None and hazard.deadline < today


def is_urged(hazard: Hazard) -> bool:
    """催办 stands while the enterprise still has to rectify (the to-do's mark)."""
    return hazard.urged_at is not None and hazard.status in DEADLINE_STATUSES


def _search_q(text: str) -> Q:
    code = text.upper()
    if code.startswith("YH-"):
        return prefix_q("code", code)
    credit = normalise_credit_code(text)
    if len(credit) >= 6 and credit.isalnum() and any(ch.isdigit() for ch in credit):
        return prefix_q("enterprise__credit_code", credit)
    return Q(enterprise__name__icontains=text) | Q(description__icontains=text)


def status_counts(qs: QuerySet[Hazard]) -> list[tuple[str, StrOrPromise, int]]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def ledger_total(counts: list[tuple[str, StrOrPromise, int]], status: str = "") -> int:
    """The ledger's length from its counts by status (counted without the status filter): no
    COUNT(*) of its own. A status that is none of the ledger's lists nothing."""
    return next((n for value, _, n in counts if value == status), 0) if status else sum(n for *_, n in counts)


# What a ledger row shows, read as plain values (no model instances, no per-cell display calls).
ROW_FIELDS = (
    "pk",
    "code",
    "enterprise__name",
    "enterprise__region__name",
    "enterprise__category__name",
    "description",
    "level",
    "clause",
    "source",
    "found_on",
    "deadline",
    "status",
    "escalation",
)
LEDGER_KEYSETS = {sort: Keyset(Hazard, order) for sort, order in SORTS.items() if sort in ("found", "code")}


def ledger_rows(ids: list[int], today: date) -> list[dict[str, Any]]:
    """One ledger page as dicts of ready-to-show values, in the page's order (`ids`): one narrow
    query over the page's ids, labels from dicts."""
    sources, statuses, escalations = labels(Source), labels(Status), labels(Escalation)
    url = detail_url("hazards:detail")
    found = {r[0]: r for r in Hazard.objects.filter(pk__in=ids).values_list(*ROW_FIELDS)}
    rows = []
    for pk in ids:
        if pk not in found:
            continue
        _, code, name, place, category, text, level, clause, source, found_on, deadline, status, escalation = found[pk]
        rows.append(
            {
                "pk": pk,
                "url": url(pk),
                "code": code,
                "enterprise": name,
                "place": place,
                "category": category,
                "description": Truncator(text).chars(60),
                "major": level == Level.MAJOR,
                "clause_id": clause,
                "source": sources.get(source, source),
                "found_on": found_on.isoformat(),
                "deadline": deadline.isoformat() if deadline else "",
                "overdue": deadline is not None and deadline < today and status in DEADLINE_STATUSES,
                "status": status,
                "status_label": statuses.get(status, status),
                "escalation": escalations.get(escalation, "") if escalation else "",
            }
        )
    return rows


def page_of_hazards(ids: list[int]) -> list[Hazard]:
    """The hazards of one ledger page with what the rows show, in the page's order. The page
    itself is found on ids alone, so its ordered scan never joins a million rows."""
    found = Hazard.objects.filter(pk__in=ids).select_related("enterprise__region", "enterprise__category")
    by_id = {h.pk: h for h in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def hazard_get(user: User, pk: object) -> Hazard:
    qs = Hazard.objects.select_related(
        "enterprise__region__parent", "enterprise__category", "recurrence_of", "clause__standard"
    )
    return get_visible_or_404(user, qs, pk=pk)


def hazard_events(hazard: Hazard) -> QuerySet[HazardEvent]:
    return hazard.events.order_by("seq")


def todo(user: User, today: date | None = None, enterprise_terms: tuple[Q, ...] = ()) -> QuerySet[Hazard]:
    """The hazards waiting for this user (`hazards.todo`), each annotated with `awaiting` (the rank
    of the first step it waits for) and `due` (its deadline, or its look-back date once closed);
    by step, then most urgent first: the nearest (or longest passed) date, the highest
    escalation, major before general, the longest waiting."""
    steps = todo_of(user, today or timezone.localdate())
    qs = hazard_queryset(user, enterprise_terms)
    where = steps.where()
    if where is None:
        return qs.none().annotate(awaiting=Value(None, IntegerField()), due=Value(None, DateField()))
    return (
        qs.filter(where)
        .annotate(awaiting=steps.awaiting(), due=DUE)
        .order_by("awaiting", F("due").asc(nulls_last=True), "-escalation", MAJOR_FIRST, "found_on", "pk")
    )


DUE = Case(
    When(status__in=DEADLINE_STATUSES, then=F("deadline")),
    When(status=Status.CLOSED, then=F("look_back_due")),
    output_field=DateField(),
)
MAJOR_FIRST = Case(When(level=Level.MAJOR, then=Value(0)), default=Value(1))


def todo_counts(qs: QuerySet[Hazard]) -> list[tuple[Step, int]]:
    """How many hazards wait for each step (a to-do queryset without the step filter), in step order."""
    counts = dict(qs.order_by().values_list("awaiting").annotate(n=Count("pk")))  # type: ignore[misc]  # todo()'s
    return [(step, counts[rank]) for rank in sorted(counts) if (step := step_of(rank)) is not None]


def todo_total(counts: list[tuple[Step, int]], awaiting: str = "") -> int:
    """The length of the to-do (or of one step's part of it) from its counts by step."""
    return sum(n for step, n in counts if not awaiting or step.action == awaiting)


@dataclass(frozen=True)
class TodoRow:
    hazard: Hazard
    step: Step | None
    left: int | None  # working days left to `hazard.due` (0: due today); None when not due yet or passed
    overdue: int | None  # working days past `hazard.due` (0: passed on a rest day)
    provisional: bool  # the count crosses a year whose holidays are not announced yet
    url: str = ""  # the hazard's page


def todo_rows(hazards: list[Any], today: date) -> list[TodoRow]:
    """One page of the to-do with the working days left of each (one calendar for the page);
    `hazards` are todo()'s rows, annotated with `awaiting` and `due`."""
    dates = [h.due for h in hazards if h.due and in_calendar(h.due)]
    calendar = WorkdayCalendar(min([today, *dates]), max([today, *dates])) if dates else None
    url = detail_url("hazards:detail")
    return [TodoRow(h, step_of(h.awaiting), *_days(calendar, today, h.due), url=url(h.pk)) for h in hazards]


def _days(calendar: WorkdayCalendar | None, today: date, due: date | None) -> tuple[int | None, int | None, bool]:
    if calendar is None or due is None or not in_calendar(due):
        return None, None, False
    if due >= today:
        left, provisional = calendar.workdays_between(today, due)
        return left, None, provisional
    late, provisional = calendar.workdays_between(due, today)
    return None, late, provisional


def todo_sections(rows: list[TodoRow], counts: list[tuple[Step, int]]) -> list[tuple[Step, int, list[TodoRow]]]:
    """A page's rows under their step, with the step's count over all pages."""
    totals = {step.action: n for step, n in counts}
    sections: list[tuple[Step, int, list[TodoRow]]] = []
    for row in rows:
        if row.step is None:
            continue
        if not sections or sections[-1][0] != row.step:
            sections.append((row.step, totals.get(row.step.action, 0), []))
        sections[-1][2].append(row)
    return sections


LEVELS, SOURCES, STATUSES = Level.choices, Source.choices, Status.choices
