"""Campaigns' side of `checklists.purposes`: a checklist linked to an open campaign task reports
its 不符合 items with the campaign's source, each hazard is linked to the task (`Finding`), and
submitting the checklist completes the task."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from safeloop.campaigns.models import Kind, Task, TaskStatus
from safeloop.checklists.models import Checklist
from safeloop.checklists.purposes import HazardOrigin, provide_purpose
from safeloop.hazards.models import Hazard, Source

OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)


def source_of(kind: str) -> str:
    """举一反三 finds `dragnet` hazards; every other campaign its own source `campaign`."""
    return Source.DRAGNET if kind == Kind.DRAGNET else Source.CAMPAIGN


def _open_task(checklist: Checklist) -> Task | None:
    return Task.objects.select_related("campaign").filter(checklist=checklist, status__in=OPEN).first()


class CampaignPurpose:
    def origin(self, checklist: Checklist) -> HazardOrigin | None:
        task = _open_task(checklist)
        if task is None:
            return None
        head = _("%(title)s排查不符合") % {"title": task.campaign.title}
        return HazardOrigin(
            source=source_of(task.campaign.kind),
            description_head=head,
            payload={"campaign": task.campaign.code, "campaign_task": task.code},
        )

    def submitted(self, checklist: Checklist, actor: Any, hazards: Sequence[Hazard]) -> None:
        from safeloop.campaigns.services import tasks_checklist_submitted

        tasks_checklist_submitted(checklist=checklist, actor=actor, hazards=list(hazards))


def register() -> None:
    provide_purpose(CampaignPurpose())
