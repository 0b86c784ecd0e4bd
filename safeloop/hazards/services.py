"""Writes outside the workflow table: reporting a hazard (its first event, with its 隐患照片),
evidence uploads, the listings the table's rows open and close, and the new hazard a failed
look-back opens. Status changes live in workflow.hazard_act."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import Role, User
from safeloop.core.errors import Conflict, NotFound, ServiceError, TooLarge, ValidationFailed
from safeloop.core.evidence import evidence_check, evidence_store, exif_taken_at
from safeloop.core.fields import CAPTURED_AT, FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.core.scope import visible
from safeloop.hazards.clauses import clause_values
from safeloop.hazards.events import event_append
from safeloop.hazards.fields import EVIDENCE_KIND, PHOTOS, REPORT, REPORT_FIELDS
from safeloop.hazards.models import (
    Attachment,
    CapturedBy,
    EvidenceKind,
    Hazard,
    HazardEvent,
    Level,
    Listing,
    Source,
    Status,
)
from safeloop.hazards.notifications import notify_event
from safeloop.hazards.numbers import hazard_code
from safeloop.registry.models import Enterprise

SOURCES_BY_ROLE: dict[str, set[str]] = {
    Role.ENTERPRISE: {Source.SELF_CHECK, Source.INTERNAL_REPORT},
    Role.EXPERT: {Source.EXPERT},
}
REGULATOR_SOURCES: set[str] = {
    Source.REGULATOR,
    Source.TOWNSHIP_PATROL,
    Source.PUBLIC_REPORT,
    Source.DRAGNET,
    Source.CAMPAIGN,
    Source.EXPERT,
}
MAJOR_NEEDS_CLAUSE = gettext_lazy("重大隐患必须注明判定依据（标准条款）")


def allowed_sources(actor: User) -> set[str]:
    if actor.is_regulator:
        return REGULATOR_SOURCES
    return SOURCES_BY_ROLE.get(actor.role, set())


def hazard_report(*, actor: User, data: dict[str, Any]) -> Hazard:
    """排查: record a found hazard as `reported`, with its first event and its 隐患照片 (all or
    nothing: a refused photo saves no report)."""
    inp = Inputs(data)
    values = _report_values(actor, inp)
    photos = evidence_uploads(inp, PHOTOS)
    captured = inp.read(CAPTURED_AT)
    inp.check()
    if captured:  # recorded offline: found when the phone says, arrived now (the event's time)
        captured = min(captured, timezone.now())
        values["found_on"] = values.get("found_on") or timezone.localdate(captured)
    values = _report_defaults(actor, values)
    payload = {"captured_at": captured.isoformat()} if captured else None
    with transaction.atomic():
        hazard, event = hazard_create(actor=actor, values=values, photos=photos, payload=payload, captured=captured)
        _notify_after_commit(hazard, event)
    return hazard


def hazard_create(
    *,
    actor: User,
    values: dict[str, Any],
    photos: Sequence[File] = (),
    payload: dict[str, Any] | None = None,
    captured: Any = None,
) -> tuple[Hazard, HazardEvent]:
    """The hazard and its `report` event, whose attachments are the photos' hashes; inside the
    caller's transaction, with `values` already read and the photos already checked."""
    enterprise = values.pop("enterprise")
    hazard = Hazard(
        enterprise=enterprise,
        found_by=actor,
        status=Status.REPORTED,
        code=hazard_code(enterprise.region_id[:6], values["found_on"].year),
        **values,
    )
    hazard.save()
    stored = [
        evidence_attach(hazard=hazard, actor=actor, upload=photo, kind=EvidenceKind.HAZARD, captured=captured)
        for photo in photos
    ]
    event = event_append(
        hazard=hazard,
        action="report",
        actor=actor,
        at=timezone.now(),
        from_status="",
        payload=_report_payload(hazard) | (payload or {}),
        attachments=[a.sha256 for a in stored],
    )
    Attachment.objects.filter(pk__in=[a.pk for a in stored]).update(used_in_event=event.seq)
    return hazard, event


def report_fields(actor: User) -> tuple[FieldSpec, ...]:
    """What a report gives: an enterprise's own account reports for its enterprise."""
    if actor.role == Role.ENTERPRISE:
        return tuple(spec for spec in REPORT_FIELDS if spec.name != "enterprise")
    return REPORT_FIELDS


def _notify_after_commit(hazard: Hazard, event: HazardEvent) -> None:
    transaction.on_commit(lambda: notify_event(hazard_id=hazard.pk, event_id=event.pk))


