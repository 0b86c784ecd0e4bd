"""Every write of the inspections app: plans, draws, inspections (the rules of who may inspect,
the yearly cap), and the workflow's actions (`workflow.inspection_act`)."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append
from safeloop.core.changes import changed
from safeloop.core.errors import Forbidden
from safeloop.core.inputs import Inputs
from safeloop.core.regions import subtree_prefix
from safeloop.core.roles import Role
from safeloop.core.scope import region_q, visible
from safeloop.inspections import draws
from safeloop.inspections.fields import DRAW, INSPECTION, PLAN, RISK_CODES
from safeloop.inspections.models import (
    AssistantKind,
    Draw,
    Inspection,
    InspectionEvent,
    InspectorConflict,
    Kind,
    Participant,
    ParticipantRole,
    Plan,
    Status,
)
from safeloop.inspections.selectors import (
    bodies_for,
    counted,
    is_no_disturb,
    may_inspect,
    visits_this_year,
    yearly_cap,
)
from safeloop.registry.bodies import is_legal_body, valid_certificates
from safeloop.registry.models import Department, Enterprise, OfficerCertificate

DEFAULT_WEIGHTS = {"red": 4.0, "orange": 3.0, "yellow": 2.0, "blue": 1.0}  # city policy, docs/inspections.md
JOINT_WINDOW_DAYS = 30  # other bodies' visits this close are proposed as one joint visit (综合查一次)
ASSISTANT_WORDS = {"专家": AssistantKind.EXPERT, "网格员": AssistantKind.GRID}


def _require_inspector(actor: Any) -> None:
    if not may_inspect(actor):
        raise Forbidden(_("行政检查由行业部门和市、县两级应急管理部门组织"))


def _body(inp: Inputs, actor: Any, name: str = "enforcement_body") -> Department | None:
    spec = INSPECTION["enforcement_body"].but(name=name)
    body = inp.record(spec, bodies_for(actor))
    if body is not None and not is_legal_body(body):
        inp.error(name, _("执法主体须为具有行政执法权的部门，安委办等议事协调机构不能作为执法主体"))
        return None
    return body


# ---------------------------------------------------------------- plans


def plan_create(*, actor: Any, data: dict[str, Any]) -> Plan:
    _require_inspector(actor)
    inp = Inputs(data)
    department = _body(inp, actor, "department")
    values = inp.read_values([PLAN[n] for n in ("year", "name", "target_total", "random_share")])
    key_ids = inp.read(PLAN["key_enterprises"]) or []
    if department is not None and inp.read(PLAN["key_from_register"]):
        key_ids = list(dict.fromkeys([*key_ids, *register_key_enterprises(department)]))
    keys = list(visible(actor, Enterprise.objects.all()).filter(pk__in=key_ids))
    if len(keys) != len(set(key_ids)):
        inp.error("key_enterprises", _("重点检查企业不存在或不在您的管辖范围内"))
    targets = data.get("targets") or {}
    if not isinstance(targets, dict) or not all(isinstance(v, int) and v >= 0 for v in targets.values()):
        inp.error("targets", _("分类分级目标应为“类别: 户次”的对应表，户次为非负整数"))
    if (
        department is not None
        and values.get("year")
        and Plan.objects.filter(department=department, year=values["year"]).exists()
    ):
        inp.error("year", _("该执法主体本年度已有检查计划"))
    inp.check()
    assert department is not None
    with transaction.atomic():
        plan = Plan.objects.create(department=department, targets=targets, created_by=actor, **values)
        plan.key_enterprises.set(keys)
        audit_record(actor=actor, action="inspections.plan_create", target=plan, changes={"name": [None, plan.name]})
    return plan


def register_key_enterprises(department: Department) -> list[int]:
    """The register's key enterprises of a body: red risk or 重点监管, in its area and categories."""
    qs = Enterprise.objects.filter(region_q("region", subtree_prefix(department.region_id)))
    supervised = list(department.categories.values_list("code", flat=True))
    if supervised:
        qs = qs.filter(category_id__in=supervised)
    return list(qs.filter(Q(risk_level="red") | Q(key_sector=True)).order_by("pk").values_list("pk", flat=True))


