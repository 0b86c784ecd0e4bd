"""Reads of the registry. Every enterprise read goes through `scope.visible`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_noop
from ninja import Field

from safeloop.accounts.models import User
from safeloop.core.codes import normalise_credit_code
from safeloop.core.filters import Filters
from safeloop.core.models import AuditEntry
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.rows import detail_url, labels
from safeloop.core.scope import DepartmentArea, area_q, get_visible_or_404, prefix_q, user_area, visible
from safeloop.registry.models import Category, Department, Enterprise, Industry, Region, RegionLevel, RiskLevel

COUNTY_PREFIX = 6  # a county's subtree prefix is its whole 6-digit code; a township's is longer


class EnterpriseFilters(Filters):
    q: str = Field(
        "", title=gettext_noop("搜索"), description=gettext_noop("企业名称、统一社会信用代码（前缀）或拼音首字母")
    )
    region: str = Field("", title=gettext_noop("区域"))
    category: str = Field("", title=gettext_noop("监管行业"))
    risk_level: str = Field("", title=gettext_noop("风险等级"))
    key_sector: str = Field("", title=gettext_noop("重点监管"), description="1 / 0")


class RegionFilters(Filters):
    parent: str = Field("", title=gettext_noop("上级区划代码"), description=gettext_noop("不填则列出最上级"))
    level: str = Field("", title=gettext_noop("层级"))


def region_list(filters: RegionFilters) -> QuerySet[Region]:
    """Reference data, the same for everyone: the children of `parent`, or the roots."""
    qs = Region.objects.filter(parent_id=filters.parent) if filters.parent else Region.objects.filter(parent=None)
    return qs.filter(level=filters.level) if filters.level else qs


def enterprise_queryset(user: User) -> QuerySet[Enterprise]:
    return visible(user, Enterprise.objects.all())


def enterprise_list(user: User, filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = enterprise_queryset(user)
    if filters.q:
        qs = qs.filter(_search_q(filters.q))
        if _is_code(filters.q):  # few matches: let the credit-code index order them too
            qs = qs.order_by("credit_code")
    if filters.region:
        qs = qs.filter(_region_filter(filters.region))
    if filters.category:
        qs = qs.filter(Q(category_id=filters.category) | Q(category__parent_id=filters.category))
    if filters.risk_level:
        qs = qs.filter(risk_level=filters.risk_level)
    if filters.key_sector in ("1", "0"):
        qs = qs.filter(key_sector=filters.key_sector == "1")
    return qs


def enterprise_named(user: User, key: object) -> Enterprise | None:
    """The enterprise a form's search-and-pick input holds (an id as text), if the user may see it."""
    key = str(key or "")
    return (
        enterprise_queryset(user).filter(pk=key).first() if key.isascii() and key.isdigit() and len(key) <= 18 else None
    )


def enterprise_get(user: User, pk: object) -> Enterprise:
    qs = Enterprise.objects.select_related("region__parent", "category", "supervising_department_override")
    return get_visible_or_404(user, qs, pk=pk)


def _search_q(text: str) -> Q:
    """A credit code (or its first 6+ characters) matches by prefix; words match the name;
    Latin letters also match the pinyin initials. Prefixes are ranges, so indexes serve them."""
    if _is_code(text):
        return prefix_q("credit_code", normalise_credit_code(text))
    q = Q(name__icontains=text)
    if text.isascii() and text.isalpha():
        initials = text.lower()
        q |= prefix_q("name_initials", initials)
    return q


def _is_code(text: str) -> bool:
    code = normalise_credit_code(text)
    return len(code) >= 6 and code.isalnum() and any(ch.isdigit() for ch in code)


def _region_filter(code: str) -> Q:
    if not Region.objects.filter(code=code).exists():
        return Q(pk__in=[])
    return area_q("region", code)


