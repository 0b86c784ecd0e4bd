"""Every write of the expert pool: profiles, stationings (with their event chain), visits, the
planner's manual matching changes, and the Excel import."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append
from safeloop.core.errors import Conflict as ConflictError
from safeloop.core.errors import Forbidden, NotFound
from safeloop.core.fields import only
from safeloop.core.geo import haversine_m
from safeloop.core.inputs import Inputs
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.scope import region_q, visible
from safeloop.core.services import diff_apply, locked_row
from safeloop.core.text import name_key
from safeloop.experts.fields import (
    APPLY_ON,
    CHANGE_TO,
    CONFLICT,
    CONFLICT_FIELDS,
    EXPERT,
    EXPERT_FIELDS,
    OVERRIDE_REASON,
    RATE_FIELDS,
    STATIONING_FIELDS,
    VISIT,
    VISIT_FIELDS,
    VISIT_SUMMARY,
)
from safeloop.experts.models import (
    Certificate,
    Conflict,
    Expert,
    MatchingChange,
    MatchingRow,
    MatchingRun,
    Specialty,
    SpecialtyLevel,
    Stationing,
    StationingEvent,
    StationingStatus,
    Visit,
    VisitStatus,
)
from safeloop.experts.selectors import experts_visible, may_plan, runs_visible
from safeloop.hazards.models import Hazard, Level, Status
from safeloop.hazards.models import Source as HazardSource
from safeloop.registry.models import Category, Enterprise, Region, RegionLevel

PROFILE = [
    spec
    for spec in EXPERT_FIELDS
    if spec.name not in ("specialties", "certificate", "certificate_expires_on", "county")
]
LEVEL_WORDS = {str(label): value for value, label in SpecialtyLevel.choices}
# A major hazard is open until accepted (验收): these statuses keep a stationed expert in place.
SETTLED = (Status.ACCEPTED, Status.CLOSED, Status.VERIFIED, Status.RECURRED, Status.WITHDRAWN)


def require_planner(actor: Any) -> None:
    if not may_plan(actor):
        raise Forbidden(_("专家库由市、县两级安委办/应急管理部门和行业部门维护"))


# ---------------------------------------------------------------- profiles


def parse_specialties(text: str, categories: dict[str, Category]) -> tuple[list[tuple[Category, str]], str | None]:
    """'危险化学品（高级）、商贸' → [(category, level)], or the first name not known."""
    found: list[tuple[Category, str]] = []
    for part in [p for p in re.split(r"[、,，;；\s]+", text or "") if p]:
        level: str = SpecialtyLevel.INTERMEDIATE
        match = re.match(r"^(.*?)[（(](高级|中级|初级)[）)]$", part)
        if match:
            part, level = match.group(1), LEVEL_WORDS[match.group(2)]
        category = categories.get(name_key(part)) or categories.get(part)
        if category is None:
            return [], part
        found.append((category, str(level)))
    return found, None


def category_lookup() -> dict[str, Category]:
    rows = list(Category.objects.all())
    return {name_key(c.name): c for c in rows} | {c.code: c for c in rows}


def county_lookup() -> dict[str, Region]:
    rows = list(Region.objects.filter(level=RegionLevel.COUNTY))
    return {r.code: r for r in rows} | {r.name: r for r in rows}


def _read_profile(
    inp: Inputs, *, partial: bool, lookups: tuple[dict[str, Category], dict[str, Region]] | None = None
) -> tuple[dict[str, Any], list[tuple[Category, str]] | None]:
    categories, counties = lookups or (category_lookup(), county_lookup())
    values = inp.read_values(PROFILE, partial=partial)
    specialties = None
    if not partial or "specialties" in inp.data:
        specialties, unknown = parse_specialties(inp.read(EXPERT["specialties"]), categories)
        if unknown:
            inp.error("specialties", _("专业“%(name)s”不是已知的监管行业") % {"name": unknown})
        elif not specialties and not partial:
            inp.error("specialties", _("专业为必填项"))
    if not partial or "county" in inp.data:
        county = (inp.read(EXPERT["county"]) or "").strip()
        values["county"] = counties.get(county) if county else None
        if county and values["county"] is None:
            inp.error("county", _("“%(name)s”不是本市的县市区") % {"name": county})
    return values, specialties


def _set_specialties(expert: Expert, specialties: list[tuple[Category, str]]) -> None:
    expert.specialties.all().delete()
    Specialty.objects.bulk_create([Specialty(expert=expert, category=c, level=lv) for c, lv in specialties])


def expert_create(*, actor: Any, data: dict[str, Any]) -> Expert:
    require_planner(actor)
    inp = Inputs(data)
    values, specialties = _read_profile(inp, partial=False)
    cert_name = inp.read(EXPERT["certificate"])
    cert_expires = inp.read(EXPERT["certificate_expires_on"])
    if cert_name and not cert_expires:
        inp.error("certificate_expires_on", _("填写证书时须填写证书有效期"))
    inp.check()
    with transaction.atomic():
        expert = Expert.objects.create(**values)
        _set_specialties(expert, specialties or [])
        if cert_name:
            Certificate.objects.create(expert=expert, name=cert_name, expires_on=cert_expires)
        audit_record(actor=actor, action="expert.create", target=expert, changes={"name": [None, expert.name]})
    return expert


def expert_update(*, actor: Any, pk: int, data: dict[str, Any], version: int | None) -> Expert:
    require_planner(actor)
    inp = Inputs(data)
    values, specialties = _read_profile(inp, partial=True)
    inp.check()
    with transaction.atomic():
        expert = experts_visible(actor).select_for_update().filter(pk=pk).first()
        if expert is None:
            raise NotFound()
        if version is not None and expert.version != version:
            raise ConflictError(
                _("该专家信息已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": expert.version},
                code="stale_version",
            )
        changes = diff_apply(expert, values)
        if specialties is not None:
            before = sorted(f"{s.category_id}:{s.level}" for s in expert.specialties.all())
            after = sorted(f"{c.code}:{lv}" for c, lv in specialties)
            if before != after:
                _set_specialties(expert, specialties)
                changes["specialties"] = ["、".join(before), "、".join(after)]
        if changes:
            expert.version += 1
            expert.save()
            audit_record(actor=actor, action="expert.update", target=expert, changes=changes)
    return expert


def conflict_record(*, actor: Any, expert: Expert, enterprise: Enterprise, kind: str, note: str = "") -> Conflict:
    require_planner(actor)
    conflict, _created = Conflict.objects.get_or_create(
        expert=expert, enterprise=enterprise, defaults={"kind": kind, "note": note, "recorded_by": actor}
    )
    audit_record(actor=actor, action="expert.conflict", target=expert, changes={"conflict": [None, enterprise.name]})
    return conflict


# ---------------------------------------------------------------- the Excel import


def import_lookups() -> tuple[dict[str, Category], dict[str, Region]]:
    return category_lookup(), county_lookup()


def clean_expert_row(raw: dict[str, Any], lookups: tuple[dict[str, Category], dict[str, Region]]) -> dict[str, Any]:
    """One row of the pool's workbook, read as the form reads it (a ValidationFailed naming the
    fields)."""
    inp = Inputs(raw)
    values, specialties = _read_profile(inp, partial=False, lookups=lookups)
    cert = inp.read(EXPERT["certificate"])
    expires = inp.read(EXPERT["certificate_expires_on"])
    if cert and not expires:
        inp.error("certificate_expires_on", _("填写证书时须填写证书有效期"))
    inp.check()
    return {"values": values, "specialties": specialties or [], "certificate": (cert, expires) if cert else None}


def _same_expert(values: dict[str, Any]) -> Expert | None:
    qs = Expert.objects.filter(name=values["name"])
    if values.get("phone"):
        return qs.filter(phone=values["phone"]).first()
    return qs.filter(employer=values.get("employer", "")).first()


def experts_import(*, actor: Any, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Save cleaned rows (all in one transaction): (created, updated, unchanged)."""
    require_planner(actor)
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in rows:
            values = row["values"]
            expert = _same_expert(values)
            if expert is None:
                expert = Expert.objects.create(**values)
                created += 1
                changes: dict[str, Any] = {"name": [None, expert.name]}
            else:
                changes = diff_apply(expert, values)
                before = sorted(f"{s.category_id}:{s.level}" for s in expert.specialties.all())
                if before != sorted(f"{c.code}:{lv}" for c, lv in row["specialties"]):
                    changes["specialties"] = ["、".join(before), ""]
                if changes:
                    expert.version += 1
                    expert.save()
                    updated += 1
                else:
                    unchanged += 1
            if "specialties" in changes or "name" in changes and changes["name"][0] is None:
                _set_specialties(expert, row["specialties"])
            if row["certificate"]:
                name, expires = row["certificate"]
                Certificate.objects.update_or_create(expert=expert, name=name, defaults={"expires_on": expires})
            if changes:
                audit_record(actor=actor, action="expert.import", target=expert, changes=changes)
    return created, updated, unchanged


