"""A plausible year of hazards for the demo city, in every state of the loop.

Each hazard is found on a day of the past year and walked forward through the six links with
realistic delays; it stops where "today" cuts it off, so recent hazards are early in the loop
and old ones closed or looked back at. Some are withdrawn, extended, rejected, overdue and
escalated, recurred, or major with both signatures. Deterministic for a given seed.
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import cycle
from zoneinfo import ZoneInfo

from django.core.files import File
from django.utils import timezone
from PIL import Image

from safeloop.accounts.models import User
from safeloop.core.evidence import StoredEvidence, evidence_store
from safeloop.core.workdays import WorkdayCalendar
from safeloop.demo.batches import batches
from safeloop.experts.selectors import expert_enterprise_ids
from safeloop.hazards.history import Act, HazardWithHistory, hazards_bulk_create
from safeloop.hazards.issuers import IssuingBody, issuing_body_of
from safeloop.hazards.models import (
    Acceptor,
    Attachment,
    Escalation,
    EvidenceKind,
    Hazard,
    Level,
    NumberSequence,
    Source,
    Status,
)
from safeloop.registry.models import Enterprise

PER_ENTERPRISE = 5  # ~25,000 hazards for the demo city; 1,000,000 at --scale 40
BATCH = 5000
SOURCE_WEIGHTS = {
    Source.SELF_CHECK: 50,
    Source.REGULATOR: 20,
    Source.TOWNSHIP_PATROL: 10,
    Source.EXPERT: 8,
    Source.INTERNAL_REPORT: 6,
    Source.PUBLIC_REPORT: 3,
    Source.DRAGNET: 3,
}
GENERAL = [
    "消防通道堆放杂物",
    "灭火器压力不足",
    "配电箱未接地",
    "安全出口指示灯损坏",
    "员工未佩戴安全帽",
    "电气线路私拉乱接",
    "特种作业人员证件过期",
    "安全警示标志缺失",
    "防护栏杆松动",
    "应急预案未演练",
    "危化品存放未分区",
    "叉车未定期检验",
    "动火作业未审批",
    "有限空间未设警示标识",
    "隐患排查台账不完整",
]
MAJOR = [
    ("粉尘爆炸危险场所除尘系统未采取泄爆、惰化、抑爆措施", "GM10-11-03"),
    ("涉氨制冷速冻间作业人员超过9人", "GM10-12-02"),
    ("有限空间作业未执行先通风、再检测、后作业", "GM10-13-02"),
    ("可燃气体泄漏区域未设置检测报警装置", "HG121-12"),
    ("特种作业人员未持证上岗", "GM10-03-02"),
]
ESCALATE_AFTER = (1, 5, 10)
# What the demo accounts find waiting for their signatures (专家+企业主要负责人双签字) at each of
# their enterprises: a major hazard found in the last days, before its confirmation, and one
# found about a month ago whose rectification was just submitted, before its acceptance. The
# value is how many days ago it was found.
WORKLIST = {Status.REPORTED: 0, Status.AWAITING_ACCEPTANCE: 30}
WORKLIST_TRIES = 2000


def seed_hazards(*, seed: int, progress: Callable[[str], None], today: date | None = None) -> int:
    today = today or timezone.localdate()
    _issuing_body.cache_clear()
    rng = random.Random(seed)
    calendar = WorkdayCalendar(today - timedelta(days=400), today + timedelta(days=400))
    counters: dict[tuple[str, int], int] = defaultdict(int)
    enterprises = list(Enterprise.objects.select_related("region__parent").order_by("pk"))
    total = len(enterprises) * PER_ENTERPRISE
    found = recurred = 0
    _PHOTOS.update(_demo_photos())
    for batch in batches(_generate(rng, enterprises, today, calendar, counters), BATCH):
        found += hazards_bulk_create(items=batch)
        recurred += hazards_bulk_create(items=[_recurrence(item, counters) for item in batch if _recurred(item)])
        # The share is of the hazards found; recurrences (复发, new hazards of their own) come on top.
        progress(f"隐患 {found + recurred:,} 条（{min(found * 100 // max(total, 1), 100)}%）")
    NumberSequence.objects.bulk_create([NumberSequence(key=k, year=y, last=n) for (k, y), n in counters.items()])
    return found + recurred


def _generate(rng, enterprises, today, calendar, counters) -> Iterator[HazardWithHistory]:
    days = sorted(rng.randint(0, 364) for _ in range(len(enterprises) * PER_ENTERPRISE))
    demo_enterprises = _demo_enterprises(enterprises)
    demo = cycle(demo_enterprises or enterprises)
    waiting = sorted(WORKLIST.items(), key=lambda item: -item[1])
    for index, back in enumerate(reversed(days)):  # oldest first, so numbers follow discovery order
        while waiting and back <= waiting[0][1]:
            yield from _worklist(rng, demo_enterprises, *waiting.pop(0), today, calendar, counters)
        # The demo accounts' enterprises also get recent hazards, so their to-do lists are not empty.
        enterprise = next(demo) if back <= 20 and index % 25 == 0 else rng.choice(enterprises)
        yield _hazard(rng, enterprise, today - timedelta(days=back), today, calendar, counters)
    for status, ago in waiting:
        yield from _worklist(rng, demo_enterprises, status, ago, today, calendar, counters)


def _worklist(rng, enterprises, status: str, ago: int, today: date, calendar, counters) -> Iterator[HazardWithHistory]:
    for enterprise in enterprises:
        yield _ending_in(rng, enterprise, today - timedelta(days=ago), status, today, calendar, counters)


def _ending_in(rng, enterprise, found: date, status: str, today: date, calendar, counters) -> HazardWithHistory:
    """A major hazard whose walk stops at `status` with that stage's signatures still due: walks
    are drawn until one does, and the numbers a discarded walk took are given back."""
    for _ in range(WORKLIST_TRIES):
        taken = dict(counters)
        item = _hazard(rng, enterprise, found, today, calendar, counters, level=Level.MAJOR)
        last = item.acts[-1]
        if last.to_status == status and last.action != "sign":
            return item
        counters.clear()
        counters.update(taken)
    raise RuntimeError(f"no demo walk of {WORKLIST_TRIES} stops at {status}")


def _demo_enterprises(enterprises: list[Enterprise]) -> list[Enterprise]:
    """The enterprise of the `enterprise_demo` account and those assigned to `expert_demo`."""
    ids = set(User.objects.filter(username="enterprise_demo").values_list("enterprise_id", flat=True))
    expert = User.objects.filter(username="expert_demo").first()
    ids |= set(expert_enterprise_ids(expert).values_list("pk", flat=True)) if expert else set()
    return [e for e in enterprises if e.pk in ids]


# The two photos every demo hazard's evidence shows (stored once: evidence is content-addressed).
_PHOTOS: dict[str, StoredEvidence] = {}


def _demo_photos() -> dict[str, StoredEvidence]:
    """A 隐患照片 and an 整改照片, generated (no third-party images), stored through core.evidence."""
    photos = {}
    for kind, colour in ((EvidenceKind.HAZARD, (190, 60, 40)), (EvidenceKind.RECTIFICATION, (40, 150, 80))):
        buffer = io.BytesIO()
        Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=80)
        upload = File(io.BytesIO(buffer.getvalue()), name=f"{kind}.jpg")
        photos[kind] = evidence_store(upload=upload, folder="demo")
    return photos


def _photo(kind: str, at: datetime) -> Attachment:
    stored = _PHOTOS[kind]
    name = "现场照片.jpg" if kind == EvidenceKind.HAZARD else "整改后照片.jpg"
    return Attachment(**stored.file_fields() | {"original_name": name}, kind=kind, uploaded_at=at)


def _recurred(item: HazardWithHistory) -> bool:
    return item.hazard.status == Status.RECURRED


def _recurrence(item: HazardWithHistory, counters) -> HazardWithHistory:
    """The new hazard a failed look-back opens, linked to the old one (as `hazard_recur` does live)."""
    original, look = item.hazard, item.acts[-1]
    found = timezone.localdate(look.at)
    county = original.enterprise.region_id[:6]
    note = look.payload.get("note", "")
    hazard = Hazard(
        enterprise=original.enterprise,
        location=original.location,
        description=f"【回头看复发】{note}（原隐患 {original.code}：{original.description}）"[:4000],
        level=original.level,
        clause_id=original.clause_id,
        source=original.source,
        finder_name=look.actor_name,
        found_on=found,
        recurrence_of=original,
        code=f"YH-{county}-{found.year}-{_number(counters, f'YH-{county}', found.year):06d}",
    )
    payload = {"imported": True, "recurrence_of": original.code} | _reported(hazard)
    return HazardWithHistory(
        hazard, [Act("report", look.at, Status.REPORTED, look.actor_name, look.actor_role, payload)]
    )


@cache
def _issuing_body(county_code: str) -> IssuingBody:
    """Per county-level unit, once a run (`seed_hazards` clears it: reference data may be reloaded)."""
    return issuing_body_of(county_code)


def _number(counters, key: str, year: int) -> int:
    counters[(key, year)] += 1
    return counters[(key, year)]


def _hazard(rng, enterprise: Enterprise, found: date, today: date, calendar, counters, level=None) -> HazardWithHistory:
    source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
    major = rng.random() < 0.03 if level is None else level == Level.MAJOR
    description, clause = rng.choice(MAJOR) if major else (rng.choice(GENERAL), "")
    county = enterprise.region_id[:6]
    hazard = Hazard(
        enterprise=enterprise,
        description=description,
        clause_id=clause or None,
        source=source,
        level=Level.MAJOR if major else Level.GENERAL,
        found_on=found,
        location=rng.choice(["生产车间", "仓库", "配电房", "罐区", "办公楼", "厂区道路"]),
        finder_name=enterprise.safety_contact_name or "检查人员",
        code=f"YH-{county}-{found.year}-{_number(counters, f'YH-{county}', found.year):06d}",
    )
    acts = list(_walk(rng, hazard, enterprise, today, calendar, counters))
    return HazardWithHistory(hazard, acts)


SHANGHAI = ZoneInfo("Asia/Shanghai")


def _reported(h: Hazard) -> dict[str, str]:
    """What a report states (and the ledger check replays, hazards.replay)."""
    return {"description": h.description, "level": h.level, "clause": h.clause_id}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 30), tzinfo=SHANGHAI)


def _walk(rng, h: Hazard, e: Enterprise, today: date, calendar, counters) -> Iterator[Act]:
    """Yield the acts that have happened by `today`, setting the hazard's fields as they go."""
    self_run = h.level == Level.GENERAL and h.source in (Source.SELF_CHECK, Source.INTERNAL_REPORT)
    firm = (e.safety_contact_name or "企业安全员", "enterprise")
    regulator = (_issuing_body(e.region_id[:6]).name, "county")
    boss = firm if self_run else regulator
    day = h.found_on
    found_by_firm = h.source in (Source.SELF_CHECK, Source.INTERNAL_REPORT)
    photos = [] if found_by_firm else [_photo(EvidenceKind.HAZARD, _at(day, 9))]
    reporter = firm if found_by_firm else regulator
    yield Act("report", _at(day, 9), Status.REPORTED, *reporter, {"imported": True} | _reported(h), photos)
    if rng.random() < 0.02:
        yield Act("withdraw", _at(day + timedelta(days=1), 10), Status.WITHDRAWN, *boss, {"reason": "重复上报"})
        return
    if h.level == Level.MAJOR:
        day += timedelta(days=rng.randint(1, 4))
        if day > today:
            return
        yield from _signatures(e, day, "confirmation", Status.REPORTED)
    day += timedelta(days=rng.randint(0, 2))
    if day > today:
        return
    yield Act("confirm", _at(day, 14), Status.CONFIRMED, *boss, {"level": h.level, "clause": h.clause_id})
    day += timedelta(days=rng.randint(0, 3))
    if day > today:
        return
    yield from _assign_to_close(rng, h, e, day, today, calendar, counters, boss, firm, regulator, self_run)


