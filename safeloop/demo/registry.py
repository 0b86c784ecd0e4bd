"""Deterministic demo city: 益阳市's real divisions, plausible enterprises, the demo accounts.

Everything derives from one `random.Random(seed)`, so two runs give the same database.
At `scale` N the city's ~5,000 enterprises become N×5,000 spread over every township of
湖南省 (a province deployment), in batches with progress reported to `progress`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from safeloop.accounts.models import Position, Role
from safeloop.accounts.services import user_create
from safeloop.core.codes import ALPHABET, make_credit_code
from safeloop.core.scope import region_q
from safeloop.core.text import pinyin_initials
from safeloop.demo.batches import batches
from safeloop.demo.targets import seed_targets_demo
from safeloop.experts.services import expert_assign
from safeloop.registry.models import Category, Department, Enterprise, Region, RegionLevel, RiskLevel, Scale
from safeloop.registry.reference import YIYANG, reference_load
from safeloop.registry.services import enterprises_bulk_register

BASE_ENTERPRISES = 5000
BATCH = 5000

# Share of enterprises per category in a mid-sized inland city (demo assumption, not a statistic).
CATEGORY_WEIGHTS = {
    "commerce": 24,
    "light_industry": 13,
    "machinery": 9,
    "building_materials": 6,
    "construction": 8,
    "road_transport": 7,
    "hazchem": 5,
    "fire_safety": 6,
    "special_equipment": 3,
    "gas": 1.5,
    "textile": 2,
    "metallurgy": 0.5,
    "nonferrous": 1,
    "noncoal_mine": 1.5,
    "fireworks": 1.5,
    "water_transport": 2,
    "chemical": 1.5,
    "pharma": 1,
    "tobacco": 0.1,
    "fishery": 1,
    "education": 1,
    "medical": 1,
    "elderly_care": 0.8,
    "tourism": 1,
    "power": 0.5,
    "civil_explosives": 0.1,
    "other": 1,
}
# (GB/T 4754 division, noun used in generated names) per category.
CATEGORY_FLAVOUR = {
    "commerce": [("52", "商贸"), ("51", "贸易"), ("59", "冷链物流"), ("52", "超市")],
    "light_industry": [("13", "食品"), ("15", "茶业"), ("14", "食品加工"), ("22", "纸业")],
    "machinery": [("34", "机械"), ("35", "装备制造"), ("37", "船舶制造"), ("33", "金属制品")],
    "building_materials": [("30", "建材"), ("30", "水泥制品"), ("30", "新型墙材")],
    "construction": [("47", "建筑工程"), ("48", "路桥建设"), ("50", "装饰工程")],
    "road_transport": [("54", "运输"), ("54", "客运"), ("54", "危货运输")],
    "hazchem": [("52", "加油站"), ("51", "化工贸易"), ("51", "气体")],
    "fire_safety": [("61", "酒店"), ("62", "餐饮"), ("90", "娱乐"), ("52", "商场")],
    "special_equipment": [("34", "起重设备"), ("34", "锅炉"), ("81", "电梯工程")],
    "gas": [("45", "燃气"), ("45", "液化气")],
    "textile": [("17", "纺织"), ("18", "服饰")],
    "metallurgy": [("31", "钢铁"), ("31", "特钢")],
    "nonferrous": [("32", "有色金属"), ("32", "铝业")],
    "noncoal_mine": [("10", "矿业"), ("10", "石料")],
    "fireworks": [("26", "烟花"), ("52", "烟花爆竹经营部")],
    "water_transport": [("55", "航运"), ("55", "船务")],
    "chemical": [("26", "化工"), ("26", "精细化工")],
    "pharma": [("27", "制药"), ("27", "生物医药")],
    "tobacco": [("16", "卷烟")],
    "fishery": [("04", "渔业")],
    "education": [("83", "学校")],
    "medical": [("84", "医院")],
    "elderly_care": [("85", "养老服务")],
    "tourism": [("88", "文化旅游"), ("61", "民宿")],
    "power": [("44", "电力"), ("44", "水电")],
    "civil_explosives": [("26", "民爆器材")],
    "other": [("72", "实业"), ("72", "综合服务")],
}
BRANDS = list("安达华兴恒盛鑫隆泰丰瑞昌宏源远金银鹏飞腾湘资益桃梅山江洞庭雪峰龙凤天地永")
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "有限公司", "有限公司"]
SURNAMES = list(
    "李王张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰军辉志")
COUNTY_CENTRES = {  # approximate seats (lat, lng), for plausible demo coordinates
    "430902": (28.60, 112.32),
    "430903": (28.57, 112.40),
    "430921": (29.37, 112.40),
    "430922": (28.52, 112.15),
    "430923": (28.38, 111.21),
    "430971": (29.18, 112.55),
    "430972": (28.55, 112.28),
    "430981": (28.84, 112.36),
}
DEMO_USERNAMES = (
    "city_admin",
    "county_ziyang",
    "county_heshan",
    "dept_transport",
    "dept_housing",
    "enterprise_demo",
    "enterprise_safety",
    "expert_demo",
    "sysadmin",
)
# Share of each category's enterprises with each risk feature (demo assumption, not a statistic:
# no source for the city's shares was found). 冷链物流 firms are the commerce ones with ammonia.
RISK_FEATURE_SHARES: dict[str, dict[str, float]] = {
    "dust_explosion": {
        "machinery": 0.25,
        "light_industry": 0.15,
        "building_materials": 0.1,
        "textile": 0.2,
        "nonferrous": 0.3,
        "metallurgy": 0.1,
        "tobacco": 0.5,
        "commerce": 0.01,
    },
    "ammonia_refrigeration": {"light_industry": 0.08, "commerce": 0.02, "冷链物流": 0.4},
    "confined_space": {
        "light_industry": 0.3,
        "machinery": 0.15,
        "building_materials": 0.2,
        "metallurgy": 0.6,
        "nonferrous": 0.5,
        "textile": 0.2,
        "tobacco": 0.3,
        "commerce": 0.05,
    },
    "hazardous_process": {"chemical": 0.6, "pharma": 0.4, "hazchem": 0.03},
    "major_hazard_source": {"chemical": 0.35, "hazchem": 0.08, "pharma": 0.1, "gas": 0.2},
}
RISK_WEIGHTS = [(RiskLevel.RED, 3), (RiskLevel.ORANGE, 12), (RiskLevel.YELLOW, 35), (RiskLevel.BLUE, 50)]


@dataclass
class DemoAccounts:
    password: str
    usernames: list[str]


def seed_demo(*, seed: int, scale: int, password: str, progress: Callable[[str], None]) -> DemoAccounts:
    progress("加载参考数据（行政区划、监管行业、国民经济行业、部门）…")
    reference_load(province=scale > 1)
    rng = random.Random(seed)
    townships = _townships(scale)
    categories = {c.code: c for c in Category.objects.all()}
    total = BASE_ENTERPRISES * scale
    made = 0
    for batch in batches(_generate(rng, townships, categories, total), BATCH):
        made += enterprises_bulk_register(enterprises=batch)
        progress(f"企业 {made:,}/{total:,}（{made * 100 // total}%）")
    seed_targets_demo(seed=seed, scale=scale, progress=progress)
    return _accounts(rng, password)


def _townships(scale: int) -> list[Region]:
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    if scale == 1:
        qs = qs.filter(code__startswith=YIYANG[:4])
    return list(qs.order_by("code"))


def _weight(region: Region) -> float:
    segment = int(region.code[6:9])
    if segment < 100:
        return 2.0  # 街道: urban, more businesses
    return 1.0 if segment < 200 else 0.6


def _generate(rng: random.Random, townships: list[Region], categories: dict, total: int) -> Iterator[Enterprise]:
    places = rng.choices(townships, weights=[_weight(t) for t in townships], k=total)
    codes = list(CATEGORY_WEIGHTS)
    kinds = rng.choices(codes, weights=list(CATEGORY_WEIGHTS.values()), k=total)
    used_names: set[str] = set()
    used_codes: set[str] = set()
    for index, (township, code) in enumerate(zip(places, kinds, strict=True)):
        yield _enterprise(rng, index, township, categories[code], used_names, used_codes)


def _enterprise(rng, index, township: Region, category: Category, used_names: set, used_codes: set) -> Enterprise:
    industry, noun = rng.choice(CATEGORY_FLAVOUR[category.code])
    name = _unique_name(rng, township, noun, used_names)
    employees = int(rng.lognormvariate(3.2, 1.1)) + 3
    lat, lng = _position(rng, township)
    return Enterprise(
        name=name,
        name_initials=_initials(name),
        credit_code=_credit_code(rng, township.code[:6], used_codes),
        region=township,
        category=category,
        industry_code=industry,
        address=f"{township.name}{rng.randint(1, 399)}号",
        lat=lat,
        lng=lng,
        employees=employees,
        scale=_scale(employees),
        risk_level=rng.choices([r for r, _ in RISK_WEIGHTS], weights=[w for _, w in RISK_WEIGHTS])[0],
        key_sector=category.key_sector and rng.random() < 0.35,
        principal_name=_person(rng),
        principal_phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        safety_contact_name=_person(rng),
        safety_contact_phone=f"15{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        **_risk_features(category.code, noun, name),
    )


def _risk_features(category: str, noun: str, name: str) -> dict[str, bool]:
    """Drawn from a generator of the enterprise's own (its name is unique), so adding features
    left every other demo value as it was."""
    draw = random.Random(f"risk:{name}")
    return {
        feature: draw.random() < shares.get(noun, shares.get(category, 0.0))
        for feature, shares in RISK_FEATURE_SHARES.items()
    }


def _unique_name(rng, township: Region, noun: str, used: set[str]) -> str:
    place = _place_word(township)
    while True:
        brand = "".join(rng.sample(BRANDS, 2))
        name = f"{place}{brand}{noun}{rng.choice(SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name


@cache
def _place_word(township: Region) -> str:
    return township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")[:3]


def _initials(name: str) -> str:
    return "".join(_piece_initials(ch) for ch in name)


@cache
def _piece_initials(ch: str) -> str:
    return pinyin_initials(ch)


def _credit_code(rng, county_code: str, used: set[str]) -> str:
    while True:
        body = "91" + county_code + "".join(rng.choice(ALPHABET[:10] if i < 2 else ALPHABET) for i in range(9))
        code = make_credit_code(body)
        if code not in used:
            used.add(code)
            return code


def _position(rng, township: Region) -> tuple[Decimal, Decimal]:
    lat0, lng0 = COUNTY_CENTRES.get(township.code[:6], _hashed_centre(township.code[:6]))
    jitter = random.Random(township.code)  # same township, same neighbourhood
    lat = lat0 + jitter.uniform(-0.12, 0.12) + rng.uniform(-0.02, 0.02)
    lng = lng0 + jitter.uniform(-0.12, 0.12) + rng.uniform(-0.02, 0.02)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def _hashed_centre(county_code: str) -> tuple[float, float]:
    r = random.Random(county_code)
    return r.uniform(25.0, 29.8), r.uniform(109.5, 113.9)  # inside 湖南省's bounding box


def _scale(employees: int) -> str:
    if employees >= 1000:
        return Scale.LARGE
    if employees >= 300:
        return Scale.MEDIUM
    return Scale.SMALL if employees >= 20 else Scale.MICRO


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def _accounts(rng: random.Random, password: str) -> DemoAccounts:
    city_dept = {d.kind: d for d in Department.objects.filter(region_id=YIYANG)}
    heshan = Enterprise.objects.filter(region_q("region", "430903"), category_id="hazchem").order_by("pk").first()
    specs = [
        ("city_admin", Role.CITY, "市应急局值班员", {"region_id": YIYANG}),
        ("county_ziyang", Role.COUNTY, "资阳区应急局", {"region_id": "430902"}),
        ("county_heshan", Role.COUNTY, "赫山区应急局", {"region_id": "430903"}),
        ("dept_transport", Role.DEPARTMENT, "市交通运输局", {"department": city_dept["transport"]}),
        ("dept_housing", Role.DEPARTMENT, "市住房和城乡建设局", {"department": city_dept["housing"]}),
        # The enterprise's principal (signs for it) and its safety manager: a second account, so
        # the enterprise accepts its own self-found hazards as a real one would (never the fixer).
        ("enterprise_demo", Role.ENTERPRISE, "企业主要负责人", {"enterprise": heshan, "position": Position.PRINCIPAL}),
        (
            "enterprise_safety",
            Role.ENTERPRISE,
            "企业安全管理员",
            {"enterprise": heshan, "position": Position.SAFETY_MANAGER},
        ),
        ("expert_demo", Role.EXPERT, "危化专家", {}),
        ("sysadmin", Role.SYSADMIN, "系统管理员", {}),
    ]
    users = {
        name: user_create(username=name, password=password, role=role, display_name=label, **scope)
        for name, role, label, scope in specs
    }
    hazchem = list(
        Enterprise.objects.filter(region_q("region", YIYANG[:4]), category_id__in=["hazchem", "chemical"])
        .order_by("pk")
        .values_list("pk", flat=True)[:60]
    )
    chosen = set(rng.sample(hazchem, min(11, len(hazchem)))) | ({heshan.pk} if heshan else set())
    # 危化专家: a pool profile whose specialties cover the enterprises it helps (issue 14).
    categories = sorted(set(Enterprise.objects.filter(pk__in=chosen).values_list("category_id", flat=True)))
    expert_assign(expert=users["expert_demo"], enterprise_ids=sorted(chosen), categories=categories)
    return DemoAccounts(password=password, usernames=[name for name, *_ in specs])
