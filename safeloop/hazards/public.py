"""What the platform publishes without sign-in: the 挂牌督办 list.

A listing notice (重大隐患挂牌督办通知书) is published in the media (RULES.md §2.4: Hubei
鄂安〔2010〕20号; Qingdao publishes listing and de-listing within 5 working days), so this read
is the one that does not go through `core.scope.visible`: it is everyone's by rule, and it
reads only what a notice publishes — the hazard's number, the enterprise's name, the hazard in
one line, the level and body that listed it, the listing date, the deadline and the de-listing
date. No people, no requirements or reasons (those are the body's internal notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet

from safeloop.hazards.models import Listing, ListingLevel

SUMMARY_LENGTH = 60
PUBLISHED = ("pk", "hazard__code", "hazard__enterprise__name", "hazard__description", "level", "body")
PUBLISHED_DATES = ("listed_on", "deadline", "delisted_on")
LEVEL_NAMES = dict(ListingLevel.choices)


@dataclass(frozen=True)
class PublishedListing:
    code: str
    enterprise_name: str
    description: str  # the hazard in one line
    level: str
    level_name: str
    body: str
    listed_on: date
    deadline: date
    delisted_on: date | None


def published_listings(level: str = "") -> QuerySet[Listing]:
    """Newest first, optionally of one level; rows are plain values of the published columns
    (wrap a page with `published_page`)."""
    qs = Listing.objects.all()
    if level in ListingLevel.values:
        qs = qs.filter(level=level)
    return qs.order_by("-listed_on", "-id").values(*PUBLISHED, *PUBLISHED_DATES)


def published(row: dict[str, Any]) -> PublishedListing:
    lines = (row["hazard__description"] or "").strip().splitlines() or [""]
    line = lines[0]
    summary = line if len(line) <= SUMMARY_LENGTH else f"{line[: SUMMARY_LENGTH - 1]}…"
    return PublishedListing(
        code=row["hazard__code"],
        enterprise_name=row["hazard__enterprise__name"],
        description=summary,
        level=row["level"],
        level_name=str(LEVEL_NAMES.get(row["level"], "")),
        body=row["body"],
        listed_on=row["listed_on"],
        deadline=row["deadline"],
        delisted_on=row["delisted_on"],
    )


def published_page(page: Page) -> Page:
    page.object_list = [published(row) for row in page.object_list]
    return page