def _report_values(actor: User, inp: Inputs) -> dict[str, Any]:
    """The report's values; the photos are read (and every message said) before `check`."""
    values = inp.read_values(report_fields(actor))
    values["enterprise"] = enterprise_of_report(actor, inp)
    if values.get("source") and values["source"] not in allowed_sources(actor):
        inp.error("source", _("您的角色不能以该来源上报隐患"))
    clause_values(inp, values, REPORT["clause"])
    if values.get("level") == Level.MAJOR and not values["clause"] and "clause" not in inp.errors:
        inp.error("clause", str(MAJOR_NEEDS_CLAUSE))
    return values


def _report_defaults(actor: User, values: dict[str, Any]) -> dict[str, Any]:
    values["finder_name"] = values["finder_name"] or str(actor)
    values.setdefault("found_on", timezone.localdate())
    return values


def enterprise_of_report(actor: User, inp: Inputs) -> Enterprise | None:
    """The enterprise a report (or an on-the-spot record) is about: the actor's own, or the one
    named, within the actor's scope."""
    if actor.role == Role.ENTERPRISE:
        return actor.enterprise
    missing = _("{label}不存在或不在您的管辖范围内").format(label=REPORT["enterprise"].label)
    return inp.record(
        REPORT["enterprise"], visible(actor, Enterprise.objects.select_related("region")), missing=missing
    )


def _report_payload(hazard: Hazard) -> dict[str, Any]:
    return {
        "enterprise": hazard.enterprise_id,
        "description": hazard.description,
        "location": hazard.location,
        "level": hazard.level,
        "source": hazard.source,
        "clause": hazard.clause_id,
        "nature": hazard.nature,
        "finder_name": hazard.finder_name,
        "found_on": hazard.found_on.isoformat(),
    }


def hazard_recur(*, original: Hazard, actor: User, note: str) -> Hazard:
    """A failed look-back reopens the loop as a new hazard linked to the old one."""
    now = timezone.now()
    hazard = Hazard(
        enterprise=original.enterprise,
        location=original.location,
        nature=original.nature,
        description=f"【回头看复发】{note}（原隐患 {original.code}：{original.description}）"[:4000],
        level=original.level,
        clause=original.clause,
        source=original.source,
        found_by=actor,
        finder_name=str(actor),
        found_on=timezone.localdate(now),
        status=Status.REPORTED,
        recurrence_of=original,
        code=hazard_code(original.enterprise.region_id[:6], timezone.localdate(now).year),
    )
    hazard.save()
    event = event_append(
        hazard=hazard,
        action="report",
        actor=actor,
        at=now,
        from_status="",
        payload={**_report_payload(hazard), "recurrence_of": original.code},
    )
    _notify_after_commit(hazard, event)
    return hazard


def attachment_add(*, actor: User, hazard_id: int, upload: File, kind: str = "", captured_at: Any = None) -> Attachment:
    """Store one evidence file (sniffed, size-limited, hashed, thumbnailed) for a hazard, of the
    kind the uploader chose where the state leaves a choice (see `kinds_allowed`)."""
    with transaction.atomic():
        hazard = visible(actor, Hazard.objects.select_for_update(of=("self",))).filter(pk=hazard_id).first()
        if hazard is None:
            raise NotFound()  # before anything else: an outsider learns nothing, not even "file missing"
        if upload is None:
            raise ValidationFailed(_("请选择要上传的文件"), fields={"file": _("请选择文件")})
        if hazard.status in (Status.CLOSED, Status.VERIFIED, Status.RECURRED, Status.WITHDRAWN):
            raise Conflict(_("已销号或已撤销的隐患不能再上传附件"), code="wrong_state")
        inp = Inputs({"kind": kind, CAPTURED_AT.name: captured_at})
        chosen = _evidence_kind(hazard, inp)
        captured = inp.read(CAPTURED_AT)
        inp.check()
        evidence_checked(upload, "file")
        return evidence_attach(hazard=hazard, actor=actor, upload=upload, kind=chosen, captured=captured)


def kinds_allowed(hazard: Hazard) -> tuple[str, ...]:
    """Before 开始整改 a file can only show the hazard; from then on the uploader says which it is
    (the first kind is the one a file gets when nobody says)."""
    if hazard.status in (Status.REPORTED, Status.CONFIRMED, Status.ASSIGNED):
        return (EvidenceKind.HAZARD,)
    return (EvidenceKind.RECTIFICATION, EvidenceKind.HAZARD)


