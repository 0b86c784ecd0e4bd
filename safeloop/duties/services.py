"""Writes of duties: every change through here, under the scope rules and the unit's rights.

- a unit's users (its department's, its region's government) update its tasks, upload evidence
  and record its drills; the city (安委办) and system administrators act for any unit they see;
- the assessing region's users score manual items and close the scheme; closing freezes the
  result (`core.seals.record_seal` of the canonical JSON) so later data changes move nothing;
- a change of a post's holder ends the current row (history kept).
Every change of a task appends to its event chain (`TaskEvent`).
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.chain import canonical, chain_append
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.core.evidence import evidence_store
from safeloop.core.inputs import Inputs
from safeloop.core.roles import Role
from safeloop.core.seals import record_seal, sealed_bytes
from safeloop.duties.models import (
    Accountability,
    AccountabilityKind,
    Drill,
    DrillPhoto,
    Evidence,
    ManualScore,
    Milestone,
    PositionHolder,
    ProgressReport,
    Scheme,
    SchemeItem,
    SchemeStatus,
    Task,
    TaskEvent,
    TaskStatus,
    Trigger,
    Unit,
)
from safeloop.duties.scoring import as_json, compute
from safeloop.duties.selectors import task_get, unit_get, units_visible

DATA = Path(__file__).resolve().parent / "data"
SEAL_KIND = "duties.assessment"
JSON = "application/json"


# ---------------------------------------------------------------- rights


def acts_for(user: Any, unit: Unit) -> bool:
    """May the user act for this unit (update its tasks, record its drills)?"""
    if user.role in (Role.SYSADMIN, Role.CITY):
        return units_visible(user).filter(pk=unit.pk).exists()
    if user.role == Role.DEPARTMENT:
        return unit.department_id is not None and unit.department_id == user.department_id
    if user.role in (Role.COUNTY, Role.TOWNSHIP):
        return unit.department_id is None and unit.region_id == user.region_id
    return False


def may_assess(user: Any, scheme: Scheme) -> bool:
    if user.role == Role.SYSADMIN:
        return True
    return user.role == Role.CITY and user.region_id == scheme.region_id


# ---------------------------------------------------------------- the scheme


def scheme_load(*, region_id: str, year: int, title: str) -> Scheme:
    """The scheme of data/scheme.csv for a region and year (idempotent)."""
    scheme, _created = Scheme.objects.get_or_create(
        region_id=region_id,
        year=year,
        defaults={"title": title, "source": "data/scheme.csv（平台假设，待市安委办印发的考核办法替换）"},
    )
    with (DATA / "scheme.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    for sort, row in enumerate(rows):
        SchemeItem.objects.update_or_create(
            scheme=scheme,
            code=row["code"],
            defaults={
                "title": row["title"],
                "applies": row["applies"],
                "weight": Decimal(row["weight"]),
                "rule": row["rule"],
                "measure": row["measure"],
                "params": json.loads(row["params"] or "{}"),
                "rule_text": row["rule_text"],
                "sort": sort,
            },
        )
    return scheme


def _open_scheme(scheme: Scheme) -> Scheme:
    locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if locked.status == SchemeStatus.CLOSED:
        raise Conflict(_("该年度考核已终结，结果已封存，不能再修改"), code="assessment_closed")
    return locked


def manual_score_set(*, actor: Any, scheme: Scheme, item_code: str, unit_id: Any, data: dict[str, Any]) -> ManualScore:
    if not may_assess(actor, scheme):
        raise Forbidden(_("只有考核主体（市安委办）可以评分"))
    with transaction.atomic():
        scheme = _open_scheme(scheme)
        item = scheme.items.filter(code=item_code, rule="manual").first()
        if item is None:
            raise NotFound()
        unit = unit_get(actor, unit_id)
        inp = Inputs(data)
        score = inp.decimal("score", _("得分"), required=True, minimum=Decimal(0), maximum=Decimal(item.weight))
        reason = inp.text("reason", _("评分理由"), required=True, max_length=300)
        evidence = inp.text("evidence", _("佐证材料"), required=True, max_length=300)
        inp.check()
        assert score is not None
        found, _created = ManualScore.objects.update_or_create(
            item=item, unit=unit, defaults={"score": score, "reason": reason, "evidence": evidence, "assessor": actor}
        )
        Scheme.objects.filter(pk=scheme.pk).update(version=scheme.version + 1)
        return found


def scheme_close(*, actor: Any, scheme: Scheme, version: int | None = None) -> Scheme:
    """Freeze the result: the scores as canonical JSON, sealed (hash-chained record, stored bytes
    under their SHA-256). The scheme then reads only the frozen result."""
    if not may_assess(actor, scheme):
        raise Forbidden(_("只有考核主体（市安委办）可以终结考核"))
    with transaction.atomic():
        locked = _open_scheme(scheme)
        if version is not None and locked.version != version:
            raise Conflict(_("考核方案已被他人修改，请刷新后重试"), code="stale_version")
        now = timezone.now()
        result = {
            "scheme": locked.pk,
            "region": locked.region_id,
            "year": locked.year,
            "title": locked.title,
            "closed_at": now.isoformat(),
            "items": [
                {"code": i.code, "title": i.title, "weight": str(i.weight), "rule": i.rule, "rule_text": i.rule_text}
                for i in locked.items.all()
            ],
            "units": as_json(compute(locked)),
        }
        record = record_seal(
            kind=SEAL_KIND,
            title=f"{locked.title}（终结结果）",
            number=f"{locked.region_id}-{locked.year}",
            issuer=str(locked.region.name),
            issued_on=timezone.localdate(),
            content=canonical(result),
            content_type=JSON,
            target=locked,
            actor=actor,
        )
        locked.status, locked.closed_at, locked.sealed = SchemeStatus.CLOSED, now, record
        locked.version += 1
        locked.save(update_fields=["status", "closed_at", "sealed", "version"])
        return locked


def frozen_result(scheme: Scheme) -> dict[str, Any]:
    """The sealed result; `core.seals.SealBroken` if its bytes no longer match their hash."""
    assert scheme.sealed is not None
    return json.loads(sealed_bytes(scheme.sealed))


# ---------------------------------------------------------------- tasks


def _locked_task(actor: Any, pk: Any, version: Any) -> Task:
    task_get(actor, pk)
    task = Task.objects.select_for_update().select_related("lead_unit").get(pk=int(pk))
    if not acts_for(actor, task.lead_unit):
        raise Forbidden(_("只有牵头单位可以更新该任务"))
    if version not in (None, "") and str(task.version) != str(version).strip():
        raise Conflict(
            _("该年度任务已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": task.version}, code="stale_version"
        )
    return task


def _event(task: Task, actor: Any, action: str, from_status: str, payload: dict, attachments=None) -> None:
    chain_append(
        events=TaskEvent,
        owner=task,
        action=action,
        actor=actor,
        at=timezone.now(),
        from_status=from_status,
        payload=payload,
        attachments=attachments,
    )


def task_update(*, actor: Any, pk: Any, data: dict[str, Any]) -> Task:
    """PATCH: status, percent, completed_on, a milestone done, a month's progress; `version` checked."""
    with transaction.atomic():
        task = _locked_task(actor, pk, data.get("version"))
        inp = Inputs(data)
        before = {"status": task.status, "percent": task.percent, "completed_on": task.completed_on}
        changes: dict[str, Any] = {}
        if "status" in data:
            changes["status"] = inp.choice("status", _("状态"), TaskStatus, required=True)
        if "percent" in data:
            changes["percent"] = inp.integer("percent", _("完成百分比"), required=True, minimum=0, maximum=100)
        if "completed_on" in data:
            changes["completed_on"] = inp.date("completed_on", _("完成日期"), not_future=True)
        milestone = None
        if data.get("milestone_done") not in (None, ""):
            milestone = task.milestones.filter(
                pk=inp.integer("milestone_done", _("完成节点"), required=True) or 0
            ).first()
            if milestone is None and "milestone_done" not in inp.errors:
                inp.error("milestone_done", _("完成节点不是该任务的节点"))
        month = progress = None
        if data.get("progress_pct") not in (None, ""):
            progress = inp.integer("progress_pct", _("累计形象进度"), required=True, minimum=0, maximum=100)
            month = inp.date("month", _("月份"), required=True, not_future=True)
        inp.check()
        if changes.get("status") == TaskStatus.DONE:
            changes.setdefault("completed_on", task.completed_on or timezone.localdate())
            changes["percent"] = 100
        for name, value in changes.items():
            setattr(task, name, value)
        if task.status == TaskStatus.DONE and not task.completed_on:
            raise ValidationFailed.from_fields({"completed_on": _("已完成的任务须填写完成日期")})
        if progress is not None and month is not None:
            ProgressReport.objects.update_or_create(
                task=task,
                month=month.replace(day=1),
                defaults={"progress_pct": progress, "note": str(data.get("note", ""))[:300]},
            )
            task.percent = progress
            if task.status == TaskStatus.NOT_STARTED and progress > 0:
                task.status = TaskStatus.IN_PROGRESS
        if milestone is not None and milestone.done_on is None:
            milestone.done_on = timezone.localdate()
            milestone.save(update_fields=["done_on"])
        task.version += 1
        task.save()
        payload = {k: str(v) if isinstance(v, date) else v for k, v in changes.items()}
        if progress is not None:
            payload |= {"progress_pct": progress, "month": month.isoformat() if month else ""}
        if milestone is not None:
            payload["milestone_done"] = milestone.title
        payload["before"] = {k: str(v) if isinstance(v, date) else v for k, v in before.items()}
        _event(task, actor, "update", str(before["status"]), payload)
        return task


