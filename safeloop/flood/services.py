"""Writes of the flood records. Every write goes through here; an emergency response is also
recorded through the accidents service (`accidents.services.response_create/update`), whose
clock the targets' response-time indicators count: the times are those of this app's records
(the response's start, the evacuations and the relief deliveries), never typed in twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accidents.services import response_create, response_update
from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append, ledger_advance
from safeloop.core.changes import changed
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.evidence import evidence_store
from safeloop.core.fields import CAPTURED_AT, FieldSpec
from safeloop.core.geo import distance_m
from safeloop.core.inputs import Inputs
from safeloop.core.scope import region_in_scope, visible
from safeloop.core.services import locked_row, model_update, shown
from safeloop.flood.fields import (
    ALERT_FIELDS,
    DEPOT_FIELDS,
    DROUGHT_FIELDS,
    END_FIELDS,
    EVACUATION_FIELDS,
    LOG_FIELDS,
    PATROL,
    PATROL_FIELDS,
    RELIEF_FIELDS,
    RISK_POINT_FIELDS,
    SHIFT_FIELDS,
    STOCK_FIELDS,
    TEAM_FIELDS,
    TIMES_FIELDS,
    ZERO_FIELDS,
)
from safeloop.flood.models import (
    Alert,
    AlertEvent,
    AlertKind,
    AlertStatus,
    Danger,
    DangerEvent,
    Depot,
    DroughtReport,
    DutyLog,
    DutyShift,
    Evacuation,
    Finding,
    Patrol,
    PatrolPhoto,
    Relief,
    RescueTeam,
    RiskPoint,
    Stock,
    ZeroReport,
)
from safeloop.flood.permissions import can_command, can_record
from safeloop.flood.reference import deadlines, levels
from safeloop.registry.models import Enterprise, Region, RegionLevel

AREA_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def check_recorder(actor: Any) -> None:
    if not can_record(actor):
        raise Forbidden(_("您的角色不能登记防汛抗旱信息"))


def check_commander(actor: Any) -> None:
    if not can_command(actor):
        raise Forbidden(_("预警、应急响应和险情处置由县（市、区）或市级账号办理"))


def _region(actor: Any, inp: Inputs, spec: FieldSpec, levels_: tuple[str, ...], unknown: str) -> Region | None:
    code = inp.read(spec)
    if not code:
        return None
    region = Region.objects.filter(code=code, level__in=levels_).first()
    if region is None:
        inp.error(spec.name, unknown)
    elif not region_in_scope(actor, region.code):
        inp.error(spec.name, _("{label}不在您的管辖范围内").format(label=spec.label))
        return None
    return region


def _township(actor: Any, inp: Inputs, spec: FieldSpec) -> Region | None:
    unknown = _("{label}应为乡镇（街道）区划代码").format(label=spec.label)
    return _region(actor, inp, spec, (RegionLevel.TOWNSHIP,), unknown)


def _unit(actor: Any, inp: Inputs, spec: FieldSpec) -> Region | None:
    unknown = _("{label}应为市、县（市、区）或乡镇（街道）区划代码").format(label=spec.label)
    return _region(actor, inp, spec, AREA_LEVELS, unknown)


def _read(actor: Any, data: dict[str, Any], specs, *, partial: bool = False, region: str = "township"):
    inp = Inputs(data)
    values = inp.read_values(specs, partial=partial)
    spec = next((s for s in specs if s.name == "region"), None)
    if spec is not None and (not partial or "region" in data):
        values["region"] = (_township if region == "township" else _unit)(actor, inp, spec)
    return inp, values


def _display(values: dict[str, Any]) -> dict[str, str]:
    return {name: shown(value) for name, value in values.items()}


# ---------------------------------------------------------------- risk points


def clean_risk_point(actor: Any, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """A risk point in a township of the actor's, with its three responsible persons named
    (行政、技术、巡查责任人, each with a phone): a point nobody answers for is refused."""
    inp, values = _read(actor, data, RISK_POINT_FIELDS, partial=partial)
    inp.check()
    return values


def risk_point_create(*, actor: Any, data: dict[str, Any]) -> RiskPoint:
    check_recorder(actor)
    values = clean_risk_point(actor, data)
    with transaction.atomic():
        if RiskPoint.objects.filter(region=values["region"], name=values["name"]).exists():
            message = _("本乡镇已有同名风险点")
            raise Conflict(message, code="duplicate", fields={"name": message})
        point = RiskPoint.objects.create(**values)
        audit_record(actor=actor, action="flood.point.create", target=point, changes=_display(values))
    return point


def risk_point_update(*, actor: Any, point: RiskPoint, data: dict[str, Any], version: int | None = None) -> RiskPoint:
    check_recorder(actor)
    values = clean_risk_point(actor, data, partial=True)
    with transaction.atomic():
        current = locked_row(model=RiskPoint, pk=point.pk, version=version, user=actor)
        model_update(instance=current, data=values, actor=actor, action="flood.point.update")
    return current


def risk_points_import(*, actor: Any, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Save the validated rows, all or none: a point of the same township and name is updated."""
    check_recorder(actor)
    created = updated = 0
    with transaction.atomic():
        for values in rows:
            current = RiskPoint.objects.select_for_update().filter(region=values["region"], name=values["name"]).first()
            if current is None:
                RiskPoint.objects.create(**values)
                created += 1
            else:
                model_update(instance=current, data=values, actor=actor, action="flood.point.import")
                updated += 1
    return created, updated