def conflict_add(*, actor: Any, expert_id: int, data: dict[str, Any]) -> Conflict:
    """Record a conflict of interest from the expert's page (企业, 回避情形, 说明)."""
    require_planner(actor)
    inp = Inputs(data)
    enterprise = inp.record(
        CONFLICT["enterprise"], visible(actor, Enterprise.objects.all()), missing=_("企业不存在或不在您的管辖范围内")
    )
    values = inp.read_values(only(CONFLICT_FIELDS, ("kind", "note")))
    inp.check()
    expert = experts_visible(actor).filter(pk=expert_id).first()
    if expert is None:
        raise NotFound()
    assert enterprise is not None
    return conflict_record(actor=actor, expert=expert, enterprise=enterprise, kind=values["kind"], note=values["note"])


# ---------------------------------------------------------------- stationings (专家驻企)


def _next_code(today: date) -> str:
    prefix = f"ZQ{today:%Y}"
    last = Stationing.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _open_major(enterprise: Enterprise) -> list[Hazard]:
    return list(Hazard.objects.filter(enterprise=enterprise, level=Level.MAJOR).exclude(status__in=SETTLED))


def stationing_start(
    *, actor: Any, expert_id: int, enterprise_id: int, data: dict[str, Any] | None = None
) -> Stationing:
    """Station an expert at an enterprise, linked to the enterprise's open major hazards."""
    require_planner(actor)
    inp = Inputs(data or {})
    values = inp.read_values(STATIONING_FIELDS)
    enterprise = visible(actor, Enterprise.objects.all()).filter(pk=enterprise_id).first()
    if enterprise is None:
        inp.error("enterprise", _("企业不存在或不在您的管辖范围内"))
    expert = Expert.objects.filter(pk=expert_id, active=True).first()
    if expert is None:
        inp.error("expert", _("专家不存在或已出库"))
    elif enterprise is not None and Conflict.objects.filter(expert=expert, enterprise=enterprise).exists():
        inp.error("expert", _("该专家与企业存在回避关系，不能驻企"))
    inp.check()
    assert expert is not None and enterprise is not None
    today = timezone.localdate()
    with transaction.atomic():
        stationing = Stationing.objects.create(
            code=_next_code(today),
            expert=expert,
            enterprise=enterprise,
            starts_on=values.get("starts_on") or today,
            planned_end_on=values.get("planned_end_on"),
            created_by=actor,
        )
        hazards = _open_major(enterprise)
        stationing.hazards.set(hazards)
        chain_append(
            events=StationingEvent,
            owner=stationing,
            action="start",
            actor=actor,
            at=timezone.now(),
            from_status="",
            payload={"expert": expert.pk, "enterprise": enterprise.pk, "hazards": [h.code for h in hazards]},
        )
    return stationing


