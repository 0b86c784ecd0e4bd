"""Reads of checklists, all through the scope mechanism: which clauses apply to an enterprise,
the checklists a user may see, one checklist with its items, and completion by county, category
and month for regulators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from ninja import Field

from safeloop.accounts.models import Role, User
from safeloop.checklists.features import clause_features
from safeloop.checklists.models import Checklist, Item, Photo, Status
from safeloop.core.filters import RECORD_ID, YEAR, Filters
from safeloop.core.rows import detail_url, labels
from safeloop.core.scope import area_q, get_visible_or_404, visible
from safeloop.registry.models import Enterprise
from safeloop.standards.models import Clause
from safeloop.standards.models import Status as ClauseStatus
from safeloop.standards.selectors import categories_of


def applicable_clauses(enterprise: Enterprise) -> list[Clause]:
    """The in-force clauses of in-force standards that apply to the enterprise: those of its
    category (or its category's parent, e.g. 工贸 for 机械) without a feature, and those of the
    special sections its risk features call for, in the catalogue's order."""
    codes = {code for code in (enterprise.category_id, enterprise.category.parent_id) if code}
    features = set(clause_features(enterprise))
    clauses = Clause.objects.filter(status=ClauseStatus.IN_FORCE, standard__status=ClauseStatus.IN_FORCE)
    return [c for c in clauses.select_related("standard") if _applies(c, codes, features)]


def _applies(clause: Clause, codes: set[str], features: set[str]) -> bool:
    """A special section (专项类) applies inside its standard's sectors only (工贸 第二条 routes
    危化 and others to their own standards), and only where the enterprise has the feature."""
    in_sector = bool(codes & set(categories_of(clause)))
    return in_sector and (not clause.feature or clause.feature in features)


class ChecklistFilters(Filters):
    typed = {"year": YEAR, "enterprise": RECORD_ID}

    status: str = Field("", title="状态", description="in_progress：填写中；submitted：已提交")
    enterprise: str = Field("", title="企业", description="企业编号")
    region: str = Field("", title="区域", description="行政区划代码")
    year: str = Field("", title="年份", description="提交年份")


def checklist_list(user: User, filters: ChecklistFilters | None = None) -> QuerySet[Checklist]:
    qs = visible(user, Checklist.objects.all())
    f = filters or ChecklistFilters.from_params({})
    if f.status:
        qs = qs.filter(status=f.status)
    if f.enterprise:  # read as a record id (core.filters), so canonical digits
        qs = qs.filter(enterprise_id=int(f.enterprise))
    if f.region:
        qs = qs.filter(area_q("enterprise__region", f.region))
    if f.year:
        qs = qs.filter(submitted_at__year=int(f.year))
    return qs.select_related("enterprise", "enterprise__region", "category", "started_by", "submitted_by")


CHECKLIST_ROW_FIELDS = (
    "pk",
    "code",
    "status",
    "enterprise__name",
    "enterprise__region__name",
    "category__name",
    "started_at",
    "started_by__display_name",
    "started_by__username",
    "submitted_at",
    "submitted_by__display_name",
    "submitted_by__username",
)


def checklist_rows(qs: QuerySet[Checklist]) -> list[dict[str, object]]:
    """One page of the checklist list as dicts of ready-to-show values, from one narrow query
    (docs/performance.md: no model instances, `get_FOO_display` or `{% url %}` per row)."""
    statuses, url = labels(Status), detail_url("checklists:detail")
    rows = []
    for pk, code, status, name, region, category, started, s_name, s_user, submitted, u_name, u_user in qs.values_list(
        *CHECKLIST_ROW_FIELDS
    ):
        rows.append(
            {
                "url": url(pk),
                "code": code,
                "status": statuses.get(status, status),
                "enterprise": name,
                "region": region,
                "category": category or "",
                "started": _when_who(started, s_name or s_user),
                "submitted": _when_who(submitted, u_name or u_user) if submitted else "",
            }
        )
    return rows


def _when_who(at, who: str | None) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M} {who or ''}".strip()


