"""The reporting channel of the demo city: a policy (marked as the demo's assumption), reward
mechanisms for a minority of enterprises (key sectors ahead, some established late, many late),
a township account that handles public reports, and a few reports in every state, all through
the services (each act an event). Deterministic for a given seed.

Shares are demo assumptions, not statistics: 1,965 of the city's enterprises have a mechanism
(the issue's figure), so about 40% of key-sector and 20% of other demo enterprises get one."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.registry.models import Enterprise, Region
from safeloop.registry.reference import YIYANG
from safeloop.reporting.models import ReportingPolicy, RewardMechanism
from safeloop.reporting.services import report_submit
from safeloop.reporting.workflow import report_act

KEY_SHARE, OTHER_SHARE = 0.40, 0.20
REPORTING_USERNAMES = ("township_demo",)  # handles the public reports of the demo enterprise's township
STANDARD = "一般隐患每条奖励50至500元，重大隐患每条奖励1000至5000元（演示数据）"
DEMO_POLICY_SOURCE = "演示数据：假定的市级标准（正式标准须由市安委办发文确定）"
REPORTS = [
    ("employee", "behaviour", "夜班有人在防爆区域内使用手机，班长未制止"),
    ("employee", "equipment", "二号储罐液位报警器被人关闭，已经两天未恢复"),
    ("employee", "management", "新来的三名员工没有参加三级安全教育就上岗操作"),
    ("citizen", "environment", "厂区围墙外堆放大量空油桶，靠近居民区"),
    ("citizen", "equipment", "企业门口的消防栓被车辆遮挡，消防通道堵塞"),
    ("citizen", "behaviour", "晚上有货车在厂区内违规装卸危险化学品，未见人员监护"),
    ("citizen", "management", "听说该厂安全员长期不在岗，检查记录都是补写的"),
]


def seed_reporting(*, seed: int, progress: Callable[[str], None], password: str) -> list[str]:
    rng = random.Random(seed + 15)
    city = Region.objects.get(code=YIYANG)
    ReportingPolicy.objects.get_or_create(
        region=city,
        defaults={
            "internal_response_days": 3,
            "public_response_days": 5,
            "reward_general": 200,
            "reward_major": 3000,
            "source": DEMO_POLICY_SOURCE,
        },
    )
    made = _mechanisms(rng)
    township, reports = _reports(rng, password)
    progress(f"内部报告奖励机制 {made} 家；隐患报告与举报 {reports} 条")
    return [township] if township else []


def _mechanisms(rng: random.Random) -> int:
    rows = Enterprise.objects.filter(region__code__startswith=YIYANG[:4]).values_list("pk", "category__key_sector")
    start, end = date(2024, 9, 1), min(timezone.localdate(), date(2026, 11, 30))
    span = (end - start).days
    mechanisms = []
    for pk, key in rows.order_by("pk").iterator(chunk_size=5000):
        if rng.random() >= (KEY_SHARE if key else OTHER_SHARE):
            continue
        # Key sectors mostly before their 2025-06-30 deadline: dates drawn from the earlier part.
        offset = int(rng.random() ** (2.0 if key else 1.0) * span)
        mechanisms.append(
            RewardMechanism(
                enterprise_id=pk,
                established=True,
                established_on=start + timedelta(days=offset),
                document_title="事故隐患内部报告奖励制度",
                reward_standard=STANDARD,
                reward_min=50,
                reward_max=5000,
            )
        )
    RewardMechanism.objects.bulk_create(mechanisms, batch_size=2000, ignore_conflicts=True)
    return len(mechanisms)


def _reports(rng: random.Random, password: str) -> tuple[str, int]:
    safety = User.objects.filter(username="enterprise_safety").select_related("enterprise").first()
    if safety is None or safety.enterprise is None:
        return "", 0
    enterprise = safety.enterprise
    RewardMechanism.objects.update_or_create(
        enterprise=enterprise,
        defaults={
            "established": True,
            "established_on": date(2025, 5, 20),
            "document_title": "事故隐患内部报告奖励制度",
            "reward_standard": STANDARD,
            "reward_min": 100,
            "reward_max": 5000,
            "contact_name": "企业安全管理员",
            "handler": safety,
        },
    )
    township = user_create(
        username=REPORTING_USERNAMES[0],
        password=password,
        role=Role.TOWNSHIP,
        display_name="乡镇安监站",
        region_id=enterprise.region_id,
    )
    neighbours = list(
        Enterprise.objects.filter(region_id=enterprise.region_id).exclude(pk=enterprise.pk).order_by("pk")[:3]
    )
    made = []
    for i, (reporter, kind, text) in enumerate(REPORTS):
        target = (
            enterprise
            if reporter == "employee" or i % 2
            else (neighbours[i % len(neighbours)] if neighbours else enterprise)
        )
        data = {"reporter": reporter, "kind": kind, "description": text, "enterprise_code": target.public_code}
        if i % 3 == 0:
            data |= {"name": "王某", "phone": "13800001111", "named_to_enterprise": reporter == "employee" and i == 0}
        # Senders from TEST-NET-1 (RFC 5737): addresses no real reporter has.
        made.append(report_submit(data=data, address=f"192.0.2.{i + 1}"))
    _advance(made, safety, township)
    return township.username, len(made)


def _advance(reports: list, safety: User, township: User) -> None:
    """Leave the reports in various states: verified with a reward paid, verified, checking,
    rejected with a reason, received."""
    first, second, third, *rest = reports
    handler = {r.pk: (safety if r.handler_kind == "enterprise" else township) for r in reports}
    for report in (first, second, rest[0], rest[1]):
        report_act(report_id=report.pk, actor=handler[report.pk], action="accept", version=1)
    for report in (first, rest[0]):
        report_act(report_id=report.pk, actor=handler[report.pk], action="verify", version=2, data={"level": "general"})
    report_act(report_id=first.pk, actor=handler[first.pk], action="decide_reward", version=3, data={})
    report_act(
        report_id=first.pk,
        actor=handler[first.pk],
        action="pay_reward",
        version=4,
        data={"reward_paid_on": timezone.localdate().isoformat(), "tracking_code": first.code},
    )
    report_act(
        report_id=rest[1].pk,
        actor=handler[rest[1].pk],
        action="reject",
        version=2,
        data={"reason": "经现场核查，消防栓周边已清理，未发现通道堵塞。感谢您的监督。"},
    )
