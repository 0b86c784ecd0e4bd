"""Reporting a hazard: the same bad value gets the same Chinese message on the report page, by the
API and in a ledger import; a refused report keeps what was typed and says each message once."""

import pytest
import time_machine
from django.urls import reverse

from safeloop.core.xlsx import ImportFailed
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.models import Hazard
from tests.hazards.test_api import TODAY, api, ok  # noqa: F401 - fixture
from tests.hazards.test_ledger_io import row, workbook


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _report(enterprise, **fields) -> dict:
    return {"enterprise": enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"} | fields


@pytest.mark.parametrize(
    ("field", "typed", "message", "cell"),
    [
        ("found_on", "2026-02-30", "发现日期应为日期，格式如 2026-05-01", "L列（发现日期）"),
        ("found_on", "2026-12-01", "发现日期不能晚于今天", "L列（发现日期）"),
        ("level", "特大", "等级“特大”无效，可选：一般、重大", "I列（等级）"),
    ],
)
def test_a_bad_value_gets_the_same_message_by_page_api_and_ledger_import(
    login,
    api,  # noqa: F811
    ziyang_user,
    ziyang_enterprise,
    field,
    typed,
    message,
    cell,
):
    page = login(ziyang_user).post(reverse("hazards:new"), _report(ziyang_enterprise, **{field: typed}))
    assert page.context["form"].errors == {field: message}
    by_api = api(ziyang_user).post("/hazards", _report(ziyang_enterprise, **{field: typed}))
    assert (by_api.status_code, by_api.json()["error"]["fields"]) == (400, {field: message})
    header = cell[cell.index("（") + 1 : -1]
    with pytest.raises(ImportFailed) as refused:
        ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise, **{header: typed})]))
    assert [str(e) for e in refused.value.report.errors] == [f"第2行第{cell}：{message}"]
    assert not Hazard.objects.exists()


def test_a_major_hazard_without_a_clause_is_refused_alike_by_page_api_and_import(
    login,
    api,  # noqa: F811
    ziyang_user,
    ziyang_enterprise,
):
    message = "重大隐患必须注明判定依据（标准条款）"
    page = login(ziyang_user).post(reverse("hazards:new"), _report(ziyang_enterprise, level="major"))
    assert page.context["form"].errors == {"clause": message}
    assert api(ziyang_user).post("/hazards", _report(ziyang_enterprise, level="major")).json()["error"]["fields"] == {
        "clause": message
    }
    with pytest.raises(ImportFailed) as refused:
        ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise, 等级="重大")]))
    assert [str(e) for e in refused.value.report.errors] == [f"第2行第J列（判定依据）：{message}"]


def test_a_refused_report_keeps_what_was_typed_and_says_each_message_once(login, ziyang_user, ziyang_enterprise):
    typed = _report(ziyang_enterprise, description="", location="二号仓库", level="major", found_on="昨天")
    body = login(ziyang_user).post(reverse("hazards:new"), typed).content.decode()
    assert 'value="二号仓库"' in body and 'value="昨天"' in body
    assert '<option value="major" selected>' in body and '<option value="regulator" selected>' in body
    assert f'value="{ziyang_enterprise.pk}" checked> {ziyang_enterprise.name}' in body
    for message in ("隐患描述为必填项", "发现日期应为日期，格式如 2026-05-01", "重大隐患必须注明判定依据（标准条款）"):
        assert body.count(message) == 1, message


def test_the_report_page_offers_only_the_sources_of_the_users_role(login, boss):
    body = login(boss).get(reverse("hazards:new")).content.decode()
    assert '<option value="self_check" selected>' in body and 'value="regulator"' not in body
    assert 'name="enterprise"' not in body  # an enterprise reports for itself


def test_the_api_names_missing_report_fields_in_chinese(api, ziyang_user):  # noqa: F811
    response = api(ziyang_user).post("/hazards", {"source": "", "description": None})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "enterprise": "企业为必填项",
        "source": "来源为必填项",
        "description": "隐患描述为必填项",
    }


def test_a_ledger_import_reads_funds_as_officials_write_them(ziyang_user, ziyang_enterprise):
    assigned = {"状态": "已交办", "责任单位": "仓库", "责任人": "张", "期限": "2026-11-30", "资金": "1.2万"}
    ledger_import(actor=ziyang_user, data=workbook([row(ziyang_enterprise, **assigned)]))
    assert str(Hazard.objects.get().funds) == "12000.00"