def checklist_get(user: User, pk: int) -> Checklist:
    items = Item.objects.select_related("clause", "clause__standard", "hazard").prefetch_related(
        Prefetch("photos", queryset=Photo.objects.order_by("uploaded_at", "id"))
    )
    qs = Checklist.objects.select_related("enterprise", "category").prefetch_related(Prefetch("items", queryset=items))
    return get_visible_or_404(user, qs, pk=pk)


def open_checklist(user: User) -> Checklist | None:
    """The enterprise user's checklist being filled in, if any."""
    if user.role != Role.ENTERPRISE:
        return None
    return visible(user, Checklist.objects.filter(status=Status.IN_PROGRESS)).first()


def item_get(user: User, checklist_id: int, clause_id: str) -> Item:
    qs = Item.objects.select_related("clause", "clause__standard", "checklist").prefetch_related("photos")
    return get_visible_or_404(user, qs, checklist_id=checklist_id, clause_id=clause_id)


def photo_get(user: User, pk: int) -> Photo:
    return get_visible_or_404(user, Photo.objects.all(), pk=pk)


@dataclass
class Progress:
    total: int
    answered: int
    failed: int

    @property
    def percent(self) -> int:
        return self.answered * 100 // self.total if self.total else 0


def progress_of(checklist: Checklist) -> Progress:
    items = list(checklist.items.all())
    answered = [i for i in items if i.result]
    return Progress(len(items), len(answered), sum(1 for i in answered if i.result == "fail"))


# ---------------------------------------------------------------- completion (regulators)


@dataclass
class CompletionRow:
    key: str
    label: str
    enterprises: int
    completed: int

    @property
    def share(self) -> float:
        return self.completed / self.enterprises if self.enterprises else 0.0

    @property
    def percent(self) -> float:
        return round(self.share * 100, 1)

    @property
    def enterprises_text(self) -> str:
        return f"{self.enterprises:,}"

    @property
    def completed_text(self) -> str:
        return f"{self.completed:,}"


def completion_tables(user: User, year: int) -> tuple[list[CompletionRow], list[CompletionRow]]:
    """Per county and per category: the enterprises in scope and those that submitted at least
    one checklist in `year`, both tables from one grouped query (county × category, with the
    names joined in) over the enterprises the user sees."""
    done_ids = checklist_list(user).filter(status=Status.SUBMITTED, submitted_at__year=year).values("enterprise_id")
    grouped = (
        visible(user, Enterprise.objects.all())
        .values_list("region__parent_id", "region__parent__name", "category_id", "category__name")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(pk__in=done_ids)))
        .order_by()
    )
    counties: dict[str, list] = {}
    categories: dict[str, list] = {}
    for county, county_name, category, category_name, n, done in grouped:
        for table, key, name in ((counties, county, county_name), (categories, category, category_name)):
            if key:
                row = table.setdefault(key, [name or key, 0, 0])
                row[1] += n
                row[2] += done
    return _completion_rows(counties), _completion_rows(categories)


def _completion_rows(table: dict[str, list]) -> list[CompletionRow]:
    rows = [CompletionRow(key, label, n, done) for key, (label, n, done) in table.items()]
    return sorted(rows, key=lambda r: (-r.share, r.key))


def completion_by_month(user: User, year: int) -> list[tuple[int, int]]:
    """(month, checklists submitted) for each month of `year` up to now."""
    qs = checklist_list(user).filter(status=Status.SUBMITTED, submitted_at__year=year)
    counts: dict[int, int] = defaultdict(int)
    for month, n in qs.annotate(m=ExtractMonth("submitted_at")).values_list("m").annotate(n=Count("pk")).order_by():
        counts[month] = n
    last = timezone.localdate().month if year == timezone.localdate().year else 12
    return [(m, counts[m]) for m in range(1, last + 1)]


def this_year() -> int:
    return timezone.localdate().year