# ---------------------------------------------------------------- draws (双随机)


def _codes(text: Any) -> list[str]:
    if isinstance(text, (list, tuple)):
        return [str(x).strip() for x in text if str(x).strip()]
    return [p for p in re.split(r"[、,，;；\s]+", str(text or "")) if p]


def draw_pool(department: Department, *, categories: list[str], risk_levels: list[str]) -> list[tuple[int, str]]:
    """The enterprises a body may draw from: its area, its supervised categories (or the ones
    named), the risk levels named; ordered by id. [(id, risk level)]."""
    qs = Enterprise.objects.filter(region_q("region", subtree_prefix(department.region_id)))
    supervised = list(department.categories.values_list("code", flat=True))
    wanted = categories or supervised
    if wanted:
        qs = qs.filter(category_id__in=wanted)
    if risk_levels:
        qs = qs.filter(risk_level__in=risk_levels)
    return list(qs.order_by("pk").values_list("pk", "risk_level"))


def draw_roster(department: Department) -> list[int]:
    """The body's officers with a valid certificate, ordered by id."""
    return sorted(valid_certificates(department).values_list("user_id", flat=True))


def draw_create(*, actor: Any, data: dict[str, Any]) -> Draw:
    """Draw, store everything the draw used, and create the inspections it pairs (kind random)."""
    _require_inspector(actor)
    inp = Inputs(data)
    department = _body(inp, actor, "department")
    plan = inp.record(DRAW["plan"], Plan.objects.filter(department__in=bodies_for(actor)))
    title = inp.read(DRAW["title"])
    count = inp.read(DRAW["count"])
    seed = inp.read(DRAW["seed"])
    planned_on = inp.read(DRAW["planned_on"]) or timezone.localdate()
    categories = _codes(data.get("categories"))
    risk_levels = _codes(data.get("risk_levels"))
    if any(level not in RISK_CODES for level in risk_levels):
        inp.error("risk_levels", _("风险等级应为 red、orange、yellow、blue"))
    weights = data.get("weights", DEFAULT_WEIGHTS)
    if not isinstance(weights, dict) or not all(
        k in RISK_CODES and isinstance(v, (int, float)) and 0 < v <= 100 for k, v in weights.items()
    ):
        inp.error("weights", _("风险等级权重应为“等级: 权重”，权重为0至100之间的数"))
    inp.check()
    assert department is not None
    year = planned_on.year
    pool_rows = draw_pool(department, categories=categories, risk_levels=risk_levels)
    # 为企业减负: enterprises this body has already visited up to the cap this year are left out.
    full = _at_cap(department, [pk for pk, _risk in pool_rows], year)
    pool_rows = [row for row in pool_rows if row[0] not in full]
    roster = draw_roster(department)
    if len(roster) < draws.PAIR:
        inp.error("department", _("该执法主体持有效执法证的执法人员少于两名，无法抽取"))
    if not pool_rows:
        inp.error("categories", _("抽取范围内没有企业"))
    inp.check()
    pool = [pk for pk, _risk in pool_rows]
    conflicts = sorted(
        InspectorConflict.objects.filter(user_id__in=roster, enterprise_id__in=pool).values_list(
            "user_id", "enterprise_id"
        )
    )
    seed = int(seed) if seed is not None else secrets.randbits(63)
    spec = draws.DrawInput(
        seed=seed,
        pool=pool,
        risk=[risk for _pk, risk in pool_rows],
        roster=roster,
        conflicts=conflicts,
        count=int(count),
        weights={k: float(v) for k, v in weights.items()},
    )
    result = draws.run(spec)
    with transaction.atomic():
        draw = Draw.objects.create(
            department=department,
            plan=plan,
            title=title,
            algorithm=draws.ALGORITHM,
            seed=str(seed),
            pool_filter={"categories": categories, "risk_levels": risk_levels, "year": year},
            pool=[[pk, risk] for pk, risk in pool_rows],
            roster=roster,
            weights=spec.weights,
            conflicts=[list(c) for c in conflicts],
            count=int(count),
            result=result,
            result_hash=draws.result_hash(result),
            created_by=actor,
        )
        _inspections_of_draw(draw, actor, planned_on)
        audit_record(actor=actor, action="inspections.draw", target=draw, changes={"seed": [None, draw.seed]})
    return draw