class DepartmentResolver:
    """Supervising department derived from category and region (三管三必须), unless overridden.

    The department of the enterprise's county that supervises its category comes first, then
    the city's, then the province's. Built for a batch of enterprises (a page, an export chunk)
    with one query for just the region/category pairs they need.
    """

    LEVELS = ((6, ""), (4, "00"), (2, "0000"))

    def __init__(self, enterprises: Iterable[Any] | None = None):
        """For these enterprises' region/category pairs; None: for every pair (an export of a
        million rows reads the few thousand department/category rows once)."""
        pairs = Department.categories.through.objects.select_related("department")
        if enterprises is not None:
            enterprises = list(enterprises)
            regions = {e.region_id[:n] + pad for e in enterprises for n, pad in self.LEVELS}
            categories = {e.category_id for e in enterprises}
            pairs = pairs.filter(department__region_id__in=regions, category_id__in=categories)
        self._by_region_category = {(p.department.region_id, p.category_id): p.department for p in pairs}

    def resolve(self, enterprise: Enterprise) -> Department | None:
        if enterprise.supervising_department_override_id:
            return enterprise.supervising_department_override
        return self.derived(enterprise.region_id, enterprise.category_id)

    def derived(self, region_id: str, category_id: str) -> Department | None:
        """The department of a region and category, overrides aside (三管三必须)."""
        for n, pad in self.LEVELS:
            found = self._by_region_category.get((region_id[:n] + pad, category_id))
            if found:
                return found
        return None


class EnterpriseRow(NamedTuple):
    """What a row of the enterprise list shows, read as plain values (`enterprise_rows`)."""

    pk: int
    name: str
    key_sector: bool
    credit_code: str
    region_id: str
    region_name: str
    category_id: str
    category_name: str
    risk_level: str
    supervising_department_override_id: int | None
    override_name: str | None


ENTERPRISE_ROW_FIELDS = (
    "pk",
    "name",
    "key_sector",
    "credit_code",
    "region_id",
    "region__name",
    "category_id",
    "category__name",
    "risk_level",
    "supervising_department_override_id",
    "supervising_department_override__name",
)


def enterprise_rows(qs: QuerySet[Enterprise]) -> list[dict[str, Any]]:
    """One page of the enterprise list as dicts of ready-to-show values: one narrow query and
    one for the page's supervising departments."""
    rows = [EnterpriseRow(*values) for values in qs.values_list(*ENTERPRISE_ROW_FIELDS)]
    resolver = DepartmentResolver(rows)
    risks, url = labels(RiskLevel), detail_url("registry:enterprise_detail")
    return [
        {
            "pk": row.pk,
            "url": url(row.pk),
            "name": row.name,
            "key_sector": row.key_sector,
            "credit_code": row.credit_code,
            "region": row.region_name,
            "category": row.category_name,
            "risk_level": row.risk_level,
            "risk": risks.get(row.risk_level, row.risk_level)[:1],  # 红, 橙, …
            "department": row.override_name or getattr(resolver.derived(row.region_id, row.category_id), "name", ""),
        }
        for row in rows
    ]


def supervising_department(enterprise: Enterprise) -> Department | None:
    return DepartmentResolver([enterprise]).resolve(enterprise)


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the facts of one enterprise show beyond its own fields (for partials/enterprise_facts.html)."""

    department: Department | None  # derived unless overridden
    industry: str  # the GB/T 4754 code with its division's name
    override: AuditEntry | None = None  # who named the overriding department, and when


def enterprise_facts(enterprise: Enterprise) -> EnterpriseFacts:
    return EnterpriseFacts(
        supervising_department(enterprise), industry_label(enterprise.industry_code), override_record(enterprise)
    )


def override_record(enterprise: Enterprise) -> AuditEntry | None:
    """The audit entry that set the enterprise's current supervising-department override."""
    if not enterprise.supervising_department_override_id:
        return None
    entries = AuditEntry.objects.filter(
        target_type=Enterprise._meta.label_lower,
        target_id=str(enterprise.pk),
        changes__has_key="supervising_department_override",
    )
    return entries.select_related("actor").order_by("-at", "-pk").first()


def with_supervising_departments(enterprises: list[Enterprise]) -> list[Enterprise]:
    """A page of enterprises, each with `supervising_department` derived (one query for the page)."""
    resolver = DepartmentResolver(enterprises)
    for enterprise in enterprises:
        enterprise.supervising_department = resolver.resolve(enterprise)
    return enterprises


