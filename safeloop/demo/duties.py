"""Responsibility in the demo city (issue 16): units, posts and holders, the year's duty lists,
30+ annual tasks with the key projects of the speech (4 new fire stations not started, the
wireless smoke alarm installation running slow), drills, accountability records, one 重大
accident in 安化县 (through the accidents service: 安化县 is vetoed), the year's assessment
scheme and some assessor scores. Deterministic for a given seed; names of people, budgets,
dates and shares are demo assumptions, not facts."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from safeloop.accidents.services import accident_create
from safeloop.accounts.models import User
from safeloop.duties.models import (
    AccountabilityKind,
    ListKind,
    Position,
    PositionKind,
    Task,
    TaskStatus,
    Trigger,
    Unit,
    UnitKind,
)
from safeloop.duties.services import (
    accountability_record,
    drill_record,
    duty_list_create,
    holder_change,
    manual_score_set,
    scheme_load,
    task_create,
    task_update,
)
from safeloop.registry.models import Department, Region, RegionLevel

CITY = "430900"
ANHUA = "430923"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强海涛文军明华晓峰国平卫东红梅丽娟伟光振宇"
# The city leaders' portfolios (分管): which departments each vice-mayor oversees (demo assumption).
PORTFOLIOS = {
    "常务副市长（分管安全生产）": ("emergency", "fire", "industry", "development"),
    "副市长（分管交通、住建）": ("transport", "housing", "water"),
    "副市长（分管市场监管、公安）": ("market", "public_security"),
    "副市长（分管农业、教育、卫健、文旅）": ("agriculture", "education", "health", "culture_tourism", "civil_affairs"),
}
STATEMENTS = {
    "emergency": "综合监督管理：指导协调、监督检查本级政府有关部门和下级政府安全生产工作；工贸、危险化学品、烟花爆竹、非煤矿山行业监管。",
}


def seed_duties(*, seed: int, progress: Callable[[str], None]) -> None:
    rng = random.Random(seed + 16)
    city_user = User.objects.filter(username="city_admin").first()
    if city_user is None or not Region.objects.filter(code=CITY).exists():
        return
    today = timezone.localdate()
    year = today.year
    units = _units()
    posts = _posts(rng, units, year)
    lists = _lists(units, posts, year)
    tasks = _tasks(rng, city_user, units, year, today)
    drills = _drills(rng, units, year, today)
    accident = _major_accident(city_user, year, today)
    scheme = scheme_load(region_id=CITY, year=year, title=f"益阳市{year}年度安全生产考核")
    _accountability(city_user, units, tasks, accident, today)
    _manual_scores(rng, city_user, scheme, units)
    progress(
        f"责任考核：责任单位 {len(units)} 个，职责清单 {lists} 份，年度任务 {len(tasks)} 项（重点工程 "
        f"{sum(t.key_project for t in tasks)} 项），应急演练 {drills} 次"
    )


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _units() -> dict[str, Unit]:
    """city, every county-level region of the city, every township, every department of the city and counties."""
    out: dict[str, Unit] = {}
    city = Region.objects.get(code=CITY)
    out[CITY] = Unit.objects.create(kind=UnitKind.CITY, name="益阳市委、市政府", region=city, sort=0)
    counties = list(Region.objects.filter(parent_id=CITY, level=RegionLevel.COUNTY, statutory=True).order_by("code"))
    for i, county in enumerate(counties, start=1):
        out[county.code] = Unit.objects.create(
            kind=UnitKind.COUNTY, name=f"{county.name}委、{county.name}政府", region=county, sort=i
        )
    for town in Region.objects.filter(parent__in=counties, level=RegionLevel.TOWNSHIP).order_by("code"):
        out[town.code] = Unit.objects.create(kind=UnitKind.TOWNSHIP, name=town.name, region=town, sort=50)
    departments = (
        Department.objects.filter(region__in=[city, *counties]).select_related("region").order_by("region_id", "pk")
    )
    for dept in departments:
        out[f"d{dept.pk}"] = Unit.objects.create(
            kind=UnitKind.DEPARTMENT,
            name=dept.name,
            region=dept.region,
            department=dept,
            sort=20 if dept.region_id == CITY else 40,
        )
    return out


def _by_kind(units: dict[str, Unit], region: str, kind: str) -> Unit | None:
    return next(
        (u for u in units.values() if u.department and u.region_id == region and u.department.kind == kind), None
    )


def _posts(rng: random.Random, units: dict[str, Unit], year: int) -> dict[int, dict[str, Position]]:
    """Each unit's posts and their holders; one city post changed hands this year (history)."""
    start = date(year - 2, 3, 1)
    out: dict[int, dict[str, Position]] = {}
    for unit in units.values():
        posts: dict[str, Position] = {}
        if unit.kind in (UnitKind.CITY, UnitKind.COUNTY):
            place = unit.region.name
            head = (
                "市长"
                if unit.kind == UnitKind.CITY
                else ("市长" if place.endswith("市") else ("区长" if place.endswith("区") else "县长"))
            )
            titles = [(PositionKind.SECRETARY, f"{place}委书记"), (PositionKind.HEAD, f"{place}{head}")]
            if unit.kind == UnitKind.CITY:
                titles += [
                    (PositionKind.SAFETY_VICE if "安全生产" in t else PositionKind.PORTFOLIO_VICE, f"{place}{t}")
                    for t in PORTFOLIOS
                ]
            else:
                titles += [(PositionKind.SAFETY_VICE, f"{place}副{head}（分管安全生产）")]
            for sort, (kind, title) in enumerate(titles):
                post = Position.objects.create(unit=unit, kind=kind, title=title, sort=sort)
                posts.setdefault(kind, post)
                if unit.kind == UnitKind.CITY and kind != PositionKind.SECRETARY and kind != PositionKind.HEAD:
                    portfolio = next(v for k, v in PORTFOLIOS.items() if title.endswith(k))
                    members = [_by_kind(units, CITY, k) for k in portfolio]
                    post.portfolio_units.set([m for m in members if m])
                    post.portfolio = "、".join(m.name.removeprefix("益阳市") for m in members if m)
                    post.save(update_fields=["portfolio"])
                holder_change(position=post, person_name=_person(rng), started_on=start)
        elif unit.kind == UnitKind.TOWNSHIP:
            post = Position.objects.create(unit=unit, kind=PositionKind.TOWNSHIP_HEAD, title=f"{unit.name}主要负责人")
            posts[PositionKind.TOWNSHIP_HEAD] = post
            holder_change(position=post, person_name=_person(rng), started_on=start)
        else:
            post = Position.objects.create(unit=unit, kind=PositionKind.DEPARTMENT_HEAD, title=f"{unit.name}主要负责人")
            posts[PositionKind.DEPARTMENT_HEAD] = post
            holder_change(position=post, person_name=_person(rng), started_on=start)
        out[unit.pk] = posts
    city_safety = out[units[CITY].pk][PositionKind.SAFETY_VICE]
    holder_change(position=city_safety, person_name=_person(rng), started_on=date(year, 6, 1))  # a change this year
    template = {
        k: Position.objects.create(unit=None, kind=k, title=str(k.label), sort=i)
        for i, k in enumerate(
            (PositionKind.PRINCIPAL, PositionKind.SAFETY_MANAGER, PositionKind.TEAM_LEADER, PositionKind.EMPLOYEE)
        )
    }
    out[0] = dict(template)
    return out


