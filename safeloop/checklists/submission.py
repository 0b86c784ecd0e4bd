"""The `submit` row's action: every item answered, and each 不符合 reported into the hazard loop
as a major hazard citing its clause (source 企业自查), with the item's note and photos."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from safeloop.checklists.models import Checklist, Item, Result
from safeloop.checklists.purposes import HazardOrigin, checklist_submitted, hazard_origin
from safeloop.core.transitions import Context
from safeloop.hazards.models import Hazard, Level, Source
from safeloop.hazards.notifications import notify_event
from safeloop.hazards.services import hazard_create

DESCRIPTION_MAX = 4000


def run_submit(ctx: Context) -> dict[str, Any]:
    checklist: Checklist = ctx.obj
    items = list(checklist.items.select_related("clause", "clause__standard").prefetch_related("photos"))
    missing = [item for item in items if not item.result]
    if missing:
        ctx.inp.error("items", _("还有 %(n)s 项未填写，请逐项选择符合、不符合或不适用后再提交") % {"n": len(missing)})
    ctx.inp.check()
    origin = hazard_origin(checklist) or HazardOrigin(source=Source.SELF_CHECK)
    reported = [_report(ctx, item, origin) for item in items if item.result == Result.FAIL]
    checklist.submitted_by, checklist.submitted_at = ctx.actor, ctx.now
    checklist_submitted(checklist, ctx.actor, reported)
    counts = {result: sum(1 for i in items if i.result == result) for result in Result.values}
    return {"results": counts, "hazards": [h.code for h in reported]}


def _report(ctx: Context, item: Item, origin: HazardOrigin) -> Hazard:
    """The hazard of one 不符合 item (reported, awaiting the loop's next step), with the source
    of what the checklist was opened for (`checklists.purposes`)."""
    values = {
        "enterprise": ctx.obj.enterprise,
        "description": hazard_description(item, origin.description_head),
        "location": "",
        "nature": "",
        "level": Level.MAJOR,
        "clause": item.clause,
        "source": origin.source,
        "finder_name": str(ctx.actor),
        "found_on": ctx.today,
    }
    photos = [File(default_storage.open(p.file), name=p.original_name) for p in item.photos.all()]
    try:
        hazard, event = hazard_create(
            actor=ctx.actor, values=values, photos=photos, payload={"checklist": ctx.obj.code} | origin.payload
        )
    finally:
        for photo in photos:
            photo.close()
    item.hazard = hazard
    item.save(update_fields=["hazard"])
    transaction.on_commit(lambda: notify_event(hazard_id=hazard.pk, event_id=event.pk))
    return hazard


def hazard_description(item: Item, head_text: str = "") -> str:
    clause = item.clause
    head = _("%(head)s：%(standard)s%(number)s") % {
        "head": head_text or _("企业自查不符合"),
        "standard": clause.standard.short_title or clause.standard.title,
        "number": clause.number,
    }
    text = f"{head}——{clause.text}" if clause.text else head
    return (f"{text}\n{_('现场情况')}：{item.note}" if item.note else text)[:DESCRIPTION_MAX]
