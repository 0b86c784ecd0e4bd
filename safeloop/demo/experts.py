"""The demo city's expert pool (issue 14): about 120 experts over the supervision categories
and counties, `expert_demo` among them, with certificates (a few expired), conflicts of
interest (their employer), done and planned visits with ratings, two stationings and one
matching run. Names, employers and coordinates are invented (demo data, not a register)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from safeloop.accounts.models import User
from safeloop.core.scope import region_q, visible
from safeloop.demo.registry import COUNTY_CENTRES, GIVEN, SURNAMES, YIYANG
from safeloop.experts.models import (
    Certificate,
    Conflict,
    ConflictKind,
    Expert,
    Specialty,
    SpecialtyLevel,
    Visit,
    VisitStatus,
)
from safeloop.experts.services import matching_run, stationing_start
from safeloop.hazards.models import Hazard, Level, Status
from safeloop.registry.models import Enterprise, Region

POOL_SIZE = 120
# Experts per specialty (demo assumption: roughly where the city's enterprises and risks are).
SPECIALTY_WEIGHTS = {
    "hazchem": 14,
    "chemical": 8,
    "gongmao": 10,
    "machinery": 8,
    "light_industry": 6,
    "building_materials": 5,
    "commerce": 5,
    "construction": 12,
    "gas": 6,
    "road_transport": 8,
    "water_transport": 4,
    "special_equipment": 8,
    "fire_safety": 10,
    "fireworks": 4,
    "noncoal_mine": 4,
    "power": 3,
    "pharma": 2,
    "fishery": 2,
    "tourism": 1,
}
EMPLOYERS = (
    "益阳市安全生产协会",
    "湖南城市学院",
    "益阳职业技术学院",
    "湖南省安全技术中心",
    "益阳市建筑设计院",
    "湖南安科安全评价有限公司",
    "益阳市特种设备检验所",
    "湖南化工职业技术学院",
    "益阳市消防救援支队（退休）",
    "湖南交通规划勘察设计院",
)
TITLES = ("高级工程师", "正高级工程师", "注册安全工程师", "工程师", "教授", "副教授")
IN_CITY = region_q("region", YIYANG[:4])  # the pool serves the city (other cities at --scale > 1)
LEVELS = (SpecialtyLevel.SENIOR, SpecialtyLevel.INTERMEDIATE, SpecialtyLevel.INTERMEDIATE, SpecialtyLevel.JUNIOR)


def seed_experts(*, seed: int, progress: Callable[[str], None]) -> None:
    progress("专家库（约 120 名专家、回避关系、服务和驻企）…")
    rng = random.Random(seed + 14)
    today = timezone.localdate()
    counties = [code for code in COUNTY_CENTRES if Region.objects.filter(pk=code).exists()]
    experts = [_expert(rng, i, counties) for i in range(POOL_SIZE - 1)]
    Expert.objects.bulk_create(experts)
    experts = list(Expert.objects.filter(user__isnull=True).order_by("pk"))
    specialties, certificates = [], []
    codes, weights = list(SPECIALTY_WEIGHTS), list(SPECIALTY_WEIGHTS.values())
    for i, expert in enumerate(experts):
        chosen = set(rng.choices(codes, weights=weights, k=rng.choice([1, 1, 2])))
        specialties += [Specialty(expert=expert, category_id=c, level=rng.choice(LEVELS)) for c in sorted(chosen)]
        expires = (
            today + timedelta(days=rng.randint(120, 1800)) if i % 24 else today - timedelta(days=rng.randint(5, 200))
        )
        certificates.append(
            Certificate(expert=expert, name="安全生产专家聘书", number=f"YYAQ{2024 + i % 3}{i:04d}", expires_on=expires)
        )
    Specialty.objects.bulk_create(specialties)
    Certificate.objects.bulk_create(certificates)
    _conflicts(rng, experts)
    _demo_profile()
    _visits(rng, experts, today)
    _stationings()
    _matching()


def _expert(rng: random.Random, i: int, counties: list[str]) -> Expert:
    county = counties[i % len(counties)]
    lat, lng = COUNTY_CENTRES[county]
    return Expert(
        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
        employer=rng.choice(EMPLOYERS),
        title=rng.choice(TITLES),
        phone=f"139{7370000 + i * 37:08d}"[:11],
        county_id=county,
        home_lat=Decimal(f"{lat + rng.uniform(-0.08, 0.08):.6f}"),
        home_lng=Decimal(f"{lng + rng.uniform(-0.08, 0.08):.6f}"),
        capacity=rng.choice([3, 4, 5, 6, 8, 10]),
        active=i % 40 != 7,  # a few left the pool (出库)
    )


def _conflicts(rng: random.Random, experts: list[Expert]) -> None:
    """Every tenth expert once worked at an enterprise of their specialty (回避: never matched)."""
    rows = []
    for expert in experts[::10]:
        category = expert.specialties.values_list("category_id", flat=True).first()
        enterprise = Enterprise.objects.filter(IN_CITY, category_id=category).order_by("pk").first()
        if enterprise is not None:
            rows.append(
                Conflict(
                    expert=expert,
                    enterprise=enterprise,
                    kind=ConflictKind.FORMER_EMPLOYER,
                    note="曾任该企业安全管理人员",
                )
            )
    Conflict.objects.bulk_create(rows, ignore_conflicts=True)


def _demo_profile() -> None:
    """`expert_demo`'s profile (made with the accounts): a real-looking record in the pool."""
    User.objects.filter(username="expert_demo").update(display_name="周建华")
    Expert.objects.filter(user__username="expert_demo").update(
        name="周建华", employer="湖南化工职业技术学院", title="正高级工程师", phone="13973700001", county_id="430903"
    )