def regions_for_user(user: User) -> QuerySet[Region]:
    """Counties and townships the user's scope reaches, for pickers and forms: those inside its
    area (city, county, township, department, sysadmin), else where its enterprises are (expert,
    enterprise: their townships and those townships' counties)."""
    qs = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]).order_by("code")
    area = user_area(user)
    if area is not None:
        return qs.filter(area_q("", area)) if area else qs
    places = enterprise_queryset(user).order_by()
    counties = places.annotate(county=Substr("region_id", 1, 6)).values("county")
    return qs.filter(Q(code__in=places.values("region_id")) | Q(code__in=counties))


def region_options(user: User, selected: str = "") -> list[Region]:
    """The region picker: one level below the user's area — a city's (or a city department's)
    counties, a county's townships, nothing for a township or an enterprise; for an expert the
    counties of its enterprises. A chosen region outside those (a link from elsewhere) is added
    when the user's scope reaches it, so the picker shows what the list is filtered by."""
    level = _picker_level(user)
    options = list(regions_for_user(user).filter(level=level)) if level else []
    if selected and selected not in {region.code for region in options}:
        options += list(regions_for_user(user).filter(code=selected))
    return options


def _picker_level(user: User) -> str | None:
    if user.role == Role.ENTERPRISE:
        return None
    area = user_area(user)
    prefix = subtree_prefix(area) if area else ""
    if len(prefix) > COUNTY_PREFIX:
        return None
    return RegionLevel.TOWNSHIP if len(prefix) == COUNTY_PREFIX else RegionLevel.COUNTY


def year_options(today: date, selected: str = "") -> list[int]:
    """The year picker: this year and the years before it (`SAFELOOP_PICKER_YEARS`, 10), newest
    first; a chosen year outside them is added."""
    years = list(range(today.year, today.year - getattr(settings, "SAFELOOP_PICKER_YEARS", 10), -1))
    chosen = int(selected) if selected.isascii() and selected.isdigit() and len(selected) == 4 else None
    return years if chosen is None or chosen in years else sorted([*years, chosen], reverse=True)


def category_options(user: User) -> list[Category]:
    """The category picker: a department's own categories, for everyone else the whole tree. Each
    has `indent` set when its parent is listed too."""
    categories = category_tree()
    if user.role == Role.DEPARTMENT:
        area = department_area(user.department_id) if user.department_id else None
        categories = [c for c in categories if area and c.code in area.categories]
    listed = {c.code for c in categories}
    for category in categories:
        category.indent = category.parent_id in listed
    return categories


def department_area(department_id: int) -> DepartmentArea | None:
    """A department's region and supervised categories, for core.scope (one query)."""
    rows = list(Department.objects.filter(pk=department_id).values_list("region_id", "categories__code"))
    if not rows:
        return None
    return DepartmentArea(region=rows[0][0], categories=tuple(code for _, code in rows if code))


def category_tree() -> list[Category]:
    return list(Category.objects.select_related("parent").order_by("sort", "code"))


def industry_label(code: str) -> str:
    """'2614' -> '2614（26 化学原料和化学制品制造业）'; the division names the class."""
    if not code:
        return ""
    division = Industry.objects.filter(code=code[:2]).values_list("name", flat=True).first()
    return f"{code}（{code[:2]} {division}）" if division and len(code) > 2 else f"{code} {division or ''}".strip()


def departments_for_user(user: User) -> QuerySet[Department]:
    """The department picker: departments in or above the user's area (reference data). A
    department sees its own department's records only, an expert or an enterprise its
    enterprises': nothing to choose."""
    area = None if user.role == Role.DEPARTMENT else user_area(user)
    qs = Department.objects.select_related("region").order_by("region_id", "kind")
    if not area:
        return qs if area == "" else qs.none()
    prefixes = {area[:2] + "0000", area[:4] + "00", area[:6]}
    return qs.filter(Q(region_id__in=prefixes) | area_q("region", area))


def enterprise_by_public_code(code: str) -> Enterprise | None:
    """The enterprise a printed code (一企一码) names, for whoever holds the code. Like a document's
    verification token, the code is the permission: this is the one read of an enterprise
    outside `scope.visible`, and its callers show a visitor outside the scope nothing but the name."""
    if not (0 < len(code) <= (Enterprise._meta.get_field("public_code").max_length or 0)):
        return None
    return Enterprise.objects.filter(public_code=code).only("pk", "name", "public_code").first()
