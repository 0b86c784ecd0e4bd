"""Writes: accidents and their casualty reports, denominators, disasters, responses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeloop.accidents.grading import grade_of
from safeloop.accidents.models import (
    Accident,
    AccidentReport,
    Denominator,
    Disaster,
    EmergencyResponse,
    ReportKind,
)
from safeloop.accidents.permissions import can_write_records
from safeloop.accidents.reference import sectors
from safeloop.accidents.validation import (
    FIGURES,
    check_response_clock,
    clean_accident,
    clean_denominator,
    clean_disaster,
    clean_response,
)
from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.scope import region_in_scope, visible
from safeloop.registry.models import Enterprise, Region

CASUALTIES = ("deaths", "missing", "serious_injuries", "injuries")


def _check_writer(actor: User) -> None:
    if not can_write_records(actor):
        raise Forbidden("您的角色不能登记或修改事故、灾害和统计数据")


def accident_create(*, actor: User, data: dict[str, Any]) -> Accident:
    _check_writer(actor)
    values = clean_accident(actor, data)
    if "enterprise" in values and "region" not in values:
        values["region"] = values["enterprise"].region
    values["category_id"] = supervision_category(values.get("enterprise"), values["sector"])
    with transaction.atomic():
        accident = Accident.objects.create(**values)
        _report(accident, actor=actor, kind=ReportKind.INITIAL, note="快报")
        audit_record(actor=actor, action="accident.create", target=accident, changes=_display(values))
    return accident


def accident_update(*, actor: User, accident: Accident, data: dict[str, Any], version: int | None = None) -> Accident:
    """Change the description fields; changed figures are recorded as a 续报 (see accident_report)."""
    _check_writer(actor)
    values = clean_accident(actor, data, partial=True)
    with transaction.atomic():
        current = _locked(actor, accident.pk, version)
        figures = {name: values.pop(name) for name in FIGURES if name in values}
        changes = _apply(current, values)
        changes.update(_apply(current, {"category_id": supervision_category(current.enterprise, current.sector)}))
        if figures:
            changes.update(_apply_figures(current, figures, actor=actor, note=str(data.get("note") or "")))
        if changes:
            current.version += 1
            current.save()
            audit_record(actor=actor, action="accident.update", target=current, changes=changes)
    return current


def supervision_category(enterprise: Enterprise | None, sector: str) -> str | None:
    """Which departments see the accident: its enterprise's category, else its sector's (sectors.csv)."""
    return enterprise.category_id if enterprise is not None else (sectors()[sector].category or None)


def accident_report(
    *, actor: User, accident: Accident, figures: dict[str, Any], note: str = "", version: int | None = None
) -> Accident:
    return accident_update(actor=actor, accident=accident, data={**figures, "note": note}, version=version)


def _locked(actor: User, pk: int, version: int | None) -> Accident:
    return _locked_row(actor, Accident, pk, version, "该事故信息已被他人修改，请刷新后重试")


def re_report_deadline(accident: Accident) -> datetime:
    """国务院令第493号 第十三条: casualty changes are re-reported within 30 days (7 for road and fire)."""
    return accident.occurred_at + timedelta(days=sectors()[accident.sector].re_report_days)


def _apply_figures(accident: Accident, figures: dict[str, Any], *, actor: User, note: str) -> dict[str, list[str]]:
    changes = _apply(accident, figures)
    if not changes:
        return {}
    now = timezone.now()
    casualty_changed = any(name in changes for name in CASUALTIES)
    if casualty_changed and now > re_report_deadline(accident):
        days = sectors()[accident.sector].re_report_days
        raise Conflict(
            f"已超过事故发生后{days}日的伤亡续报期限，伤亡人数不再变更",
            code="re_report_window_closed",
            fields={"deaths": f"续报期限为事故发生后{days}日"},
        )
    _report(accident, actor=actor, kind=ReportKind.UPDATE, note=note, at=now)
    return changes


def _report(accident: Accident, *, actor: User, kind: str, note: str, at: datetime | None = None) -> AccidentReport:
    return AccidentReport.objects.create(
        accident=accident,
        kind=kind,
        reported_at=at or timezone.now(),
        actor=actor if actor.pk else None,
        deaths=accident.deaths,
        missing=accident.missing,
        serious_injuries=accident.serious_injuries,
        injuries=accident.injuries,
        direct_loss=accident.direct_loss,
        grade=grade_of(
            deaths=accident.deaths,
            missing=accident.missing,
            serious_injuries=accident.serious_injuries,
            direct_loss=accident.direct_loss,
        ),
        note=note[:500],
    )


def _apply(obj, values: dict[str, Any]) -> dict[str, list[str]]:
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [_text(old), _text(value)]
            setattr(obj, name, value)
    return changes


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _display(values: dict[str, Any]) -> dict[str, str]:
    return {name: _text(value) for name, value in values.items()}


def denominator_set(*, actor: User, region: Region, year: int, data: dict[str, Any]) -> Denominator:
    """Create or replace the figures of a region and year (PUT semantics for the given fields)."""
    _check_writer(actor)
    if not region_in_scope(actor, region.code):
        raise NotFound()
    if not 1949 <= year <= 2100:
        raise ValidationFailed.from_fields({"year": "年份应在1949至2100之间"})
    values = clean_denominator(data)
    with transaction.atomic():
        row, created = Denominator.objects.select_for_update().get_or_create(region=region, year=year)
        changes = _apply(row, values)
        if changes or created:
            row.save()
            audit_record(actor=actor, action="denominator.set", target=row, changes=changes)
    return row


def disaster_create(*, actor: User, data: dict[str, Any]) -> Disaster:
    _check_writer(actor)
    values = clean_disaster(actor, data)
    with transaction.atomic():
        disaster = Disaster.objects.create(**values)
        audit_record(actor=actor, action="disaster.create", target=disaster, changes=_display(values))
    return disaster


def disaster_update(*, actor: User, disaster: Disaster, data: dict[str, Any], version: int | None = None) -> Disaster:
    _check_writer(actor)
    values = clean_disaster(actor, data, partial=True)
    with transaction.atomic():
        current = _locked_row(actor, Disaster, disaster.pk, version, "该灾害信息已被他人修改，请刷新后重试")
        _save_changes(actor, current, values, "disaster.update")
    return current


def response_create(*, actor: User, data: dict[str, Any]) -> EmergencyResponse:
    _check_writer(actor)
    values = clean_response(actor, data)
    response = EmergencyResponse(**values)
    check_response_clock(response)
    with transaction.atomic():
        response.save()
        audit_record(actor=actor, action="response.create", target=response, changes=_display(values))
    return response


def response_update(
    *, actor: User, response: EmergencyResponse, data: dict[str, Any], version: int | None = None
) -> EmergencyResponse:
    _check_writer(actor)
    values = clean_response(actor, data, partial=True)
    with transaction.atomic():
        current = _locked_row(actor, EmergencyResponse, response.pk, version, "该应急响应已被他人修改，请刷新后重试")
        _save_changes(actor, current, values, "response.update", check=check_response_clock)
    return current


def _locked_row(actor: User, model, pk: int, version: int | None, message: str):
    current = visible(actor, model.objects.select_for_update()).filter(pk=pk).first()
    if current is None:
        raise NotFound()
    if version is not None and current.version != version:
        raise Conflict(message, code="stale_version")
    return current


def _save_changes(actor: User, row, values: dict[str, Any], action: str, check=None) -> None:
    """Apply, check the merged record, bump the version and audit; a failed check saves nothing."""
    changes = _apply(row, values)
    if check is not None:
        check(row)
    if changes:
        row.version += 1
        row.save()
        audit_record(actor=actor, action=action, target=row, changes=changes)
