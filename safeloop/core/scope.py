"""The one scope mechanism: what a user may see, for every page, API route, export and count.

A scoped model declares, in `scope = ScopePaths(...)`, the lookups that lead from it to the
enterprise, its region, its supervision category and the department override. `visible()`
turns the user's role into a filter on those paths. Anything outside it is treated as
missing (404), never as forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from safeloop.accounts.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ScopePaths:
    """None for a path the model does not have: roles scoped through it see none of its rows
    (e.g. natural disasters belong to a region, never to an enterprise or a department)."""

    enterprise: str | None
    region: str
    category: str | None
    department_override: str | None


def prefix_q(column: str, prefix: str) -> Q:
    """`column` starts with `prefix`, in the form each database can answer from an index.

    SQLite compares text bytewise (BINARY), so a range [prefix, prefix + U+FFFF) is exact and
    uses the ordinary index; its LIKE is case-insensitive and would not. PostgreSQL's range
    would depend on the database collation (zh_CN sorts punctuation unlike bytes), while a
    left-anchored LIKE is exact and uses the varchar_pattern_ops index Django creates for
    indexed character columns.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{column}__gte": prefix, f"{column}__lt": prefix + "\uffff"})
    return Q(**{f"{column}__startswith": prefix})


def region_q(path: str, prefix: str) -> Q:
    """Codes in a subtree share a prefix (GB/T 2260 / NBS code structure)."""
    if len(prefix) >= 9:
        return Q(**{f"{path}_id": prefix})
    return prefix_q(f"{path}__code" if path else "code", prefix)


def _department_q(paths: ScopePaths, user: User) -> Q:
    return department_q(paths, user.department)


def department_q(paths: ScopePaths, department) -> Q:
    """What a department supervises: its categories in its region, plus enterprises assigned to it."""
    category_ids = list(department.categories.values_list("code", flat=True))
    own_categories = Q(**{f"{paths.category}_id__in": category_ids}) & Q(
        **{f"{paths.department_override}__isnull": True}
    )
    overridden_to_me = Q(**{f"{paths.department_override}_id": department.pk})
    return region_q(paths.region, department.region.subtree_prefix) & (own_categories | overridden_to_me)


def scope_q(user: User, paths: ScopePaths) -> Q | None:
    """The filter for this user, or None when the user sees nothing."""
    if _through_enterprise(paths):
        return _via_enterprise(user, paths.enterprise)
    return _direct_q(user, paths)


def _through_enterprise(paths: ScopePaths) -> bool:
    return paths.enterprise not in (None, "pk") and paths.region.startswith(f"{paths.enterprise}__")


def _via_enterprise(user: User, path: str) -> Q | None:
    """A row reached through its enterprise is visible exactly when the enterprise is.

    Written as `enterprise IN (visible enterprises)`, not as joins: at a million hazards the
    planners (SQLite's above all) drive a joined filter from the wrong table and scan it all.
    """
    from safeloop.registry.models import Enterprise

    q = _direct_q(user, Enterprise.scope)
    if q is None or not q:
        return q
    return Q(**{f"{path}__in": Enterprise.objects.filter(q).values("pk")})


def _direct_q(user: User, paths: ScopePaths) -> Q | None:
    from safeloop.accounts.models import Role

    if not (user.is_authenticated and user.is_active):
        return None
    role = user.role
    if role == Role.SYSADMIN:
        return Q()
    if role in (Role.CITY, Role.COUNTY, Role.TOWNSHIP) and user.region_id:
        return region_q(paths.region, user.region.subtree_prefix)
    if role == Role.DEPARTMENT and user.department_id and paths.category and paths.department_override:
        return _department_q(paths, user)
    if paths.enterprise is None:
        return None
    if role == Role.ENTERPRISE and user.enterprise_id:
        return Q(**{_pk_path(paths.enterprise): user.enterprise_id})
    if role == Role.EXPERT:
        ids = user.expert_assignments.filter(active=True).values("enterprise_id")
        return Q(**{f"{_pk_path(paths.enterprise)}__in": ids})
    return None


def _pk_path(path: str) -> str:
    return "pk" if path == "pk" else f"{path}_id"


def visible(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    q = scope_q(user, queryset.model.scope)
    return queryset.none() if q is None else queryset.filter(q)


def get_visible_or_404(user: User, queryset: QuerySet[M], **lookup: object) -> M:
    try:
        return visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def region_in_scope(user: User, region_code: str) -> bool:
    """May this user place something in this region? (Creation and import checks.)"""
    from safeloop.accounts.models import Role

    if user.role == Role.SYSADMIN:
        return True
    scope_region = user.department.region if user.role == Role.DEPARTMENT else user.region
    return scope_region is not None and scope_region.contains(region_code)
