"""Inspections of the demo city: each demo department (市交通运输局, 市住房和城乡建设局) has its
certified officers (the demo account and three colleagues without a known password), a yearly
plan with key enterprises, and a few inspections through the services — one checked in at the
gate with a finding that became a hazard, one closed without check-in (flagged), one planned;
the transport bureau has one double-random draw. Deterministic for a given seed; fast (a few
dozen rows)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.inspections.models import InspectorConflict
from safeloop.inspections.services import draw_create, inspection_create, plan_create
from safeloop.inspections.workflow import inspection_act
from safeloop.registry.models import Enterprise, OfficerCertificate
from safeloop.registry.reference import YIYANG

DEMO_DEPARTMENTS = ("dept_transport", "dept_housing")
COLLEAGUES = 3


def seed_inspections(*, seed: int, progress: Callable[[str], None]) -> int:
    rng = random.Random(seed + 13)
    today = timezone.localdate()
    made = 0
    for username in DEMO_DEPARTMENTS:
        lead = User.objects.filter(username=username).select_related("department").first()
        if lead is None or lead.department is None:
            continue
        body = lead.department
        officers = [lead, *_colleagues(body, username)]
        for n, user in enumerate(officers):
            OfficerCertificate.objects.get_or_create(
                user=user, defaults={"certificate_no": f"43{body.region_id[2:6]}{body.pk:03d}{n + 1:03d}"}
            )
        enterprises = list(
            Enterprise.objects.filter(category__in=body.categories.all(), region__code__startswith=YIYANG[:4])
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        if len(enterprises) < 10:
            continue
        keys = rng.sample(enterprises, 5)
        plan = plan_create(
            actor=lead,
            data={
                "department": body.pk,
                "year": today.year,
                "name": f"{body.name}{today.year}年度执法检查计划",
                "target_total": 120,
                "random_share": 50,
                "key_enterprises": keys,
                "targets": {"risk:red": 20, "risk:orange": 30},
            },
        )
        InspectorConflict.objects.get_or_create(
            user=officers[-1], enterprise_id=keys[0], defaults={"note": "近亲属任职"}
        )
        pair = [officers[0].pk, officers[1].pk]
        base = {"enforcement_body": body.pk, "officers": pair, "plan": plan.pk, "kind": "key", "items": "重点检查"}
        visited = inspection_create(
            actor=lead, data=base | {"enterprise": keys[1], "planned_on": today - timedelta(days=10)}
        )
        inspection_act(
            pk=visited.pk, actor=lead, action="check_in", version=1, data={"lat": "28.5540", "lng": "112.3550"}
        )
        inspection_act(
            pk=visited.pk,
            actor=lead,
            action="finding",
            version=2,
            data={
                "description": "安全出口指示标志损坏",
                "location": "生产车间东侧",
                "nature": "thing",
                "level": "general",
            },
        )
        inspection_act(
            pk=visited.pk, actor=lead, action="close", version=3, data={"summary": "发现一般隐患1项，已责令整改"}
        )
        flagged = inspection_create(
            actor=lead, data=base | {"enterprise": keys[2], "planned_on": today - timedelta(days=5)}
        )
        inspection_act(pk=flagged.pk, actor=lead, action="close", version=1, data={"summary": "未发现问题"})
        inspection_create(actor=lead, data=base | {"enterprise": keys[3], "planned_on": today + timedelta(days=3)})
        made += 3
        # Last year's visits, so the statistics have a year-on-year figure to compute.
        for n, pk in enumerate(rng.sample(enterprises, 4)):
            day = today.replace(year=today.year - 1, day=1) - timedelta(days=20 * n)
            last = inspection_create(actor=lead, data=base | {"plan": None, "enterprise": pk, "planned_on": day})
            inspection_act(pk=last.pk, actor=lead, action="close", version=1, data={"summary": "未发现问题"})
            made += 1
        if username == "dept_transport":
            draw = draw_create(
                actor=lead,
                data={
                    "department": body.pk,
                    "plan": plan.pk,
                    "title": "道路运输企业双随机抽查",
                    "count": 6,
                    "seed": seed,
                    "planned_on": (today + timedelta(days=14)).isoformat(),
                },
            )
            made += draw.inspections.count()
    progress(f"行政检查 {made} 次（含双随机抽查）")
    return made


def _colleagues(body, username: str) -> list[User]:
    return [
        user_create(
            username=f"{username}_officer{n}",
            password=secrets.token_urlsafe(24),
            role=Role.DEPARTMENT,
            display_name=f"{body.name[:2]}执法员{n}",
            department=body,
        )
        for n in range(1, COLLEAGUES + 1)
    ]
