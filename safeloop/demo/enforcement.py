"""打非治违 of the demo city (益阳 only, even at --scale 40 when other cities are loaded): the
county 应急管理局 of 资阳区 and 赫山区 become legal enforcement bodies (two certified officers
each, accounts without a known password); the demo township (township_demo) and the counties
record clues of several types in their townships; some become cases stopped, fined, closed or
re-opened after a 回潮 re-check; one is transferred; a joint operation covers the 两电 clues.
Through the services and the transition tables; deterministic for a seed; a few dozen rows."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable

from safeloop.accounts.models import Role, User
from safeloop.accounts.services import user_create
from safeloop.enforcement.models import Case, Clue
from safeloop.enforcement.services import clue_record, operation_attach, operation_create
from safeloop.enforcement.workflow import case_act, clue_act
from safeloop.registry.models import Department, OfficerCertificate, Region
from safeloop.registry.reference import YIYANG

COUNTIES = ("430902", "430903")  # 资阳区, 赫山区: both in the demo city
PLACES = (
    ("unlicensed", "无证塑料加工作坊", "村民自建房一楼无证生产塑料制品"),
    ("illegal_storage", "无证烟花爆竹存放点", "民房内私存烟花爆竹约二十箱"),
    ("two_electrics", "出租屋电动车集中充电", "楼道内飞线充电，电动自行车停放堵塞通道"),
    ("illegal_hot_work", "无证电焊作业点", "无特种作业证人员在易燃材料旁动火"),
    ("illegal_transport", "非法营运面包车", "七座面包车在集镇招揽乘客"),
    ("built_before_approval", "未批先建厂房", "未办理施工许可即开工建设钢结构厂房"),
    ("unlicensed", "无证小作坊（木材加工）", "无营业执照，粉尘积聚，无除尘设施"),
    ("overload", "超限运输砂石车", "砂石运输车辆严重超限"),
)


def seed_enforcement(*, seed: int, progress: Callable[[str], None]) -> int:
    rng = random.Random(seed + 17)
    township = User.objects.filter(username="township_demo").first()
    counties = {u.region_id: u for u in User.objects.filter(username__in=("county_ziyang", "county_heshan"))}
    bodies = {code: _certified(code) for code in COUNTIES}
    made = 0
    for code in COUNTIES:
        county = counties.get(code)
        if county is None or bodies[code] is None:
            continue
        towns = list(Region.objects.filter(code__startswith=code, level="township").order_by("code")[:6])
        for n, (kind, name, text) in enumerate(PLACES):
            town = towns[n % len(towns)]
            actor = township if township and township.region_id == town.code else county
            clue = clue_record(actor=actor, data=_clue_data(rng, kind, name, text, town))
            made += 1
            _advance(rng, clue, county, bodies[code], n)
        _operation(county, code)
    progress(f"打非治违线索 {made} 条、案件 {Case.objects.filter(region__code__startswith=YIYANG[:4]).count()} 件")
    return made


def _certified(county_code: str) -> Department | None:
    body = Department.objects.filter(region_id=county_code, kind="emergency").first()
    if body is None:
        return None
    for n in range(1, 3):
        user = user_create(
            username=f"emergency_{county_code}_officer{n}",
            password=secrets.token_urlsafe(24),
            role=Role.DEPARTMENT,
            display_name=f"{body.name[:3]}执法员{n}",
            department=body,
        )
        OfficerCertificate.objects.get_or_create(user=user, defaults={"certificate_no": f"{county_code}{900 + n}"})
    return body


def _clue_data(rng: random.Random, kind: str, name: str, text: str, town: Region) -> dict:
    lat = 28.55 + rng.uniform(-0.08, 0.08)
    lng = 112.35 + rng.uniform(-0.12, 0.12)
    return {
        "kind": kind,
        "source": rng.choice(["patrol", "grid", "hotline", "police", "market"]),
        "region": town.code,
        "name": name,
        "address": f"{town.name}{rng.randint(1, 30)}组",
        "lat": f"{lat:.6f}",
        "lng": f"{lng:.6f}",
        "description": text,
    }


def _advance(rng: random.Random, clue, county: User, body: Department, n: int) -> None:
    """Take the clue some way through the loop, by its place in the list."""
    if n == 7:
        return  # left waiting for 核查
    clue = clue_act(pk=clue.pk, actor=county, action="check", version=clue.version, data={"check_note": "现场核查属实"})
    if clue.department_id != body.pk and n in (4, 5):
        return  # another department's type: it waits with that department
    if n == 6:
        clue_act(
            pk=clue.pk,
            actor=county,
            action="close",
            version=clue.version,
            data={"reason": "经核查已办理营业执照和相关许可"},
        )
        return
    clue_act(pk=clue.pk, actor=county, action="open_case", version=clue.version, data={"body": body.pk})
    case = Case.objects.get(clue=clue)
    if n == 3:
        return  # filed, not yet decided
    measure = {0: "ban", 1: "confiscate", 2: "suspend"}.get(n, "suspend")
    case = case_act(
        pk=case.pk, actor=county, action="decide", version=case.version, data={"measure": measure, "note": "依法处理"}
    )
    if n in (0, 2):
        fine = str(rng.choice([2000, 5000, 10000]))
        case = case_act(
            pk=case.pk,
            actor=county,
            action="decide",
            version=case.version,
            data={"measure": "fine", "fine": fine, "note": "处以罚款"},
        )
    if n == 1:
        case = case_act(
            pk=case.pk,
            actor=county,
            action="decide",
            version=case.version,
            data={"measure": "police", "note": "涉嫌非法储存爆炸物品，移送公安机关"},
        )
    if n in (0, 1):
        case = case_act(
            pk=case.pk, actor=county, action="close", version=case.version, data={"opinion": "违法行为已停止，处理到位"}
        )
    if n == 0:
        case_act(
            pk=case.pk,
            actor=county,
            action="recheck",
            version=case.version,
            data={"resumed": "1", "note": "复查发现夜间恢复生产"},
        )


def _operation(county: User, code: str) -> None:
    departments = list(Department.objects.filter(region_id=code, kind__in=("emergency", "fire", "market")))
    operation = operation_create(
        actor=county,
        data={
            "name": f"{county.display_name[:3]}“两电”及无证经营联合整治",
            "kind": "joint",
            "region": code,
            "departments": [d.pk for d in departments],
            "starts_on": "2026-03-01",
            "ends_on": "2026-05-31",
            "results": "排查出租屋、小作坊，取缔无证经营点，规范电动车充电",
        },
    )
    for clue in Clue.objects.filter(region__code__startswith=code, kind_id__in=("two_electrics", "unlicensed")):
        operation_attach(actor=county, operation=operation, clue=clue)
