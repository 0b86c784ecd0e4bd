"""Reads of the hazard ledger; every one goes through `scope.visible`."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field

from safeloop.accounts.models import User
from safeloop.core.codes import normalise_credit_code
from safeloop.core.filters import Filters
from safeloop.core.inputs import Inputs
from safeloop.core.scope import department_q, get_visible_or_404, prefix_q, region_q, visible
from safeloop.hazards.models import DEADLINE_STATUSES, Hazard, HazardEvent, Level, Source, Status
from safeloop.hazards.workflow import todo_q
from safeloop.registry.models import Category, Department, Enterprise, Region

SORTS = {
    "found": ("-found_on", "-id"),
    "deadline": ("deadline", "id"),
    "code": ("code",),
    "status": ("status", "-found_on", "-id"),
}
# 问题清单 (still to be solved) and 销号清单 (closed out) as preset status sets.
LISTS = {
    "problems": (Status.REPORTED, Status.CONFIRMED, Status.ASSIGNED, Status.RECTIFYING, Status.AWAITING_ACCEPTANCE),
    "closures": (Status.ACCEPTED, Status.CLOSED, Status.VERIFIED, Status.RECURRED),
}


class LedgerFilters(Filters):
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
    overdue: str = Field("", title=gettext_noop("逾期"), description=gettext_noop("1：仅逾期"))
    found_from: str = Field("", title=gettext_noop("发现日期起"))
    found_to: str = Field("", title=gettext_noop("发现日期止"))
    list: str = Field("", title=gettext_noop("清单"), description="problems / closures")
    sort: str = Field("found", title=gettext_noop("排序"), description="found / deadline / code / status")

    def dates(self) -> tuple[date | None, date | None]:
        """The discovery-date range; what is not a date filters nothing (the page says no more)."""
        inp = Inputs(self.model_dump())
        found_from, found_to = (
            inp.date(name, LedgerFilters.model_fields[name].title) for name in ("found_from", "found_to")
        )
        return found_from, found_to


def hazard_queryset(user: User) -> QuerySet[Hazard]:
    return visible(user, Hazard.objects.all())


def ledger(user: User, f: LedgerFilters, today: date | None = None) -> QuerySet[Hazard]:
    today = today or timezone.localdate()
    qs = hazard_queryset(user)
    for q in _filter_terms(f, today):
        qs = qs.filter(q)
    return qs.order_by(*SORTS.get(f.sort, SORTS["found"]))


def _filter_terms(f: LedgerFilters, today: date) -> list[Q]:
    terms = [_search_q(f.q)] if f.q else []
    enterprise_terms = _enterprise_terms(f)
    if enterprise_terms:  # one IN (enterprises …) rather than joins: see core.scope._via_enterprise
        terms.append(Q(enterprise__in=Enterprise.objects.filter(*enterprise_terms).values("pk")))
    if f.enterprise.isdigit():
        terms.append(Q(enterprise_id=int(f.enterprise)))
    terms += [Q(**{name: getattr(f, name)}) for name in ("level", "status", "source") if getattr(f, name)]
    if f.list in LISTS:
        terms.append(Q(status__in=LISTS[f.list]))
    if f.overdue == "1":
        terms.append(overdue_q(today))
    found_from, found_to = f.dates()
    terms += [Q(found_on__gte=found_from)] if found_from else []
    terms += [Q(found_on__lte=found_to)] if found_to else []
    return terms


def _enterprise_terms(f: LedgerFilters) -> list[Q]:
    terms = []
    if f.region:
        region = Region.objects.filter(code=f.region).first()
        terms.append(region_q("region", region.subtree_prefix) if region else Q(pk__in=[]))
    if f.department.isdigit():
        dept = Department.objects.filter(pk=int(f.department)).first()
        terms.append(department_q(Enterprise.scope, dept) if dept else Q(pk__in=[]))
    if f.category:  # a category and its children (工贸 → 冶金 … 商贸), as a list: no join
        children = Category.objects.filter(parent_id=f.category).values_list("code", flat=True)
        terms.append(Q(category_id__in=[f.category, *children]))
    return terms


def overdue_q(today: date) -> Q:
    """Overdue is derived: still to be rectified and past its deadline."""
    return Q(status__in=DEADLINE_STATUSES, deadline__lt=today)


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


def status_counts(qs: QuerySet[Hazard]) -> list[tuple[str, str, int]]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def page_of_hazards(ids: list[int]) -> list[Hazard]:
    """The hazards of one ledger page with what the rows show, in the page's order. The page
    itself is found on ids alone, so its ordered scan never joins a million rows."""
    found = Hazard.objects.filter(pk__in=ids).select_related("enterprise__region", "enterprise__category")
    by_id = {h.pk: h for h in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def hazard_get(user: User, pk: object) -> Hazard:
    qs = Hazard.objects.select_related("enterprise__region__parent", "enterprise__category", "recurrence_of")
    return get_visible_or_404(user, qs, pk=pk)


def hazard_events(hazard: Hazard) -> QuerySet[HazardEvent]:
    return hazard.events.order_by("seq")


def todo(user: User, today: date | None = None) -> QuerySet[Hazard]:
    q = todo_q(user, today or timezone.localdate())
    qs = hazard_queryset(user)
    return qs.none() if q is None else qs.filter(q).order_by("deadline", "-found_on")


LEVELS, SOURCES, STATUSES = Level.choices, Source.choices, Status.choices
