"""Writes of 打非治违: recording a clue (with its unlicensed subject and photos), the clue and
case actions (workflow.py), matching a subject to a registered enterprise, joint operations.

Other apps create clues through `clue_record` (inspections and reporting sit above this app)."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append
from safeloop.core.changes import changed_each
from safeloop.core.errors import Forbidden, ValidationFailed
from safeloop.core.evidence import evidence_store
from safeloop.core.inputs import Inputs
from safeloop.core.roles import REGULATOR_ROLES, Role
from safeloop.core.scope import region_in_scope, visible
from safeloop.enforcement.fields import CLUE, OPERATION
from safeloop.enforcement.models import Case, Clue, ClueEvent, ClueKind, CluePhoto, Operation, Source, Subject
from safeloop.hazards.numbers import next_number
from safeloop.hazards.services import evidence_uploads
from safeloop.registry.models import Department, Enterprise, Region, RegionLevel
from safeloop.registry.selectors import enterprise_queryset

PHOTOS = CLUE["description"].but(name="photos", label=_("现场照片"), required=False)


def county_of(region_code: str) -> str:
    return region_code[:6]


def supervising_department(kind: ClueKind, region_code: str) -> Department | None:
    """The department of the clue type's kind in the clue's county (else in its city)."""
    for code in (county_of(region_code), f"{region_code[:4]}00"):
        found = Department.objects.filter(kind=kind.department_kind, region_id=code).first()
        if found is not None:
            return found
    return None


def _require_recorder(actor: Any) -> None:
    if actor.role not in REGULATOR_ROLES:
        raise Forbidden(_("打非治违线索由乡镇、部门和应急管理部门登记"))


def _township(inp: Inputs, actor: Any) -> Region | None:
    code = inp.read(CLUE["region"])
    if code is None and actor.role == Role.TOWNSHIP:
        code = actor.region_id
    if code is None:
        return None
    region = Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()
    if region is None or not region_in_scope(actor, region.code):
        inp.error("region", _("乡镇街道不存在或不在您的管辖范围内"))
        return None
    return region


def _kind(inp: Inputs) -> ClueKind | None:
    code = inp.read(CLUE["kind"].but(choices=tuple(ClueKind.objects.values_list("code", "name"))))
    return ClueKind.objects.filter(code=code).first() if code else None


def clue_record(*, actor: Any, data: dict[str, Any], origin: str = "", enterprise: Enterprise | None = None) -> Clue:
    """Record a clue from any source: an unlicensed subject (name, address, coordinates, photos)
    or a registered enterprise; routed to the supervising department of its type."""
    _require_recorder(actor)
    inp = Inputs(data)
    kind = _kind(inp)
    region = _township(inp, actor)
    values = inp.read_values([CLUE[n] for n in ("source", "address", "description", "lat", "lng")])
    name, operator = inp.read(CLUE["name"]), inp.read(CLUE["operator"])
    phone, credit_code = inp.read(CLUE["phone"]), inp.read(CLUE["credit_code"])
    if enterprise is None and data.get("enterprise") not in (None, ""):
        enterprise = inp.record(CLUE["enterprise"], enterprise_queryset(actor))
    operation = (
        inp.record(CLUE["operation"], visible(actor, Operation.objects.all())) if data.get("operation") else None
    )
    if enterprise is None and not name and "enterprise" not in inp.errors:
        inp.error("name", _("请填写经营主体名称，或选择已登记企业"))
    if (values.get("lat") is None) != (values.get("lng") is None):
        inp.error("lat" if values.get("lat") is None else "lng", _("经纬度须同时提供"))
    uploads = evidence_uploads(inp, PHOTOS)
    inp.check()
    assert kind is not None and region is not None
    with transaction.atomic():
        subject = None
        if enterprise is None:
            subject = Subject.objects.create(
                name=name,
                address=values["address"],
                region=region,
                lat=values.get("lat"),
                lng=values.get("lng"),
                operator=operator,
                phone=phone,
                credit_code=credit_code.upper(),
                created_by=actor,
            )
        clue = Clue.objects.create(
            code=_clue_code(region.code),
            kind=kind,
            subject=subject,
            enterprise=enterprise,
            region=region,
            category=enterprise.category if enterprise else None,
            department=supervising_department(kind, region.code),
            operation=operation,
            origin=origin[:60],
            created_by=actor,
            **values,
        )
        hashes = [_photo(clue, actor, upload) for upload in uploads]
        chain_append(
            events=ClueEvent,
            owner=clue,
            action="create",
            actor=actor,
            at=timezone.now(),
            from_status="",
            payload={"kind": kind.code, "source": clue.source, "department": clue.department_id, "origin": origin},
            attachments=hashes,
        )
    return clue


def _photo(clue: Clue, actor: Any, upload: File) -> str:
    stored = evidence_store(upload=upload, folder=f"enforcement/{clue.code}")
    CluePhoto.objects.create(clue=clue, uploaded_by=actor, **stored.file_fields())
    return stored.sha256


def _clue_code(region_code: str) -> str:
    year = timezone.localdate().year
    county = county_of(region_code)
    return f"XS-{county}-{year}-{next_number(f'DFXS-{county}', year):05d}"


def case_code(region_code: str) -> str:
    year = timezone.localdate().year
    county = county_of(region_code)
    return f"AJ-{county}-{year}-{next_number(f'DFAJ-{county}', year):05d}"


# Document numbers per enforcement body and year (the hazards app's NumberSequence, one key per
# body and kind of document). The abbreviations 打非立 / 打非责停 / 打非结 are this platform's.
DOCUMENT_ABBREVIATIONS = {"filing": "打非立", "order": "打非责停", "closing": "打非结"}


def document_number(body: Department, document: str, year: int) -> str:
    n = next_number(f"DF-{document}-{body.pk}", year)
    return f"{body.name}{DOCUMENT_ABBREVIATIONS[document]}〔{year}〕{n}号"


# ---------------------------------------------------------------- other apps' entry points


def clue_from_source(
    *,
    actor: Any,
    kind: str,
    source: str,
    description: str,
    address: str,
    region: str,
    origin: str,
    enterprise: Enterprise | None = None,
    name: str = "",
) -> Clue:
    """A clue created by another app (an inspection's finding of illegal activity, a public
    report referred as illegal): the same checks and routing as one recorded on the page."""
    data = {"kind": kind, "source": source, "description": description, "address": address, "region": region}
    if name:
        data["name"] = name
    return clue_record(actor=actor, data=data, origin=origin, enterprise=enterprise)


SOURCES = {str(v) for v in Source.values}


# ---------------------------------------------------------------- matching


def subject_match(*, actor: Any, subject: Subject, enterprise: Enterprise) -> Subject:
    """Link an unlicensed subject to the enterprise it registered as: its clues and cases get the
    enterprise, so both histories show each other."""
    if actor.role not in (Role.CITY, Role.COUNTY, Role.TOWNSHIP, Role.DEPARTMENT, Role.SYSADMIN):
        raise Forbidden(_("由监管部门关联"))
    if not enterprise_queryset(actor).filter(pk=enterprise.pk).exists():
        raise ValidationFailed(
            _("企业不存在或不在您的管辖范围内"), fields={"enterprise": _("企业不存在或不在您的管辖范围内")}
        )
    if subject.enterprise_id not in (None, enterprise.pk):
        message = _("该经营主体已关联其他企业")
        raise ValidationFailed(message, fields={"enterprise": message})
    with transaction.atomic():
        before = subject.enterprise_id
        subject.enterprise, subject.matched_at = enterprise, timezone.now()
        subject.save(update_fields=["enterprise", "matched_at"])
        Clue.objects.filter(subject=subject).update(enterprise=enterprise, category=enterprise.category)
        Case.objects.filter(subject=subject).update(enterprise=enterprise, category=enterprise.category)
        changed_each(list(Clue.objects.filter(subject=subject)))  # the change feed (core.changes)
        changed_each(list(Case.objects.filter(subject=subject)))
        audit_record(
            actor=actor,
            action="enforcement.subject_match",
            target=subject,
            changes={"enterprise": [before, enterprise.pk]},
        )
    return subject


# ---------------------------------------------------------------- operations


def operation_create(*, actor: Any, data: dict[str, Any]) -> Operation:
    if actor.role not in (Role.CITY, Role.COUNTY, Role.SYSADMIN):
        raise Forbidden(_("联合执法行动由市、县两级组织"))
    inp = Inputs(data)
    values = inp.read_values([OPERATION[n] for n in ("name", "kind", "starts_on", "ends_on", "results")])
    code = inp.read(OPERATION["region"])
    region = Region.objects.filter(code=code).first() if code else None
    if code and (region is None or not region_in_scope(actor, code)):
        inp.error("region", _("行动区域不存在或不在您的管辖范围内"))
    ids = inp.read(OPERATION["departments"]) or []
    departments = list(Department.objects.filter(pk__in=ids))
    if ids and len(departments) != len(set(ids)):
        inp.error("departments", _("参与部门不存在"))
    if values.get("starts_on") and values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        inp.error("ends_on", _("结束日期不能早于开始日期"))
    if region is None and "region" not in inp.errors:
        inp.error("region", _("行动区域为必填项"))
    inp.check()
    assert region is not None
    with transaction.atomic():
        operation = Operation.objects.create(region=region, created_by=actor, **values)
        operation.departments.set(departments)
        audit_record(
            actor=actor,
            action="enforcement.operation_create",
            target=operation,
            changes={"name": [None, operation.name]},
        )
    return operation


def operation_attach(*, actor: Any, operation: Operation, clue: Clue) -> None:
    """A clue (and its cases) handled within an operation."""
    if actor.role not in (Role.CITY, Role.COUNTY, Role.SYSADMIN):
        raise Forbidden(_("联合执法行动由市、县两级组织"))
    with transaction.atomic():
        Clue.objects.filter(pk=clue.pk).update(operation=operation)
        Case.objects.filter(clue=clue).update(operation=operation)
        changed_each(list(Clue.objects.filter(pk=clue.pk)))  # the change feed (core.changes)
        changed_each(list(Case.objects.filter(clue=clue)))