def _at_cap(department: Department, pool: list[int], year: int) -> set[int]:
    rows = (
        counted(Inspection.objects.filter(enforcement_body=department, planned_on__year=year))
        .values("enterprise_id", "enterprise__category_id")
        .annotate(n=Count("pk"))
    )
    wanted = set(pool)
    caps: dict[str, int] = {}
    full = set()
    for row in rows:
        if row["enterprise_id"] not in wanted:
            continue
        cat = row["enterprise__category_id"]
        if cat not in caps:
            caps[cat] = yearly_cap(Enterprise(category_id=cat))
        if row["n"] >= caps[cat]:
            full.add(row["enterprise_id"])
    return full


def _inspections_of_draw(draw: Draw, actor: Any, planned_on: date) -> None:
    names = {u.pk: u for u in User.objects.filter(pk__in=draw.roster).select_related("officer_certificate")}
    enterprises = Enterprise.objects.in_bulk([row["enterprise"] for row in draw.result if row["inspectors"]])
    for row in draw.result:
        if not row["inspectors"]:
            continue
        officers = [names[pk] for pk in row["inspectors"]]
        _create(
            actor=actor,
            enterprise=enterprises[row["enterprise"]],
            body=draw.department,
            officers=officers,
            assistants=[],
            values={
                "kind": Kind.RANDOM,
                "planned_on": planned_on,
                "items": draw.title,
                "plan": draw.plan,
                "draw": draw,
            },
        )


def draw_verify(draw: Draw) -> dict[str, Any]:
    """Run the draw again from what it stored; `match` says whether the result is identical."""
    spec = draws.DrawInput(
        seed=int(draw.seed),
        pool=[row[0] for row in draw.pool],
        risk=[row[1] for row in draw.pool],
        roster=list(draw.roster),
        conflicts=[(a, b) for a, b in draw.conflicts],
        count=draw.count,
        weights=dict(draw.weights),
    )
    again = draws.run(spec) if draw.algorithm == draws.ALGORITHM else []
    digest = draws.result_hash(again)
    return {
        "match": again == draw.result and digest == draw.result_hash,
        "result_hash": digest,
        "algorithm": draw.algorithm,
    }


# ---------------------------------------------------------------- inspections


def parse_assistants(value: Any) -> list[tuple[str, str]] | None:
    """'王工（专家）、李四（网格员）' or [{"name", "kind"}] → [(name, kind)]; None when unreadable."""
    if value in (None, "", []):
        return []
    found: list[tuple[str, str]] = []
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, dict) or not str(item.get("name", "")).strip():
                return None
            kind = str(item.get("kind") or AssistantKind.OTHER)
            if kind not in AssistantKind.values:
                return None
            found.append((str(item["name"]).strip()[:40], kind))
        return found
    for part in _codes(value):
        match = re.match(r"^(.*?)[（(](.+)[）)]$", part)
        name, word = (match.group(1), match.group(2)) if match else (part, "")
        found.append((name[:40], str(ASSISTANT_WORDS.get(word, AssistantKind.OTHER))))
    return found


