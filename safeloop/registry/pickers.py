"""The filter pickers of the list pages (region, department, category), cached per scope.

The options follow from the user's scope and the reference data alone (regions, departments,
categories), which change a few times a year, so a list page need not read them on every
request. They are kept as plain values in Django's cache under the scope's key — role, region,
department: everything `core.scope` decides an area by — and a generation number:

- every write of the reference data calls `pickers_changed()` after its commit (the loader
  `reference_load`, the admin of regions, categories and departments), which moves the
  generation on, so every scope's next request reads its options afresh;
- an entry also expires after `SAFELOOP_PICKER_CACHE_SECONDS` (300), the bound on what another
  process can show when Django's cache is per process (the default local-memory cache): with a
  shared cache (`CACHES`: Redis, the database) the generation reaches every process at once.

Experts and enterprises reach their regions through their enterprises (an assignment can
change at any time): their pickers are read per request, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from safeloop.accounts.models import User
from safeloop.core.roles import AREA_ROLES, Role
from safeloop.registry.selectors import category_options, departments_for_user, region_options, regions_for_user

GENERATION = "pickers:generation"


@dataclass(frozen=True)
class RegionOption:
    code: str
    name: str


@dataclass(frozen=True)
class DepartmentOption:
    pk: int
    name: str
    region: RegionOption


@dataclass(frozen=True)
class CategoryOption:
    code: str
    name: str
    indent: bool


def pickers_changed() -> None:
    """Reference data changed: every scope reads its pickers afresh (after the commit)."""
    transaction.on_commit(lambda: cache.set(GENERATION, _generation() + 1, None))


def _generation() -> int:
    return cache.get(GENERATION) or 0


def _cacheable(user: User) -> bool:
    return user.role == Role.SYSADMIN or user.role in AREA_ROLES or user.role == Role.DEPARTMENT


PICKERS = ("regions", "departments", "categories")


def list_pickers(user: User, *names: str, selected_region: str = "") -> dict[str, Any]:
    """The pickers a list page's filters show (`PICKERS`; all when none is named), as plain
    values, each cached on its own per scope."""
    options = {name: _cached(user, name) for name in names or PICKERS}
    if "regions" in options:
        options["regions"] = _with_selected(user, options["regions"], selected_region)
    return options


def _cached(user: User, name: str) -> list[Any]:
    if not _cacheable(user):
        return READERS[name](user)
    key = f"pickers:{_generation()}:{name}:{user.role}:{user.region_id or ''}:{user.department_id or ''}"
    options = cache.get(key)
    if options is None:
        options = READERS[name](user)
        cache.set(key, options, getattr(settings, "SAFELOOP_PICKER_CACHE_SECONDS", 300))
    return options


def _regions(user: User) -> list[RegionOption]:
    return [RegionOption(r.code, r.name) for r in region_options(user)]


def _departments(user: User) -> list[DepartmentOption]:
    return [
        DepartmentOption(d.pk, d.name, RegionOption(d.region.code, d.region.name)) for d in departments_for_user(user)
    ]


def _categories(user: User) -> list[CategoryOption]:
    return [CategoryOption(c.code, c.name, c.indent) for c in category_options(user)]


READERS: dict[str, Callable[[User], list[Any]]] = {
    "regions": _regions,
    "departments": _departments,
    "categories": _categories,
}


def _with_selected(user: User, options: list[RegionOption], selected: str) -> list[RegionOption]:
    """A chosen region outside the options (a link from elsewhere) is added when the user's
    scope reaches it, so the picker shows what the list is filtered by (`region_options`)."""
    if not selected or selected in {r.code for r in options}:
        return options
    return options + [RegionOption(r.code, r.name) for r in regions_for_user(user).filter(code=selected)]
