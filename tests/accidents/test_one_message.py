"""One reader, one message: accidents (and their 续报), disasters, responses and denominators are
refused in the same Chinese words by page, API and Excel import; a refused form keeps what was
typed and says each message once, next to its field."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from safeloop.accidents.io import DENOMINATOR_COLUMNS, denominator_import
from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse
from safeloop.accidents.services import accident_create
from safeloop.core.xlsx import ImportFailed
from tests.api.test_api import api  # noqa: F401 - fixture
from tests.conftest import ZIYANG_TOWN

MONEY_MESSAGE = "直接经济损失应为金额，如 120000、12万 或 3.5万元（单位：万元）"


def _ago(hours: float) -> str:
    return timezone.localtime(timezone.now() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _accident(**fields) -> dict:
    data = {"title": "资阳某工地坍塌", "occurred_at": _ago(3), "region": ZIYANG_TOWN, "sector": "construction"}
    return data | fields


def _disaster(**fields) -> dict:
    data = {"title": "资阳洪涝", "kind": "flood", "occurred_on": timezone.localdate().isoformat()}
    return data | {"region": "430902"} | fields


def _response(**fields) -> dict:
    return {"title": "资阳洪涝响应", "region": ZIYANG_TOWN, "reported_at": _ago(5)} | fields


def _page_errors(client, route, data, *args) -> dict:
    response = client.post(reverse(route, args=args), data)
    assert response.status_code == 200, "the form was not refused"
    return response.context["form"].errors


BAD_VALUES = [
    ("accident_new", "/accidents", _accident, {"direct_loss": "很多"}, MONEY_MESSAGE),
    ("accident_new", "/accidents", _accident, {"deaths": "-1"}, "死亡人数应为不小于0的整数"),
    (
        "accident_new",
        "/accidents",
        _accident,
        {"occurred_at": "2026-02-30 08:00"},
        "发生时间应为日期和时间，格式如 2026-05-01 08:30",
    ),
    ("accident_new", "/accidents", _accident, {"region": "430903003"}, "发生地不在您的管辖范围内"),
    (
        "disaster_new",
        "/disasters",
        _disaster,
        {"kind": "storm"},
        "灾种“storm”无效，可选：洪涝、干旱、地质灾害、风雹、低温冷冻和雪灾、地震、森林火灾、其他",
    ),
    ("disaster_new", "/disasters", _disaster, {"occurred_on": "2999-01-01"}, "发生日期不能晚于今天"),
    ("disaster_new", "/disasters", _disaster, {"affected": "1.5"}, "受灾人次应为整数"),
]


@pytest.mark.parametrize("case", BAD_VALUES)
def test_a_bad_value_gets_the_same_message_by_page_and_api(login, api, ziyang_user, case):  # noqa: F811
    route, path, record, typed, message = case
    data, [field] = record(**typed), typed
    assert _page_errors(login(ziyang_user), f"accidents:{route}", data) == {field: message}
    by_api = api.auth(ziyang_user).call("post", path, data)
    assert (by_api.status_code, by_api.json()["error"]["fields"]) == (400, {field: message})
    assert not (Accident.objects.exists() or Disaster.objects.exists())


def test_the_api_names_a_missing_accident_field_in_chinese(api, ziyang_user):  # noqa: F811
    response = api.auth(ziyang_user).call("post", "/accidents", _accident(title=None) | {"sector": ""})
    error = response.json()["error"]
    assert response.status_code == 400
    assert error["fields"] == {"title": "事故名称为必填项", "sector": "统计行业为必填项"}
    assert error["message"] == "提交的信息有误：事故名称为必填项"


def test_losses_are_read_as_officials_write_them(login, ziyang_user):
    client = login(ziyang_user)
    client.post(reverse("accidents:accident_new"), _accident(title="甲", direct_loss="3.5万"))
    client.post(reverse("accidents:accident_new"), _accident(title="乙", direct_loss="1,200,000元"))
    assert dict(Accident.objects.values_list("title", "direct_loss")) == {
        "甲": Decimal("3.50"),
        "乙": Decimal("120.00"),
    }


def test_a_refused_accident_form_keeps_what_was_typed_and_says_each_message_once(login, ziyang_user):
    typed = _accident(title="资阳某化工厂中毒", deaths="三人", direct_loss="很多", factor_road="弯道无警示")
    body = login(ziyang_user).post(reverse("accidents:accident_new"), typed).content.decode()
    assert 'value="资阳某化工厂中毒"' in body and 'value="三人"' in body and 'value="很多"' in body
    assert ">弯道无警示</textarea>" in body and f'<option value="{ZIYANG_TOWN}" selected>' in body
    assert body.count("死亡人数应为整数") == 1 and body.count(MONEY_MESSAGE) == 1


@pytest.fixture
def accident(ziyang_user):
    data = {"title": "资阳运输事故", "occurred_at": timezone.now() - timedelta(days=1), "region": ZIYANG_TOWN}
    return accident_create(actor=ziyang_user, data=data | {"sector": "road_transport", "deaths": 1})


def test_a_refused_casualty_report_keeps_the_typed_figures_and_says_each_message_once(login, ziyang_user, accident):
    url = reverse("accidents:accident_casualties", args=[accident.pk])
    typed = {"deaths": "2", "missing": "", "serious_injuries": "1", "injuries": "0", "direct_loss": "十万"}
    body = login(ziyang_user).post(url, typed | {"note": "一人抢救无效", "version": "1"}).content.decode()
    assert body.count("失踪人数为必填项") == 1 and body.count(MONEY_MESSAGE) == 1
    assert 'value="十万"' in body and 'value="一人抢救无效"' in body and 'name="version" value="1"' in body
    accident.refresh_from_db()
    assert accident.deaths == 1


def test_the_casualty_report_gives_the_api_patch_message(login, api, ziyang_user, accident):  # noqa: F811
    url = reverse("accidents:accident_casualties", args=[accident.pk])
    figures = {"deaths": "2", "missing": "0", "serious_injuries": "0", "injuries": "-3", "direct_loss": "0"}
    body = login(ziyang_user).post(url, figures).content.decode()
    by_api = api.auth(ziyang_user).call("patch", f"/accidents/{accident.pk}", {"injuries": "-3"})
    assert by_api.json()["error"]["fields"] == {"injuries": "轻伤人数应为不小于0的整数"}
    assert body.count("轻伤人数应为不小于0的整数") == 1


def test_a_refused_disaster_form_keeps_what_was_typed(login, ziyang_user):
    body = (
        login(ziyang_user).post(reverse("accidents:disaster_new"), _disaster(affected="一千", direct_loss="35")).content
    )
    body = body.decode()
    assert 'value="资阳洪涝"' in body and 'value="一千"' in body and 'value="35"' in body
    assert '<option value="flood" selected>' in body and body.count("受灾人次应为整数") == 1


def test_a_response_out_of_order_gets_the_same_message_by_page_and_api(login, api, ziyang_user):  # noqa: F811
    typed = _response(response_started_at=_ago(6), relief_needed="0")
    message = "启动响应时间不能早于接报时间"
    body = login(ziyang_user).post(reverse("accidents:response_new"), typed).content.decode()
    assert body.count(message) == 1 and f'value="{typed["response_started_at"]}"' in body
    assert '<option value="0" selected>否</option>' in body
    by_api = api.auth(ziyang_user).call("post", "/responses", typed)
    assert by_api.json()["error"]["fields"] == {"response_started_at": message}
    assert not EmergencyResponse.objects.exists()


def _denominator_file(*rows) -> bytes:
    wb = Workbook()
    wb.active.append([c.header for c in DENOMINATOR_COLUMNS])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_bad_denominator_gets_the_same_message_by_api_import_and_import_page(login, api, ziyang_user):  # noqa: F811
    message = "常住人口应为整数"
    by_api = api.auth(ziyang_user).call("put", "/denominators/430902/2025", {"population": "很多"})
    assert by_api.json()["error"]["fields"] == {"population": message}
    data = _denominator_file(["430902", "资阳区", 2025, 120.5, "很多"])
    with pytest.raises(ImportFailed) as refused:
        denominator_import(actor=ziyang_user, data=data)
    assert [str(e) for e in refused.value.report.errors] == [f"第2行第E列（常住人口（人））：{message}"]
    upload = io.BytesIO(data)
    upload.name = "分母.xlsx"
    body = login(ziyang_user).post(reverse("accidents:denominator_import"), {"file": upload}).content.decode()
    assert "E列（常住人口（人））" in body and body.count(message) == 1
    assert not Denominator.objects.exists()


def test_the_denominator_import_page_says_why_a_file_is_refused_beside_the_file_input(login, ziyang_user):
    body = login(ziyang_user).post(reverse("accidents:denominator_import"), {}).content.decode()
    assert body.count("请选择Excel 文件（.xlsx）") == 1 and 'class="field has-error"' in body


def test_a_denominator_import_reads_gdp_in_yi_and_blank_figures_as_no_data(ziyang_user):
    report = denominator_import(actor=ziyang_user, data=_denominator_file(["430902", "", 2025, "1,234.5", "", 9000]))
    row = Denominator.objects.get()
    assert (report.updated, row.gdp, row.population, row.industrial_employees) == (1, Decimal("1234.50"), None, 9000)


def test_refused_edits_keep_what_was_typed_and_say_each_message_once(login, ziyang_user, accident):
    client = login(ziyang_user)
    client.post(reverse("accidents:disaster_new"), _disaster())
    client.post(reverse("accidents:response_new"), _response())
    edits = [
        ("accidents:accident_edit", accident.pk, _accident(title="改名", injuries="两人"), "两人", "轻伤人数应为整数"),
        (
            "accidents:disaster_edit",
            Disaster.objects.get().pk,
            _disaster(title="", missing="3"),
            "3",
            "灾害名称为必填项",
        ),
        (
            "accidents:response_edit",
            EmergencyResponse.objects.get().pk,
            _response(reported_at=""),
            "资阳洪涝响应",
            "接报时间为必填项",
        ),
    ]
    for route, pk, typed, kept, message in edits:
        body = client.post(reverse(route, args=[pk]), typed | {"version": "1"}).content.decode()
        assert body.count(message) == 1, route
        assert f'value="{kept}"' in body and 'name="version" value="1"' in body, route
        assert f'<option value="{typed["region"]}" selected>' in body, route
