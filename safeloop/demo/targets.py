"""Deterministic demo accidents, disasters, responses, denominators and targets (2021 to the
demo date), so the dashboard tells a story: road transport dominates the accidents, 安化县
lags behind with road deaths doubling this year, and 沅江市 had a 重大 water accident in 2024 (a veto).
Missing persons count with the deaths (the default, RULES.md §3.2): water accidents leave some,
and a 赫山区 fishing boat's 2 dead and 1 missing make a 较大 accident.

Every figure is invented for the demo except the official 益阳 figures named in
data/demo_denominators.csv. At scale N > 1 every county of 湖南省 gets accidents.
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from safeloop.accidents.grading import grade_of
from safeloop.accidents.models import (
    Accident,
    AccidentReport,
    Denominator,
    Disaster,
    DisasterKind,
    EmergencyResponse,
    ReportKind,
)
from safeloop.accidents.reference import sectors
from safeloop.core.changes import changed_many
from safeloop.registry.models import Enterprise, Region, RegionLevel
from safeloop.registry.reference import YIYANG
from safeloop.targets.indicators import DATA
from safeloop.targets.models import Target

FIRST_YEAR = 2021
DEMO_END = date(2026, 11, 28)  # fixed, so two runs give the same database
CITY_ACCIDENTS_2021 = 130  # production-safety accidents a year in the demo city
YEARLY_DECLINE = 0.95
SECTOR_WEIGHTS = {
    "road_transport": 66,
    "construction": 8,
    "industry_trade": 6,
    "gongmao_other": 4,
    "fire": 4,
    "water_transport": 4,
    "hazchem": 2,
    "noncoal_mine": 2,
    "agri_machinery": 2,
    "fishing_vessel": 1,
    "fireworks": 1,
}
MONTH_WEIGHTS = [1.25, 1.35, 1.0, 0.9, 0.9, 1.0, 1.1, 1.0, 0.9, 1.0, 1.0, 1.2]
# Demo shares of the city (accidents, GDP and people), not statistics.
COUNTY_SHARES = {
    "430902": 0.10,
    "430903": 0.22,
    "430921": 0.12,
    "430922": 0.14,
    "430923": 0.16,
    "430981": 0.16,
    "430971": 0.03,
    "430972": 0.07,
}
WATER_SECTORS = ("water_transport", "fishing_vessel")
LAGGING = "430923"  # 安化县: mountain roads, deaths doubling in the demo's last year
FACTORS = {
    "person": ["驾驶人疲劳驾驶", "超速行驶", "未按规定让行", "酒后驾驶", "驾驶人无从业资格"],
    "vehicle": ["制动系统失效", "超载", "轮胎磨损严重", "车辆未按期检验", "无明显车辆问题"],
    "road": ["山区急弯陡坡", "夜间照明不足", "雨天路面湿滑", "临水临崖路段缺少护栏", "施工路段未设警示"],
    "enterprise": ["动态监控未落实", "安全教育流于形式", "未落实驾驶人休息制度", "个体挂靠车辆管理缺失"],
}


def seed_targets_demo(*, seed: int, scale: int, progress: Callable[[str], None]) -> None:
    rng = random.Random(seed + 4)
    counties = _counties(scale)
    progress("演示事故、灾害、应急响应数据…")
    enterprises = _enterprises_by_county()
    accidents = list(_accidents(rng, counties, scale, enterprises))
    _add_missing(random.Random(seed + 5), accidents)  # its own stream: the other figures stay as they were
    Accident.objects.bulk_create(accidents, batch_size=2000)
    changed_many(accidents)  # a client's first copy of the demo holds them (core.changes)
    AccidentReport.objects.bulk_create(_reports(rng, accidents), batch_size=2000)
    disasters = Disaster.objects.bulk_create(list(_disasters(rng, counties)), batch_size=2000)
    EmergencyResponse.objects.bulk_create(list(_responses(rng, disasters)), batch_size=2000)
    Denominator.objects.bulk_create(list(_denominators(scale)), batch_size=2000)
    Target.objects.bulk_create(list(_targets()), batch_size=2000)
    progress(f"事故 {len(accidents):,} 起，灾害 {len(disasters):,} 次")


def _counties(scale: int) -> dict[str, list[str]]:
    """County code → its township codes."""
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    if scale == 1:
        qs = qs.filter(code__startswith=YIYANG[:4])
    out: dict[str, list[str]] = defaultdict(list)
    for code, parent in qs.order_by("code").values_list("code", "parent_id"):
        out[parent].append(code)
    return dict(out)


def _enterprises_by_county() -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, region, category in Enterprise.objects.order_by("pk").values_list("pk", "region_id", "category_id"):
        out[(region[:6], category)].append(pk)
    return out


def _share(county: str) -> float:
    return COUNTY_SHARES.get(county, 1 / 8)  # elsewhere in 湖南省: like an average 益阳 county


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method for the small rates here; a normal approximation above 30.
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def _accidents(rng, counties: dict[str, list[str]], scale: int, enterprises) -> list[Accident]:
    sector_codes = list(SECTOR_WEIGHTS)
    for year in range(FIRST_YEAR, DEMO_END.year + 1):
        for month in range(1, 13):
            if date(year, month, 1) > DEMO_END:
                break
            for county, towns in counties.items():
                lam = _monthly_rate(county, year, month, scale)
                for _ in range(_poisson(rng, lam)):
                    sector = rng.choices(sector_codes, weights=list(SECTOR_WEIGHTS.values()))[0]
                    if county == LAGGING and year == DEMO_END.year and rng.random() < 0.3:
                        sector = "road_transport"
                    yield _accident(rng, county, rng.choice(towns), sector, year, month, enterprises)
    yield from _major_accident()
    yield from _missing_accident()


def _monthly_rate(county: str, year: int, month: int, scale: int) -> float:
    yearly = CITY_ACCIDENTS_2021 * YEARLY_DECLINE ** (year - FIRST_YEAR) * _share(county)
    if county == LAGGING and year == DEMO_END.year:
        yearly *= 2.0
    return yearly * MONTH_WEIGHTS[month - 1] / sum(MONTH_WEIGHTS)


def _moment(rng, year: int, month: int) -> datetime:
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    day = date(year, month, rng.randint(1, last))
    if day > DEMO_END:
        day = DEMO_END
    naive = datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59))  # noqa: DTZ001
    return timezone.make_aware(naive)


def _accident(rng, county, town, sector, year, month, enterprises) -> Accident:
    info = sectors()[sector]
    deaths = rng.choices([0, 1, 2, 3], weights=[8, 74, 14, 4])[0]
    pool = enterprises.get((town[:6], info.category), [])
    enterprise_id = rng.choice(pool) if pool and rng.random() < 0.5 else None
    accident = Accident(
        title=f"{info.name}事故",
        occurred_at=_moment(rng, year, month),
        region_id=town,
        enterprise_id=enterprise_id,
        category_id=info.category or None,
        sector=sector,
        deaths=deaths,
        serious_injuries=rng.choices([0, 1, 2, 4], weights=[60, 25, 10, 5])[0],
        injuries=rng.randint(0, 4),
        direct_loss=Decimal(rng.randint(5, 400)),
        description="演示数据",
    )
    if info.road:
        accident.factor_person = rng.choice(FACTORS["person"])
        accident.factor_vehicle = rng.choice(FACTORS["vehicle"])
        accident.factor_road = rng.choice(FACTORS["road"])
        accident.factor_enterprise = rng.choice(FACTORS["enterprise"]) if sector == "road_transport" else ""
    return accident


def _add_missing(rng, accidents: list[Accident]) -> None:
    """Water accidents leave people missing (下落不明) now and then; with the default setting they
    count with the deaths in the grade and the indicators (RULES.md §3.2)."""
    for accident in accidents:
        if accident.sector in WATER_SECTORS and accident.deaths and rng.random() < 0.3:
            accident.missing = 1


def _missing_accident() -> list[Accident]:
    """2 dead and 1 missing: 3 counted, a 较大 accident (国务院令第493号 第三条; RULES.md §3.2)."""
    town = Region.objects.filter(parent_id="430903", level=RegionLevel.TOWNSHIP).order_by("code").first()
    if town is None:
        return []
    return [
        Accident(
            title="赫山区渔船翻沉事故（演示）",
            occurred_at=timezone.make_aware(datetime(2026, 6, 18, 5, 40)),  # noqa: DTZ001
            region=town,
            sector="fishing_vessel",
            category_id=sectors()["fishing_vessel"].category or None,
            deaths=2,
            missing=1,
            injuries=1,
            direct_loss=Decimal("45"),
            description="演示数据：2人死亡、1人失踪，死亡和失踪合计3人，定为较大事故",
        )
    ]


def _major_accident() -> list[Accident]:
    town = Region.objects.filter(parent_id="430981", level=RegionLevel.TOWNSHIP).order_by("code").first()
    if town is None:
        return []
    moment = timezone.make_aware(datetime(2024, 7, 14, 16, 20))  # noqa: DTZ001
    return [
        Accident(
            title="沅江市自用船舶翻沉事故（演示）",
            occurred_at=moment,
            region=town,
            sector="water_transport",
            category_id="water_transport",
            deaths=10,
            missing=1,  # 11 dead and missing (造成11人死亡（含1人失踪）)
            serious_injuries=3,
            injuries=6,
            direct_loss=Decimal("860"),
            description="演示数据：重大事故，用于展示一票否决",
        )
    ]


def _reports(rng, accidents: list[Accident]) -> list[AccidentReport]:
    out = []
    for accident in accidents:
        first_deaths = accident.deaths - 1 if accident.deaths and rng.random() < 0.06 else accident.deaths
        out.append(_report(accident, ReportKind.INITIAL, first_deaths, accident.occurred_at + timedelta(hours=1)))
        if first_deaths != accident.deaths:
            later = accident.occurred_at + timedelta(days=rng.randint(1, sectors()[accident.sector].re_report_days))
            out.append(_report(accident, ReportKind.UPDATE, accident.deaths, later, "伤者经抢救无效死亡"))
    return out


def _report(accident: Accident, kind: str, deaths: int, at: datetime, note: str = "快报") -> AccidentReport:
    figures = {
        "deaths": deaths,
        "missing": accident.missing,
        "serious_injuries": accident.serious_injuries,
        "direct_loss": accident.direct_loss,
    }
    return AccidentReport(
        accident=accident,
        kind=kind,
        reported_at=at,
        injuries=accident.injuries,
        grade=grade_of(**figures),
        note=note,
        **figures,
    )


def _disasters(rng, counties: dict[str, list[str]]):
    kinds = [
        DisasterKind.FLOOD,
        DisasterKind.GEOLOGICAL,
        DisasterKind.WIND_HAIL,
        DisasterKind.DROUGHT,
        DisasterKind.FREEZE,
    ]
    for year in range(FIRST_YEAR, DEMO_END.year + 1):
        severity = 3.0 if year == 2024 else 1.0  # 2024: a flood year on 洞庭湖
        for county, towns in counties.items():
            for _ in range(_poisson(rng, 2.5)):
                kind = rng.choices(kinds, weights=[5, 3 if county in ("430923", "430922") else 1, 2, 1, 1])[0]
                month = rng.choice([6, 7, 7, 8]) if kind == DisasterKind.FLOOD else rng.randint(1, 10)
                day = min(date(year, month, rng.randint(1, 28)), DEMO_END)
                yield Disaster(
                    title=f"{day:%Y年%m月}{kind.label}",
                    kind=kind,
                    occurred_on=day,
                    region_id=rng.choice(towns),
                    affected=int(rng.lognormvariate(8.0, 0.9) * severity),
                    deaths=rng.choices([0, 1, 2], weights=[90, 8, 2])[0],
                    missing=rng.choices([0, 1], weights=[97, 3])[0],
                    direct_loss=Decimal(int(rng.lognormvariate(6.5, 1.0) * severity)),
                )


def _responses(rng, disasters: list[Disaster]):
    for disaster in disasters:
        naive = datetime.combine(disaster.occurred_on, datetime.min.time()) + timedelta(hours=rng.randint(0, 20))
        reported = timezone.make_aware(naive)
        started = reported + timedelta(minutes=rng.choices([rng.randint(20, 115), rng.randint(125, 240)], [9, 1])[0])
        distributed = reported + timedelta(hours=rng.choices([rng.uniform(4, 9.8), rng.uniform(10.5, 16)], [85, 15])[0])
        yield EmergencyResponse(
            title=f"{disaster.title}应急响应",
            region_id=disaster.region_id,
            disaster=disaster,
            reported_at=reported,
            response_started_at=started,
            relief_needed=disaster.affected > 1000,
            relief_arrived_at=distributed - timedelta(hours=2) if disaster.affected > 1000 else None,
            relief_distributed_at=distributed if disaster.affected > 1000 else None,
        )


def _denominators(scale: int):
    with (DATA / "demo_denominators.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    for row in rows:
        year = int(row["year"])
        official = row["official"].split()
        source = "官方公布：" + "、".join(official) + "（RULES.md §8.2）；其余为演示估算" if official else "演示估算"
        yield _denominator(YIYANG, year, row, 1.0, source)
        for county, share in COUNTY_SHARES.items():
            yield _denominator(county, year, row, share, "演示估算（按市值分摊）")


def _denominator(code: str, year: int, row: dict, share: float, source: str) -> Denominator:
    return Denominator(
        region_id=code,
        year=year,
        gdp=(Decimal(row["gdp"]) * Decimal(str(share))).quantize(Decimal("0.01")),
        population=round(int(row["population"]) * share),
        industrial_employees=round(int(row["industrial_employees"]) * share),
        motor_vehicles=round(int(row["motor_vehicles"]) * share),
        source=source,
    )


def _targets():
    with (DATA / "plan_targets.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    for code in [YIYANG, *COUNTY_SHARES]:
        for row in rows:
            yield Target(
                region_id=code,
                indicator=row["indicator"],
                kind=row["kind"],
                value=Decimal(row["value"]),
                binding=row["binding"] == "1",
                baseline_year=int(row["baseline_year"]),
                start_year=int(row["start_year"]),
                end_year=int(row["end_year"]),
            )
