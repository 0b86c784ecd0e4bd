"""防汛抗旱 of the demo city: risk points along the 资水 and in the 洞庭湖 districts (资阳, 赫山,
南县, 大通湖, 沅江) with their responsible persons, depots and stock (some townships short),
rescue teams, duty, two township accounts that patrol, and a past season (2026): warnings
and a Ⅳ级 response with evacuations and relief, recorded through the services (the response
reaches the targets through the accidents service). Names, phones and figures are invented
demo data; only in the demo city. Deterministic."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.demo.registry import COUNTY_CENTRES
from safeloop.flood.models import Item, PointKind, PointLevel
from safeloop.flood.services import (
    alert_end,
    alert_start,
    depot_create,
    drought_report,
    evacuation_record,
    patrol_record,
    relief_record,
    risk_point_create,
    shift_set,
    stock_set,
    team_create,
    township_centre,
    zero_report_submit,
)
from safeloop.registry.models import Region

FLOOD_USERNAMES = ("township_shatou", "township_caowei")  # 资阳区沙头镇, 沅江市草尾镇: they patrol
TOWNSHIP_ACCOUNTS = {"township_shatou": "430902104", "township_caowei": "430981114"}
# (township code, name, kind, level, where, people threatened)
POINTS = [
    ("430902104", "沙头镇资水大堤险段", PointKind.DIKE, PointLevel.MAJOR, "资水左岸桩号 K3+200 至 K4+100", 3200),
    ("430902104", "沙头镇新民垸渍涝区", PointKind.LOW_LYING, PointLevel.GENERAL, "新民垸低洼片", 450),
    ("430902105", "茈湖口镇甘溪港堤段", PointKind.DIKE, PointLevel.LARGER, "甘溪港右岸桩号 K8+500", 1800),
    (
        "430902203",
        "张家塞乡资水堤防管涌险段",
        PointKind.DIKE,
        PointLevel.MAJOR,
        "资水右岸桩号 K12+300 至 K12+800",
        2600,
    ),
    ("430903111", "兰溪镇兰溪河堤段", PointKind.DIKE, PointLevel.LARGER, "兰溪河左岸", 1200),
    ("430903114", "泥江口镇后山滑坡隐患点", PointKind.GEOLOGICAL, PointLevel.LARGER, "泥江口镇后山组", 86),
    ("430903114", "泥江口镇水库山塘", PointKind.RESERVOIR, PointLevel.GENERAL, "泥江口镇大坝山塘", 140),
    ("430921125", "南洲镇藕池河堤段", PointKind.DIKE, PointLevel.MAJOR, "藕池河东支右岸", 4100),
    ("430921125", "南洲镇下穿通道", PointKind.UNDERPASS, PointLevel.GENERAL, "城区铁路下穿通道", 0),
    ("430971121", "河坝镇大通湖围堤", PointKind.DIKE, PointLevel.LARGER, "大通湖东岸围堤", 2100),
    ("430981114", "草尾镇草尾河大堤险段", PointKind.DIKE, PointLevel.MAJOR, "草尾河右岸桩号 K5+000 至 K6+200", 3500),
    ("430981114", "草尾镇老旧危房片区", PointKind.OLD_HOUSE, PointLevel.GENERAL, "草尾镇老街", 210),
    ("430981102", "四季红镇在建排涝泵站工地", PointKind.SITE, PointLevel.GENERAL, "四季红镇排涝泵站", 60),
    ("430981108", "新湾镇东南湖堤段", PointKind.DIKE, PointLevel.LARGER, "东南湖西岸", 1600),
]
SURNAMES = "李王张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳敏静强磊军洋勇杰涛明超平刚华建国红"
# Stock per depot, by item: the first townships hold enough, the others fall short (the demo's
# shortfall list is not empty).
FULL = {Item.SANDBAGS: 6000, Item.PUMPS: 6, Item.LIFE_JACKETS: 300, Item.BOATS: 3, Item.TENTS: 40}
SHORT = {Item.SANDBAGS: 2200, Item.PUMPS: 2, Item.LIFE_JACKETS: 120, Item.BOATS: 1, Item.TENTS: 8}


def _person(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    return name, "139" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))  # noqa: DTZ001


def seed_flood(*, seed: int, progress: Callable[[str], None], password: str) -> list[str]:
    city = User.objects.filter(username="city_admin").first()
    if city is None or not Region.objects.filter(code="430902104").exists():
        return []
    rng = random.Random(seed + 18)
    usernames = []
    for username, code in TOWNSHIP_ACCOUNTS.items():
        if not User.objects.filter(username=username).exists():
            name = Region.objects.get(code=code).name
            user_create(
                username=username, password=password, role=Role.TOWNSHIP, display_name=f"{name}防汛办", region_id=code
            )
        usernames.append(username)
    points = []
    for i, (code, name, kind, level, where, people) in enumerate(POINTS):
        lat0, lng0 = township_centre(code) or COUNTY_CENTRES[code[:6]]
        admin, tech, patrol = _person(rng), _person(rng), _person(rng)
        data = {
            "name": name,
            "kind": kind,
            "level": level,
            "region": code,
            "location": where,
            "lat": f"{lat0 + rng.uniform(-0.02, 0.02):.6f}",
            "lng": f"{lng0 + rng.uniform(-0.02, 0.02):.6f}",
            "people_threatened": people,
            "property_threatened": str(people * 3),
            "admin_person": admin[0],
            "admin_phone": admin[1],
            "tech_person": tech[0],
            "tech_phone": tech[1],
            "patrol_person": patrol[0],
            "patrol_phone": patrol[1],
            "evacuation_route": "沿村道向地势较高处转移" if people else "",
            "shelter": "镇中心学校" if people else "",
        }
        points.append(risk_point_create(actor=city, data=data))
        if i % 2 == 0:
            township = points[-1].region
            depot = depot_create(
                actor=city,
                data={
                    "region": code,
                    "name": f"{township.name}防汛物资仓库",
                    "keeper": patrol[0],
                    "keeper_phone": patrol[1],
                },
            )
            for item, quantity in (FULL if i % 4 == 0 else SHORT).items():
                stock_set(actor=city, data={"depot": depot.pk, "item": item, "quantity": quantity})
            team = {"name": f"{township.name}抢险突击队", "leader": admin[0], "leader_phone": admin[1]}
            team_create(
                actor=city, data={**team, "region": code, "members": 30 + i, "equipment": "冲锋舟、抽水泵、照明设备"}
            )
    _season(city, points)
    today = timezone.localdate()
    for code in ("430900", "430902", "430981"):
        leader, staff = _person(rng), _person(rng)
        shift_set(
            actor=city,
            data={
                "region": code,
                "on_date": today.isoformat(),
                "leader": leader[0],
                "leader_phone": leader[1],
                "staff": staff[0],
                "staff_phone": staff[1],
            },
        )
    progress(f"防汛风险点 {len(points)} 处，乡镇巡查账号 {len(usernames)} 个")
    return usernames


def _season(city: User, points: list) -> None:
    """The 2026 flood season, already over: a yellow warning, a Ⅳ级 response in 资阳区 with its
    evacuation and relief, patrols and zero reports of the townships, a drought in the autumn."""
    shatou = User.objects.get(username="township_shatou")
    start = date(2026, 6, 18)
    warning = alert_start(
        actor=city,
        data={
            "kind": "warning",
            "level": "yellow",
            "region": "430900",
            "title": "益阳市防汛黄色预警",
            "document_no": "益防指〔2026〕12号",
            "document": "受强降雨影响，资水益阳段水位持续上涨，全市启动防汛黄色预警。",
            "started_at": _moment(start, 8).isoformat(),
        },
    )
    alert_end(
        actor=city,
        alert_id=warning.pk,
        data={
            "ended_at": _moment(start + timedelta(days=6), 18).isoformat(),
            "end_document_no": "益防指〔2026〕15号",
            "end_document": "雨情水情趋缓，解除防汛黄色预警。",
        },
    )
    response = alert_start(
        actor=city,
        data={
            "kind": "response",
            "level": "IV",
            "region": "430902",
            "title": "资阳区防汛Ⅳ级应急响应",
            "document_no": "资防指〔2026〕8号",
            "document": "资水沙头段出现渗水险情，启动防汛Ⅳ级应急响应。",
            "reported_at": _moment(start + timedelta(days=1), 6, 10).isoformat(),
            "started_at": _moment(start + timedelta(days=1), 7, 30).isoformat(),
        },
    )
    evacuation_record(
        actor=city,
        alert_id=response.pk,
        data={
            "region": "430902104",
            "people": 320,
            "shelter": "沙头镇中学",
            "moved_at": _moment(start + timedelta(days=1), 11).isoformat(),
        },
    )
    relief_record(
        actor=city,
        alert_id=response.pk,
        data={
            "region": "430902104",
            "items": "帐篷 40 顶、棉被 300 床、方便食品 500 箱",
            "arrived_at": _moment(start + timedelta(days=1), 12).isoformat(),
            "distributed_at": _moment(start + timedelta(days=1), 15).isoformat(),
        },
    )
    alert_end(
        actor=city,
        alert_id=response.pk,
        data={
            "ended_at": _moment(start + timedelta(days=4), 17).isoformat(),
            "end_document_no": "资防指〔2026〕10号",
            "end_document": "险情已排除，终止防汛Ⅳ级应急响应。",
        },
    )
    for point in points:
        if point.region_id == "430902104":
            for day in range(3):
                patrol_record(
                    actor=shatou,
                    data={
                        "risk_point": point.pk,
                        "patrolled_at": _moment(start + timedelta(days=day), 9).isoformat(),
                        "lat": str(point.lat),
                        "lng": str(point.lng),
                        "finding": "none",
                        "patroller_names": point.patrol_person,
                    },
                )
    for day in range(5):
        on = start + timedelta(days=day)
        for code in ("430902104", "430981114", "430902105"):
            zero_report_submit(actor=city, data={"region": code, "on_date": on.isoformat(), "nil": True})
    drought_report(
        actor=city,
        data={
            "region": "430903114",
            "on_date": "2026-09-20",
            "affected_area": "3200",
            "people_short_of_water": 450,
            "measures": "调水车送水，启用应急水源",
        },
    )