# ---------------------------------------------------------------- patrols and 险情


def township_centre(region_id: str) -> tuple[float, float] | None:
    """The township's centre as the registry places it: the mean position of the enterprises
    registered in it, else of its risk points (the registry holds no boundary or centre of a
    township; docs/flood.md)."""
    for qs in (
        Enterprise.objects.filter(region_id=region_id, lat__isnull=False, lng__isnull=False),
        RiskPoint.objects.filter(region_id=region_id),
    ):
        centre = qs.aggregate(lat=Avg("lat"), lng=Avg("lng"))
        if centre["lat"] is not None and centre["lng"] is not None:
            return float(centre["lat"]), float(centre["lng"])
    return None


def patrol_record(*, actor: Any, data: dict[str, Any]) -> Patrol:
    """A patrol at a risk point; coordinates farther from its township's centre than
    SAFELOOP_FLOOD_PATROL_MAX_KM are refused. A finding other than 未发现异常 opens a 险情."""
    check_recorder(actor)
    inp = Inputs(data)
    values = inp.read_values([s for s in PATROL_FIELDS if s.name not in ("risk_point", "photos")])
    point = inp.record(PATROL["risk_point"], visible(actor, RiskPoint.objects.all()))
    photos = data.get("photos") or []
    photos = [photos] if not isinstance(photos, (list, tuple)) else [p for p in photos if p]
    captured = inp.read(CAPTURED_AT)
    lat, lng = values.get("lat"), values.get("lng")
    if (lat is None) != (lng is None):
        inp.error("lat" if lat is None else "lng", _("经纬度须同时提供"))
    if values.get("finding", Finding.NONE) != Finding.NONE and not values.get("description"):
        inp.error("description", _("发现险情时须填写情况描述"))
    distance = None
    if point is not None and lat is not None and lng is not None:
        centre = township_centre(point.region_id)
        if centre is not None:
            distance = distance_m(float(lat), float(lng), *centre)
            limit = settings.SAFELOOP_FLOOD_PATROL_MAX_KM
            if distance > limit * 1000:
                inp.error(
                    "lat",
                    _("巡查位置距{township}中心约{km:.1f}公里，超出{limit}公里，请在风险点现场定位后提交").format(
                        township=point.region.name, km=distance / 1000, limit=limit
                    ),
                )
    inp.check()
    assert point is not None
    if captured:  # recorded offline: patrolled when the phone says (capped at the arrival), docs/offline.md
        values["patrolled_at"] = min(captured, timezone.now())
    values.setdefault("patroller_names", getattr(actor, "display_name", "") or str(actor))
    with transaction.atomic():
        patrol = Patrol.objects.create(
            risk_point=point, region_id=point.region_id, patroller=actor, distance_m=distance, **values
        )
        changed(patrol, created=True)  # the change feed (core.changes)
        for upload in photos:
            stored = evidence_store(upload=upload, folder="flood/patrols")
            PatrolPhoto.objects.create(patrol=patrol, uploaded_by=actor, **stored.file_fields())
        if patrol.finding != Finding.NONE:
            _danger_open(actor, patrol)
        changes = _display(values) | ({"captured_at": captured.isoformat()} if captured else {})
        audit_record(actor=actor, action="flood.patrol", target=patrol, changes=changes)
    return patrol


