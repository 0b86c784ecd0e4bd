"""Writes: accidents and their casualty reports, denominators, disasters, responses."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accidents.fields import ACCIDENT_EDIT_FIELDS, CASUALTY_FIELDS, FIGURES
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
    check_response_clock,
    clean_accident,
    clean_denominator,
    clean_disaster,
    clean_response,
)
from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.changes import changed
from safeloop.core.errors import Conflict, Forbidden, NotFound
from safeloop.core.scope import region_in_scope
from safeloop.core.services import locked_row, locked_update, model_update, shown
from safeloop.registry.models import Enterprise, Region

CASUALTIES = ("deaths", "missing", "serious_injuries", "injuries")


def check_writer(actor: User) -> None:
    if not can_write_records(actor):
        raise Forbidden(_("您的角色不能登记或修改事故、灾害和统计数据"))


def accident_create(*, actor: User, data: dict[str, Any]) -> Accident:
    check_writer(actor)
    values = clean_accident(actor, data)
    values["category_id"] = supervision_category(values.get("enterprise"), values["sector"])
    with transaction.atomic():
        accident = Accident.objects.create(**values)
        changed(accident, created=True)
        _report(accident, actor=actor, kind=ReportKind.INITIAL, note=_("快报"))
        audit_record(actor=actor, action="accident.create", target=accident, changes=_display(values))
    return accident


def accident_update(*, actor: User, accident: Accident, data: dict[str, Any], version: int | None = None) -> Accident:
    """Change any of the fields; changed figures are recorded as a 续报 (see accident_report)."""
    check_writer(actor)
    return _accident_save(
        actor, accident, clean_accident(actor, data, partial=True, specs=ACCIDENT_EDIT_FIELDS), version
    )


def accident_report(
    *, actor: User, accident: Accident, figures: dict[str, Any], note: str = "", version: int | None = None
) -> Accident:
    """续报: the figures as they are now; a figure sent blank is refused, one not sent stays."""
    check_writer(actor)
    values = clean_accident(actor, {**figures, "note": note}, partial=True, specs=CASUALTY_FIELDS)
    return _accident_save(actor, accident, values, version)


def _accident_save(actor: User, accident: Accident, values: dict[str, Any], version: int | None) -> Accident:
    note = values.pop("note", "")
    with transaction.atomic():
        current = locked_row(model=Accident, pk=accident.pk, version=version, user=actor)
        before = {name: getattr(current, name) for name in CASUALTIES}
        enterprise, sector = values.get("enterprise", current.enterprise), values.get("sector", current.sector)
        values["category_id"] = supervision_category(enterprise, sector)
        check = partial(_check_re_report_window, before=before)
        changes = model_update(instance=current, data=values, actor=actor, action="accident.update", check=check)
        if any(name in changes for name in FIGURES):
            _report(current, actor=actor, kind=ReportKind.UPDATE, note=note)
    return current


def supervision_category(enterprise: Enterprise | None, sector: str) -> str | None:
    """Which departments see the accident: its enterprise's category, else its sector's (sectors.csv)."""
    return enterprise.category_id if enterprise is not None else (sectors()[sector].category or None)


def re_report_deadline(accident: Accident) -> datetime:
    """国务院令第493号 第十三条: casualty changes are re-reported within 30 days (7 for road and fire)."""
    return accident.occurred_at + timedelta(days=sectors()[accident.sector].re_report_days)


def _check_re_report_window(accident: Accident, *, before: dict[str, int]) -> None:
    """Casualties change no more once the re-report window has closed."""
    changed = any(getattr(accident, name) != count for name, count in before.items())
    if changed and timezone.now() > re_report_deadline(accident):
        days = sectors()[accident.sector].re_report_days
        message = _("已超过事故发生后{days}日的伤亡续报期限，伤亡人数不再变更").format(days=days)
        raise Conflict(message, code="re_report_window_closed", fields={"deaths": message})


def _report(accident: Accident, *, actor: User, kind: str, note: str) -> AccidentReport:
    return AccidentReport.objects.create(
        accident=accident,
        kind=kind,
        reported_at=timezone.now(),
        actor=actor if actor.pk else None,
        deaths=accident.deaths,
        missing=accident.missing,
        serious_injuries=accident.serious_injuries,
        injuries=accident.injuries,
        direct_loss=accident.direct_loss,
        grade=accident.grade,
        note=note[:500],
    )


def _display(values: dict[str, Any]) -> dict[str, str]:
    return {name: shown(value) for name, value in values.items()}


def denominator_set(*, actor: User, region: Region, year: int, data: dict[str, Any]) -> Denominator:
    """Create or replace the figures of a region and year (PUT semantics for the given fields)."""
    check_writer(actor)
    if not region_in_scope(actor, region.code):
        raise NotFound()
    values = clean_denominator(actor, {**data, "region": region, "year": year})
    with transaction.atomic():
        return _denominator_save(actor, values)


def denominators_import(*, actor: User, rows: list[dict[str, Any]]) -> int:
    """Save the rows an import has validated with `clean_denominator`, all or none."""
    check_writer(actor)
    with transaction.atomic():
        for values in rows:
            _denominator_save(actor, values)
    return len(rows)


def _denominator_save(actor: User, values: dict[str, Any]) -> Denominator:
    row, _created = Denominator.objects.select_for_update().get_or_create(
        region=values.pop("region"), year=values.pop("year")
    )
    model_update(instance=row, data=values, actor=actor, action="denominator.set")
    return row


def disaster_create(*, actor: User, data: dict[str, Any]) -> Disaster:
    check_writer(actor)
    values = clean_disaster(actor, data)
    with transaction.atomic():
        disaster = Disaster.objects.create(**values)
        audit_record(actor=actor, action="disaster.create", target=disaster, changes=_display(values))
    return disaster


def disaster_update(*, actor: User, disaster: Disaster, data: dict[str, Any], version: int | None = None) -> Disaster:
    check_writer(actor)
    values = clean_disaster(actor, data, partial=True)
    return locked_update(record=disaster, data=values, actor=actor, version=version, action="disaster.update")


def response_create(*, actor: User, data: dict[str, Any]) -> EmergencyResponse:
    check_writer(actor)
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
    check_writer(actor)
    values = clean_response(actor, data, partial=True)
    return locked_update(
        record=response, data=values, actor=actor, version=version, action="response.update", check=check_response_clock
    )