def _officers(inp: Inputs, body: Department | None, enterprise: Enterprise | None) -> list[Any]:
    ids = inp.read(INSPECTION["officers"]) or []
    if "officers" in inp.errors:
        return []
    ids = list(dict.fromkeys(ids))
    if len(ids) < draws.PAIR:
        inp.error("officers", _("执法人员不少于两名（国办发〔2024〕54号）"))
        return []
    users = User.objects.filter(pk__in=ids, is_active=True).select_related("officer_certificate")
    found = {u.pk: u for u in users}
    if len(found) != len(ids):
        inp.error("officers", _("执法人员不存在或已停用"))
        return []
    officers = [found[pk] for pk in ids]
    today = timezone.localdate()
    for user in officers:
        cert = getattr(user, "officer_certificate", None)
        if cert is None or not cert.active or not cert.certificate_no or (cert.expires_on and cert.expires_on < today):
            inp.error(
                "officers", _("“%(name)s”没有有效的执法证号，不能作为执法人员，只能作为辅助人员") % {"name": user}
            )
            return []
        if body is not None and user.department_id != body.pk:
            inp.error("officers", _("“%(name)s”不是执法主体“%(body)s”的人员") % {"name": user, "body": body.name})
            return []
    if enterprise is not None:
        conflicted = InspectorConflict.objects.filter(enterprise=enterprise, user_id__in=ids).values_list(
            "user_id", flat=True
        )
        for pk in conflicted:
            inp.error("officers", _("“%(name)s”与该企业存在回避关系，不能参加本次检查") % {"name": found[pk]})
            return []
    return officers


def joint_proposal(enterprise: Enterprise, body: Department | None, around: date) -> list[dict[str, Any]]:
    """综合查一次: other bodies' planned visits of this enterprise within JOINT_WINDOW_DAYS."""
    qs = Inspection.objects.filter(
        enterprise=enterprise,
        status=Status.PLANNED,
        planned_on__range=(around - timedelta(days=JOINT_WINDOW_DAYS), around + timedelta(days=JOINT_WINDOW_DAYS)),
    ).select_related("enforcement_body")
    if body is not None:
        qs = qs.exclude(enforcement_body=body)
    return [{"inspection": i.code, "body": i.enforcement_body.name, "planned_on": i.planned_on.isoformat()} for i in qs]


