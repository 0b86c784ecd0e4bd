"""Writes of checklists: drawing one up for an enterprise, saving one item's answer (and its
photos) as the user goes, and submitting it (through the workflow table). Every change appends
an event to the checklist's hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import Role, User
from safeloop.checklists.fields import ANSWER_FIELDS, PHOTOS
from safeloop.checklists.models import Checklist, ChecklistEvent, Item, Photo, Status
from safeloop.checklists.selectors import applicable_clauses
from safeloop.checklists.workflow import FLOW, parties_of
from safeloop.core.chain import chain_append
from safeloop.core.errors import Conflict, Forbidden, NotFound, TooLarge, ValidationFailed
from safeloop.core.evidence import evidence_store
from safeloop.core.inputs import Inputs
from safeloop.core.scope import visible
from safeloop.hazards.numbers import next_number
from safeloop.hazards.services import evidence_uploads
from safeloop.registry.models import Enterprise

MAX_PHOTOS_PER_ITEM = 6


def checklist_start(*, actor: User, focus: Sequence[Any] = ()) -> Checklist:
    """Draw up the enterprise's checklist from the clauses that apply to it now (409 while one is
    being filled in: answers are never split over two). `focus`: clauses a campaign puts first
    (its 重点条款), added even where the enterprise's category and features would not bring them."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_id:
        raise Forbidden(_("只有企业账号可以开展自查"))
    enterprise = Enterprise.objects.select_related("category", "region").get(pk=actor.enterprise_id)
    applicable = applicable_clauses(enterprise)
    chosen = {c.pk for c in focus}
    clauses = [*focus, *(c for c in applicable if c.pk not in chosen)]
    if not clauses:
        message = _("暂无适用于本企业监管行业和风险特征的判定条款")
        raise ValidationFailed(message, fields={"enterprise": message})
    try:
        with transaction.atomic():
            return _create(actor, enterprise, clauses)
    except IntegrityError:  # the partial unique constraint: one open checklist per enterprise
        raise Conflict(_("本企业已有一份填写中的自查清单，请继续填写"), code="checklist_open") from None


def _create(actor: User, enterprise: Enterprise, clauses: list) -> Checklist:
    now = timezone.now()
    year = timezone.localdate(now).year
    county = enterprise.region_id[:6]
    checklist = Checklist.objects.create(
        code=f"ZC-{county}-{year}-{next_number(f'ZC-{county}', year):06d}",
        enterprise=enterprise,
        category=enterprise.category,
        features=enterprise.risk_features(),
        started_by=actor,
        started_at=now,
    )
    Item.objects.bulk_create([Item(checklist=checklist, clause=c, sort=n) for n, c in enumerate(clauses, 1)])
    payload = {"category": enterprise.category_id, "features": checklist.features, "clauses": [c.pk for c in clauses]}
    chain_append(
        events=ChecklistEvent, owner=checklist, action="start", actor=actor, at=now, from_status="", payload=payload
    )
    return checklist


def item_answer(*, actor: User, checklist_id: int, clause_id: str, data: dict[str, Any]) -> Item:
    """Save one item's answer (`result`, `note`, new `photos`); with `version`, an answer someone
    else saved meanwhile is refused (409) instead of overwritten. All or nothing."""
    inp = Inputs(data)
    version = data.get("version")
    with transaction.atomic():
        checklist = _locked_open(actor, checklist_id)
        item = _locked_item(checklist, clause_id, version)
        values = inp.read_values(ANSWER_FIELDS)
        photos = evidence_uploads(inp, PHOTOS)
        inp.check()
        _check_photo_quota(item, len(photos))
        stored = [_store_photo(item, actor, upload) for upload in photos]
        return _save_answer(actor, checklist, item, values, stored)


def _locked_open(actor: User, checklist_id: int) -> Checklist:
    checklist = visible(actor, Checklist.objects.select_for_update(of=("self",))).filter(pk=checklist_id).first()
    if checklist is None:
        raise NotFound()
    if not parties_of(actor, checklist):
        raise Forbidden(_("只有本企业账号可以填写自查清单"))
    if checklist.status != Status.IN_PROGRESS:
        raise Conflict(_("自查清单已提交，不能再修改"), code="wrong_state")
    return checklist


def _locked_item(checklist: Checklist, clause_id: str, version: Any) -> Item:
    item = Item.objects.select_for_update().filter(checklist=checklist, clause_id=clause_id).first()
    if item is None:
        raise NotFound()
    if version not in (None, "") and str(item.version) != str(version).strip():
        raise Conflict(_("该项已被他人修改，请查看最新结果后再保存"), code="stale_version")
    return item


def _save_answer(actor: User, checklist: Checklist, item: Item, values: dict[str, Any], stored: list[Photo]) -> Item:
    now = timezone.now()
    item.result, item.note = values["result"], values.get("note") or ""
    item.answered_by, item.answered_at = actor, now
    item.version += 1
    item.save(update_fields=["result", "note", "answered_by", "answered_at", "version"])
    payload = {"clause": item.clause_id, "result": item.result, "note": item.note}
    chain_append(
        events=ChecklistEvent,
        owner=checklist,
        action="answer",
        actor=actor,
        at=now,
        from_status=checklist.status,
        payload=payload,
        attachments=[p.sha256 for p in stored],
    )
    return item


def _check_photo_quota(item: Item, adding: int) -> None:
    limit = getattr(settings, "SAFELOOP_CHECKLIST_PHOTOS", MAX_PHOTOS_PER_ITEM)
    if adding and item.photos.count() + adding > limit:
        reason = _("每项最多 %(n)s 张照片") % {"n": limit}
        raise TooLarge(reason, fields={PHOTOS.name: reason}, code="attachment_quota")


def _store_photo(item: Item, actor: User, upload: File) -> Photo:
    stored = evidence_store(upload=upload, folder=f"checklists/{item.checklist.code}")
    return Photo.objects.create(
        item=item,
        **stored.file_fields(),
        uploaded_by=actor,
    )


def checklist_submit(*, actor: User, checklist_id: int, version: Any) -> Checklist:
    """提交: the table's `submit` row (every item answered; each 不符合 reported as a major hazard)."""
    return FLOW.act(pk=checklist_id, actor=actor, action="submit", version=version)
