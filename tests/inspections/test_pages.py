"""The pages: 扫码入企 from the enterprise code, the list, the form refusing a bad inspection,
findings through the page, the Excel export, the draw's public page; outsiders get 404."""

from __future__ import annotations

from safeloop.hazards.models import Hazard, Source
from safeloop.inspections.models import CheckIn, Inspection
from safeloop.inspections.services import inspection_create
from tests.conftest import ZIYANG_TOWN, make_enterprise, signed_in


def _inspection(officers, body, enterprise):
    data = {"enterprise": enterprise.pk, "enforcement_body": body.pk, "officers": [u.pk for u in officers]}
    return inspection_create(actor=officers[0], data=data)


def test_an_officer_scanning_the_code_checks_in_and_records_a_finding(client, officers, ziyang_body, ziyang_enterprise):
    inspection = _inspection(officers, ziyang_body, ziyang_enterprise)
    signed_in(client, officers[1])
    gate = client.get(f"/e/{ziyang_enterprise.public_code}/")
    assert gate.status_code == 200
    page = gate.content.decode()
    assert "扫码入企" in page and inspection.code in page and "js/checkin.js" in page and "<script>" not in page
    detail = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "适用的重大事故隐患判定标准条款" in detail
    answer = client.post(
        f"/inspections/{inspection.pk}/actions/check_in/",
        {"version": 1, "lat": "28.591", "lng": "112.322", "accuracy": "12"},
    )
    assert answer.status_code == 302
    assert CheckIn.objects.get(inspection=inspection).user == officers[1]
    found = client.post(
        f"/inspections/{inspection.pk}/actions/finding/",
        {"description": "配电箱未上锁", "location": "车间", "nature": "thing", "level": "general"},
    )
    import re

    assert found.status_code == 302, re.findall(
        r"(?:field-error|msg-error|error-box)[^<]*<[^<]*", found.content.decode()
    )
    hazard = Hazard.objects.get(description="配电箱未上锁")
    assert hazard.source == Source.REGULATOR
    ledger = client.get("/hazards/")
    assert hazard.code in ledger.content.decode()


def test_a_bad_finding_keeps_what_was_typed(client, officers, ziyang_body, ziyang_enterprise):
    inspection = _inspection(officers, ziyang_body, ziyang_enterprise)
    signed_in(client, officers[0])
    answer = client.post(f"/inspections/{inspection.pk}/actions/finding/", {"description": "", "location": "东门仓库"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "东门仓库" in text and "为必填项" in text


def test_the_form_refuses_one_officer_naming_the_field(client, officers, ziyang_body, ziyang_enterprise):
    signed_in(client, officers[0])
    assert client.get("/inspections/new/").status_code == 200
    answer = client.post(
        "/inspections/new/",
        {"enterprise": ziyang_enterprise.pk, "enforcement_body": ziyang_body.pk, "officers": [officers[0].pk]},
    )
    assert answer.status_code == 200 and "不少于两名" in answer.content.decode()
    assert not Inspection.objects.exists()


def test_list_export_and_burden(client, officers, ziyang_body, ziyang_enterprise, heshan_user):
    inspection = _inspection(officers, ziyang_body, ziyang_enterprise)
    signed_in(client, officers[0])
    assert inspection.code in client.get("/inspections/").content.decode()
    export = client.get("/inspections/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    burden = client.get(f"/inspections/burden/?enterprise={ziyang_enterprise.pk}")
    assert burden.status_code == 200 and "执法员0" in burden.content.decode()
    assert client.get("/inspections/plans/").status_code == 200
    assert client.get("/inspections/draws/").status_code == 200
    from safeloop.inspections.services import draw_create

    draw = draw_create(actor=officers[0], data={"department": ziyang_body.pk, "title": "抽查", "count": 1, "seed": 3})
    assert client.get(f"/inspections/draws/{draw.pk}/").status_code == 200
    signed_in(client, heshan_user)
    assert client.get(f"/inspections/draws/{draw.pk}/").status_code == 404
    assert "抽查" not in client.get("/inspections/draws/").content.decode().split("抽查记录")[-1]
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client.post(f"/inspections/{inspection.pk}/actions/close/", {"version": 1}).status_code == 404
    assert client.get(f"/inspections/burden/?enterprise={ziyang_enterprise.pk}").status_code == 404
    assert inspection.code not in client.get("/inspections/").content.decode()


def test_the_enterprise_sees_who_inspected_and_rates(client, officers, ziyang_body, ziyang_enterprise, enterprise_user):
    inspection = _inspection(officers, ziyang_body, ziyang_enterprise)
    signed_in(client, officers[0])
    client.post(f"/inspections/{inspection.pk}/actions/close/", {"version": 1, "summary": "良好"})
    signed_in(client, enterprise_user)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "执法员1" in page and "430902001" in page and "未扫码入企即办结" in page
    assert "必查项" in page
    assert f"burden/?enterprise={ziyang_enterprise.pk}" in page
    assert client.post(f"/inspections/{inspection.pk}/actions/rate/", {"version": 2, "rating": "4"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.rating == 4


def test_the_public_draw_page_needs_no_login_and_names_nobody(client, officers, ziyang_body, ziyang_enterprise):
    from safeloop.inspections.services import draw_create

    draw = draw_create(actor=officers[0], data={"department": ziyang_body.pk, "title": "抽查", "count": 1, "seed": 3})
    page = client.get(f"/inspections/public/draws/{draw.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert ziyang_enterprise.name in text and "执法员" not in text and draw.result_hash in text
    assert client.get("/inspections/public/draws/999999/").status_code == 404


def test_the_site_record_names_the_officers_and_findings(client, officers, ziyang_body, ziyang_enterprise, heshan_user):
    import io

    from docx import Document

    from safeloop.inspections.workflow import inspection_act

    inspection = _inspection(officers, ziyang_body, ziyang_enterprise)
    inspection_act(
        pk=inspection.pk,
        actor=officers[0],
        action="finding",
        version=1,
        data={"description": "灭火器过期", "location": "仓库", "nature": "thing", "level": "general"},
    )
    signed_in(client, officers[0])
    answer = client.get(f"/inspections/{inspection.pk}/site-record/")
    assert answer.status_code == 200
    doc = Document(io.BytesIO(b"".join(answer.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "现检〔" in text and "430902000" in text and "430902001" in text and "灭火器过期" in text
    signed_in(client, heshan_user)
    assert client.get(f"/inspections/{inspection.pk}/site-record/").status_code == 404


def test_a_plan_made_on_the_page_takes_the_registers_key_enterprises(client, officers, ziyang_body, reference):
    from safeloop.inspections.models import Plan

    red = make_enterprise(region=ZIYANG_TOWN, category="hazchem", risk_level="red")
    signed_in(client, officers[0])
    assert client.get("/inspections/plans/new/").status_code == 200
    bad = client.post(
        "/inspections/plans/new/", {"department": ziyang_body.pk, "year": "1800", "name": "计划", "target_total": "10"}
    )
    assert bad.status_code == 200 and "年度" in bad.content.decode() and not Plan.objects.exists()
    answer = client.post(
        "/inspections/plans/new/",
        {
            "department": ziyang_body.pk,
            "year": "2026",
            "name": "2026年计划",
            "target_total": "10",
            "random_share": "40",
            "key_from_register": "1",
        },
    )
    assert answer.status_code == 302
    plan = Plan.objects.get()
    assert red in plan.key_enterprises.all()