def _evidence_kind(hazard: Hazard, inp: Inputs) -> str:
    allowed = kinds_allowed(hazard)
    chosen = inp.read(EVIDENCE_KIND) or allowed[0]
    inp.check()
    if chosen not in allowed:
        message = _("开始整改前只能上传隐患照片；整改照片及证明请在开始整改后上传")
        raise ValidationFailed(message, fields={EVIDENCE_KIND.name: message})
    return chosen


def evidence_attach(*, hazard: Hazard, actor: User, upload: File, kind: str, captured: Any = None) -> Attachment:
    """Store one evidence file of `hazard` (locked, or new in this transaction) within its quota,
    with the time it was taken: its EXIF, else `captured` (the phone's clock), else now."""
    _check_quota(hazard, upload)
    now = timezone.now()
    taken, source = exif_taken_at(upload), CapturedBy.EXIF
    if taken is None:
        taken, source = (captured, CapturedBy.PHONE) if captured else (now, CapturedBy.SERVER)
    stored = evidence_store(upload=upload, folder=f"hazards/{hazard.code}")
    return Attachment.objects.create(
        hazard=hazard,
        **stored.file_fields(),
        uploaded_by=actor,
        kind=kind,
        captured_at=min(taken, now),
        captured_by=source,
    )


def _check_quota(hazard: Hazard, upload: File) -> None:
    """At most SAFELOOP_HAZARD_ATTACHMENTS files and SAFELOOP_HAZARD_ATTACHMENT_BYTES bytes per
    hazard, so no account can fill the server's disk through one hazard (413)."""
    used = hazard.attachments.aggregate(files=Count("id"), size=Sum("size"))
    max_files, max_bytes = settings.SAFELOOP_HAZARD_ATTACHMENTS, settings.SAFELOOP_HAZARD_ATTACHMENT_BYTES
    if used["files"] + 1 > max_files:
        reason = _("该隐患的附件已达上限（%(n)s 个），不能再上传") % {"n": max_files}
    elif (used["size"] or 0) + (upload.size or 0) > max_bytes:
        reason = _("该隐患的附件总大小将超过上限（%(mb)s MB），不能再上传") % {"mb": f"{max_bytes / 1024 / 1024:g}"}
    else:
        return
    raise TooLarge(reason, fields={"file": reason}, code="attachment_quota")


def evidence_uploads(inp: Inputs, spec: FieldSpec) -> list[File]:
    """The files of a photo field, each checked (size, type) before anything is stored: one bad
    file refuses them all (413/415), its message beside the field, with the form's other messages."""
    raw = inp.data.get(spec.name) or []
    uploads = [raw] if isinstance(raw, File) else [upload for upload in raw if upload]
    if spec.required and not uploads:
        inp.error(spec.name, _("请拍摄或选择%(label)s") % {"label": spec.label})
    for upload in uploads:
        evidence_checked(upload, spec.name, others=inp.errors)
    return uploads


def evidence_checked(upload: File, field: str, *, others: dict[str, str] | None = None) -> None:
    """`evidence_check`, refused in the words of the person who chose the file (its name, the
    types accepted; never a file-type code)."""
    try:
        evidence_check(upload=upload)
    except ServiceError as exc:
        reason = _refusal(exc, upload)
        raise type(exc)(reason, fields={**(others or {}), field: reason}) from exc


def _refusal(exc: ServiceError, upload: File) -> str:
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:60]
    if isinstance(exc, TooLarge):
        return _("“%(name)s”太大：%(limit)s") % {"name": name, "limit": exc.fields.get("file", exc.message)}
    return _("“%(name)s”不是可接受的照片或文件：请上传 JPEG、PNG、WebP、HEIC 照片或 PDF 文件") % {"name": name}


# ---------------------------------------------------------------- listings (挂牌督办), opened and closed by the table's rows


def listing_open(*, hazard: Hazard, values: dict[str, Any], seq: int) -> Listing:
    """Inside the `list` act, after its event (`seq`)."""
    return Listing.objects.create(hazard=hazard, listed_seq=seq, **values)


def listing_close(*, listing_id: int, on: date, reason: str, publish_by: date, seq: int) -> None:
    """摘牌: inside the `delist`, `close` or `withdraw` act, after its event (`seq`)."""
    Listing.objects.filter(pk=listing_id, delisted_on__isnull=True).update(
        delisted_on=on, delist_reason=reason, delist_publish_by=publish_by, delisted_seq=seq
    )