def _lists(units: dict[str, Unit], posts: dict[int, dict[str, Position]], year: int) -> int:
    published = date(year, 2, 20)
    count = 0
    for unit in units.values():
        if unit.kind in (UnitKind.CITY, UnitKind.COUNTY):
            kind, title = ListKind.LEADERS, f"{unit.region.name}党政领导干部安全生产职责清单（{year}年）"
            statement = "党政同责、一岗双责、齐抓共管、失职追责。"
        elif unit.kind == UnitKind.TOWNSHIP:
            kind, title = ListKind.TOWNSHIP, f"{unit.name}安全生产履职事项清单（{year}年）"
            statement = (
                "依法明确安全生产监督管理机构和人员，加强对辖区生产经营单位安全生产状况的监督检查（安全生产法第九条）。"
            )
        else:
            kind, title = ListKind.DEPARTMENT, f"{unit.name}安全生产监管职责清单（{year}年）"
            categories = "、".join(unit.department.categories.values_list("name", flat=True)) or "本部门业务范围"
            statement = (
                f"管行业必须管安全、管业务必须管安全、管生产经营必须管安全，既管合法也管非法。监管行业：{categories}。"
                + STATEMENTS.get(unit.department.kind, "")
            )
        duty_list_create(
            unit=unit,
            kind=kind,
            year=year,
            title=title,
            statement=statement,
            positions=posts[unit.pk],
            published_on=published,
        )
        count += 1
    duty_list_create(
        unit=None,
        kind=ListKind.ENTERPRISE,
        year=year,
        title=f"企业全员安全生产责任清单（{year}年，通用）",
        statement="生产经营单位是安全生产责任主体，主要负责人是第一责任人；全员安全生产责任制覆盖每个岗位。",
        positions=posts[0],
        published_on=published,
    )
    return count + 1


