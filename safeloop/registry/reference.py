"""Reference data shipped with the project (safeloop/registry/data/*.csv, sources in each file).

`reference_load()` upserts categories, industries, regions and departments; it is idempotent,
so running it again after a data-file update brings the database up to date.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from safeloop.registry.models import Category, Department, Industry, Region, RegionLevel
from safeloop.registry.pickers import pickers_changed

DATA = Path(__file__).resolve().parent / "data"
YIYANG = "430900"
HUNAN = "430000"
# Department kinds every county-level unit has in the demo; a city has all kinds.
COUNTY_DEPARTMENT_KINDS = ("emergency", "transport", "housing", "market", "fire")


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        yield from csv.DictReader(line for line in fh if not line.startswith("#"))


def is_statutory(code: str, level: str) -> bool:
    """NBS 统计用区划代码 rules: county-level 71-79 are 开发区/管理区 (not GB/T 2260); township
    segments 400-599 are 类似乡级单位 (farms, parks, 管理处)."""
    if level == RegionLevel.COUNTY:
        return not 71 <= int(code[4:6]) <= 79
    if level == RegionLevel.TOWNSHIP:
        return not 400 <= int(code[6:9]) <= 599
    return True


@transaction.atomic
def reference_load(*, province: bool = False) -> dict[str, int]:
    """Load categories, industries, regions (益阳市, or all of 湖南省) and departments."""
    _load_categories()
    _load_industries()
    regions = _load_regions(province)
    departments = _load_departments()
    pickers_changed()
    return {"regions": regions, "departments": departments}


def _load_categories() -> None:
    for sort, row in enumerate(read_csv("categories.csv")):
        Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "parent_id": row["parent"] or None,
                "key_sector": row["key_sector"] == "1",
                "lead_department_kind": row["lead_department_kind"],
                "source": row["source"],
                "sort": sort,
            },
        )


def _load_industries() -> None:
    for row in read_csv("industries.csv"):
        Industry.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "section": row["section"]})


def _region_rows(province: bool) -> Iterator[tuple[str, str, str, str | None]]:
    for row in read_csv("hunan_divisions.csv"):
        code, level = row["code"], row["level"]
        if level == RegionLevel.TOWNSHIP and not province:
            continue
        if province or code == HUNAN or code.startswith(YIYANG[:4]):
            yield code, row["name"], level, row["parent_code"] or None
    if not province:
        for row in read_csv("yiyang_townships.csv"):
            yield row["code"], row["name"], RegionLevel.TOWNSHIP, row["county_code"]


def _load_regions(province: bool) -> int:
    existing = set(Region.objects.values_list("code", flat=True))
    new = [
        Region(code=code, name=name, level=level, parent_id=parent, statutory=is_statutory(code, level))
        for code, name, level, parent in _region_rows(province)
        if code not in existing
    ]
    Region.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _department_plan() -> Iterator[tuple[Region, str, str]]:
    templates = {row["kind"]: row["name_template"] for row in read_csv("department_kinds.csv")}
    for region in Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]):
        kinds = templates if region.level == RegionLevel.CITY else COUNTY_DEPARTMENT_KINDS
        for kind in kinds:
            name = templates[kind].format(region=region.name)
            if region.level == RegionLevel.COUNTY:
                name = name.replace("支队", "大队")
            yield region, kind, name


def _load_departments() -> int:
    by_kind: dict[str, list[str]] = {}
    for code, kind in Category.objects.values_list("code", "lead_department_kind"):
        by_kind.setdefault(kind, []).append(code)
    created = 0
    for region, kind, name in _department_plan():
        dept, was_created = Department.objects.get_or_create(region=region, kind=kind, defaults={"name": name})
        if was_created:
            dept.categories.set(by_kind.get(kind, []))
            created += 1
    return created