def evidence_add(*, actor: Any, pk: Any, upload: Any, note: str = "", milestone_id: Any = None) -> Evidence:
    """A photo or PDF proving a task's work: type sniffed, size limited (`core.evidence`: 413/415)."""
    if upload is None:
        raise ValidationFailed.from_fields({"file": _("请选择要上传的照片或证明文件")})
    with transaction.atomic():
        task = _locked_task(actor, pk, None)
        stored = evidence_store(upload=upload, folder="duties")
        milestone = task.milestones.filter(pk=milestone_id).first() if str(milestone_id or "").isdigit() else None
        evidence = Evidence.objects.create(
            task=task, milestone=milestone, note=str(note)[:200], uploaded_by=actor, **stored.file_fields()
        )
        task.version += 1
        task.save(update_fields=["version", "updated_at"])
        _event(task, actor, "evidence", task.status, {"file": stored.original_name}, [stored.sha256])
        return evidence


def task_create(*, actor: Any, data: dict[str, Any], milestones: list[dict] = (), co_units: list[Unit] = ()) -> Task:  # type: ignore[assignment]
    """A task of the year's work plan (seeded from the plan; the 安委办 adds more)."""
    with transaction.atomic():
        task = Task.objects.create(**data)
        task.co_units.set(co_units)
        for m in milestones:
            Milestone.objects.create(task=task, **m)
        _event(task, actor, "create", "", {"title": task.title, "due_on": task.due_on.isoformat(), "code": task.code})
        return task


