"""The expert pool's pages as each role meets them: the pool and its Excel, matching (map data,
table, export, manual change, 下达), stationings, visits with findings and the enterprise's rating."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from safeloop.accounts.models import Role
from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.experts.io import EXPERT_COLUMNS
from safeloop.experts.models import (
    Certificate,
    Conflict,
    Expert,
    MatchingChange,
    MatchingRow,
    MatchingRun,
    Specialty,
    Visit,
    VisitStatus,
)
from safeloop.hazards.models import Hazard, Source
from tests.conftest import make_enterprise, make_user

YEARS = timezone.localdate() + timedelta(days=3650)


def _expert(name: str, category: str, lat: str, lng: str, capacity: int = 2, user=None) -> Expert:
    expert = Expert.objects.create(name=name, home_lat=lat, home_lng=lng, capacity=capacity, user=user)
    Specialty.objects.create(expert=expert, category_id=category)
    Certificate.objects.create(expert=expert, name="聘书", expires_on=YEARS)
    return expert


@pytest.fixture
def placed(ziyang_enterprise, heshan_enterprise):
    for e, (lat, lng) in ((ziyang_enterprise, ("28.60", "112.32")), (heshan_enterprise, ("28.57", "112.40"))):
        e.lat, e.lng = lat, lng
        e.save()
    return ziyang_enterprise, heshan_enterprise


@pytest.fixture
def chem_experts(placed):
    near = _expert("近专家", "hazchem", "28.61", "112.33", capacity=1)
    far = _expert("远专家", "hazchem", "29.30", "112.40", capacity=1)
    return near, far


def _run(client, **filters) -> MatchingRun:
    response = client.post(reverse("experts:matching"), filters)
    assert response.status_code == 302, response.content.decode()[:500]
    return MatchingRun.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def test_the_matching_page_keeps_the_run_and_draws_it(login, city_user, chem_experts, placed):
    client = login(city_user)
    run = _run(client, category="hazchem")
    row = run.rows.get(enterprise=placed[0])
    assert row.expert == chem_experts[0] and "危险化学品" in row.explanation and row.metres > 0
    page = client.get(reverse("experts:run", args=[run.pk]))
    html = page.content.decode()
    data = json.loads(html.split('id="map-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert data["boundaries"] == reverse("registry:region_map", args=["430900"])
    assert [e["name"] for e in data["experts"]] == ["近专家"] and len(data["lines"]) == 1
    assert "资阳安达化工有限公司" in html and "近专家" in html


def test_the_run_exports_its_table(login, city_user, chem_experts, placed):
    client = login(city_user)
    run = _run(client)
    response = client.get(reverse("experts:run_export", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    names = {r[0] for r in rows}
    assert "资阳安达化工有限公司" in names and "赫山顺达运输有限公司" in names
    unmatched = next(r for r in rows if r[0] == "赫山顺达运输有限公司")
    assert unmatched[3] in ("", None) and "专家库中没有该行业的专家" in unmatched[7]


def test_a_manual_change_is_recorded_with_who_and_why(login, city_user, chem_experts, placed):
    near, far = chem_experts
    client = login(city_user)
    run = _run(client, category="hazchem")
    row = run.rows.get(enterprise=placed[0])
    url = reverse("experts:run_change", args=[run.pk, row.pk])
    refused = client.post(url, {"to_expert": far.pk, "reason": ""})
    assert refused.status_code == 400 and "调整理由" in refused.content.decode()
    assert client.post(url, {"to_expert": far.pk, "reason": "近专家本周出差"}).status_code == 302
    row.refresh_from_db()
    change = MatchingChange.objects.get(run=run)
    assert (row.expert, row.manual) == (far, True)
    assert (change.from_expert, change.to_expert, change.changed_by, change.reason) == (
        near,
        far,
        city_user,
        "近专家本周出差",
    )


def test_a_manual_change_outside_the_specialty_changes_nothing(login, city_user, chem_experts, placed):
    builder = _expert("建筑专家", "construction", "28.60", "112.32")
    client = login(city_user)
    run = _run(client, category="hazchem")
    row = run.rows.get(enterprise=placed[0])
    response = client.post(
        reverse("experts:run_change", args=[run.pk, row.pk]), {"to_expert": builder.pk, "reason": "试"}
    )
    assert response.status_code == 400 and "专业不覆盖" in response.content.decode()
    row.refresh_from_db()
    assert row.expert == chem_experts[0] and not MatchingChange.objects.exists()


def test_applying_a_run_plans_the_visits_once(login, city_user, chem_experts, placed):
    client = login(city_user)
    run = _run(client, category="hazchem")
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    url = reverse("experts:run_apply", args=[run.pk])
    assert client.post(url, {"visit_on": "", "version": run.version}).status_code == 400
    assert client.post(url, {"visit_on": day, "version": run.version}).status_code == 302
    visit = Visit.objects.get(expert=chem_experts[0])
    assert (visit.enterprise, visit.on.isoformat(), visit.from_matching) == (placed[0], day, True)
    assert client.post(url, {"visit_on": day, "version": run.version + 1}).status_code == 409
    assert Visit.objects.count() == 1


def test_an_expert_records_a_finding_as_a_hazard_of_the_visit(login, ziyang_enterprise):
    user = make_user(Role.EXPERT)
    expert = _expert("周工", "hazchem", "28.6", "112.3", user=user)
    visit = Visit.objects.create(expert=expert, enterprise=ziyang_enterprise, on=timezone.localdate(), purpose="帮扶")
    client = login(user)
    url = reverse("experts:visit", args=[visit.pk])
    bad = client.post(url, {"form": "finding", "description": "", "level": "general"})
    assert bad.status_code == 400 and not Hazard.objects.exists()
    data = {"form": "finding", "description": "储罐区防火堤破损", "level": "general"}
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r'class="(?:field-error|error-box)"[^>]*>([^<]*)', response.content.decode()
    )
    hazard = Hazard.objects.get()
    assert (hazard.source, hazard.enterprise, hazard.found_by) == (Source.EXPERT, ziyang_enterprise, user)
    assert list(visit.hazards.all()) == [hazard]
    assert client.post(url, {"form": "record", "findings": "检查储罐区", "version": visit.version}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.done_at is not None


def test_the_enterprise_rates_its_own_done_visit(login, ziyang_enterprise, enterprise_user):
    expert = _expert("周工", "hazchem", "28.6", "112.3")
    visit = Visit.objects.create(expert=expert, enterprise=ziyang_enterprise, on=timezone.localdate(), purpose="帮扶")
    client = login(enterprise_user)
    url = reverse("experts:visit", args=[visit.pk])
    assert client.post(url, {"form": "rate", "rating": "5"}).status_code == 409  # not done yet
    visit.status = VisitStatus.DONE
    visit.save()
    assert client.post(url, {"form": "rate", "rating": "9"}).status_code == 400
    assert client.post(url, {"form": "rate", "rating": "4", "rating_note": "讲解细致"}).status_code == 302
    visit.refresh_from_db()
    assert (visit.rating, visit.rating_note) == (4, "讲解细致")
    other = make_user(Role.ENTERPRISE, enterprise=make_enterprise())
    assert login(other).post(url, {"form": "rate", "rating": "1"}).status_code == 404


def _workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    headers = [c.header for c in EXPERT_COLUMNS]
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h.rstrip("*"), "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("专家库.xlsx", out.getvalue(), content_type=XLSX_CONTENT_TYPE)


def _header(field: str) -> str:
    return next(c.header for c in EXPERT_COLUMNS if c.field == field)


def test_the_pool_imports_all_rows_or_none(login, city_user, reference):
    good = {
        _header("name"): "刘建军",
        _header("employer"): "益阳市安全生产协会",
        _header("county"): "赫山区",
        _header("specialties"): "危险化学品（高级）、建材",
        _header("home_lat"): 28.57,
        _header("home_lng"): 112.4,
        _header("certificate"): "安全生产专家聘书",
        _header("certificate_expires_on"): "2030-06-30",
    }
    bad = {**good, _header("name"): "何丽", _header("specialties"): "火星采矿"}
    client = login(city_user)
    url = reverse("experts:pool_import")
    refused = client.post(url, {"file": _workbook([good, bad])})
    text = refused.content.decode()
    assert refused.status_code == 400 and "F列（专业）" in text and "火星采矿" in text
    assert not Expert.objects.exists()
    assert client.post(url, {"file": _workbook([good])}).status_code == 200
    expert = Expert.objects.get()
    assert (expert.county_id, expert.certificates.get().expires_on.isoformat()) == ("430903", "2030-06-30")
    assert sorted(expert.specialties.values_list("category_id", "level")) == [
        ("building_materials", "intermediate"),
        ("hazchem", "senior"),
    ]


def test_the_pool_export_reads_back_as_an_import(login, city_user, chem_experts):
    client = login(city_user)
    data = b"".join(client.get(reverse("experts:pool_export")).streaming_content)
    Expert.objects.all().delete()
    upload = SimpleUploadedFile("专家库.xlsx", data, content_type=XLSX_CONTENT_TYPE)
    assert client.post(reverse("experts:pool_import"), {"file": upload}).status_code == 200
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["近专家", "远专家"]


def test_a_conflict_from_the_profile_page_keeps_the_expert_away(login, city_user, chem_experts, placed):
    near = chem_experts[0]
    client = login(city_user)
    response = client.post(
        reverse("experts:conflict_new", args=[near.pk]), {"enterprise": placed[0].pk, "kind": "relative"}
    )
    assert response.status_code == 302 and Conflict.objects.filter(expert=near, enterprise=placed[0]).exists()
    run = _run(client, category="hazchem")
    assert run.rows.get(enterprise=placed[0]).expert == chem_experts[1]


def test_the_pool_is_no_enterprise_page(login, enterprise_user, chem_experts):
    assert login(enterprise_user).get(reverse("experts:pool")).status_code == 403


def test_the_city_map_has_the_counties(login, city_user):
    body = login(city_user).get(reverse("registry:region_map", args=["430900"])).json()
    names = {f["properties"]["name"] for f in body["features"]}
    assert {"资阳区", "赫山区", "安化县"} <= names
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in body["features"])


@pytest.mark.parametrize("page", ["experts:pool", "experts:matching", "experts:stationings", "experts:visits"])
def test_the_pages_answer(login, city_user, chem_experts, page):
    assert login(city_user).get(reverse(page)).status_code == 200


def test_rows_of_a_run_are_unique_per_enterprise(login, city_user, chem_experts, placed):
    run = _run(login(city_user))
    assert MatchingRow.objects.filter(run=run).count() == len({r.enterprise_id for r in run.rows.all()})


def _pool_of(n: int, enterprise) -> None:
    for i in range(n):
        expert = _expert(f"专家{i}", "hazchem", "28.6", "112.3")
        Visit.objects.create(expert=expert, enterprise=enterprise, on=timezone.localdate(), purpose="帮扶")


@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_pages_answer_in_a_fixed_number_of_queries(
    login, city_user, ziyang_enterprise, rows, django_assert_max_num_queries
):
    _pool_of(rows, ziyang_enterprise)
    client = login(city_user)
    # session, user, count, page, specialties with their categories, certificates, the filter
    # options (specialties, counties), the top bar's region, the bell: the same for 2 rows or 30
    for name in ("experts:pool", "experts:visits", "experts:stationings"):
        client.get(reverse(name))
        with django_assert_max_num_queries(11):
            page = client.get(reverse(name))
        assert page.status_code == 200
    assert page.context["page"].paginator.count == 0  # stationings: none made
    assert login(city_user).get(reverse("experts:pool")).context["page"].paginator.count == rows


def test_a_run_page_answers_in_a_fixed_number_of_queries(login, city_user, django_assert_max_num_queries):
    for i in range(30):
        make_enterprise(name=f"化工{i}有限公司", lat="28.6", lng="112.3")
    _expert("专家", "hazchem", "28.6", "112.3", capacity=20)
    client = login(city_user)
    run = _run(client, category="hazchem")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("experts:run", args=[run.pk])).status_code == 200
