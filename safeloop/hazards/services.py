"""Writes outside the workflow table: reporting a hazard (its first event), evidence uploads,
and the new hazard a failed look-back opens. Status changes live in workflow.apply_action."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import Role, User
from safeloop.core.errors import Conflict, NotFound, ValidationFailed
from safeloop.core.evidence import evidence_store
from safeloop.core.fields import FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.core.scope import visible
from safeloop.hazards.events import event_append
from safeloop.hazards.fields import REPORT, REPORT_FIELDS
from safeloop.hazards.models import Attachment, Hazard, Level, Source, Status
from safeloop.hazards.numbers import hazard_code
from safeloop.registry.models import Enterprise

SOURCES_BY_ROLE = {
    Role.ENTERPRISE: {Source.SELF_CHECK, Source.INTERNAL_REPORT},
    Role.EXPERT: {Source.EXPERT},
}
REGULATOR_SOURCES = {Source.REGULATOR, Source.TOWNSHIP_PATROL, Source.PUBLIC_REPORT, Source.DRAGNET, Source.EXPERT}
MAJOR_NEEDS_CLAUSE = gettext_lazy("重大隐患必须注明判定依据（标准条款）")


def allowed_sources(actor: User) -> set[str]:
    if actor.is_regulator:
        return REGULATOR_SOURCES
    return SOURCES_BY_ROLE.get(actor.role, set())


def hazard_report(*, actor: User, data: dict[str, Any]) -> Hazard:
    """排查: record a found hazard as `reported`, with its first event."""
    inp = Inputs(data)
    values = _report_values(actor, inp)
    with transaction.atomic():
        enterprise = values.pop("enterprise")
        now = timezone.now()
        hazard = Hazard(
            enterprise=enterprise,
            found_by=actor,
            status=Status.REPORTED,
            code=hazard_code(enterprise.region_id[:6], values["found_on"].year),
            **values,
        )
        hazard.save()
        event_append(
            hazard=hazard, action="report", actor=actor, at=now, from_status="", payload=_report_payload(hazard)
        )
    return hazard


def report_fields(actor: User) -> tuple[FieldSpec, ...]:
    """What a report gives: an enterprise's own account reports for its enterprise."""
    if actor.role == Role.ENTERPRISE:
        return tuple(spec for spec in REPORT_FIELDS if spec.name != "enterprise")
    return REPORT_FIELDS


def _report_values(actor: User, inp: Inputs) -> dict[str, Any]:
    values = inp.read_values(report_fields(actor))
    values["enterprise"] = _enterprise(actor, inp)
    if values.get("source") and values["source"] not in allowed_sources(actor):
        inp.error("source", _("您的角色不能以该来源上报隐患"))
    if values.get("level") == Level.MAJOR and not values["clause"]:
        inp.error("clause", str(MAJOR_NEEDS_CLAUSE))
    inp.check()
    values["finder_name"] = values["finder_name"] or str(actor)
    values.setdefault("found_on", timezone.localdate())
    return values


def _enterprise(actor: User, inp: Inputs) -> Enterprise | None:
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
        "clause": hazard.clause,
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
    event_append(
        hazard=hazard,
        action="report",
        actor=actor,
        at=now,
        from_status="",
        payload={**_report_payload(hazard), "recurrence_of": original.code},
    )
    return hazard


def attachment_add(*, actor: User, hazard_id: int, upload: File) -> Attachment:
    """Store one evidence file (sniffed, size-limited, hashed, thumbnailed) for a hazard."""
    with transaction.atomic():
        hazard = visible(actor, Hazard.objects.select_for_update(of=("self",))).filter(pk=hazard_id).first()
        if hazard is None:
            raise NotFound()  # before anything else: an outsider learns nothing, not even "file missing"
        if upload is None:
            raise ValidationFailed("请选择要上传的文件", fields={"file": "请选择文件"})
        if hazard.status in (Status.CLOSED, Status.VERIFIED, Status.RECURRED, Status.WITHDRAWN):
            raise Conflict("已销号或已撤销的隐患不能再上传附件", code="wrong_state")
        stored = evidence_store(upload=upload, folder=f"hazards/{hazard.code}")
        return Attachment.objects.create(
            hazard=hazard,
            file=stored.name,
            thumbnail=stored.thumbnail_name or "",
            original_name=stored.original_name,
            sha256=stored.sha256,
            content_type=stored.content_type,
            size=stored.size,
            uploaded_by=actor,
        )