def _danger_open(actor: Any, patrol: Patrol) -> Danger:
    now = timezone.now()
    number = ledger_advance(name="flood_danger")
    danger = Danger.objects.create(
        code=f"XQ{timezone.localdate(now):%Y}{number:05d}",
        risk_point=patrol.risk_point,
        region_id=patrol.region_id,
        patrol=patrol,
        finding=patrol.finding,
        description=patrol.description,
        found_at=patrol.patrolled_at,
        reported_at=now,
        handle_due=now + deadlines()["handle"],
    )
    late = now - patrol.patrolled_at > deadlines()["report"]
    chain_append(
        events=DangerEvent,
        owner=danger,
        action="report",
        actor=actor,
        at=now,
        from_status="",
        payload={"patrol": patrol.pk, "finding": patrol.finding, "late": late},
    )
    return danger


# ---------------------------------------------------------------- duty


def shift_set(*, actor: Any, data: dict[str, Any]) -> DutyShift:
    check_recorder(actor)
    inp, values = _read(actor, data, SHIFT_FIELDS, region="unit")
    inp.check()
    with transaction.atomic():
        shift, _created = DutyShift.objects.update_or_create(
            region=values.pop("region"), on_date=values.pop("on_date"), defaults=values
        )
        audit_record(actor=actor, action="flood.shift", target=shift, changes=_display(values))
    return shift


def duty_log_write(*, actor: Any, data: dict[str, Any]) -> DutyLog:
    check_recorder(actor)
    inp, values = _read(actor, data, LOG_FIELDS, region="unit")
    inp.check()
    return DutyLog.objects.create(author=actor, written_at=timezone.now(), **values)


def zero_report_submit(*, actor: Any, data: dict[str, Any]) -> ZeroReport:
    """A township's daily report (nil included); a township reports once a day (a second one is
    a conflict). A report that is not nil says what happened."""
    check_recorder(actor)
    data = dict(data)
    if not data.get("region") and getattr(actor, "region_id", None):
        data["region"] = actor.region_id
    inp, values = _read(actor, data, ZERO_FIELDS)
    values.setdefault("on_date", timezone.localdate())
    if values.get("nil") is False and not values.get("content"):
        inp.error("content", _("有险情或灾情时须填写报告内容"))
    inp.check()
    with transaction.atomic():
        if ZeroReport.objects.filter(region=values["region"], on_date=values["on_date"]).exists():
            message = _("{township}{day}已报告").format(township=values["region"].name, day=values["on_date"])
            raise Conflict(message, code="duplicate", fields={"on_date": message})
        return ZeroReport.objects.create(reported_by=actor, reported_at=timezone.now(), **values)


# ---------------------------------------------------------------- warnings and responses


def _check_clock(values: dict[str, Any], alert: Alert | None = None) -> None:
    """接报 ≤ 启动 ≤ 结束: a response ended before it started (or started before it was
    reported) is refused, naming the field."""
    get = (lambda name: values.get(name, getattr(alert, name, None))) if alert else values.get
    reported, started, ended = get("reported_at"), get("started_at"), get("ended_at")
    errors = {}
    if reported and started and started < reported:
        errors["started_at"] = _("启动时间不能早于接报时间")
    if started and ended and ended < started:
        errors["ended_at"] = _("结束时间不能早于启动时间")
    if errors:
        raise ValidationFailed.from_fields(errors)