def _signatures(e: Enterprise, day: date, stage: str, status: str) -> Iterator[Act]:
    """专家+企业双签字: the expert, then the enterprise's principal in their own name and position."""
    yield Act("sign", _at(day, 10), status, "专家组", "expert", {"stage": stage, "party": "expert"})
    principal = {"position": "principal", "position_name": "主要负责人", "capacity": "principal"}
    signer = e.principal_name or "主要负责人"
    yield Act("sign", _at(day, 11), status, signer, "enterprise", {"stage": stage, "party": "enterprise"} | principal)


def _assign_to_close(rng, h, e, day, today, calendar, counters, boss, firm, regulator, self_run):
    due = calendar.add_workdays(day, rng.choice([5, 10, 15, 20, 30] if h.level == Level.GENERAL else [40, 60, 90]))
    h.deadline = h.original_deadline = due.date
    h.responsible_unit, h.responsible_person = h.location, e.principal_name or "负责人"
    h.assigned_by_role = "enterprise" if self_run else "regulator"
    if not self_run and h.source != Source.SELF_CHECK:
        body = _issuing_body(e.region_id[:6])
        h.order_no = (
            f"{body.abbreviation}应急责改〔{day.year}〕{_number(counters, f'ZG-{body.region_code}', day.year)}号"
        )
    yield Act(
        "assign",
        _at(day, 15),
        Status.ASSIGNED,
        *boss,
        {
            "deadline": h.deadline.isoformat(),
            "responsible_unit": h.responsible_unit,
            "responsible_person": h.responsible_person,
            "order_no": h.order_no,
        },
    )
    if h.level == Level.MAJOR:
        yield _plan(rng, h, day, firm)
    else:
        h.measures = "立即整改：" + h.description.replace("未", "补齐").replace("缺失", "补设")[:40]
    day += timedelta(days=rng.randint(1, 3))
    if day > today:
        return
    yield Act("start", _at(day, 9), Status.RECTIFYING, *firm, {})
    late = rng.random() < 0.18
    finish = (
        h.deadline + timedelta(days=rng.randint(1, 25))
        if late
        else day + timedelta(days=rng.randint(0, max(0, (h.deadline - day).days)))
    )
    # An extension is asked for while the work goes on: never after the rectification is done.
    if rng.random() < 0.06 and day + timedelta(days=3) <= today and finish > day + timedelta(days=3):
        new = h.deadline + timedelta(days=rng.choice([10, 15, 30]))
        yield Act(
            "request_extension",
            _at(day + timedelta(days=2), 10),
            Status.RECTIFYING,
            *firm,
            {"deadline": new.isoformat(), "reason": "设备采购周期长"},
        )
        yield Act(
            "decide_extension",
            _at(day + timedelta(days=3), 16),
            Status.RECTIFYING,
            *boss,
            {"approve": True, "deadline": new.isoformat(), "original_deadline": h.original_deadline.isoformat()},
        )
        h.deadline = new
    if finish > today:
        yield from _escalations(h, today, calendar, regulator)
        return
    yield from _accept_to_look_back(rng, h, e, finish, today, boss, firm, counters)


