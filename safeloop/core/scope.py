"""The one scope mechanism: what a user may see, for every page, API route, export and count.

A scoped model declares, in `scope = ScopePaths(...)`, the lookups that lead from it to the
enterprise, its region, its supervision category and the department override. `visible()`
turns the user's role into a filter on those paths. Anything outside it is treated as
missing (404), never as forbidden.

Role → area is decided here and nowhere else. Core imports no app above it: users carry their
role, region, department and enterprise as plain fields; what only a higher app knows comes
through a provider it registers in its `AppConfig.ready()`:

- `provide_department_area(fn)`: the registry tells a department's region and categories;
- `provide_enterprises(role, fn)`: the enterprises a role reaches by assignment (experts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, ForeignKey, Lookup, Model, Q, QuerySet
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import StartsWith
from django.http import Http404

from safeloop.core.regions import contains, subtree_prefix
from safeloop.core.roles import AREA_ROLES, Role

M = TypeVar("M", bound=Model)


class ScopedUser(Protocol):
    """What the scope mechanism reads of a user (accounts.User has all of it)."""

    pk: Any
    is_active: bool
    role: str
    region_id: str | None
    department_id: int | None
    enterprise_id: int | None

    @property
    def is_authenticated(self) -> bool: ...


@dataclass(frozen=True)
class ScopePaths:
    """None for a path the model does not have: roles scoped through it see none of its rows
    (e.g. natural disasters belong to a region, never to an enterprise or a department)."""

    enterprise: str | None
    region: str
    category: str | None
    department_override: str | None


@dataclass(frozen=True)
class DepartmentArea:
    region: str  # the department's region code
    categories: tuple[str, ...]  # the supervision categories it supervises there


# ---------------------------------------------------------------- providers (registered by higher apps)

_department_area: list[Callable[[int], DepartmentArea | None]] = []
_enterprise_rules: dict[str, Callable[[ScopedUser], QuerySet[Any] | Iterable[int]]] = {}


def provide_department_area(fn: Callable[[int], DepartmentArea | None]) -> None:
    _department_area[:] = [fn]


def provide_enterprises(role: str, fn: Callable[[ScopedUser], QuerySet[Any] | Iterable[int]]) -> None:
    """`fn(user)` gives the ids (a values() queryset or a list) of the enterprises the role reaches."""
    _enterprise_rules[role] = fn


def department_area(department_id: int) -> DepartmentArea | None:
    if not _department_area:
        raise RuntimeError("no department area provider registered (the registry app registers one)")
    return _department_area[0](department_id)


# ---------------------------------------------------------------- role → area


def user_area(user: ScopedUser) -> str | None:
    """The region code whose subtree the user's role covers: '' for everything, None for no area."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.SYSADMIN:
        return ""
    if user.role in AREA_ROLES:
        return user.region_id or None
    if user.role == Role.DEPARTMENT and user.department_id:
        area = department_area(user.department_id)
        return area.region if area else None
    return None


def complete_area(user: ScopedUser) -> str | None:
    """The region prefix whose records the user sees completely ('' for all), None if none.

    A department sees only its own sectors' records, so its figures would pass for the region's
    while being a part of them: it covers no complete region."""
    if user.role == Role.DEPARTMENT:
        return None
    area = user_area(user)
    return None if area is None else subtree_prefix(area) if area else ""


def region_in_scope(user: ScopedUser, region_code: str) -> bool:
    """May this user place something in this region? (Creation and import checks.)"""
    area = user_area(user)
    return area is not None and (area == "" or contains(area, region_code))


# ---------------------------------------------------------------- filters


class Prefix(Lookup):
    """`column__prefix=value`: the column starts with `value`, in the form the database that runs
    the query can answer from an index. The form is chosen when the query is compiled, for the
    connection it is compiled for (`queryset.db`: a replica, another alias), never for the default
    connection.

    SQLite compares text bytewise (BINARY), so a range [prefix, prefix + U+FFFF) is exact and
    uses the ordinary index; its LIKE is case-insensitive and would not. PostgreSQL's range
    would depend on the database collation (zh_CN sorts punctuation unlike bytes), while a
    left-anchored LIKE is exact and uses the varchar_pattern_ops index Django creates for
    indexed character columns.
    """

    lookup_name = "prefix"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        if connection.vendor != "sqlite":
            return StartsWith(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} >= %s AND {lhs} < %s)", (*lhs_params, self.rhs, *lhs_params, f"{self.rhs}\uffff")


CharField.register_lookup(Prefix)


class InWithoutIndex(RelatedIn):
    """`enterprise__in_scan=(subquery)`: `enterprise IN (…)` that does not drive the query on SQLite.

    SQLite cannot tell how many rows an `IN (subquery)` yields and takes a small number, so it
    always drives a scoped list from the enterprise index and sorts what it found — for a city's
    ledger, tens of thousands of rows sorted for a page of 50. Written `+column IN (…)` (SQLite's
    documented way to take a term out of index selection) the list is checked row by row while
    the planner picks among the table's own indexes: the sort order's (the first 50 rows in
    order that pass), or (status, deadline) for an overdue list. Other databases estimate the
    subquery and get the plain term.
    """

    lookup_name = "in_scan"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = super().as_sql(compiler, connection)
        return (f"+{sql}" if connection.vendor == "sqlite" else sql), params


ForeignKey.register_lookup(InWithoutIndex)


def prefix_q(column: str, prefix: str) -> Q:
    """`column` starts with `prefix` (see `Prefix`: the form follows the queryset's database)."""
    return Q(**{f"{column}__prefix": prefix})


