"""Query strings, JSON bodies and page numbers that used to be server errors: each is a 400 with
a Chinese message naming the field — the list re-rendered on a page, the error shape by API."""

import json

import pytest
import time_machine

from safeloop.accounts.services import token_issue
from safeloop.core.inputs import Inputs
from safeloop.core.text import clean_text

NOT_ASCII_YEAR = "፩፪፫፬"  # Ethiopic digits: str.isdigit() says yes, int() says no


def bearer(user) -> dict[str, str]:
    token, _ = token_issue(user=user)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("path", "param", "value", "message"),
    [
        ("/hazards/", "year", NOT_ASCII_YEAR, "发现年份应为整数"),
        ("/hazards/", "year", "0001", "发现年份应为1949至2100之间的整数"),
        ("/hazards/", "year", "9999", "发现年份应为1949至2100之间的整数"),
        ("/hazards/", "enterprise", str(2**64), "企业数值过大"),
        ("/hazards/", "department", "²", "监管部门应为整数"),
        ("/hazards/", "found_from", "2026-02-30", "发现日期起应为日期，格式如 2026-05-01"),
        ("/hazards/todo/", "year", "1e3", "发现年份应为整数"),
        ("/accidents/", "year", NOT_ASCII_YEAR, "年份应为整数"),
        ("/accidents/", "year", "0000", "年份应为1949至2100之间的整数"),
        ("/accidents/disasters/", "year", "0001", "年份应为1949至2100之间的整数"),
        ("/targets/", "year", NOT_ASCII_YEAR, "年份应为整数"),
        ("/targets/", "year", "1999", "年份应为2000至2100之间的整数"),
    ],
)
def test_a_page_refuses_a_bad_filter_and_lists_the_rest(login, city_user, path, param, value, message):
    response = login(city_user).get(path, {param: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="filter-errors"' in page


def test_a_good_filter_still_lists_with_200(login, city_user):
    assert login(city_user).get("/hazards/", {"year": "２０２５"}).status_code == 200


def test_an_export_with_a_refused_filter_is_a_400_not_a_wider_file(login, city_user):
    response = login(city_user).get("/hazards/export.xlsx", {"year": NOT_ASCII_YEAR})
    assert response.status_code == 400
    assert "发现年份应为整数" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        (f"/api/v1/hazards?year={NOT_ASCII_YEAR}", "year", "发现年份应为整数"),
        ("/api/v1/hazards?enterprise=99999999999999999999", "enterprise", "企业数值过大"),
        ("/api/v1/accidents?year=0000", "year", "年份应为1949至2100之间的整数"),
        ("/api/v1/hazards?found_to=2026-02-30", "found_to", "发现日期止应为日期，格式如 2026-05-01"),
        ("/api/v1/hazards?page=1000000000000000000", "page", "页码应为1至100000之间的整数"),
        ("/api/v1/enterprises?page=9223372036854775808", "page", "页码应为1至100000之间的整数"),
        ("/api/v1/enterprises?page=0", "page", "页码应为1至100000之间的整数"),
    ],
)
def test_the_api_refuses_a_bad_filter_with_the_error_shape(client, city_user, path, field, message):
    response = client.get(path, headers=bearer(city_user))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"] == {field: message}


def test_a_page_size_above_the_maximum_is_clamped_and_beyond_64_bits_refused(client, city_user):
    response = client.get(f"/api/v1/enterprises?page_size={10**12}", headers=bearer(city_user))
    assert response.status_code == 200
    response = client.get(f"/api/v1/enterprises?page_size={2**70}", headers=bearer(city_user))
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"page_size"}


def test_a_huge_page_number_on_a_page_shows_the_last_page(login, city_user):
    assert login(city_user).get("/enterprises/", {"page": str(10**18)}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "\\ud800"}',
        '{"\\udfff": 1}',
        '{"name": ["ok", {"deep": "\\ud83d"}]}',
        '{"lat": NaN}',
        '{"lat": Infinity}',
        '{"employees": -Infinity}',
        '{"version": Infinity}',
        b'{"name": "\xff"}',
        '{"name": ',
    ],
)
def test_json_bodies_with_lone_surrogates_nan_or_infinity_are_refused(client, city_user, ziyang_enterprise, body):
    response = client.patch(
        f"/api/v1/enterprises/{ziyang_enterprise.pk}", body, content_type="application/json", headers=bearer(city_user)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["fields"]) == {"body"}
    assert "请求内容" in error["message"]