def _plan(rng, h: Hazard, day: date, firm) -> Act:
    """重大隐患治理方案 (16号令 第十五条): goal, measures, funds, people, time limit, contingency plan."""
    h.plan_goal = f"消除“{h.description}”重大事故隐患，达到判定标准要求"
    h.measures = "制定专项治理方案，落实资金、人员和应急措施"
    h.funds = rng.randint(20, 500) * 1000
    h.contingency_plan = "治理期间停用相关区域，设置警戒标志，落实专人监护，制定现场处置方案"
    h.plan_submitted_at = _at(day, 17)  # the afternoon it was assigned: 开始整改 needs the plan first
    payload = {
        "goal": h.plan_goal,
        "measures": h.measures,
        "funds": str(h.funds),
        "responsible_person": h.responsible_person,
        "deadline": h.deadline.isoformat(),
        "contingency_plan": h.contingency_plan,
    }
    return Act("submit_plan", h.plan_submitted_at, Status.ASSIGNED, *firm, payload)


def _escalations(h: Hazard, today: date, calendar, regulator) -> Iterator[Act]:
    if h.deadline >= today:
        return
    overdue, _ = calendar.workdays_between(h.deadline, today)
    levels = [Escalation.SUPERVISED, Escalation.LISTED if h.level == Level.MAJOR else None, Escalation.INTERVIEW]
    for threshold, level in zip(ESCALATE_AFTER, levels, strict=True):
        if level is not None and overdue >= threshold:
            day = calendar.add_workdays(h.deadline, threshold).date
            h.escalation = level
            yield Act(
                "escalate",
                _at(day, 2),
                Status.RECTIFYING,
                "系统",
                "system",
                {"level": int(level), "level_name": str(Escalation(level).label), "overdue_workdays": threshold},
            )