def unsettled_hazards(stationing: Stationing) -> list[Hazard]:
    return list(stationing.hazards.exclude(status__in=SETTLED).order_by("code"))


def stationing_end(*, actor: Any, pk: int, version: int | None, data: dict[str, Any] | None = None) -> Stationing:
    """End a stationing: refused while a linked major hazard is not accepted (整改不到位、专家不撤离),
    unless a city admin overrides with a reason (recorded in the chain)."""
    require_planner(actor)
    inp = Inputs(data or {})
    reason = inp.read(OVERRIDE_REASON)
    inp.check()
    with transaction.atomic():
        stationing = locked_row(model=Stationing, pk=pk, version=version, user=actor)
        if stationing.status != StationingStatus.ACTIVE:
            raise ConflictError(_("该驻企已结束"), code="wrong_state")
        pending = unsettled_hazards(stationing)
        if pending and not reason:
            codes = "、".join(h.code for h in pending)
            raise ConflictError(
                _("整改不到位、专家不撤离：关联的重大隐患 %(codes)s 尚未验收") % {"codes": codes}, code="hazards_open"
            )
        if pending and actor.role != Role.CITY:
            raise Forbidden(_("关联重大隐患未验收时，只有市级安委办/应急管理局可以决定提前撤离"))
        stationing.status = StationingStatus.ENDED
        stationing.ended_on = timezone.localdate()
        stationing.override_reason = reason if pending else ""
        stationing.version += 1
        stationing.save()
        chain_append(
            events=StationingEvent,
            owner=stationing,
            action="end",
            actor=actor,
            at=timezone.now(),
            from_status=StationingStatus.ACTIVE,
            payload={
                "override": bool(pending),
                "reason": stationing.override_reason,
                "open": [h.code for h in pending],
            },
        )
    return stationing


