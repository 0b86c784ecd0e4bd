"""Self-inspection checklists of the demo city: a sample of its enterprises have walked theirs
through the services (each answer an event), most submitted, a few still being filled in; the
rare 不符合 becomes a major self-reported hazard in the loop. Deterministic for a given seed.

Shares are demo assumptions, not statistics: 1 in 100 enterprises of 益阳市, 3 in 100 items
不符合, 1 in 10 不适用, 1 checklist in 5 left half done."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable

from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.checklists.models import Result
from safeloop.checklists.services import checklist_start, checklist_submit, item_answer
from safeloop.core.errors import ValidationFailed
from safeloop.registry.models import Enterprise
from safeloop.registry.reference import YIYANG

SHARE = 0.01
FAIL, NOT_APPLICABLE, UNFINISHED = 0.03, 0.1, 0.2
NOTES = ["现场检查发现该问题，已拍照留存", "部位：一号车间", "部位：仓库东侧", "部位：罐区", "待设备厂家核实"]


def seed_checklists(*, seed: int, progress: Callable[[str], None]) -> int:
    rng = random.Random(seed + 11)
    # The demo accounts' enterprise is left to the person trying it out.
    own = User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False).values("enterprise_id")
    demo = Enterprise.objects.filter(region__code__startswith=YIYANG[:4]).exclude(pk__in=own)
    chosen = [e for e in demo.order_by("pk").select_related("category") if rng.random() < SHARE]
    done = 0
    for enterprise in chosen:
        done += _walk(rng, enterprise)
    progress(f"企业自查清单 {len(chosen)} 份（已提交 {done} 份）")
    return done


def _walk(rng: random.Random, enterprise: Enterprise) -> int:
    # A self-inspector of its own, whose password nobody knows: the demo accounts stay those listed.
    user = user_create(
        username=f"selfcheck_{enterprise.pk}",
        password=secrets.token_urlsafe(24),
        role=Role.ENTERPRISE,
        display_name="安全员",
        enterprise=enterprise,
    )
    try:
        checklist = checklist_start(actor=user)
    except ValidationFailed:  # no clause of the catalogue applies to its category yet
        return 0
    items = list(checklist.items.order_by("sort"))
    unfinished = rng.random() < UNFINISHED
    for item in items[: len(items) // 2] if unfinished else items:
        item_answer(actor=user, checklist_id=checklist.pk, clause_id=item.clause_id, data=_answer(rng))
    if unfinished:
        return 0
    checklist_submit(actor=user, checklist_id=checklist.pk, version=checklist.version)
    return 1


def _answer(rng: random.Random) -> dict[str, str]:
    draw = rng.random()
    if draw < FAIL:
        return {"result": Result.FAIL, "note": rng.choice(NOTES)}
    return {"result": Result.NA if draw < FAIL + NOT_APPLICABLE else Result.OK}