def alert_start(*, actor: Any, data: dict[str, Any]) -> Alert:
    """Start a warning or a response with its document; a response is recorded through the
    accidents service too."""
    check_commander(actor)
    inp, values = _read(actor, data, ALERT_FIELDS, region="unit")
    kind, level = values.get("kind"), values.get("level")
    if kind and level and (kind, level) not in levels():
        inp.error("level", _("预警级别应为蓝、黄、橙、红，应急响应级别应为Ⅳ、Ⅲ、Ⅱ、Ⅰ级"))
    region = values.get("region")
    if region is not None and region.level == RegionLevel.TOWNSHIP:
        inp.error("region", _("预警和应急响应由市或县（市、区）发布"))
    if kind == AlertKind.RESPONSE and not values.get("reported_at"):
        inp.error("reported_at", _("应急响应须填写接报时间"))
    inp.check()
    _check_clock(values)
    with transaction.atomic():
        number = ledger_advance(name=f"flood_{kind}")
        prefix = "YJ" if kind == AlertKind.WARNING else "XY"
        alert = Alert(code=f"{prefix}{timezone.localdate(values['started_at']):%Y}{number:04d}", **values)
        alert.save()
        if kind == AlertKind.RESPONSE:
            alert.response = response_create(actor=actor, data=_response_data(alert))
            alert.save(update_fields=["response"])
        _event(actor, alert, "start", "", {"level": level, "document_no": alert.document_no})
    return alert


def _event(actor: Any, alert: Alert, action: str, from_status: str, payload: dict[str, Any]) -> None:
    chain_append(
        events=AlertEvent,
        owner=alert,
        action=action,
        actor=actor,
        at=timezone.now(),
        from_status=from_status,
        payload=payload,
    )


def _locked_alert(actor: Any, alert_id: int, version: int | None) -> Alert:
    return locked_row(model=Alert, pk=alert_id, version=version, user=actor)


def alert_end(*, actor: Any, alert_id: int, data: dict[str, Any], version: int | None = None) -> Alert:
    check_commander(actor)
    inp = Inputs(data)
    values = inp.read_values(END_FIELDS)
    inp.check()
    with transaction.atomic():
        alert = _locked_alert(actor, alert_id, version)
        if alert.status != AlertStatus.ACTIVE:
            raise Conflict(_("该预警或应急响应已结束"), code="wrong_state")
        _check_clock(values, alert)
        for name, value in values.items():
            setattr(alert, name, value)
        alert.status = AlertStatus.ENDED
        alert.version += 1
        alert.save()
        _event(actor, alert, "end", AlertStatus.ACTIVE, {"ended_at": shown(alert.ended_at)})
    return alert


def alert_times(*, actor: Any, alert_id: int, data: dict[str, Any], version: int | None = None) -> Alert:
    """Correct the report or start time of a warning or response (the response record follows)."""
    check_commander(actor)
    inp = Inputs(data)
    values = inp.read_values(TIMES_FIELDS, partial=True)
    inp.check()
    with transaction.atomic():
        alert = _locked_alert(actor, alert_id, version)
        _check_clock(values, alert)
        before = {name: shown(getattr(alert, name)) for name in values}
        for name, value in values.items():
            setattr(alert, name, value)
        alert.version += 1
        alert.save()
        _sync_response(actor, alert)
        _event(actor, alert, "correct", alert.status, {"before": before, "after": _display(values)})
    return alert


def _response_data(alert: Alert) -> dict[str, Any]:
    """The accidents record of a response: reported and started as the response says; the
    relief at the scene and handed out as its deliveries say (the first to arrive, the last
    handed out — blank until every delivery is handed out)."""
    reliefs = Relief.objects.filter(alert_id=alert.pk) if alert.pk else Relief.objects.none()
    times = reliefs.aggregate(arrived=Min("arrived_at"), distributed=Max("distributed_at"))
    pending = reliefs.filter(distributed_at__isnull=True).exists()
    needed = reliefs.exists()
    return {
        "title": alert.title,
        "region": alert.region_id,
        "reported_at": alert.reported_at,
        "response_started_at": alert.started_at,
        "relief_needed": needed,
        "relief_arrived_at": times["arrived"] if needed else None,
        "relief_distributed_at": None if (pending or not needed) else times["distributed"],
    }


def _sync_response(actor: Any, alert: Alert) -> None:
    if alert.kind != AlertKind.RESPONSE or alert.response is None:
        return
    response_update(actor=actor, response=alert.response, data=_response_data(alert))


def _active_response(actor: Any, alert_id: int) -> Alert:
    alert = visible(actor, Alert.objects.select_for_update()).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    if alert.kind != AlertKind.RESPONSE:
        raise Conflict(_("转移安置和救灾物资登记在应急响应下"), code="wrong_state")
    return alert