# ---------------------------------------------------------------- visits (专家服务)


def _conflicted(expert: Expert, enterprise: Enterprise) -> bool:
    return Conflict.objects.filter(expert=expert, enterprise=enterprise).exists()


def visit_plan(
    *, actor: Any, expert: Expert, enterprise: Enterprise, on: date, purpose: str, from_matching: bool = False
) -> Visit:
    require_planner(actor)
    if _conflicted(expert, enterprise):
        raise ConflictError(_("该专家与企业存在回避关系"), code="conflict_of_interest")
    return Visit.objects.create(
        expert=expert, enterprise=enterprise, on=on, purpose=purpose, from_matching=from_matching
    )


def visit_create(*, actor: Any, data: dict[str, Any]) -> Visit:
    """A planner arranges an ad-hoc visit (安排专家服务) from the page or the API."""
    require_planner(actor)
    inp = Inputs(data)
    values = inp.read_values(only(VISIT_FIELDS, ("on", "purpose")))
    enterprise = inp.record(
        VISIT["enterprise"], visible(actor, Enterprise.objects.all()), missing=_("企业不存在或不在您的管辖范围内")
    )
    expert = inp.record(VISIT["expert"], Expert.objects.filter(active=True), missing=_("专家不存在或已出库"))
    if expert is not None and enterprise is not None and _conflicted(expert, enterprise):
        inp.error("expert", _("该专家与企业存在回避关系，不能安排"))
    inp.check()
    assert expert is not None and enterprise is not None
    visit = Visit.objects.create(expert=expert, enterprise=enterprise, on=values["on"], purpose=values["purpose"])
    audit_record(actor=actor, action="expert.visit_plan", target=visit, changes={"enterprise": [None, enterprise.name]})
    return visit


