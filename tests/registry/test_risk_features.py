"""The enterprise's risk features (粉尘涉爆, 液氨制冷, 有限空间, 危险化工工艺, 重大危险源): Excel
columns that round-trip, the API, the page, and who may change them."""

from django.urls import reverse

from safeloop.registry.io import enterprise_import
from safeloop.registry.models import RISK_FEATURES, Enterprise
from tests.api.test_api import api  # noqa: F401 - the token-authenticated client fixture
from tests.conftest import credit_code, make_enterprise
from tests.registry.test_import_export import HEADERS, export_bytes, row, workbook_bytes


def test_import_reads_the_risk_feature_columns(ziyang_user):
    data = workbook_bytes([row("粉尘公司", credit_code(), category="机械", 粉尘涉爆="是", 有限空间作业="是")])
    enterprise_import(actor=ziyang_user, data=data)
    assert Enterprise.objects.get(name="粉尘公司").risk_features() == ["dust_explosion", "confined_space"]


def test_every_risk_feature_has_a_column():
    assert {"粉尘涉爆", "液氨制冷", "有限空间作业", "危险化工工艺", "重大危险源"} <= set(HEADERS)


def test_export_of_risk_features_reimports_unchanged(city_user, reference):
    make_enterprise(name="冷库", category="commerce", ammonia_refrigeration=True)
    make_enterprise(name="化工", category="chemical", hazardous_process=True, major_hazard_source=True)
    before = list(Enterprise.objects.order_by("pk").values(*RISK_FEATURES))
    report = enterprise_import(actor=city_user, data=export_bytes(city_user))
    assert (report.updated, report.unchanged) == (0, 2)
    assert list(Enterprise.objects.order_by("pk").values(*RISK_FEATURES)) == before
    assert before[1] == {**dict.fromkeys(RISK_FEATURES, False), "hazardous_process": True, "major_hazard_source": True}


def test_api_shows_and_a_regulator_sets_risk_features(api, ziyang_user, ziyang_enterprise):  # noqa: F811
    url = f"/enterprises/{ziyang_enterprise.pk}"
    response = api.auth(ziyang_user).call("patch", url, {"major_hazard_source": True})
    assert response.status_code == 200, response.content
    body = api.call("get", url).json()
    assert (body["major_hazard_source"], body["dust_explosion"]) == (True, False)


def test_enterprise_cannot_change_its_own_risk_features(api, enterprise_user):  # noqa: F811
    url = f"/enterprises/{enterprise_user.enterprise_id}"
    response = api.auth(enterprise_user).call("patch", url, {"dust_explosion": True})
    assert response.status_code in (400, 403)
    assert not Enterprise.objects.get(pk=enterprise_user.enterprise_id).dust_explosion


def test_enterprise_page_lists_its_risk_features(client, ziyang_user, login):
    enterprise = make_enterprise(name="粉尘涉爆企业", category="machinery", dust_explosion=True)
    login(ziyang_user)
    page = client.get(reverse("registry:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "粉尘涉爆" in page
    assert "液氨制冷</span>" not in page