def _visits(rng: random.Random, experts: list[Expert], today) -> None:
    """A year of done visits (with ratings) and some planned ones, at enterprises of the expert's specialties."""
    visits = []
    for expert in experts[:80]:
        categories = list(expert.specialties.values_list("category_id", flat=True))
        pool = list(
            Enterprise.objects.filter(IN_CITY, category_id__in=categories)
            .order_by("pk")
            .values_list("pk", flat=True)[:40]
        )
        for pk in rng.sample(pool, min(len(pool), rng.randint(1, 4))):
            done = rng.random() < 0.7
            on = today - timedelta(days=rng.randint(3, 300)) if done else today + timedelta(days=rng.randint(1, 30))
            visits.append(
                Visit(
                    expert=expert,
                    enterprise_id=pk,
                    on=on,
                    purpose=rng.choice(["帮扶指导", "重大隐患判定", "复工复产检查", "百日攻坚专项检查"]),
                    status=VisitStatus.DONE if done else VisitStatus.PLANNED,
                    findings="现场检查安全管理制度、作业现场和应急预案，提出整改建议。" if done else "",
                    rating=rng.choice([3, 4, 4, 5, 5]) if done else None,
                )
            )
    arranged = [rng.randint(1, 12) for _v in visits]
    for visit, created in zip(Visit.objects.bulk_create(visits), arranged, strict=True):
        # arranged some days before the visit; done (recorded) that evening
        at = timezone.now() - timedelta(days=(today - visit.on).days)
        done_at = at.replace(hour=17) if visit.status == VisitStatus.DONE else None
        Visit.objects.filter(pk=visit.pk).update(created_at=at - timedelta(days=created), done_at=done_at)


def _stationings() -> None:
    """Two stationings at enterprises with an open major hazard of the city (at `--scale` above 1
    the province's other cities are not the city account's), by the city account."""
    city = User.objects.filter(username="city_admin").first()
    if city is None:
        return
    open_major = (
        visible(city, Hazard.objects.filter(level=Level.MAJOR, status__in=[Status.ASSIGNED, Status.RECTIFYING]))
        .order_by("pk")
        .values_list("enterprise_id", "enterprise__category_id")
    )
    placed: set[int] = set()
    for enterprise_id, category in open_major:
        if len(placed) >= 2 or enterprise_id in placed:
            continue
        expert = (
            Expert.objects.filter(
                active=True, specialties__category_id=category, certificates__expires_on__gte=timezone.localdate()
            )
            .exclude(conflicts__enterprise_id=enterprise_id)
            .order_by("pk")
            .first()
        )
        if expert is not None:
            stationing_start(actor=city, expert_id=expert.pk, enterprise_id=enterprise_id, data={})
            placed.add(enterprise_id)


def _matching() -> None:
    """One matching run by the city: the city's 危险化学品 enterprises."""
    city = User.objects.filter(username="city_admin").first()
    if city is not None:
        matching_run(actor=city, filters={"category": "hazchem"})