# ---------------------------------------------------------------- tasks

FIRE_STATIONS = (
    ("资阳区长春经开区消防站", "430902", Decimal("32000000")),
    ("赫山区龙岭工业集中区消防站", "430903", Decimal("35000000")),
    ("桃江县灰山港镇消防站", "430922", Decimal("28000000")),
    ("沅江市琼湖街道消防站", "430981", Decimal("30000000")),
)
CITY_TASKS = (
    ("开展重大事故隐患专项排查整治2026行动", "emergency", 11, 30, "done_on_time"),
    ("完成危险化学品企业安全风险评估诊断分级", "emergency", 6, 30, "done_on_time"),
    ("推动工贸企业粉尘涉爆除尘系统改造", "emergency", 9, 30, "done_late"),
    ("非煤矿山“一矿一策”整治", "emergency", 10, 31, "in_progress"),
    ("烟花爆竹经营（批发）企业仓库标准化改造", "emergency", 8, 31, "done_on_time"),
    ("道路运输企业动态监控平台全覆盖", "transport", 6, 30, "done_on_time"),
    ("农村公路临水临崖路段安全防护设施建设", "transport", 10, 31, "done_late"),
    ("客渡船、自用船安全专项整治", "transport", 5, 31, "done_on_time"),
    ("城镇燃气管道老化更新改造", "housing", 11, 30, "in_progress"),
    ("建筑施工起重机械专项治理", "housing", 7, 31, "done_on_time"),
    ("经营性自建房安全排查整治", "housing", 9, 30, "late"),
    ("特种设备（电梯、气瓶）安全隐患排查", "market", 8, 31, "done_on_time"),
    ("瓶装液化石油气质量安全监管", "market", 10, 31, "done_late"),
    ("高层建筑消防安全综合治理", "fire", 11, 30, "in_progress"),
    ("电动自行车消防安全综合治理", "fire", 9, 30, "done_on_time"),
    ("道路交通“一盔一带”和酒驾醉驾整治", "public_security", 12, 31, "in_progress"),
    ("渔业船舶安全生产整治", "agriculture", 7, 31, "done_on_time"),
    ("农机安全检验和驾驶人培训", "agriculture", 6, 30, "done_late"),
    ("校园安全和校车安全专项检查", "education", 9, 30, "done_on_time"),
    ("医疗机构消防和危化品安全检查", "health", 8, 31, "done_on_time"),
    ("养老机构安全隐患整治", "civil_affairs", 10, 31, "late"),
    ("景区和游乐设施安全检查", "culture_tourism", 5, 31, "done_on_time"),
    ("水库和水利工程安全度汛检查", "water", 4, 30, "done_on_time"),
    ("民爆物品和工业企业安全生产检查", "industry", 9, 30, "done_on_time"),
    ("重点项目安全生产条件审查", "development", 11, 30, "in_progress"),
)
COUNTY_TASKS = (
    ("完成乡镇（街道）安全生产履职事项清单落实督查", 9, 30),
    ("开展“安全生产月”活动和应急演练", 6, 30),
)


