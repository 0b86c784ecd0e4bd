"""Overriding an enterprise's supervising department (issue 9 item 8): only the city 安委办 or the
system administrator, only to a department whose region contains the enterprise, on every path
(page, API, Excel import); audited, and the enterprise page says who named it and when."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from safeloop.core.models import AuditEntry
from safeloop.core.xlsx import ImportFailed
from safeloop.registry.io import COLUMNS, enterprise_import
from safeloop.registry.models import Department, Enterprise
from tests.conftest import PASSWORD, credit_code


def api_patch(client, user, enterprise, data):
    login = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    return client.patch(f"/api/v1/enterprises/{enterprise.pk}", data, content_type="application/json", headers=headers)


@pytest.fixture
def city_transport(reference):
    return Department.objects.get(region_id="430900", kind="transport")


@pytest.fixture
def heshan_transport(reference):
    return Department.objects.get(region_id="430903", kind="transport")


@pytest.fixture
def ziyang_transport(reference):
    return Department.objects.get(region_id="430902", kind="transport")


def test_a_county_may_not_override_the_supervising_department(client, ziyang_user, ziyang_enterprise, ziyang_transport):
    response = api_patch(client, ziyang_user, ziyang_enterprise, {"supervising_department": ziyang_transport.pk})
    assert response.status_code == 403
    assert "市安委办" in response.json()["error"]["fields"]["supervising_department"]
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.supervising_department_override_id is None


def test_a_department_may_not_override_it_either(client, transport_user, reference):
    from tests.conftest import make_enterprise

    enterprise = make_enterprise(category="road_transport")
    response = api_patch(client, transport_user, enterprise, {"supervising_department": transport_user.department_id})
    assert response.status_code == 403


def test_the_city_overrides_only_to_a_department_whose_region_contains_the_enterprise(
    client, city_user, ziyang_enterprise, heshan_transport, ziyang_transport
):
    elsewhere = api_patch(client, city_user, ziyang_enterprise, {"supervising_department": heshan_transport.pk})
    assert elsewhere.status_code == 400
    assert "辖区不包括" in elsewhere.json()["error"]["fields"]["supervising_department"]
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.supervising_department_override_id is None
    own_county = api_patch(client, city_user, ziyang_enterprise, {"supervising_department": ziyang_transport.pk})
    assert own_county.status_code == 200, own_county.content
    assert own_county.json()["supervising_department"] == ziyang_transport.pk


def test_the_override_is_audited_and_shown_on_the_enterprise_page(
    client, login, city_user, ziyang_enterprise, city_transport
):
    assert (
        api_patch(client, city_user, ziyang_enterprise, {"supervising_department": city_transport.pk}).status_code
        == 200
    )
    entry = AuditEntry.objects.get(action="enterprise.update", target_id=str(ziyang_enterprise.pk))
    assert entry.actor == city_user
    assert entry.changes["supervising_department_override"] == ["", str(city_transport.pk)]
    page = login(city_user).get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])).content.decode()
    assert city_transport.name in page and f"由{city_user}于" in page


def test_a_county_may_still_edit_an_overridden_enterprise_without_touching_the_override(
    client, login, city_user, ziyang_user, ziyang_enterprise, city_transport
):
    api_patch(client, city_user, ziyang_enterprise, {"supervising_department": city_transport.pk})
    page = login(ziyang_user).get(reverse("registry:enterprise_edit", args=[ziyang_enterprise.pk]))
    assert 'name="supervising_department_override"' not in page.content.decode()
    response = api_patch(
        client, ziyang_user, ziyang_enterprise, {"address": "资阳区新地址", "supervising_department": city_transport.pk}
    )
    assert response.status_code == 200
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.address == "资阳区新地址"
    assert ziyang_enterprise.supervising_department_override_id == city_transport.pk


def import_bytes(rows: list[dict[str, str]]) -> bytes:
    headers = [c.header for c in COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h, "") for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_import_by_a_county_may_not_set_an_override(ziyang_user, ziyang_transport):
    label = next(c.header for c in COLUMNS if c.header.startswith("指定监管部门"))
    row = {"企业名称": "导入公司", "统一社会信用代码": credit_code(), "乡镇代码": "430902005", "监管行业": "危险化学品"}
    with pytest.raises(ImportFailed) as exc:
        enterprise_import(actor=ziyang_user, data=import_bytes([row | {label: ziyang_transport.name}]))
    assert "市安委办" in exc.value.report.errors[0].message
    assert not Enterprise.objects.filter(name="导入公司").exists()
