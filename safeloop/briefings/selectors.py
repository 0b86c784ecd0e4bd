"""Reads of briefings, all through `core.scope` (a briefing belongs to its region)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from safeloop.accounts.models import User
from safeloop.briefings.models import Briefing, Paragraph, Status
from safeloop.core.scope import get_visible_or_404, visible


def briefing_list(user: User) -> QuerySet[Briefing]:
    return visible(user, Briefing.objects.select_related("region")).order_by("-created_at", "-pk")


def briefing_detail(user: User, pk: Any) -> Briefing:
    return get_visible_or_404(user, Briefing.objects.select_related("region", "seal"), pk=pk)


def paragraphs_of(briefing: Briefing) -> list[Paragraph]:
    return list(briefing.paragraphs.order_by("order"))


def content_of(briefing: Briefing, paragraphs: list[Paragraph]) -> dict[str, Any]:
    """What a briefing says: its heading fields and each paragraph with its figures (the JSON of
    the API, and what issuing freezes)."""
    return {
        "title": briefing.title,
        "kind": briefing.kind,
        "region": briefing.region_id,
        "year": briefing.year,
        "period": briefing.period,
        "campaign": briefing.campaign_id,
        "starts_on": briefing.starts_on.isoformat(),
        "ends_on": briefing.ends_on.isoformat(),
        "issuer": briefing.issuer,
        "number": briefing.number,
        "paragraphs": [
            {
                "id": p.pk,
                "key": p.key,
                "heading": p.heading,
                "text": p.text,
                "generated": p.generated,
                "version": p.version,
                "figures": p.figures,
                "table": p.table,
                "chart_title": p.chart_title,
            }
            for p in paragraphs
        ],
    }


def published(briefing: Briefing) -> dict[str, Any]:
    """An issued briefing's frozen content; a draft's current one."""
    if briefing.status == Status.ISSUED and briefing.issued_content is not None:
        return dict(briefing.issued_content)
    return content_of(briefing, paragraphs_of(briefing))