def test_a_hazard_action_with_version_infinity_is_refused(client, city_user, ziyang_enterprise):
    response = client.post(
        "/api/v1/hazards/1/actions/confirm",
        '{"version": Infinity}',
        content_type="application/json",
        headers=bearer(city_user),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"body": "请求内容不是有效的 JSON（UTF-8 编码；不接受 NaN、Infinity）"}


def test_an_amount_of_1e30_by_api_is_a_range_refusal(client, city_user):
    response = client.put(
        "/api/v1/denominators/430902/2025",
        json.dumps({"gdp": 1e30}),
        content_type="application/json",
        headers=bearer(city_user),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"gdp": "地区生产总值数值过大，应小于10000000000亿元"}


@pytest.mark.parametrize("value", [2**63, 2**31])
def test_integers_beyond_the_column_by_api_are_refused(client, city_user, ziyang_enterprise, value):
    response = client.patch(
        f"/api/v1/enterprises/{ziyang_enterprise.pk}",
        json.dumps({"employees": value}),
        content_type="application/json",
        headers=bearer(city_user),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"employees": "从业人数应为0至1000000之间的整数"}


@pytest.mark.parametrize("moment", ["2028-02-29 10:00 +0800", "2028-02-29 01:00 +0800"])
def test_the_targets_page_opens_on_29_february(login, city_user, moment):
    with time_machine.travel(moment, tick=False):
        assert login(city_user).get("/targets/").status_code == 200


def test_the_indicators_api_answers_on_29_february(client, city_user):
    with time_machine.travel("2028-02-29 10:00 +0800", tick=False):
        response = client.get("/api/v1/indicators", {"region": "430900"}, headers=bearer(city_user))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/hazards/", {"q": "a\x00b"}),
        ("/enterprises/", {"region\x00": "1"}),
        ("/admin/registry/enterprise/", {"q": "\x00"}),
    ],
)
def test_a_nul_in_a_query_string_is_a_400_page(login, sysadmin_user, path, params):
    response = login(sysadmin_user).get(path, params)
    assert response.status_code == 400
    assert "含有无效字符" in response.content.decode()


def test_a_nul_in_a_login_form_is_a_400(client):
    response = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/api/v1/enterprises?q=a%00b", None), ("/api/v1/denominators/43%00/2025", None), ("/api/v1/hazards", "nul")],
)
def test_a_nul_by_api_is_the_error_shape(client, city_user, path, headers):
    auth = {"Authorization": "Bearer a\x00b"} if headers else bearer(city_user)
    response = client.get(path, headers=auth)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_a_nul_in_a_json_body_is_refused(client, city_user, ziyang_enterprise):
    response = client.patch(
        f"/api/v1/enterprises/{ziyang_enterprise.pk}",
        json.dumps({"name": "a\u0000b"}),
        content_type="application/json",
        headers=bearer(city_user),
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"body"}


def test_clean_text_drops_nul():
    assert clean_text("a\x00b") == "ab"


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "0001-01-01 00:00", "1899-12-31 23:59"])
def test_a_moment_near_year_one_is_refused_naming_the_field(client, ziyang_user, when):
    body = {"title": "运输事故", "occurred_at": when, "region": "430902005", "sector": "road_transport"}
    response = client.post(
        "/api/v1/accidents", json.dumps(body), content_type="application/json", headers=bearer(ziyang_user)
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"occurred_at": "发生时间不能早于1900-01-01"}


def test_a_date_near_year_one_is_refused():
    inp = Inputs({"d": "0001-01-01"})
    assert inp.date("d", "发现日期") is None
    assert inp.errors == {"d": "发现日期不能早于1900-01-01"}
