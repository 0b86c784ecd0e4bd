"""The public pages (QR code, city-wide, tracking), the handlers' pages, compliance, export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeloop.reporting.models import Report, RewardMechanism
from safeloop.reporting.stats import GROUPS, compliance
from tests.conftest import ZIYANG_TOWN, make_enterprise, signed_in
from tests.reporting.conftest import photo

pytestmark = pytest.mark.django_db


def test_the_qr_code_opens_the_report_form_and_a_citizen_gets_a_code(client, ziyang_enterprise):
    page = client.get(reverse("workbench:enterprise_code", args=[ziyang_enterprise.public_code]))
    assert page.status_code == 200 and "提交报告" in page.text and "12350" in page.text
    assert "township" not in page.text  # the enterprise is known from the code
    url = reverse("reporting:public_enterprise", args=[ziyang_enterprise.public_code])
    answer = client.post(
        url,
        {"reporter": "citizen", "kind": "equipment", "description": "叉车刹车失灵仍在使用", "photos": [photo()]},
    )
    assert answer.status_code == 302
    done = client.get(answer["Location"])
    report = Report.objects.get()
    assert report.code in done.text and report.enterprise_id == ziyang_enterprise.pk
    track = client.post(reverse("reporting:public_track"), {"code": report.code.lower()})
    assert track.status_code == 200 and "已受理" in track.text
    assert ziyang_enterprise.name not in track.text


def test_bad_input_on_the_page_keeps_what_was_typed(client, reference):
    answer = client.post(reverse("reporting:public_new"), {"reporter": "citizen", "description": "<script>x</script>"})
    assert answer.status_code == 400
    assert (
        "网页代码" in answer.text
        and "所在乡镇街道为必填项" in answer.text
        and "&lt;script&gt;x&lt;/script&gt;" in answer.text
    )
    assert Report.objects.count() == 0


def test_the_page_is_throttled_per_address(client, reference, settings):
    settings.SAFELOOP_REPORT_MAX_PER_ADDRESS = 1
    data = {
        "reporter": "citizen",
        "kind": "environment",
        "description": "河堤旁废弃厂房随时可能倒塌",
        "township": ZIYANG_TOWN,
    }
    assert client.post(reverse("reporting:public_new"), data).status_code == 302
    assert client.post(reverse("reporting:public_new"), data).status_code == 429
    assert client.post(reverse("reporting:public_new"), data, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_an_unknown_code_is_not_found(client, db):
    assert client.post(reverse("reporting:public_track"), {"code": "NOPE"}).status_code == 404


def test_handlers_act_on_the_detail_page_and_outsiders_get_404(client, ziyang_enterprise, township_user, heshan_user):
    client.post(
        reverse("reporting:public_enterprise", args=[ziyang_enterprise.public_code]),
        {"reporter": "citizen", "kind": "behaviour", "description": "工人高处作业不系安全带", "name": "王五"},
    )
    report = Report.objects.get()
    signed_in(client, township_user)
    detail = client.get(reverse("reporting:detail", args=[report.pk]))
    assert detail.status_code == 200 and "王五" in detail.text and "受理核查" in detail.text
    assert "提交报告 · 报告人" in detail.text and "· submit ·" not in detail.text
    assert "王五" not in client.get(reverse("reporting:list")).text
    client.post(reverse("reporting:action", args=[report.pk, "accept"]), {"version": 1})
    report.refresh_from_db()
    assert report.status == "checking"
    signed_in(client, heshan_user)
    assert client.get(reverse("reporting:detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("reporting:action", args=[report.pk, "reject"]), {"version": 2}).status_code == 404


def test_compliance_totals_agree_with_a_direct_count(client, city_user, reference):
    done = [make_enterprise(category="hazchem") for _ in range(3)]
    late = [make_enterprise(category="hazchem") for _ in range(2)]
    others = [make_enterprise(category="education") for _ in range(2)]
    for e in done[:2]:
        RewardMechanism.objects.create(enterprise=e, established=True, established_on="2025-03-01")
    RewardMechanism.objects.create(enterprise=done[2], established=True, established_on="2025-08-01")
    from django.utils import timezone

    result = compliance(city_user, year=timezone.localdate().year, by="county", today=timezone.localdate())
    assert result.total.total == len(done) + len(late) + len(others)
    assert result.total.established == RewardMechanism.objects.filter(established=True).count() == 3
    assert result.key_sector.late == len(late)  # hazchem: 2025-06-30 passed
    for by in GROUPS:
        grouped = compliance(city_user, year=timezone.localdate().year, by=by, today=timezone.localdate())
        assert sum(r.tally.total for r in grouped.rows) == result.total.total
        assert sum(r.tally.established for r in grouped.rows) == 3
    signed_in(client, city_user)
    page = client.get(reverse("reporting:compliance"))
    assert page.status_code == 200 and all(e.name in page.text for e in late)
    export = client.get(reverse("reporting:compliance_export"))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert any("资阳" in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_an_enterprise_records_its_mechanism_and_sees_no_compliance(client, enterprise_user, ziyang_enterprise):
    signed_in(client, enterprise_user)
    url = reverse("reporting:mechanism", args=[ziyang_enterprise.pk])
    answer = client.post(url, {"established": "1", "established_on": "", "reward_min": "abc"})
    assert answer.status_code == 200 and "建立日期" in answer.text and "最低奖励" in answer.text
    answer = client.post(url, {"established": "1", "established_on": "2025-05-01", "reward_min": "50"})
    assert answer.status_code == 302 and RewardMechanism.objects.get().established
    assert client.get(reverse("reporting:compliance")).status_code == 403
    other = make_enterprise()
    assert client.get(reverse("reporting:mechanism", args=[other.pk])).status_code == 404


def test_the_staff_pages_show_no_developer_text(client, ziyang_enterprise, township_user, city_user, enterprise_user):
    import re

    from tests.browser.ui_checks import bad_text

    report_submit_page = reverse("reporting:public_enterprise", args=[ziyang_enterprise.public_code])
    client.post(report_submit_page, {"reporter": "citizen", "kind": "behaviour", "description": "吊装作业下方有人通行"})
    report = Report.objects.get()
    pages = {
        township_user: [reverse("reporting:list"), reverse("reporting:detail", args=[report.pk])],
        city_user: [
            reverse("reporting:compliance"),
            reverse("reporting:compliance") + "?by=department",
            reverse("reporting:statistics"),
            reverse("reporting:mechanism", args=[ziyang_enterprise.pk]),
        ],
        enterprise_user: [reverse("reporting:list"), reverse("reporting:mechanism", args=[ziyang_enterprise.pk])],
    }
    for user, urls in pages.items():
        signed_in(client, user)
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, url
            main = re.search(r"<main[^>]*>(.*)</main>", answer.text, re.S).group(1)
            text = re.sub(r"<[^>]+>", " ", main)
            assert bad_text(text) == [], (url, bad_text(text))


def test_the_city_sets_its_policy_and_others_may_not(client, city_user, township_user, ziyang_user, reference):
    from safeloop.reporting.models import ReportingPolicy

    url = reverse("reporting:policy")
    signed_in(client, city_user)
    bad = client.post(url, {"internal_response_days": "0", "public_response_days": "x", "reward_general": "200"})
    assert bad.status_code == 400 and "首次响应期限" in bad.text and ReportingPolicy.objects.count() == 0
    data = {
        "internal_response_days": "3",
        "public_response_days": "5",
        "reward_general": "200",
        "reward_major": "3000",
        "source": "益安委〔2026〕1号",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {"reward_general": "300", "version": "1"}).status_code == 302
    stale = client.post(url, data | {"version": "1"})
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    assert ReportingPolicy.objects.get(region_id="430900").reward_general == 300
    signed_in(client, ziyang_user)
    assert "益安委〔2026〕1号" in client.get(url).text  # the county sees the city's, applying to it
    signed_in(client, township_user)
    assert client.get(url).status_code == 403


def test_the_tracking_page_offers_escalation_when_the_enterprise_is_late(client, ziyang_enterprise, mechanism, policy):
    from safeloop.reporting.services import report_submit

    report = report_submit(
        data={
            "reporter": "employee",
            "kind": "equipment",
            "description": "行车钢丝绳断股仍在使用",
            "enterprise_code": ziyang_enterprise.public_code,
        },
        address="198.51.100.62",
    )
    url = reverse("reporting:public_track")
    assert "转报属地" not in client.post(url, {"code": report.code}).text
    Report.objects.filter(pk=report.pk).update(respond_by="2020-01-01")
    assert "转报属地乡镇（街道）" in client.post(url, {"code": report.code}).text
    answer = client.post(url, {"code": report.code, "escalate": "1"})
    assert answer.status_code == 200 and "已转报属地" in answer.text
    report.refresh_from_db()
    assert report.handler_kind == "township"