def region_q(path: str, prefix: str) -> Q:
    """Codes in a subtree share a prefix (GB/T 2260 / NBS code structure)."""
    if len(prefix) >= 9:
        return Q(**{f"{path}_id" if path else "code": prefix})
    return prefix_q(f"{path}__code" if path else "code", prefix)


def area_q(path: str, region_code: str) -> Q:
    """Rows whose region at `path` lies in the subtree of `region_code`."""
    return region_q(path, subtree_prefix(region_code))


def department_q(paths: ScopePaths, department: Any) -> Q:
    """What a department supervises: its categories in its region, plus enterprises assigned to it."""
    department_id = getattr(department, "pk", department)
    area = department_area(department_id)
    if area is None or paths.category is None or paths.department_override is None:
        return Q(pk__in=[])
    own_categories = Q(**{f"{paths.category}_id__in": list(area.categories)}) & Q(
        **{f"{paths.department_override}__isnull": True}
    )
    overridden_to_me = Q(**{f"{paths.department_override}_id": department_id})
    return area_q(paths.region, area.region) & (own_categories | overridden_to_me)


def scope_q(user: ScopedUser, model: type[Model]) -> Q | None:
    """The filter for this user on this model, or None when the user sees nothing."""
    paths: ScopePaths = model.scope  # type: ignore[attr-defined]
    if _through_enterprise(paths):
        return _via_enterprise(user, model, paths.enterprise)  # type: ignore[arg-type]
    return _direct_q(user, paths)


def _through_enterprise(paths: ScopePaths) -> bool:
    return paths.enterprise not in (None, "pk") and paths.region.startswith(f"{paths.enterprise}__")


def _via_enterprise(user: ScopedUser, model: type[Model], path: str) -> Q | None:
    """A row reached through its enterprise is visible exactly when the enterprise is.

    Written as `enterprise IN (visible enterprises)`, not as joins: at a million hazards the
    planners (SQLite's above all) drive a joined filter from the wrong table and scan it all.
    """
    enterprise_model = _related_model(model, path)
    q = _direct_q(user, enterprise_model.scope)  # type: ignore[attr-defined]
    if q is None or not q:
        return q
    return Q(**{f"{path}__in": enterprise_model._default_manager.filter(q).values("pk")})


def _related_model(model: type[Model], path: str) -> type[Model]:
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model  # type: ignore[assignment]
    return model


def _direct_q(user: ScopedUser, paths: ScopePaths) -> Q | None:
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.SYSADMIN:
        return Q()
    if user.role in AREA_ROLES and user.region_id:
        return area_q(paths.region, user.region_id)
    if user.role == Role.DEPARTMENT and user.department_id and paths.category and paths.department_override:
        return department_q(paths, user.department_id)
    if paths.enterprise is None:
        return None
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return Q(**{_pk_path(paths.enterprise): user.enterprise_id})
    rule = _enterprise_rules.get(user.role)
    if rule is not None:
        return Q(**{f"{_pk_path(paths.enterprise)}__in": rule(user)})
    return None


def _pk_path(path: str) -> str:
    return "pk" if path == "pk" else f"{path}_id"


def visible(user: ScopedUser, queryset: QuerySet[M]) -> QuerySet[M]:
    q = scope_q(user, queryset.model)
    return queryset.none() if q is None else queryset.filter(q)


def visible_where(user: ScopedUser, queryset: QuerySet[M], *enterprise_terms: Q, scan: bool = False) -> QuerySet[M]:
    """`visible()`, with conditions on the rows' enterprise (a list's region or category filter)
    merged into the scope's own `enterprise IN (…)` subquery: one subquery limited to the user's
    area, not a second one over the whole province beside it (issue 10: 37–40 ms a statement
    against 2–3 ms). A model not scoped through its enterprise gets the terms as a subquery of
    their own. `scan`: the subquery does not drive the query (`InWithoutIndex`), for a wide
    area's ordered page."""
    if not enterprise_terms and not scan:
        return visible(user, queryset)
    paths: ScopePaths = queryset.model.scope  # type: ignore[attr-defined]
    if paths.enterprise in (None, "pk"):
        raise ValueError(f"{queryset.model.__name__} is not reached through an enterprise")
    enterprise_model = _related_model(queryset.model, paths.enterprise)
    if not _through_enterprise(paths):
        matching = enterprise_model._default_manager.filter(*enterprise_terms).values("pk")
        return visible(user, queryset.filter(**{f"{paths.enterprise}__in": matching}))
    q = _direct_q(user, enterprise_model.scope)  # type: ignore[attr-defined]
    if q is None:
        return queryset.none()
    if not q and not enterprise_terms:
        return queryset  # everything (a system administrator): no subquery at all
    matching = enterprise_model._default_manager.filter(q, *enterprise_terms).values("pk")
    return queryset.filter(**{f"{paths.enterprise}__{'in_scan' if scan else 'in'}": matching})


class NotVisible(Http404):
    """The 404 of one object a user asked for: missing or outside the scope (the same answer),
    naming what was asked so the security log records it (`core.security_log`)."""

    def __init__(self, model: type[Model], lookup: dict[str, object]):
        super().__init__()
        self.object_name = str(model._meta.verbose_name)
        self.object_id = str(next(iter(lookup.values()), ""))[:40]


def get_visible_or_404(user: ScopedUser, queryset: QuerySet[M], **lookup: object) -> M:
    try:
        return visible(user, queryset).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible(queryset.model, lookup) from exc
