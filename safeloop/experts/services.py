"""Every write of the expert pool: profiles, stationings (with their event chain), visits, the
planner's manual matching changes, and the Excel import."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append
from safeloop.core.errors import Conflict as ConflictError
from safeloop.core.errors import Forbidden, NotFound
from safeloop.core.inputs import Inputs
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.scope import visible
from safeloop.core.services import diff_apply, locked_row
from safeloop.core.text import name_key
from safeloop.experts.fields import EXPERT, EXPERT_FIELDS, OVERRIDE_REASON, STATIONING_FIELDS
from safeloop.experts.models import (
    Certificate,
    Conflict,
    Expert,
    MatchingChange,
    Specialty,
    SpecialtyLevel,
    Stationing,
    StationingEvent,
    StationingStatus,
    Visit,
    VisitStatus,
)
from safeloop.experts.selectors import experts_visible, may_plan
from safeloop.hazards.models import Hazard, Level, Status
from safeloop.registry.models import Category, Enterprise

PROFILE = [spec for spec in EXPERT_FIELDS if spec.name not in ("specialties", "certificate", "certificate_expires_on")]
LEVEL_WORDS = {str(label): value for value, label in SpecialtyLevel.choices}
# A major hazard is open until accepted (验收): these statuses keep a stationed expert in place.
SETTLED = (Status.ACCEPTED, Status.CLOSED, Status.VERIFIED, Status.RECURRED, Status.WITHDRAWN)


def _require_planner(actor: Any) -> None:
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


def _read_profile(inp: Inputs, *, partial: bool) -> tuple[dict[str, Any], list[tuple[Category, str]] | None]:
    values = inp.read_values(PROFILE, partial=partial)
    specialties = None
    if not partial or "specialties" in inp.data:
        specialties, unknown = parse_specialties(inp.read(EXPERT["specialties"]), category_lookup())
        if unknown:
            inp.error("specialties", _("专业“%(name)s”不是已知的监管行业") % {"name": unknown})
        elif not specialties and not partial:
            inp.error("specialties", _("专业为必填项"))
    return values, specialties


def _set_specialties(expert: Expert, specialties: list[tuple[Category, str]]) -> None:
    expert.specialties.all().delete()
    Specialty.objects.bulk_create([Specialty(expert=expert, category=c, level=lv) for c, lv in specialties])


def expert_create(*, actor: Any, data: dict[str, Any]) -> Expert:
    _require_planner(actor)
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
    _require_planner(actor)
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
    _require_planner(actor)
    conflict, _created = Conflict.objects.get_or_create(
        expert=expert, enterprise=enterprise, defaults={"kind": kind, "note": note, "recorded_by": actor}
    )
    audit_record(actor=actor, action="expert.conflict", target=expert, changes={"conflict": [None, enterprise.name]})
    return conflict


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
    _require_planner(actor)
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
    _require_planner(actor)
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


# ---------------------------------------------------------------- visits and manual matching changes


def visit_plan(
    *, actor: Any, expert: Expert, enterprise: Enterprise, on: date, purpose: str, from_matching: bool = False
) -> Visit:
    _require_planner(actor)
    if Conflict.objects.filter(expert=expert, enterprise=enterprise).exists():
        raise ConflictError(_("该专家与企业存在回避关系"), code="conflict_of_interest")
    return Visit.objects.create(
        expert=expert, enterprise=enterprise, on=on, purpose=purpose, from_matching=from_matching
    )


def visit_record(
    *, actor: Any, visit: Visit, findings: str, hazards_found: int = 0, rating: int | None = None
) -> Visit:
    """The expert records the visit as done (their own visit only)."""
    if actor.role != Role.EXPERT or visit.expert.user_id != actor.pk:
        raise NotFound()
    if rating is not None and not 1 <= rating <= 5:
        raise ConflictError(_("企业评价应为1到5分"), code="invalid")
    visit.status, visit.findings, visit.hazards_found, visit.rating = VisitStatus.DONE, findings, hazards_found, rating
    visit.save()
    return visit


def matching_change(
    *, actor: Any, enterprise_id: int, from_expert_id: int | None, to_expert_id: int, reason: str
) -> MatchingChange:
    """A planner moves an enterprise to another expert by hand: recorded with who and why."""
    _require_planner(actor)
    inp = Inputs({})
    if not (reason or "").strip():
        inp.error("reason", _("调整理由为必填项"))
    enterprise = visible(actor, Enterprise.objects.all()).filter(pk=enterprise_id).first()
    if enterprise is None:
        inp.error("enterprise", _("企业不存在或不在您的管辖范围内"))
    to_expert = Expert.objects.filter(pk=to_expert_id, active=True).first()
    if to_expert is None:
        inp.error("to_expert", _("专家不存在或已出库"))
    elif enterprise is not None and Conflict.objects.filter(expert=to_expert, enterprise=enterprise).exists():
        inp.error("to_expert", _("该专家与企业存在回避关系，不能指派"))
    inp.check()
    assert enterprise is not None and to_expert is not None
    return MatchingChange.objects.create(
        enterprise=enterprise,
        from_expert_id=from_expert_id,
        to_expert=to_expert,
        reason=reason.strip(),
        changed_by=actor,
    )


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


def _matching_ids(raw: Any) -> list[int]:
    """The `enterprises` of a matching filter, read by core's input reader (a 400 naming it)."""
    inp = Inputs({"enterprises": raw})
    ids = inp.ids("enterprises", _("企业"))
    inp.check()
    return ids