def inspection_check(*, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    """What a new inspection would meet: the visits so far this year, the cap, the joint proposal."""
    inp = Inputs(data)
    enterprise = inp.record(INSPECTION["enterprise"], visible(actor, Enterprise.objects.all()))
    body = _body(inp, actor)
    planned_on = inp.read(INSPECTION["planned_on"]) or timezone.localdate()
    inp.check()
    assert enterprise is not None and body is not None
    visits = visits_this_year(enterprise, body, planned_on.year)
    cap = yearly_cap(enterprise)
    return {
        "visits": visits,
        "cap": cap,
        "over": visits >= cap,
        "joint": joint_proposal(enterprise, body, planned_on),
        "no_disturb": is_no_disturb(enterprise),
    }


def inspection_create(*, actor: Any, data: dict[str, Any]) -> Inspection:
    """Record an inspection, refusing one that breaks 国办发〔2024〕54号 (a legal body, ≥2
    certified officers of that body, assistants only assisting) or the yearly cap without a reason."""
    _require_inspector(actor)
    inp = Inputs(data)
    enterprise = inp.record(INSPECTION["enterprise"], visible(actor, Enterprise.objects.select_related("region")))
    body = _body(inp, actor)
    officers = _officers(inp, body, enterprise)
    assistants = parse_assistants(data.get("assistants"))
    if assistants is None:
        inp.error("assistants", _("辅助人员应为“姓名（专家）、姓名（网格员）”或姓名与类别的列表"))
    kind = inp.read(INSPECTION["kind"]) or Kind.KEY
    planned_on = inp.read(INSPECTION["planned_on"]) or timezone.localdate()
    items = inp.read(INSPECTION["items"])
    plan = inp.record(INSPECTION["plan"], Plan.objects.filter(department__in=bodies_for(actor)))
    reason = inp.read(INSPECTION["over_cap_reason"])
    note = inp.read(INSPECTION["over_cap_note"])
    joint = _joint_partner(inp, enterprise, body)
    if enterprise is not None and body is not None and "enforcement_body" not in inp.errors:
        if not enterprise.region_id.startswith(_body_prefix(body)):
            inp.error("enterprise", _("被检查企业不在执法主体的管辖区域内（属地管辖）"))
        visits = visits_this_year(enterprise, body, planned_on.year)
        cap = yearly_cap(enterprise)
        if visits >= cap and not reason:
            proposal = joint_proposal(enterprise, body, planned_on)
            hint = (
                _("；建议与%(bodies)s联合检查（综合查一次）") % {"bodies": "、".join(j["body"] for j in proposal)}
                if proposal
                else ""
            )
            inp.error(
                "over_cap_reason",
                _(
                    "%(body)s本年度已检查该企业%(n)s次，达到上限%(cap)s次；确需检查的须选择理由（高风险、举报投诉、复查）"
                )
                % {"body": body.name, "n": visits, "cap": cap}
                + hint,
            )
    inp.check()
    assert enterprise is not None and body is not None
    with transaction.atomic():
        inspection = _create(
            actor=actor,
            enterprise=enterprise,
            body=body,
            officers=officers,
            assistants=assistants or [],
            values={
                "kind": kind,
                "planned_on": planned_on,
                "items": items,
                "plan": plan,
                "over_cap_reason": reason or "",
                "over_cap_note": note or "",
                "joint_code": (joint.joint_code or joint.code) if joint else "",
            },
        )
        if joint is not None and not joint.joint_code:
            Inspection.objects.filter(pk=joint.pk).update(joint_code=joint.code)
            joint.joint_code = joint.code
            changed(joint)  # the change feed (core.changes)
    return inspection


def _joint_partner(inp: Inputs, enterprise: Enterprise | None, body: Department | None) -> Inspection | None:
    """综合查一次: another body's planned inspection of the same enterprise, named by its code."""
    code = inp.read(INSPECTION["joint_with"])
    if not code or enterprise is None:
        return None
    partner = Inspection.objects.filter(code=code.strip().upper(), enterprise=enterprise, status=Status.PLANNED).first()
    if partner is None or (body is not None and partner.enforcement_body_id == body.pk):
        inp.error("joint_with", _("联合检查须为其他执法主体对同一企业的待检查任务"))
        return None
    return partner


def _body_prefix(body: Department) -> str:
    return subtree_prefix(body.region_id)


def _next_code(year: int) -> str:
    prefix = f"JC{year}"
    last = Inspection.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _create(
    *,
    actor: Any,
    enterprise: Enterprise,
    body: Department,
    officers: list[Any],
    assistants: list[tuple[str, str]],
    values: dict[str, Any],
) -> Inspection:
    inspection = Inspection.objects.create(
        code=_next_code(values["planned_on"].year),
        enterprise=enterprise,
        enforcement_body=body,
        created_by=actor,
        **values,
    )
    Participant.objects.bulk_create(
        [
            Participant(
                inspection=inspection,
                role=ParticipantRole.OFFICER,
                user=user,
                name=str(user)[:40],
                certificate_no=user.officer_certificate.certificate_no,
            )
            for user in officers
        ]
        + [
            Participant(inspection=inspection, role=ParticipantRole.ASSISTANT, name=name, assistant_kind=kind)
            for name, kind in assistants
        ]
    )
    chain_append(
        events=InspectionEvent,
        owner=inspection,
        action="create",
        actor=actor,
        at=timezone.now(),
        from_status="",
        payload={
            "enterprise": enterprise.pk,
            "enforcement_body": body.pk,
            "officers": [[u.pk, u.officer_certificate.certificate_no] for u in officers],
            "assistants": [list(a) for a in assistants],
            "kind": str(values["kind"]),
            "planned_on": values["planned_on"].isoformat(),
            "over_cap_reason": values.get("over_cap_reason", ""),
            "draw": values["draw"].pk if values.get("draw") else None,
            "joint_code": values.get("joint_code", ""),
        },
    )
    return inspection


def certificate_set(
    *, actor: Any, user: Any, certificate_no: str, expires_on: date | None = None
) -> OfficerCertificate:
    """Record an officer's enforcement certificate (by a city or county account, or the sysadmin)."""
    if actor.role not in (Role.CITY, Role.COUNTY, Role.SYSADMIN):
        raise Forbidden(_("执法证信息由市、县两级应急管理部门或系统管理员登记"))
    cert, _created = OfficerCertificate.objects.update_or_create(
        user=user, defaults={"certificate_no": certificate_no, "expires_on": expires_on, "active": True}
    )
    audit_record(
        actor=actor, action="inspections.certificate", target=cert, changes={"certificate_no": [None, certificate_no]}
    )
    return cert
