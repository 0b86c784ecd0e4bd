"""One reader, one message: a bad enterprise value is refused in the same Chinese words by the
page, the API and the Excel import; a refused form keeps what was typed and says each message once."""

import pytest
from django.urls import reverse

from safeloop.core.xlsx import ImportFailed
from safeloop.registry.io import enterprise_import
from safeloop.registry.models import Enterprise
from tests.api.test_api import api  # noqa: F401 - fixture
from tests.conftest import ZIYANG_TOWN, credit_code
from tests.registry.test_import_export import row, workbook_bytes


def _form(**fields) -> dict:
    return {"name": "新登记企业", "credit_code": credit_code(), "region": ZIYANG_TOWN, "category": "hazchem"} | fields


@pytest.mark.parametrize(
    ("field", "typed", "message", "column", "header"),
    [
        ("employees", "很多", "从业人数应为整数", "J", "从业人数"),
        ("lat", "95", "纬度应在3至54之间", "I", "纬度"),
        (
            "risk_level",
            "紫",
            "风险等级“紫”无效，可选：红（重大风险）、橙（较大风险）、黄（一般风险）、蓝（低风险）",
            "L",
            "风险等级",
        ),
    ],
)
def test_a_bad_value_gets_the_same_message_by_page_api_and_import(
    login,
    api,  # noqa: F811
    ziyang_user,
    field,
    typed,
    message,
    column,
    header,
):
    page = login(ziyang_user).post(reverse("registry:enterprise_new"), _form(**{field: typed}))
    assert page.context["form"].errors == {field: message}
    by_api = api.auth(ziyang_user).call("post", "/enterprises", _form(**{field: typed}))
    assert (by_api.status_code, by_api.json()["error"]["fields"]) == (400, {field: message})
    with pytest.raises(ImportFailed) as refused:
        enterprise_import(actor=ziyang_user, data=workbook_bytes([row("甲公司", credit_code(), **{header: typed})]))
    assert [str(e) for e in refused.value.report.errors] == [f"第2行第{column}列（{header}）：{message}"]
    assert not Enterprise.objects.exists()


def test_a_refused_form_keeps_what_was_typed_and_says_each_message_once(login, ziyang_user):
    typed = _form(credit_code="914309020000000011", address="资阳区大码头路8号", employees="很多", principal_phone="12")
    body = login(ziyang_user).post(reverse("registry:enterprise_new"), typed).content.decode()
    for value in ("新登记企业", "914309020000000011", "资阳区大码头路8号", "很多"):
        assert f'value="{value}"' in body
    assert f'<option value="{ZIYANG_TOWN}" selected>' in body
    for message in (
        "统一社会信用代码校验位错误",
        "从业人数应为整数",
        "负责人电话格式不正确（应为手机号或带区号的座机号）",
    ):
        assert body.count(message) == 1, message


def test_a_refused_edit_keeps_the_typed_values_and_the_version_it_was_opened_with(
    login, ziyang_user, ziyang_enterprise
):
    url = reverse("registry:enterprise_edit", args=[ziyang_enterprise.pk])
    body = login(ziyang_user).post(url, _form(name="", address="新地址", version="1")).content.decode()
    assert body.count("企业名称为必填项") == 1
    assert 'value="新地址"' in body and 'name="version" value="1"' in body
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.address == ""


def test_amounts_of_people_and_coordinates_are_read_as_officials_type_them(ziyang_user):
    from safeloop.registry.services import enterprise_create

    enterprise = enterprise_create(actor=ziyang_user, data=_form(employees="1,200", lat="２８.５", key_sector="否"))
    assert (enterprise.employees, str(enterprise.lat), enterprise.key_sector) == (1200, "28.500000", False)


def test_api_names_the_supervising_department_as_the_contract_does(api, ziyang_user):  # noqa: F811
    response = api.auth(ziyang_user).call("post", "/enterprises", _form(supervising_department=999999))
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"supervising_department": "指定监管部门“999999”不存在"}


def test_api_query_parameters_are_named_in_chinese(api, ziyang_user):  # noqa: F811
    response = api.auth(ziyang_user).call("get", "/enterprises", page="第二页")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"page": "页码应为整数"}
    response = api.call("get", "/regions", page_size="很多")
    assert response.json()["error"]["message"] == "提交的信息有误：每页条数应为整数"


def test_the_openapi_document_lists_enterprises_as_a_page_of_the_model_schema(client, reference):
    schema = client.get("/api/v1/openapi.json").json()
    listed = schema["paths"]["/api/v1/enterprises"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"].endswith("/EnterpriseOutPage")
    body = schema["components"]["schemas"]["EnterpriseIn"]
    assert body["required"] == ["name", "credit_code", "region", "category"]
    assert body["properties"]["supervising_department"]["title"] == "指定监管部门"