def _submission(h: Hazard, e: Enterprise, day: date, firm, note: str) -> Act:
    """提交整改 with its proof (an 整改照片 taken that day) and the acceptor decided at submission."""
    h.rectified_on, h.fixer_name = day, firm[0]
    enterprise_accepts = h.assigned_by_role == "enterprise"
    h.acceptor = Acceptor.ENTERPRISE if enterprise_accepts else Acceptor.REGULATOR
    h.acceptor_name = e.name if enterprise_accepts else str(Acceptor.REGULATOR.label)
    payload = {"note": note, "rectified_on": day.isoformat(), "fixer": firm[0]}
    payload |= {"acceptor": h.acceptor, "acceptor_name": h.acceptor_name}
    proof = [_photo(EvidenceKind.RECTIFICATION, _at(day, 15))]
    return Act("submit_rectification", _at(day, 16), Status.AWAITING_ACCEPTANCE, *firm, payload, proof)


def _accept_to_look_back(rng, h, e, day, today, boss, firm, counters):
    # Never the fixer: inside the enterprise another person accepts (验收须由整改人以外的人员进行).
    accepter = ("企业安全负责人", "enterprise") if boss[1] == "enterprise" else boss
    yield _submission(h, e, day, firm, "已按要求整改")
    if rng.random() < 0.08 and day + timedelta(days=4) <= today:
        yield Act("reject", _at(day + timedelta(days=2), 10), Status.RECTIFYING, *accepter, {"reason": "整改不彻底"})
        day += timedelta(days=4)
        yield _submission(h, e, day, firm, "已再次整改")
    day += timedelta(days=rng.randint(1, 5))
    if day > today:
        return
    if h.level == Level.MAJOR:
        yield from _signatures(e, day, "acceptance", Status.AWAITING_ACCEPTANCE)
    h.accepted_by_name, h.accepted_on = accepter[0], day
    if h.order_no:
        body = _issuing_body(e.region_id[:6])
        number = _number(counters, f"FC-{body.region_code}", day.year)
        h.review_no = f"{body.abbreviation}应急复查〔{day.year}〕{number}号"
    yield Act("accept", _at(day, 14), Status.ACCEPTED, *accepter, {"opinion": "整改到位", "review_no": h.review_no})
    day += timedelta(days=rng.randint(0, 3))
    if day > today:
        return
    h.closed_on = day
    h.look_back_due = day + timedelta(days=90 if h.level == Level.MAJOR else 30)
    yield Act("close", _at(day, 15), Status.CLOSED, *boss, {"look_back_due": h.look_back_due.isoformat()})
    look = h.look_back_due + timedelta(days=rng.randint(0, 10))
    if look <= today and rng.random() < 0.8:
        result = "recurred" if rng.random() < 0.04 else "holds"
        yield Act(
            "look_back",
            _at(look, 10),
            Status.RECURRED if result == "recurred" else Status.VERIFIED,
            *boss,
            {"result": result, "note": "回头看复查"},
        )
