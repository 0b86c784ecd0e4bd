"""Region codes and periods: the helpers every app shares.

Codes nest by prefix (GB/T 2260 for province, city and county; NBS 统计用区划代码 for
townships): a province's descendants share its first 2 digits, a city's 4, a county's 6; a
township code (9 or 12 digits) has no descendants here.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def subtree_prefix(code: str) -> str:
    """The prefix every code in this region's subtree starts with."""
    if len(code) > 6:
        return code
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def contains(region_code: str, code: str) -> bool:
    return code.startswith(subtree_prefix(region_code))


def county_of(code: str) -> str:
    return code[:6]


def ancestors(code: str) -> list[str]:
    """The region itself (a township collapsed to its county), its city, its province."""
    county = county_of(code)
    return list(dict.fromkeys([county, county[:4] + "00", county[:2] + "0000"]))


def year_start(year: int) -> datetime:
    """Midnight of 1 January in the current zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(year, 1, 1))  # noqa: DTZ001 - made aware in the current zone


def years_earlier(moment: datetime, years: int = 1) -> datetime:
    """The same day and time `years` earlier (last year's same period); 29 February becomes
    28 February when that year has none (`replace(year=…)` alone raises on it)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