def _tasks(rng, actor: User, units: dict[str, Unit], year: int, today: date) -> list[Task]:
    out: list[Task] = []
    n = 0

    def code() -> str:
        nonlocal n
        n += 1
        return f"RW{year}-{n:03d}"

    for title, kind, month, day, fate in CITY_TASKS:
        lead = _by_kind(units, CITY, kind) or units[CITY]
        due = date(year, month, day)
        task = task_create(
            actor=actor,
            data={
                "code": code(),
                "year": year,
                "title": title,
                "source": f"益阳市{year}年安全生产工作要点",
                "lead_unit": lead,
                "due_on": due,
            },
            milestones=[
                {"title": "制定方案、动员部署", "due_on": due - timedelta(days=90), "planned_pct": 20},
                {"title": "集中整治", "due_on": due - timedelta(days=30), "planned_pct": 70},
                {"title": "验收总结", "due_on": due, "planned_pct": 100},
            ],
            co_units=[units[c] for c in rng.sample(sorted(k for k in units if len(k) == 6 and k != CITY), 2)],
        )
        out.append(_advance(actor, task, fate, today))
    for county_code in sorted(k for k in units if len(k) == 6 and k != CITY):
        for title, month, day in COUNTY_TASKS:
            due = date(year, month, day)
            task = task_create(
                actor=actor,
                data={
                    "code": code(),
                    "year": year,
                    "title": title,
                    "lead_unit": units[county_code],
                    "due_on": due,
                    "source": f"益阳市{year}年安全生产工作要点",
                },
                milestones=[{"title": "完成", "due_on": due, "planned_pct": 100}],
            )
            out.append(_advance(actor, task, rng.choice(("done_on_time", "done_on_time", "done_late", "late")), today))
    fire = _by_kind(units, CITY, "fire") or units[CITY]
    for name, county_code, budget in FIRE_STATIONS:
        task = task_create(
            actor=actor,
            data={
                "code": code(),
                "year": year,
                "title": f"新建{name}",
                "description": "按《城市消防站建设标准》新建二级普通消防站（规模和投资为演示假设）。",
                "source": f"益阳市{year}年政府工作报告重点工程",
                "lead_unit": units[county_code],
                "due_on": date(year, 12, 31),
                "key_project": True,
                "budget": budget,
            },
            milestones=[
                {"title": "完成立项和用地手续", "due_on": date(year, 4, 30), "planned_pct": 10},
                {"title": "开工建设", "due_on": date(year, 7, 31), "planned_pct": 30},
                {"title": "主体结构完工", "due_on": date(year, 11, 30), "planned_pct": 80},
                {"title": "竣工验收", "due_on": date(year, 12, 31), "planned_pct": 100},
            ],
            co_units=[fire],
        )
        out.append(task)  # not started: no progress reported
    smoke = task_create(
        actor=actor,
        data={
            "code": code(),
            "year": year,
            "title": "独居老人、老旧小区家庭安装无线烟感报警器",
            "description": "为全市独居老人、老旧小区和“九小场所”安装具备联网报警功能的独立式光电感烟火灾探测报警器（数量和投资为演示假设）。",
            "source": f"益阳市{year}年重点民生实事",
            "lead_unit": fire,
            "due_on": date(year, 12, 31),
            "key_project": True,
            "budget": Decimal("12000000"),
        },
        milestones=[
            {"title": "完成招标采购", "due_on": date(year, 3, 31), "planned_pct": 10},
            {"title": "完成安装 40%", "due_on": date(year, 6, 30), "planned_pct": 40},
            {"title": "完成安装 80%", "due_on": date(year, 9, 30), "planned_pct": 80},
            {"title": "全部安装并联网", "due_on": date(year, 12, 31), "planned_pct": 100},
        ],
        co_units=[units[c] for c in sorted(k for k in units if len(k) == 6 and k != CITY)],
    )
    months = list(range(2, today.month + 1))
    for i, month in enumerate(months):
        pct = min(60, 4 + i * 6)  # running slow: far behind the plan
        task_update(actor=actor, pk=smoke.pk, data={"progress_pct": pct, "month": date(year, month, 1).isoformat()})
    reached = Task.objects.get(pk=smoke.pk).percent
    for milestone in smoke.milestones.filter(planned_pct__lte=reached):
        task_update(actor=actor, pk=smoke.pk, data={"milestone_done": milestone.pk})
    out.append(Task.objects.get(pk=smoke.pk))
    return out


def _advance(actor: User, task: Task, fate: str, today: date) -> Task:
    """Bring a task to its demo state (done in time, done late, still running, late)."""
    milestones = list(task.milestones.all())
    if fate in ("done_on_time", "done_late") and task.due_on <= today:
        done = (
            task.due_on - timedelta(days=5) if fate == "done_on_time" else min(today, task.due_on + timedelta(days=20))
        )
        for m in milestones:
            task_update(actor=actor, pk=task.pk, data={"milestone_done": m.pk})
        task_update(actor=actor, pk=task.pk, data={"status": TaskStatus.DONE, "completed_on": done.isoformat()})
    elif fate in ("in_progress", "done_on_time", "done_late") or task.due_on > today:
        passed = [m for m in milestones if m.due_on <= today]
        for m in passed:
            task_update(actor=actor, pk=task.pk, data={"milestone_done": m.pk})
        pct = max([m.planned_pct for m in passed], default=10)
        task_update(actor=actor, pk=task.pk, data={"status": TaskStatus.IN_PROGRESS, "percent": pct})
    else:  # late: the first milestone done, the rest not
        if milestones:
            task_update(actor=actor, pk=task.pk, data={"milestone_done": milestones[0].pk})
        task_update(actor=actor, pk=task.pk, data={"status": TaskStatus.IN_PROGRESS, "percent": 40})
    return Task.objects.get(pk=task.pk)


