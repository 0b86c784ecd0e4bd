"""挂牌督办 by government level (分级挂牌督办, RULES.md §2.4): which levels list, the body named
on the 重大隐患挂牌督办通知书, who lists and de-lists, and the publication rule.

The rule is data: `data/listing_levels.csv` (sources named in the file: 鄂安〔2010〕20号 for the
tiers, Qingdao's "3+X" practice for publication within 5 working days of listing and of
de-listing). Settings may narrow the levels in use (`SAFELOOP_LISTING_LEVELS`, e.g.
`["county", "city"]`) or set another publication period (`SAFELOOP_LISTING_PUBLISH_WORKDAYS`).

A county account lists at county level, a city account at city level: the level is the level of
the account's region. A provincial level needs an account whose region is the province (the demo
city has none). A listing is undone (摘牌) by its body or a body above it, and on 销号.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings

from safeloop.accounts.models import Role, User
from safeloop.core.regions import contains
from safeloop.core.workdays import add_workdays
from safeloop.hazards.models import Hazard, Listing

DATA = Path(__file__).parent / "data" / "listing_levels.csv"
LISTING_ROLES = frozenset({Role.CITY, Role.COUNTY})  # the government's accounts (安委会/安委办, 应急局)


@dataclass(frozen=True)
class LevelRule:
    level: str  # county / city / province: the level of the listing body's region
    body_suffix: str  # the body is the region's name and this: 资阳区安全生产委员会
    publish_workdays: int  # the listing is published within this many working days
    delist_publish_workdays: int  # and so is its de-listing


@cache
def _file_rules() -> dict[str, LevelRule]:
    with DATA.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {
            row["level"]: LevelRule(
                row["level"], row["body_suffix"], int(row["publish_workdays"]), int(row["delist_publish_workdays"])
            )
            for row in rows
        }


def level_rules() -> dict[str, LevelRule]:
    """The levels in use, in the file's order (county first), with the publication period."""
    rules = _file_rules()
    wanted = getattr(settings, "SAFELOOP_LISTING_LEVELS", None) or list(rules)
    days = getattr(settings, "SAFELOOP_LISTING_PUBLISH_WORKDAYS", None)
    chosen = {level: rules[level] for level in rules if level in wanted}
    if days is None:
        return chosen
    return {level: replace(rule, publish_workdays=days, delist_publish_workdays=days) for level, rule in chosen.items()}


def rule_of(level: str) -> LevelRule:
    """A level's rule, even when settings no longer use the level (its listings stay until 摘牌)."""
    return level_rules().get(level) or _file_rules()[level]


def lister_level(user: User) -> str | None:
    """The level at which this account's body lists, or None when it does not list."""
    if user.role not in LISTING_ROLES or user.region_id is None:
        return None
    level = user.region.level
    return level if level in level_rules() else None


def lister_body(user: User) -> str:
    return f"{user.region.name}{level_rules()[user.region.level].body_suffix}"


def open_listing(hazard: Hazard) -> Listing | None:
    return hazard.listings.filter(delisted_on__isnull=True).first()


def may_decide(user: User, listing: Listing) -> bool:
    """The listing body, or a body above it whose area includes it, decides its de-listing (and
    closes the hazard it lists)."""
    return lister_level(user) is not None and contains(user.region_id or "", listing.region_id)


def publish_by(day: date, workdays: int) -> date:
    return add_workdays(day, workdays).date