def matching_run(*, actor: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """Match the enterprises the filter picks (in the planner's scope) to the active pool.

    filters: `category` (code), `region` (code prefix), `key_sector` (bool), `open_major` (bool:
    only those with an open major hazard), `enterprises` (ids). Returns the API's shape."""
    from safeloop.experts.matching import Need, Supply, match, reasons

    _require_planner(actor)
    qs = visible(actor, Enterprise.objects.all()).filter(lat__isnull=False, lng__isnull=False)
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("region"):
        qs = qs.filter(region_id__startswith=subtree_prefix(str(filters["region"])))
    if filters.get("key_sector"):
        qs = qs.filter(key_sector=True)
    if filters.get("open_major"):
        open_major = Hazard.objects.filter(level=Level.MAJOR).exclude(status__in=SETTLED).values("enterprise_id")
        qs = qs.filter(pk__in=open_major)
    if filters.get("enterprises"):
        qs = qs.filter(pk__in=_matching_ids(filters["enterprises"]))
    rows = list(qs.values_list("pk", "name", "category_id", "lat", "lng")[:50_000])
    names = {pk: name for pk, name, *_ in rows}
    needs = [Need(pk, cat, float(lat or 0), float(lng or 0)) for pk, _n, cat, lat, lng in rows]
    today = timezone.localdate()
    pool = list(
        Expert.objects.filter(active=True, certificates__expires_on__gte=today)
        .distinct()
        .prefetch_related("specialties__category")
    )
    children: dict[str, set[str]] = {}
    for code, parent in Category.objects.filter(parent__isnull=False).values_list("code", "parent_id"):
        children.setdefault(parent, set()).add(code)
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
                level_of[(e.pk, code)] = s.get_level_display()
        supplies.append(
            Supply(
                e.pk,
                frozenset(covers),
                float(e.home_lat),
                float(e.home_lng),
                e.capacity,
                frozenset(conflicts.get(e.pk, ())),
            )
        )
    experts = {e.pk: e for e in pool}
    category_names = dict(Category.objects.values_list("code", "name"))
    result = match(needs, supplies)
    why = reasons()
    return {
        "assignments": [
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
            }
            for a in sorted(result.assignments, key=lambda a: (a.expert, a.enterprise))
        ],
        "unmatched": [
            {"enterprise": pk, "enterprise_name": names[pk], "reason": why[code]} for pk, code in result.unmatched
        ],
        "cost": round(result.cost / 1000, 1),
    }