def _own_visit(actor: Any, pk: int) -> Visit:
    """The expert's own visit, locked; another expert's is missing (404); other roles may look
    at a visit in their scope but only its expert records it (403)."""
    if actor.role != Role.EXPERT:
        raise Forbidden(_("只有提供服务的专家本人可以记录服务和发现的隐患"))
    visit = Visit.objects.select_for_update().filter(pk=pk, expert__user_id=actor.pk).first()
    if visit is None:
        raise NotFound()
    return visit


def visit_finding(*, actor: Any, visit: Visit, data: dict[str, Any]) -> Hazard:
    """A hazard the expert found on the visit: reported through the hazard loop (source 专家检查)
    for the visit's enterprise, and linked to the visit."""
    from safeloop.hazards.services import hazard_report

    with transaction.atomic():
        own = _own_visit(actor, visit.pk)
        hazard = hazard_report(
            actor=actor, data={**data, "enterprise": own.enterprise_id, "source": HazardSource.EXPERT}
        )
        own.hazards.add(hazard)
    return hazard


def visit_record(*, actor: Any, pk: int, version: int | None, data: dict[str, Any]) -> Visit:
    """The expert records the visit as done, with a summary (their own visit only)."""
    inp = Inputs(data)
    findings = inp.read(VISIT_SUMMARY)
    inp.check()
    with transaction.atomic():
        visit = _own_visit(actor, pk)
        if version is not None and visit.version != version:
            raise ConflictError(_("该服务记录已被修改，请刷新后重试"), code="stale_version")
        changes = {"status": [visit.status, VisitStatus.DONE], "findings": [visit.findings, findings]}
        visit.status, visit.findings = VisitStatus.DONE, findings
        visit.done_at = visit.done_at or timezone.now()
        visit.version += 1
        visit.save()
        audit_record(actor=actor, action="expert.visit_done", target=visit, changes=changes)
    return visit


def visit_rate(*, actor: Any, pk: int, version: int | None, data: dict[str, Any]) -> Visit:
    """The enterprise rates a finished visit (1–5, with a remark): its own enterprise's only."""
    inp = Inputs(data)
    values = inp.read_values(RATE_FIELDS)
    rating, note = int(values["rating"]) if values.get("rating") else None, values.get("rating_note", "")
    inp.check()
    with transaction.atomic():
        if actor.role != Role.ENTERPRISE:
            raise Forbidden(_("服务评价由接受服务的企业填写"))
        visit = Visit.objects.select_for_update().filter(pk=pk).first()
        if visit is None or visit.enterprise_id != actor.enterprise_id:
            raise NotFound()
        if visit.status != VisitStatus.DONE:
            raise ConflictError(_("专家完成服务后才能评价"), code="wrong_state")
        if version is not None and visit.version != version:
            raise ConflictError(_("该服务记录已被修改，请刷新后重试"), code="stale_version")
        visit.rating, visit.rating_note = rating, note
        visit.version += 1
        visit.save()
        audit_record(actor=actor, action="expert.visit_rate", target=visit, changes={"rating": [None, rating]})
    return visit


# ---------------------------------------------------------------- a test and demo convenience


def expert_assign(*, expert: Any, enterprise_ids: list[int], categories: list[str] | None = None) -> Expert:
    """Give an expert account a pool profile (every category, or `categories`, with a valid
    certificate) and a visit planned at each enterprise, so it sees them and may sign there.
    The successor of the hand assignment accounts once kept (tests, demo)."""
    profile, _created = Expert.objects.get_or_create(
        user=expert, defaults={"name": str(expert), "home_lat": "28.55", "home_lng": "112.35"}
    )
    codes = categories or list(Category.objects.values_list("code", flat=True))
    have = set(profile.specialties.values_list("category_id", flat=True))
    Specialty.objects.bulk_create([Specialty(expert=profile, category_id=c) for c in codes if c not in have])
    if not profile.certificates.filter(expires_on__gte=timezone.localdate()).exists():
        Certificate.objects.create(
            expert=profile, name="安全生产专家证", expires_on=timezone.localdate() + timedelta(days=3650)
        )
    Visit.objects.bulk_create(
        [Visit(expert=profile, enterprise_id=pk, on=timezone.localdate(), purpose="帮扶指导") for pk in enterprise_ids]
    )
    return profile