def evacuation_record(*, actor: Any, alert_id: int, data: dict[str, Any]) -> Evacuation:
    check_recorder(actor)
    inp, values = _read(actor, data, EVACUATION_FIELDS)
    inp.check()
    with transaction.atomic():
        alert = _active_response(actor, alert_id)
        if values["moved_at"] < alert.started_at:
            raise ValidationFailed.from_fields({"moved_at": _("转移完成时间不能早于响应启动时间")})
        evacuation = Evacuation.objects.create(alert=alert, **values)
        _event(actor, alert, "evacuation", alert.status, {"people": evacuation.people, "region": evacuation.region_id})
    return evacuation


def relief_record(*, actor: Any, alert_id: int, data: dict[str, Any]) -> Relief:
    check_recorder(actor)
    inp, values = _read(actor, data, RELIEF_FIELDS)
    inp.check()
    with transaction.atomic():
        alert = _active_response(actor, alert_id)
        _check_relief(values, alert)
        relief = Relief.objects.create(alert=alert, **values)
        _sync_response(actor, alert)
        _event(actor, alert, "relief", alert.status, {"relief": relief.pk, **_display(values)})
    return relief


def relief_update(*, actor: Any, relief_id: int, data: dict[str, Any], version: int | None = None) -> Relief:
    """Correct a delivery's times (or record that it was handed out): the response follows."""
    check_recorder(actor)
    inp, values = _read(actor, data, RELIEF_FIELDS, partial=True)
    inp.check()
    with transaction.atomic():
        relief = locked_row(model=Relief, pk=relief_id, version=version, user=actor)
        alert = _active_response(actor, relief.alert_id)
        merged = {name: values.get(name, getattr(relief, name)) for name in ("arrived_at", "distributed_at")}
        _check_relief(merged, alert)
        model_update(instance=relief, data=values, actor=actor, action="flood.relief.update")
        _sync_response(actor, alert)
        _event(actor, alert, "relief", alert.status, {"relief": relief.pk, **_display(values)})
    return relief


def _check_relief(values: dict[str, Any], alert: Alert) -> None:
    arrived, distributed = values.get("arrived_at"), values.get("distributed_at")
    if alert.reported_at and arrived and arrived < alert.reported_at:
        raise ValidationFailed.from_fields({"arrived_at": _("送达现场时间不能早于接报时间")})
    if arrived and distributed and distributed < arrived:
        raise ValidationFailed.from_fields({"distributed_at": _("发放到户时间不能早于送达现场时间")})


# ---------------------------------------------------------------- resources and drought


def depot_create(*, actor: Any, data: dict[str, Any]) -> Depot:
    check_recorder(actor)
    inp, values = _read(actor, data, DEPOT_FIELDS)
    inp.check()
    depot = Depot.objects.create(**values)
    audit_record(actor=actor, action="flood.depot.create", target=depot, changes=_display(values))
    return depot


def stock_set(*, actor: Any, data: dict[str, Any]) -> Stock:
    """The quantity of one item in one depot of the actor's area (replacing the last count)."""
    check_recorder(actor)
    inp = Inputs(data)
    values = inp.read_values([s for s in STOCK_FIELDS if s.name != "depot"])
    depot = inp.record(STOCK_FIELDS[0], visible(actor, Depot.objects.all()))
    inp.check()
    with transaction.atomic():
        stock, _created = Stock.objects.update_or_create(
            depot=depot, item=values["item"], defaults={"quantity": values["quantity"]}
        )
        audit_record(actor=actor, action="flood.stock.set", target=stock, changes=_display(values))
    return stock


def team_create(*, actor: Any, data: dict[str, Any]) -> RescueTeam:
    check_recorder(actor)
    inp, values = _read(actor, data, TEAM_FIELDS)
    inp.check()
    team = RescueTeam.objects.create(**values)
    audit_record(actor=actor, action="flood.team.create", target=team, changes=_display(values))
    return team


def drought_report(*, actor: Any, data: dict[str, Any]) -> DroughtReport:
    check_recorder(actor)
    inp, values = _read(actor, data, DROUGHT_FIELDS)
    inp.check()
    with transaction.atomic():
        report, _created = DroughtReport.objects.update_or_create(
            region=values.pop("region"), on_date=values.pop("on_date"), defaults={**values, "reported_by": actor}
        )
    return report
