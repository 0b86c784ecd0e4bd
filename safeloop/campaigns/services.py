"""Writes of campaigns: drawing one up (its target list from the filter or the 举一反三 proposal),
changing the list (with a reason once launched), launching (the list frozen, one task per
target), and the tasks' actions. Every change appends an event to the campaign's or the task's
hash chain; state changes go through `campaigns.workflow`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from safeloop.accounts.models import Role, User
from safeloop.campaigns.models import (
    Campaign,
    CampaignEvent,
    Document,
    Finding,
    Kind,
    Milestone,
    Route,
    Status,
    Target,
    Task,
    TaskStatus,
)
from safeloop.campaigns.purpose import source_of
from safeloop.campaigns.selectors import campaign_locked, seed_for
from safeloop.campaigns.targeting import matching, read_filter
from safeloop.campaigns.workflow import CAMPAIGN_FLOW, OPEN, TASK_FLOW, is_organiser
from safeloop.checklists.models import Checklist
from safeloop.checklists.models import Status as ChecklistStatus
from safeloop.checklists.services import checklist_start
from safeloop.core.audit import audit_record
from safeloop.core.chain import chain_append
from safeloop.core.changes import changed_many
from safeloop.core.errors import Conflict, Forbidden, ServiceError, ValidationFailed
from safeloop.core.evidence import evidence_check, evidence_store
from safeloop.core.fields import FieldSpec, choices_of
from safeloop.core.fields import Kind as FieldKind
from safeloop.core.inputs import Inputs
from safeloop.core.inserts import bulk_insert
from safeloop.core.roles import AREA_ROLES
from safeloop.core.scope import department_area, visible
from safeloop.core.transitions import Context
from safeloop.core.workdays import add_workdays
from safeloop.enforcement.selectors import operations_visible
from safeloop.hazards.models import Hazard, Level
from safeloop.hazards.notifications import notify_event
from safeloop.hazards.numbers import next_number
from safeloop.hazards.services import hazard_create
from safeloop.registry.models import Department, Enterprise
from safeloop.registry.selectors import with_supervising_departments
from safeloop.standards.models import Clause

TITLE = FieldSpec(name="title", label=_l("行动名称"), required=True, max_length=200)
KIND = FieldSpec(name="kind", label=_l("行动类型"), kind=FieldKind.CHOICE, required=True, choices=choices_of(Kind))
STARTS = FieldSpec(name="starts_on", label=_l("开始日期"), kind=FieldKind.DATE, required=True)
ENDS = FieldSpec(name="ends_on", label=_l("结束日期"), kind=FieldKind.DATE, required=True)
ROUTE = FieldSpec(name="route", label=_l("任务承办"), kind=FieldKind.CHOICE, choices=choices_of(Route))
DAYS = FieldSpec(name="task_days", label=_l("任务期限（工作日）"), kind=FieldKind.INTEGER, minimum=1, maximum=250)
LEAD = FieldSpec(name="lead_department", label=_l("牵头部门"), kind=FieldKind.REF)
CO = FieldSpec(name="co_departments", label=_l("配合部门"), kind=FieldKind.IDS)
SEED_HAZARD = FieldSpec(name="seed_hazard", label=_l("源头隐患"), kind=FieldKind.REF)
SEED_ACCIDENT = FieldSpec(name="seed_accident", label=_l("源头事故"), kind=FieldKind.REF)
TARGETS = FieldSpec(name="targets", label=_l("对象企业"), kind=FieldKind.IDS)
REASON = FieldSpec(name="reason", label=_l("调整理由"), max_length=300)
DOCUMENT = FieldSpec(name="document", label=_l("行动方案文件"), kind=FieldKind.FILE, accept=".pdf", help=_l("PDF 文件"))
CAMPAIGN_FIELDS = (TITLE, KIND, STARTS, ENDS, ROUTE, DAYS, LEAD, CO, SEED_HAZARD, SEED_ACCIDENT, TARGETS)


def may_organise(actor: User) -> bool:
    return actor.role in AREA_ROLES or actor.role in (Role.DEPARTMENT, Role.SYSADMIN)


def _home_region(actor: User, target_filter: dict[str, Any]) -> str:
    """A campaign belongs to the launching unit's region (a department: its department's region)."""
    if actor.role in AREA_ROLES and actor.region_id:
        return actor.region_id
    if actor.role == Role.DEPARTMENT and actor.department_id:
        area = department_area(actor.department_id)
        if area is not None:
            return area.region
    return str(target_filter.get("region") or "")


# ---------------------------------------------------------------- create


def campaign_create(*, actor: User, data: dict[str, Any]) -> Campaign:
    """Draw up a campaign (草拟中) with its proposed target list; all or nothing."""
    if not may_organise(actor):
        raise Forbidden(_("只有监管部门和属地政府可以发起专项行动"))
    inp = Inputs(data)
    values = inp.read_all(CAMPAIGN_FIELDS)
    _check_dates(inp, values)
    lead = _lead(inp, actor, values)
    co = list(Department.objects.filter(pk__in=values["co_departments"]))
    if len(co) != len(set(values["co_departments"])):
        inp.error(CO.name, _("配合部门不存在"))
    seed = _seed(inp, actor, values)
    target_filter, proposals = _targets(inp, actor, data, values, seed)
    document = _document(data)
    clauses = _clauses(inp, data, seed)
    inp.check()
    with transaction.atomic():
        campaign = _create(actor, values, lead, target_filter, seed)
        campaign.co_departments.set(co)
        campaign.clauses.set(clauses)
        if document is not None:
            _store_document(campaign, actor, document)
        _milestones(campaign, data.get("milestones"))
        rows = [
            {"campaign_id": campaign.pk, "enterprise_id": pk, "score": score, "reasons": why}
            for pk, score, why in proposals
        ]
        bulk_insert(Target, rows)
        payload = {"target_filter": target_filter, "targets": len(proposals), "kind": campaign.kind}
        _event(campaign, actor, "create", "", payload)
    return campaign


def _clauses(inp: Inputs, data: dict[str, Any], seed: Any) -> list[Clause]:
    """The focus clauses (重点条款) by id, and a seed hazard's own clause."""
    raw = data.get("clauses") or []
    ids = [
        str(c).strip()
        for c in (raw if isinstance(raw, list) else str(raw).replace("，", ",").split(","))
        if str(c).strip()
    ]
    found = list(Clause.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        unknown = sorted(set(ids) - {c.pk for c in found})
        inp.error("clauses", _("重点条款不存在：%(ids)s") % {"ids": "、".join(unknown)})
    if isinstance(seed, Hazard) and seed.clause is not None and seed.clause_id not in {c.pk for c in found}:
        found.append(seed.clause)
    return found


def _document(data: dict[str, Any]) -> Any:
    """The launching document (行动方案, PDF), checked before anything is saved."""
    upload = data.get(DOCUMENT.name)
    if not upload or isinstance(upload, str):
        return None
    try:
        evidence_check(upload=upload)
    except ServiceError as exc:  # 413 / 415 as they are, naming this field
        raise type(exc)(exc.message, fields={DOCUMENT.name: exc.message}, code=exc.code) from None
    return upload


def _store_document(campaign: Campaign, actor: User, upload: Any) -> None:
    stored = evidence_store(upload=upload, folder=f"campaigns/{campaign.code}")
    Document.objects.create(
        campaign=campaign,
        **stored.file_fields(),
        uploaded_by=actor,
    )


def _check_dates(inp: Inputs, values: dict[str, Any]) -> None:
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if ends and ends < timezone.localdate():
        inp.error(ENDS.name, _("结束日期不能早于今天"))
    elif starts and ends and ends < starts:
        inp.error(ENDS.name, _("结束日期不能早于开始日期"))


def _lead(inp: Inputs, actor: User, values: dict[str, Any]) -> Department | None:
    """The named lead department; a department launching one leads it unless it names another."""
    if values.get(LEAD.name):
        return inp.record(LEAD, Department.objects.all(), missing=_("牵头部门不存在"))
    if actor.role == Role.DEPARTMENT and actor.department_id:
        return Department.objects.get(pk=actor.department_id)
    return None


def _seed(inp: Inputs, actor: User, values: dict[str, Any]) -> Hazard | Any | None:
    hazard, accident = values.get(SEED_HAZARD.name), values.get(SEED_ACCIDENT.name)
    if hazard and accident:
        inp.error(SEED_HAZARD.name, _("源头隐患和源头事故只能选择其一"))
        return None
    if not (hazard or accident):
        if values.get(KIND.name) == Kind.DRAGNET:
            inp.error(SEED_HAZARD.name, _("举一反三行动须选择源头隐患或事故"))
        return None
    try:
        return seed_for(actor, hazard=hazard, accident=accident)
    except ValidationFailed as exc:
        for name, message in exc.fields.items():
            inp.error(name, message)
        return None


def _targets(
    inp: Inputs, actor: User, data: dict[str, Any], values: dict[str, Any], seed: Any
) -> tuple[dict[str, Any], list[tuple[int, float, list[str]]]]:
    """The stored filter and the (enterprise, score, reasons) of the proposed list."""
    chosen = set(values[TARGETS.name])
    if values.get(KIND.name) == Kind.DRAGNET and seed is not None:
        from safeloop.campaigns.selectors import seed_proposals

        proposals = seed_proposals(actor, seed, str((data.get("target_filter") or {}).get("region") or ""))
        found = [(p.enterprise.pk, p.score, p.reasons) for p in proposals if not chosen or p.enterprise.pk in chosen]
        extra = chosen - {pk for pk, _s, _r in found}
        if extra:
            inp.error(TARGETS.name, _("所选企业不在举一反三的建议名单内或不在您的管辖范围内"))
        if not found and not inp.errors:
            inp.error(TARGETS.name, _("没有找到同类企业，对象名单不能为空"))
        return {"seed": True, "region": _home_region(actor, {})}, found
    try:
        target_filter = read_filter(actor, data.get("target_filter"))
    except ValidationFailed as exc:
        for name, message in exc.fields.items():
            inp.error(name, message)
        return {}, []
    ids = list(matching(actor, target_filter).values_list("pk", flat=True))
    if not ids:
        inp.error("target_filter", _("对象范围内没有企业"))
    return target_filter, [(pk, 0.0, []) for pk in ids]


def _create(actor: User, values: dict[str, Any], lead: Department | None, target_filter: dict, seed: Any) -> Campaign:
    region = _home_region(actor, target_filter)
    year = timezone.localdate().year
    campaign = Campaign.objects.create(
        code=f"ZX-{region[:6]}-{year}-{next_number(f'ZX-{region[:6]}', year):04d}",
        title=values["title"],
        kind=values["kind"],
        region_id=region,
        lead_department=lead,
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        target_filter=target_filter,
        route=values.get("route") or Route.ENTERPRISE,
        task_days=values.get("task_days") or 20,
        seed_hazard=seed if isinstance(seed, Hazard) else None,
        seed_accident=seed if seed is not None and not isinstance(seed, Hazard) else None,
        created_by=actor,
    )
    return campaign


def _milestones(campaign: Campaign, raw: Any) -> None:
    rows = raw if isinstance(raw, list) else []
    inp = Inputs({})
    made = []
    for n, row in enumerate(rows, 1):
        row_inp = Inputs(row if isinstance(row, dict) else {})
        title = row_inp.text("title", _("节点"), required=True, max_length=100)
        due = row_inp.date("due_on", _("完成时限"), required=True)
        for name, message in row_inp.errors.items():
            inp.error(f"milestones.{n}.{name}", _("第%(n)s个节点：%(m)s") % {"n": n, "m": message})
        if title and due:
            made.append(Milestone(campaign=campaign, title=title, due_on=due))
    inp.check()
    Milestone.objects.bulk_create(made)


def _event(campaign: Campaign, actor: User, action: str, from_status: str, payload: dict) -> CampaignEvent:
    event = chain_append(
        events=CampaignEvent,
        owner=campaign,
        action=action,
        actor=actor,
        at=timezone.now(),
        from_status=from_status,
        payload=payload,
    )
    assert isinstance(event, CampaignEvent)
    return event


# ---------------------------------------------------------------- the target list


def target_add(*, actor: User, campaign_id: int, enterprise_id: Any, reason: str, version: Any = None) -> Target:
    """Add one enterprise (in the actor's scope). Once launched: a reason is required and its task is created."""
    with transaction.atomic():
        campaign = _locked_for_change(actor, campaign_id, version)
        inp = Inputs({"enterprise": enterprise_id, "reason": reason})
        enterprise = inp.record(
            FieldSpec(name="enterprise", label=_l("企业"), kind=FieldKind.REF), visible(actor, Enterprise.objects.all())
        )
        why = _reason(inp, campaign)
        inp.check()
        assert enterprise is not None
        target, created = Target.objects.get_or_create(campaign=campaign, enterprise=enterprise)
        if not created and target.removed_at is None:
            raise Conflict(_("该企业已在对象名单中"), code="duplicate")
        target.removed_at, target.change_reason = None, why
        target.added_after_launch = campaign.status != Status.DRAFT
        target.save()
        if campaign.status == Status.LAUNCHED:
            _make_tasks(campaign, [enterprise.pk], timezone.localdate())
        _bump(campaign)
        _event(campaign, actor, "add_target", campaign.status, {"enterprise": enterprise.pk, "reason": why})
        return target


def target_remove(*, actor: User, campaign_id: int, enterprise_id: Any, reason: str, version: Any = None) -> Target:
    """Take one enterprise off the list; once launched its open task is cancelled, with the reason."""
    with transaction.atomic():
        campaign = _locked_for_change(actor, campaign_id, version)
        inp = Inputs({"reason": reason})
        why = _reason(inp, campaign)
        target = Target.objects.filter(
            campaign=campaign, enterprise_id=_int(enterprise_id) or 0, removed_at=None
        ).first()
        if target is None:
            inp.error("enterprise", _("该企业不在对象名单中"))
        inp.check()
        assert target is not None
        target.removed_at, target.change_reason = timezone.now(), why
        target.save(update_fields=["removed_at", "change_reason"])
        for task in Task.objects.filter(campaign=campaign, enterprise_id=target.enterprise_id, status__in=OPEN):
            TASK_FLOW.act(pk=task.pk, actor=actor, action="cancel", version=task.version, data={"reason": why})
        _bump(campaign)
        _event(campaign, actor, "remove_target", campaign.status, {"enterprise": target.enterprise_id, "reason": why})
        return target


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _locked_for_change(actor: User, campaign_id: int, version: Any) -> Campaign:
    campaign = campaign_locked(actor, campaign_id, version)
    if not is_organiser(actor, campaign):
        raise Forbidden(_("只有发起单位可以调整对象名单"))
    if campaign.status == Status.CLOSED:
        raise Conflict(_("行动已结束，对象名单不能再调整"), code="wrong_state")
    return campaign


def _reason(inp: Inputs, campaign: Campaign) -> str:
    required = campaign.status != Status.DRAFT
    return inp.read(REASON.but(required=required)) or ""


def _bump(campaign: Campaign) -> None:
    campaign.version += 1
    campaign.save(update_fields=["version", "updated_at"])


# ---------------------------------------------------------------- launch


def campaign_launch(*, actor: User, campaign_id: int, version: Any) -> Campaign:
    return CAMPAIGN_FLOW.act(pk=campaign_id, actor=actor, action="launch", version=version)


def campaign_close(*, actor: User, campaign_id: int, version: Any) -> Campaign:
    return CAMPAIGN_FLOW.act(pk=campaign_id, actor=actor, action="close", version=version)


def run_launch(ctx: Context) -> dict[str, Any]:
    """Freeze the list: the targets now on it get their tasks; the event records exactly who."""
    campaign: Campaign = ctx.obj
    if campaign.ends_on < ctx.today:
        ctx.inp.error("ends_on", _("结束日期已过，不能启动"))
    ids = list(
        campaign.targets.filter(removed_at=None).order_by("enterprise_id").values_list("enterprise_id", flat=True)
    )
    if not ids:
        ctx.inp.error("targets", _("对象名单为空，不能启动"))
    ctx.inp.check()
    deadline = _make_tasks(campaign, ids, ctx.today)
    campaign.launched_at = ctx.now
    return {"targets": ids, "count": len(ids), "deadline": deadline.isoformat()}


def _make_tasks(campaign: Campaign, enterprise_ids: list[int], today: date) -> date:
    deadline = min(add_workdays(today, campaign.task_days).date, max(campaign.ends_on, today))
    first = Task.objects.filter(campaign=campaign).count() + 1
    departments = _departments(campaign, enterprise_ids)
    rows = [
        {
            "code": f"{campaign.code}-{n:05d}",
            "campaign_id": campaign.pk,
            "enterprise_id": pk,
            "route": campaign.route,
            "department_id": departments.get(pk),
            "deadline": deadline,
        }
        for n, pk in enumerate(enterprise_ids, first)
    ]
    last = Task.objects.aggregate(last=Max("pk"))["last"] or 0
    bulk_insert(Task, rows)  # executemany: 20,000 tasks in well under the 5 s
    made = Task.objects.filter(campaign=campaign, pk__gt=last).select_related("enterprise").order_by("pk")
    changed_many(list(made))  # the change feed (core.changes)
    return deadline


def _departments(campaign: Campaign, enterprise_ids: list[int]) -> dict[int, int | None]:
    """The supervising department of each target: who acts on a department-routed task, and the
    board's grouping by department for every route (as it was at launch)."""
    found: dict[int, int | None] = {}
    for start in range(0, len(enterprise_ids), 5000):  # bounded IN lists (SQLite's variable limit)
        chunk = Enterprise.objects.filter(pk__in=enterprise_ids[start : start + 5000])
        for e in with_supervising_departments(list(chunk)):
            found[e.pk] = e.supervising_department.pk if e.supervising_department else None
    return found


# ---------------------------------------------------------------- tasks


def task_act(*, actor: User, task_id: int, action: str, version: Any, data: dict | None = None) -> Task:
    return TASK_FLOW.act(pk=task_id, actor=actor, action=action, version=version, data=data)


def run_start(ctx: Context) -> dict[str, Any]:
    """An enterprise's task opens its checklist: the one being filled in, or a new one."""
    task: Task = ctx.obj
    if ctx.actor.role != Role.ENTERPRISE:
        return {}
    if task.route != Route.ENTERPRISE:
        ctx.inp.error("route", _("该任务由属地或监管部门承办"))
        ctx.inp.check()
    checklist = Checklist.objects.filter(enterprise_id=task.enterprise_id, status=ChecklistStatus.IN_PROGRESS).first()
    reused = checklist is not None
    if checklist is None:
        focus = list(task.campaign.clauses.order_by("standard_id", "pk"))
        checklist = checklist_start(actor=ctx.actor, focus=focus)
    task.checklist = checklist
    return {"checklist": checklist.code, "reused": reused}


def run_complete(ctx: Context) -> dict[str, Any]:
    """A township or department records what it found: each line a hazard in the loop."""
    task: Task = ctx.obj
    from safeloop.campaigns.workflow import FINDINGS, NOTE

    note = ctx.inp.read(NOTE)
    lines = [line.strip() for line in (ctx.inp.read(FINDINGS) or "").splitlines() if line.strip()]
    ctx.inp.check()
    codes = [_finding(ctx, task, line).code for line in lines]
    task.note, task.completed_at = note, ctx.now
    return {"note": note, "hazards": codes}


def _finding(ctx: Context, task: Task, description: str) -> Hazard:
    values = {
        "enterprise": task.enterprise,
        "description": description[:4000],
        "location": "",
        "nature": "",
        "level": Level.GENERAL,
        "clause": None,
        "source": source_of(task.campaign.kind),
        "finder_name": str(ctx.actor),
        "found_on": ctx.today,
    }
    hazard, event = hazard_create(
        actor=ctx.actor, values=values, payload={"campaign": task.campaign.code, "campaign_task": task.code}
    )
    Finding.objects.create(task=task, hazard=hazard)
    transaction.on_commit(lambda: notify_event(hazard_id=hazard.pk, event_id=event.pk))
    return hazard


def run_checklist_done(ctx: Context) -> dict[str, Any]:
    task: Task = ctx.obj
    task.completed_at = ctx.now
    return {"checklist": task.checklist.code if task.checklist else "", "hazards": ctx.inp.data.get("hazards", [])}


def run_cancel(ctx: Context) -> dict[str, Any]:
    from safeloop.campaigns.workflow import REASON as CANCEL_REASON

    reason = ctx.inp.read(CANCEL_REASON)
    ctx.inp.check()
    return {"reason": reason}


def tasks_checklist_submitted(*, checklist: Checklist, actor: User, hazards: list[Hazard]) -> None:
    """The checklist's hazards are the task's findings, and the task is done (`checklists.purposes`)."""
    tasks = list(Task.objects.filter(checklist=checklist, status=TaskStatus.IN_PROGRESS).order_by("pk"))
    if tasks:  # a hazard belongs to one task: the first campaign that opened the checklist
        Finding.objects.bulk_create([Finding(task=tasks[0], hazard=h) for h in hazards])
    for task in tasks:
        data = {"hazards": [h.code for h in hazards]}
        TASK_FLOW.act(pk=task.pk, actor=actor, action="checklist_done", version=task.version, data=data)


# ---------------------------------------------------------------- 打非治违 operations (issue 17)


def campaign_link_operation(*, actor: User, campaign: Campaign, operation_id: Any) -> Campaign:
    """List a joint operation (enforcement.Operation) the actor can see under the campaign; the
    organiser links it, an operation outside the actor's scope is as missing."""
    if not is_organiser(actor, campaign):
        raise Forbidden(_("由行动的组织单位关联联合执法行动"))
    inp = Inputs({"operation": operation_id})
    spec = FieldSpec("operation", _l("联合执法行动"), FieldKind.REF, required=True)
    operation = inp.record(spec, operations_visible(actor))
    inp.check()
    assert operation is not None  # inp.check() refused a missing one
    with transaction.atomic():
        campaign.operations.add(operation)
        audit_record(
            actor=actor,
            action="campaigns.link_operation",
            target=campaign,
            changes={"operations": [None, operation.pk]},
        )
    return campaign