# ---------------------------------------------------------------- matching (the database side)

MATCHING_LIMIT = 50_000  # enterprises in one run; beyond, the planner narrows the filter


def _matching_ids(raw: Any) -> list[int]:
    """The `enterprises` of a matching filter, read by core's input reader (a 400 naming it)."""
    inp = Inputs({"enterprises": raw})
    ids = inp.ids("enterprises", _("企业"))
    inp.check()
    return ids


def _matching_enterprises(actor: Any, filters: dict[str, Any]) -> QuerySet[Enterprise, Any]:
    qs = visible(actor, Enterprise.objects.all()).filter(lat__isnull=False, lng__isnull=False)
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("region"):
        qs = qs.filter(region_q("region", subtree_prefix(str(filters["region"]))))
    if filters.get("key_sector"):
        qs = qs.filter(key_sector=True)
    if filters.get("open_major"):
        open_major = Hazard.objects.filter(level=Level.MAJOR).exclude(status__in=SETTLED).values("enterprise_id")
        qs = qs.filter(pk__in=open_major)
    if filters.get("enterprises"):
        qs = qs.filter(pk__in=_matching_ids(filters["enterprises"]))
    return qs


def _children() -> dict[str, set[str]]:
    children: dict[str, set[str]] = {}
    for code, parent in Category.objects.filter(parent__isnull=False).values_list("code", "parent_id"):
        children.setdefault(parent, set()).add(code)
    return children


def _supplies(today: date) -> tuple[list[Any], dict[int, Expert], dict[tuple[int, str], str]]:
    """The active pool with a valid certificate, as the solver's supplies; each expert's level
    per covered category (for the explanation)."""
    from safeloop.experts.matching import Supply

    pool = list(
        Expert.objects.filter(active=True, certificates__expires_on__gte=today)
        .distinct()
        .prefetch_related("specialties")
    )
    children = _children()
    conflicts: dict[int, set[int]] = {}
    for expert_id, enterprise_id in Conflict.objects.values_list("expert_id", "enterprise_id"):
        conflicts.setdefault(expert_id, set()).add(enterprise_id)
    level_of: dict[tuple[int, str], str] = {}
    supplies = []
    for e in pool:
        covers: set[str] = set()
        for s in e.specialties.all():
            for code in {s.category_id} | children.get(s.category_id, set()):
                covers.add(code)
                level_of[(e.pk, code)] = str(s.get_level_display())
        lat, lng = float(e.home_lat), float(e.home_lng)
        supplies.append(Supply(e.pk, frozenset(covers), lat, lng, e.capacity, frozenset(conflicts.get(e.pk, ()))))
    return supplies, {e.pk: e for e in pool}, level_of


def filters_summary(filters: dict[str, Any]) -> str:
    """The filter in words, for the run list: 危险化学品 · 赫山区 · 有未验收重大隐患."""
    words = []
    if filters.get("category"):
        words.append(Category.objects.filter(pk=filters["category"]).values_list("name", flat=True).first() or "")
    if filters.get("region"):
        from safeloop.registry.models import Region

        words.append(Region.objects.filter(pk=filters["region"]).values_list("name", flat=True).first() or "")
    if filters.get("key_sector"):
        words.append(_("重点行业"))
    if filters.get("open_major"):
        words.append(_("有未验收重大隐患"))
    if filters.get("enterprises"):
        words.append(_("指定企业 %(n)s 家") % {"n": len(filters["enterprises"])})
    return " · ".join(w for w in words if w) or _("辖区内全部企业")