# ---------------------------------------------------------------- drills, the accident, accountability


def _drills(rng, units: dict[str, Unit], year: int, today: date) -> int:
    """Most townships held a drill this year (the rest are what the duty measure shows)."""
    count = 0
    plans = (
        "乡镇生产安全事故综合应急预案",
        "防汛抢险和人员转移应急预案",
        "危险化学品泄漏事故应急预案",
        "森林火灾扑救应急预案",
    )
    actor = User.objects.get(username="city_admin")
    for unit in [u for u in units.values() if u.kind == UnitKind.TOWNSHIP]:
        for _i in range(rng.choices((0, 1, 2), weights=(2, 6, 2))[0]):
            held = date(year, rng.randint(3, max(3, today.month - 1)), rng.randint(1, 28))
            drill_record(
                actor=actor,
                unit=unit,
                data={
                    "held_on": held.isoformat(),
                    "plan": rng.choice(plans),
                    "participants": rng.randint(20, 160),
                    "note": "演练结束后开展了讲评，修订了预案中的联络表。",
                },
            )
            count += 1
    return count


def _major_accident(actor: User, year: int, today: date):
    """A 重大 accident this year in 安化县 (11 dead: 重大, RULES.md §3.2) — the county is vetoed."""
    town = Region.objects.filter(parent_id=ANHUA, level=RegionLevel.TOWNSHIP).order_by("code").first()
    if town is None:
        return None
    moment = timezone.make_aware(datetime(year, 8, 17, 10, 40))  # noqa: DTZ001
    if moment.date() > today:
        moment = timezone.make_aware(datetime(today.year, max(1, today.month - 1), 10, 10, 40))  # noqa: DTZ001
    return accident_create(
        actor=actor,
        data={
            "title": f"安化县非煤矿山透水事故（演示，{year}年）",
            "occurred_at": moment.isoformat(),
            "region": town.code,
            "sector": "noncoal_mine",
            "production_safety": True,
            "deaths": 11,
            "missing": 0,
            "serious_injuries": 2,
            "injuries": 3,
            "direct_loss": "2860",
            "description": "井下采掘作业揭露老空区积水，造成透水（演示数据）。",
        },
    )


def _accountability(actor: User, units: dict[str, Unit], tasks: list[Task], accident, today: date) -> None:
    if accident is not None:
        accountability_record(
            actor=actor,
            unit=units[ANHUA],
            data={
                "kind": AccountabilityKind.TALK,
                "decided_on": (today - timedelta(days=60)).isoformat(),
                "reason": "发生重大生产安全事故，约谈县政府主要负责人",
                "trigger": Trigger.ACCIDENT,
                "decided_by": "益阳市安全生产委员会",
                "accident": accident.pk,
            },
        )
    late = next((t for t in tasks if t.status != TaskStatus.DONE and t.due_on < today), None)
    if late is not None:
        accountability_record(
            actor=actor,
            unit=late.lead_unit,
            data={
                "kind": AccountabilityKind.CRITICISM,
                "decided_on": today.isoformat(),
                "reason": f"年度任务“{late.title}”逾期未完成，予以通报批评",
                "trigger": Trigger.TASK,
                "decided_by": "益阳市安全生产委员会办公室",
                "task": late.pk,
            },
        )


def _manual_scores(rng, actor: User, scheme, units: dict[str, Unit]) -> None:
    """The assessor scored the counties' 综合评价 (the departments' still wait)."""
    for county in sorted(k for k in units if len(k) == 6 and k != CITY):
        manual_score_set(
            actor=actor,
            scheme=scheme,
            item_code="review",
            unit_id=units[county].pk,
            data={
                "score": str(rng.choice((3, 3.5, 4, 4.5, 5))),
                "reason": "述职评议和暗访检查结果",
                "evidence": f"益阳市安委会考核组{scheme.year}年度述职评议记录",
            },
        )
