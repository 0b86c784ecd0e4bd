"""A small city for the assessment: units of every county, township and department (the demo's
own unit builder), the scheme of data/scheme.csv, hazards in 资阳区 and 赫山区, a 重大 accident in
安化县, annual tasks of 资阳区 (one done on time, one late), a reward mechanism, a manual score."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from safeloop.accidents.services import accident_create
from safeloop.accounts.models import Role
from safeloop.demo.duties import _units
from safeloop.duties.models import Task, TaskStatus
from safeloop.duties.services import manual_score_set, scheme_load, task_create, task_update
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import hazard_act
from safeloop.reporting.models import RewardMechanism
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user

ANHUA_TOWN = "430923101"


def _act(actor, hazard, action, **data):
    hazard.refresh_from_db()
    return hazard_act(hazard_id=hazard.pk, actor=actor, action=action, version=hazard.version, data=data)


@pytest.fixture
def duty_city(reference, django_capture_on_commit_callbacks) -> dict:
    today = timezone.localdate()
    chem = make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳化工有限公司")
    make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳第二化工有限公司")
    make_enterprise(region=ZIYANG_TOWN, category="commerce", name="资阳商贸有限公司")
    haul = make_enterprise(region=HESHAN_TOWN, category="road_transport", name="赫山运输有限公司")
    mine = make_enterprise(region=ANHUA_TOWN, category="noncoal_mine", name="安化矿业有限公司")
    city = make_user(Role.CITY, region_id="430900")
    users = {
        "city": city,
        "ziyang": make_user(Role.COUNTY, region_id="430902"),
        "heshan": make_user(Role.COUNTY, region_id="430903"),
        "anhua": make_user(Role.COUNTY, region_id="430923"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        county = users["ziyang"]
        with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
            late = hazard_report(
                actor=county, data={"enterprise": chem.pk, "source": "regulator", "description": "通道堵塞"}
            )
            _act(county, late, "confirm")
            _act(county, late, "assign", responsible_unit="企业", responsible_person="张", deadline_days="5")
        major = {"level": "major", "clause": "化工121-1", "description": "可燃气体报警缺失", "source": "regulator"}
        hazard_report(actor=city, data={**major, "enterprise": chem.pk})
        hazard_report(actor=city, data={"enterprise": haul.pk, "source": "regulator", "description": "车辆超载"})
        hazard_report(actor=city, data={"enterprise": mine.pk, "source": "regulator", "description": "井下通风不良"})
    moment = timezone.now() - timedelta(days=3)
    if moment.year != today.year:
        moment = timezone.now()
    users["major_accident"] = accident_create(
        actor=city,
        data={
            "title": "安化矿山透水事故",
            "occurred_at": moment,
            "region": ANHUA_TOWN,
            "sector": "noncoal_mine",
            "deaths": 10,
        },
    )
    RewardMechanism.objects.create(enterprise=chem, established=True, established_on=today)
    units = _units()
    scheme = scheme_load(region_id="430900", year=today.year, title=f"益阳市{today.year}年度安全生产考核")
    ziyang = units["430902"]
    past = today - timedelta(days=10)
    on_time = task_create(
        actor=city,
        data={"code": "T-1", "year": today.year, "title": "资阳区任务一", "lead_unit": ziyang, "due_on": past},
        milestones=[{"title": "完成", "due_on": past, "planned_pct": 100}],
    )
    task_update(
        actor=city,
        pk=on_time.pk,
        data={"status": TaskStatus.DONE, "completed_on": (past - timedelta(days=2)).isoformat()},
    )
    task_create(
        actor=city,
        data={"code": "T-2", "year": today.year, "title": "资阳区任务二（逾期）", "lead_unit": ziyang, "due_on": past},
        milestones=[{"title": "完成", "due_on": past, "planned_pct": 100}],
    )
    project = task_create(
        actor=city,
        data={
            "code": "T-3",
            "year": today.year,
            "title": "新建资阳区消防站",
            "lead_unit": ziyang,
            "due_on": date(today.year, 12, 31),
            "key_project": True,
            "budget": "32000000",
        },
        milestones=[{"title": "开工", "due_on": date(today.year, 1, 1), "planned_pct": 30}],
    )
    manual_score_set(
        actor=city,
        scheme=scheme,
        item_code="review",
        unit_id=ziyang.pk,
        data={"score": "4", "reason": "述职评议", "evidence": "评议记录"},
    )
    return users | {"units": units, "scheme": scheme, "project": Task.objects.get(pk=project.pk)}