def matching_run(*, actor: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """Match the enterprises the filter picks (in the planner's scope) to the active pool, keep
    the run (its rows, who, when) and return the API's shape with the run's id.

    filters: `category` (code), `region` (code), `key_sector` (bool), `open_major` (bool: only
    those with an open major hazard), `enterprises` (ids)."""
    from safeloop.experts.matching import Need, match, reasons

    require_planner(actor)
    filters = {k: v for k, v in filters.items() if v not in (None, "", False, [])}
    qs = _matching_enterprises(actor, filters)
    rows = list(qs.order_by("pk").values_list("pk", "name", "category_id", "lat", "lng")[: MATCHING_LIMIT + 1])
    if len(rows) > MATCHING_LIMIT:
        inp = Inputs({})
        inp.error("region", _("所选企业超过 %(n)s 家，请按县市区或行业缩小范围") % {"n": f"{MATCHING_LIMIT:,}"})
        inp.check()
    names = {pk: name for pk, name, *_ in rows}
    needs = [Need(pk, cat, float(lat or 0), float(lng or 0)) for pk, _n, cat, lat, lng in rows]
    supplies, experts, level_of = _supplies(timezone.localdate())
    category_names = dict(Category.objects.values_list("code", "name"))
    result = match(needs, supplies)
    why = reasons()
    assignments = [
        {
            "expert": a.expert,
            "expert_name": experts[a.expert].name,
            "enterprise": a.enterprise,
            "enterprise_name": names[a.enterprise],
            "distance_km": round(a.metres / 1000, 1),
            "specialty": category_names.get(a.category, a.category),
            "explanation": _("专业：%(s)s（%(level)s）；距离 %(km).1f 公里")
            % {
                "s": category_names.get(a.category, a.category),
                "level": level_of[(a.expert, a.category)],
                "km": a.metres / 1000,
            },
            "metres": a.metres,
        }
        for a in sorted(result.assignments, key=lambda a: (a.expert, a.enterprise))
    ]
    unmatched = [{"enterprise": pk, "enterprise_name": names[pk], "reason": why[code]} for pk, code in result.unmatched]
    run = _keep_run(actor, filters, assignments, unmatched, result.cost)
    for a in assignments:
        a.pop("metres")
    return {"run": run.pk, "assignments": assignments, "unmatched": unmatched, "cost": round(result.cost / 1000, 1)}


def _keep_run(
    actor: Any, filters: dict[str, Any], assignments: list[dict[str, Any]], unmatched: list[dict[str, Any]], cost: int
) -> MatchingRun:
    from safeloop.core.scope import user_area

    with transaction.atomic():
        run = MatchingRun.objects.create(
            filters=filters,
            summary=filters_summary(filters)[:300],
            area=user_area(actor) or "",
            matched=len(assignments),
            unmatched=len(unmatched),
            cost_m=cost,
            created_by=actor,
        )
        MatchingRow.objects.bulk_create(
            [
                MatchingRow(
                    run=run,
                    enterprise_id=a["enterprise"],
                    expert_id=a["expert"],
                    metres=a["metres"],
                    specialty=a["specialty"][:60],
                    explanation=a["explanation"][:200],
                )
                for a in assignments
            ]
            + [MatchingRow(run=run, enterprise_id=u["enterprise"], reason=str(u["reason"])[:200]) for u in unmatched],
            batch_size=2000,
        )
    return run


def _covers(expert: Expert, category: str) -> str | None:
    """The name of the expert's specialty that covers the category (itself or its parent)."""
    parent = Category.objects.filter(pk=category).values_list("parent_id", flat=True).first()
    spec = expert.specialties.filter(category_id__in=[category, parent or category]).select_related("category").first()
    return f"{spec.category.name}（{spec.get_level_display()}）" if spec else None


def matching_change(*, actor: Any, row_id: int, data: dict[str, Any]) -> MatchingChange:
    """A planner moves an enterprise of a run to another expert by hand: the new expert must
    cover the enterprise's category, have no conflict with it and room left in this run; the
    change is recorded with who and why."""
    require_planner(actor)
    inp = Inputs(data)
    reason = inp.text("reason", _("调整理由"), required=True, max_length=300)
    to_expert = inp.record(CHANGE_TO, Expert.objects.filter(active=True), missing=_("专家不存在或已出库"))
    inp.check()
    assert to_expert is not None
    with transaction.atomic():
        row = (
            visible(actor, MatchingRow.objects.select_for_update())
            .filter(pk=row_id)
            .select_related("run", "enterprise")
            .first()
        )
        if row is None or not runs_visible(actor).filter(pk=row.run_id).exists():
            raise NotFound()
        if row.run.applied_at:
            raise ConflictError(_("该匹配结果已下达，不能再调整"), code="wrong_state")
        enterprise = row.enterprise
        covered = _covers(to_expert, enterprise.category_id)
        if covered is None:
            inp.error("to_expert", _("该专家的专业不覆盖企业所属行业"))
        elif _conflicted(to_expert, enterprise):
            inp.error("to_expert", _("该专家与企业存在回避关系，不能指派"))
        elif row.run.rows.filter(expert=to_expert).exclude(pk=row.pk).count() >= to_expert.capacity:
            inp.error("to_expert", _("该专家本期可服务企业数（%(n)s 家）已满") % {"n": to_expert.capacity})
        inp.check()
        here = np.array([float(enterprise.lat or 0), float(enterprise.lng or 0)])
        home = np.array([float(to_expert.home_lat), float(to_expert.home_lng)])
        metres = int(haversine_m(here[:1], here[1:], home[:1], home[1:])[0])
        change = MatchingChange.objects.create(
            run=row.run,
            enterprise=enterprise,
            from_expert_id=row.expert_id,
            to_expert=to_expert,
            reason=reason,
            changed_by=actor,
        )
        row.expert, row.metres, row.manual, row.reason = to_expert, metres, True, ""
        row.specialty = (covered or "")[:60]
        row.explanation = (_("人工调整：%(why)s；距离 %(km).1f 公里") % {"why": reason, "km": metres / 1000})[:200]
        row.save()
        _recount(row.run)
    return change


def _recount(run: MatchingRun) -> None:
    rows = run.rows.all()
    run.matched = rows.filter(expert__isnull=False).count()
    run.unmatched = rows.filter(expert__isnull=True).count()
    run.cost_m = sum(m or 0 for m in rows.filter(expert__isnull=False).values_list("metres", flat=True))
    run.version += 1
    run.save()


def matching_apply(*, actor: Any, run_id: int, version: int | None, data: dict[str, Any]) -> int:
    """下达: turn a run's assignments into planned visits (服务日期 given); once."""
    require_planner(actor)
    inp = Inputs(data)
    on = inp.read(APPLY_ON)
    inp.check()
    with transaction.atomic():
        run = runs_visible(actor).select_for_update().filter(pk=run_id).first()
        if run is None:
            raise NotFound()
        if version is not None and run.version != version:
            raise ConflictError(_("该匹配结果已被他人调整，请刷新后重试"), code="stale_version")
        if run.applied_at:
            raise ConflictError(_("该匹配结果已下达"), code="wrong_state")
        rows = visible(actor, run.rows.filter(expert__isnull=False))
        visits = [
            Visit(
                expert_id=r.expert_id,
                enterprise_id=r.enterprise_id,
                on=on,
                purpose=_("匹配下达：帮扶指导"),
                from_matching=True,
            )
            for r in rows
        ]
        Visit.objects.bulk_create(visits, batch_size=2000)
        run.applied_at, run.visit_on = timezone.now(), on
        run.version += 1
        run.save()
        audit_record(actor=actor, action="expert.matching_apply", target=run, changes={"visits": [0, len(visits)]})
    return len(visits)