# ---------------------------------------------------------------- people, drills, accountability


def holder_change(*, position: Any, person_name: str, user: Any = None, started_on: date) -> PositionHolder:
    """A new holder of a post: the current one's term ends the day before (history kept)."""
    with transaction.atomic():
        current = PositionHolder.objects.select_for_update().filter(position=position, ended_on=None).first()
        if current is not None:
            if started_on <= current.started_on:
                raise ValidationFailed.from_fields({"started_on": _("任职日期须晚于现任者的任职日期")})
            current.ended_on = started_on - timedelta(days=1)
            current.save(update_fields=["ended_on"])
        return PositionHolder.objects.create(
            position=position, person_name=person_name, user=user, started_on=started_on
        )


def drill_record(*, actor: Any, unit: Unit, data: dict[str, Any], photos: list[Any] = ()) -> Drill:  # type: ignore[assignment]
    if not acts_for(actor, unit):
        raise Forbidden(_("只能登记本单位组织的应急演练"))
    inp = Inputs(data)
    held_on = inp.date("held_on", _("演练日期"), required=True, not_future=True)
    plan = inp.text("plan", _("演练预案"), required=True, max_length=200)
    participants = inp.integer("participants", _("参演人数"), required=True, minimum=1, maximum=100000)
    note = inp.text("note", _("演练情况"), max_length=500)
    inp.check()
    assert held_on is not None and participants is not None
    with transaction.atomic():
        drill = Drill.objects.create(
            unit=unit, held_on=held_on, plan=plan, participants=participants, note=note, created_by=actor
        )
        for upload in photos:
            DrillPhoto.objects.create(
                drill=drill, uploaded_by=actor, **evidence_store(upload=upload, folder="drills").file_fields()
            )
        return drill


def accountability_record(*, actor: Any, unit: Unit, data: dict[str, Any]) -> Accountability:
    if actor.role not in (Role.SYSADMIN, Role.CITY, Role.COUNTY):
        raise Forbidden(_("只有安委办可以登记追责记录"))
    if not units_visible(actor).filter(pk=unit.pk).exists():
        raise NotFound()
    inp = Inputs(data)
    values = {
        "kind": inp.choice("kind", _("方式"), AccountabilityKind, required=True),
        "decided_on": inp.date("decided_on", _("日期"), required=True, not_future=True),
        "reason": inp.text("reason", _("事由"), required=True, max_length=300),
        "trigger": inp.choice("trigger", _("起因"), Trigger, required=True),
        "decided_by": inp.text("decided_by", _("决定机关"), required=True, max_length=80),
    }
    inp.check()
    links = {f"{k}_id": data[k] for k in ("hazard", "task", "accident") if data.get(k) is not None}
    return Accountability.objects.create(unit=unit, created_by=actor, **values, **links)


# ---------------------------------------------------------------- duty lists


def duty_items_of(kind: str) -> list[dict[str, str]]:
    """The items of data/duty_items.csv for a list kind."""
    with (DATA / "duty_items.csv").open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(line for line in fh if not line.startswith("#")) if row["list"] == kind]


def duty_list_create(
    *,
    unit: Unit | None,
    kind: str,
    year: int,
    title: str,
    statement: str,
    positions: dict[str, Any],
    published_on: date,
) -> Any:
    """A new version of a unit's list for a year, its items from data/duty_items.csv bound to the
    unit's posts (`positions`: position kind → Position). An earlier version stays as it was."""
    from safeloop.duties.models import DutyItem, DutyList

    with transaction.atomic():
        last = DutyList.objects.filter(unit=unit, kind=kind, year=year).order_by("-version").first()
        duty_list = DutyList.objects.create(
            unit=unit,
            kind=kind,
            year=year,
            version=(last.version + 1) if last else 1,
            title=title,
            statement=statement,
            source="data/duty_items.csv",
            published_on=published_on,
        )
        DutyItem.objects.bulk_create(
            DutyItem(
                duty_list=duty_list,
                position=positions.get(row["position"]),
                text=row["text"],
                basis=row["basis"],
                measure=row["measure"],
                sort=i,
            )
            for i, row in enumerate(duty_items_of(kind))
        )
        return duty_list
