"""Campaigns of the demo city, through the services: the city's 工贸 百日攻坚 (属地排查 of the
enterprises with a special risk feature; a few counties' tasks done with findings), and a 资阳区
举一反三 from a major hazard at a dust-explosion enterprise (one enterprise has answered its task
by checklist, a 不符合 among it). Deterministic for a given seed; shares are demo assumptions."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.campaigns.models import Route, Task
from safeloop.campaigns.services import campaign_create, campaign_launch, task_act
from safeloop.checklists.models import Result
from safeloop.checklists.services import checklist_submit, item_answer
from safeloop.hazards.models import Hazard, Level
from safeloop.registry.models import Category

DONE_SHARE = 0.15  # of the 百日攻坚 tasks in 资阳区 and 赫山区, already inspected
FINDINGS = ["除尘系统未按规定设置泄爆装置", "有限空间作业未执行审批制度", "粉尘清扫记录缺失", "液氨管道无明显标识"]


def seed_campaigns(*, seed: int, progress: Callable[[str], None]) -> None:
    rng = random.Random(seed + 23)
    city = User.objects.filter(username="city_admin").first()
    ziyang = User.objects.filter(username="county_ziyang").first()
    if city is None or ziyang is None:
        return
    hundred = _hundred_days(city)
    done = _inspect_some(rng, hundred)
    dragnet = _dragnet(ziyang)
    answered = _answer_one(rng, dragnet) if dragnet else 0
    progress(
        f"专项行动 2 项（百日攻坚对象 {hundred.tasks.count()} 家，已排查 {done} 家；举一反三已答复 {answered} 家）"
    )


def _hundred_days(city: User):
    today = timezone.localdate()
    gongmao = list(Category.objects.filter(parent_id="gongmao").values_list("code", flat=True))
    data = {
        "title": "工贸企业安全隐患排查整治“百日攻坚”行动",
        "kind": "hundred_days",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=100)).isoformat(),
        "route": Route.TOWNSHIP,
        "task_days": 30,
        "target_filter": {
            "region": "430900",
            "categories": gongmao,
            "features": ["dust_explosion", "confined_space", "ammonia_refrigeration"],
        },
        "milestones": [
            {"title": "动员部署", "due_on": (today + timedelta(days=7)).isoformat()},
            {"title": "集中攻坚", "due_on": (today + timedelta(days=80)).isoformat()},
            {"title": "总结验收", "due_on": (today + timedelta(days=100)).isoformat()},
        ],
    }
    campaign = campaign_create(actor=city, data=data)
    return campaign_launch(actor=city, campaign_id=campaign.pk, version=campaign.version)


def _inspect_some(rng: random.Random, campaign) -> int:
    done = 0
    for username, county in (("county_ziyang", "430902"), ("county_heshan", "430903")):
        actor = User.objects.get(username=username)
        tasks = Task.objects.filter(campaign=campaign, enterprise__region__code__startswith=county).order_by("pk")
        for task in tasks:
            if rng.random() >= DONE_SHARE:
                continue
            findings = "\n".join(rng.sample(FINDINGS, rng.randint(0, 2)))
            data = {"note": "属地乡镇会同区应急局现场排查", "findings": findings}
            task_act(actor=actor, task_id=task.pk, action="complete", version=task.version, data=data)
            done += 1
    return done


def _dragnet(ziyang: User):
    seed = (
        Hazard.objects.filter(
            level=Level.MAJOR, enterprise__dust_explosion=True, enterprise__region__code__startswith="430902"
        )
        .order_by("pk")
        .first()
    )
    if seed is None:
        return None
    today = timezone.localdate()
    data = {
        "title": f"粉尘涉爆企业举一反三拉网式排查（{seed.code}）",
        "kind": "dragnet",
        "seed_hazard": seed.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "route": Route.ENTERPRISE,
        "task_days": 10,
    }
    campaign = campaign_create(actor=ziyang, data=data)
    return campaign_launch(actor=ziyang, campaign_id=campaign.pk, version=campaign.version)


def _answer_one(rng: random.Random, campaign) -> int:
    """One dust enterprise answers its task by checklist; one dust item 不符合 (a dragnet hazard)."""
    task = Task.objects.filter(campaign=campaign, enterprise__dust_explosion=True).order_by("pk").first()
    if task is None:
        return 0
    user = User.objects.filter(role=Role.ENTERPRISE, enterprise_id=task.enterprise_id).first() or user_create(
        username=f"dragnet_{task.enterprise_id}",
        password=secrets.token_urlsafe(24),
        role=Role.ENTERPRISE,
        display_name="安全员",
        enterprise=task.enterprise,
    )
    task = task_act(actor=user, task_id=task.pk, action="start", version=task.version)
    checklist = task.checklist
    items = list(checklist.items.order_by("sort"))
    failing = next((i for i in items if i.clause.feature == "dust"), items[0])
    for item in items:
        if item.result:
            continue
        result = Result.FAIL if item.pk == failing.pk else Result.OK
        note = "除尘器未设置锁气卸灰装置" if result == Result.FAIL else ""
        item_answer(
            actor=user, checklist_id=checklist.pk, clause_id=item.clause_id, data={"result": result, "note": note}
        )
    checklist.refresh_from_db()
    checklist_submit(actor=user, checklist_id=checklist.pk, version=checklist.version)
    return 1
