"""Every duties route, tried by outsiders (tests/test_outsiders.py DUTY_ROUTES): another county,
a department of another county, an enterprise, an expert. A task, its evidence, a unit's
assessment and drill-down rows are 404 (or 403 for a role that has no such pages); lists and
the export do not mention them; posts change nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeloop.accounts.models import Role
from safeloop.duties.models import DutyList, Evidence, SchemeStatus, Task
from safeloop.duties.services import duty_list_create, evidence_add
from safeloop.registry.models import Department, Enterprise
from tests.conftest import make_user
from tests.reporting.conftest import photo

pytestmark = pytest.mark.django_db
SECRET = "资阳区任务"


@pytest.fixture
def ziyang_records(duty_city, media_root):
    task = duty_city["project"]
    evidence = evidence_add(actor=duty_city["ziyang"], pk=task.pk, upload=photo())
    ziyang = duty_city["units"]["430902"]
    duty_list = duty_list_create(
        unit=ziyang,
        kind="leaders",
        year=task.year,
        title="资阳区任务清单",
        statement="",
        positions={},
        published_on=timezone.localdate(),
    )
    return {"task": task, "evidence": evidence, "unit": ziyang, "list": duty_list}


@pytest.fixture
def outsiders(duty_city):
    enterprise = Enterprise.objects.get(name="赫山运输有限公司")
    return {
        "heshan": duty_city["heshan"],
        "department": make_user(
            Role.DEPARTMENT, department=Department.objects.get(region_id="430903", kind="transport")
        ),
        "enterprise": make_user(Role.ENTERPRISE, enterprise=enterprise),
        "expert": make_user(Role.EXPERT),
    }


def _object_urls(records, year):
    task, unit = records["task"], records["unit"]
    return {
        "duties:list": [reverse("duties:list", args=[records["list"].pk])],
        "duties:task": [reverse("duties:task", args=[task.pk])],
        "duties:evidence": [reverse("duties:evidence", args=[task.pk, records["evidence"].pk])],
        "duties:assessment_unit": [reverse("duties:assessment_unit", args=[year, unit.pk])],
        "duties:drill": [reverse("duties:drill", args=[year, unit.pk, "overdue_rate", "num"])],
    }


def _post_urls(records, year):
    task, unit = records["task"], records["unit"]
    return {
        "duties:task_update": (reverse("duties:task_update", args=[task.pk]), {"percent": "90"}),
        "duties:task_evidence": (reverse("duties:task_evidence", args=[task.pk]), {"file": photo("x.jpg")}),
        "duties:manual_score": (
            reverse("duties:manual_score", args=[year, unit.pk]),
            {"item": "review", "score": "0", "reason": "x", "evidence": "y"},
        ),
        "duties:assessment_close": (reverse("duties:assessment_close", args=[year]), {}),
    }


@pytest.mark.parametrize("who", ["heshan", "department", "enterprise", "expert"])
def test_outsiders_get_404_or_403_for_another_countys_records(who, login, outsiders, ziyang_records):
    client = login(outsiders[who])
    year = ziyang_records["task"].year
    version = Task.objects.get(pk=ziyang_records["task"].pk).version
    for route, urls in _object_urls(ziyang_records, year).items():
        for url in urls:
            status = client.get(url).status_code
            assert status in ((404, 403) if who in ("enterprise", "expert") else (404,)), (route, status)
    for route, (url, data) in _post_urls(ziyang_records, year).items():
        status = client.post(url, data).status_code
        assert status in (403, 404, 302), (route, status)
    task = Task.objects.get(pk=ziyang_records["task"].pk)
    assert task.percent == 0 and task.version == version
    assert Evidence.objects.count() == 1
    from safeloop.duties.models import ManualScore, Scheme

    assert Scheme.objects.get().status == SchemeStatus.OPEN
    assert ManualScore.objects.get().score == 4


@pytest.mark.parametrize("who", ["heshan", "department"])
def test_lists_and_the_export_do_not_mention_another_county(who, login, outsiders, ziyang_records):
    client = login(outsiders[who])
    year = ziyang_records["task"].year
    for route in ("duties:home", "duties:tasks", "duties:drills", "duties:accountability"):
        body = client.get(reverse(route)).content.decode()
        assert SECRET not in body and "资阳区委" not in body, route
    page = client.get(reverse("duties:assessment", args=[year]))
    assert page.status_code == 200 and "资阳区委" not in page.content.decode()
    export = client.get(reverse("duties:assessment_export", args=[year]))
    rows = list(load_workbook(BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert not any("资阳" in str(cell) for row in rows for cell in row)


def test_a_city_department_sees_only_its_own_row_a_county_department_none(login, outsiders, duty_city):
    """The city's scheme assesses the counties and the city's departments (not the counties')."""
    year = timezone.localdate().year
    city_transport = make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430900", kind="transport"))
    page = login(city_transport).get(reverse("duties:assessment", args=[year]))
    assert [r.name for r in page.context["departments"]] == ["益阳市交通运输局"] and not page.context["counties"]
    page = login(outsiders["department"]).get(reverse("duties:assessment", args=[year]))
    assert page.context["departments"] == [] and page.context["counties"] == []


def test_only_the_city_assesses(login, duty_city, ziyang_records):
    year = ziyang_records["task"].year
    client = login(duty_city["ziyang"])
    client.post(reverse("duties:assessment_close", args=[year]), {})
    from safeloop.duties.models import Scheme

    assert Scheme.objects.get().status == SchemeStatus.OPEN
    assert DutyList.objects.count() == 1
