import pytest
import time_machine
from django.test import override_settings

from safeloop.accounts.models import ApiToken
from safeloop.core.models import ThrottleHit
from safeloop.registry.models import Enterprise
from tests.conftest import PASSWORD, ZIYANG_TOWN, credit_code


@pytest.fixture
def api(client):
    class Api:
        token = None

        def auth(self, user):
            response = client.post(
                "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
            )
            assert response.status_code == 200, response.content
            self.token = response.json()["token"]
            return self

        def call(self, method, path, data=None, **params):
            headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            fn = getattr(client, method)
            if method in ("post", "patch", "put"):
                return fn(f"/api/v1{path}", data, content_type="application/json", headers=headers)
            return fn(f"/api/v1{path}", params, headers=headers)

    return Api()


def test_wrong_password_is_401_with_the_error_shape(api, ziyang_user, client):
    response = client.post(
        "/api/v1/auth/token", {"username": ziyang_user.username, "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "unauthorized", "message": "用户名或密码错误", "fields": {}}}


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(ziyang_user, client):
    for _ in range(3):
        client.post(
            "/api/v1/auth/token", {"username": ziyang_user.username, "password": "x"}, content_type="application/json"
        )
    response = client.post(
        "/api/v1/auth/token", {"username": ziyang_user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["error"]["message"]


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3)
def test_lockout_applies_to_the_login_page_too(ziyang_user, client):
    for _ in range(3):
        client.post(
            "/api/v1/auth/token", {"username": ziyang_user.username, "password": "x"}, content_type="application/json"
        )
    response = client.post("/accounts/login/", {"username": ziyang_user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3, SAFELOOP_LOGIN_LOCK_MINUTES=15)
def test_lockout_expires(ziyang_user, client):
    with time_machine.travel("2026-11-29 10:00 +0800", tick=False):
        for _ in range(3):
            client.post("/accounts/login/", {"username": ziyang_user.username, "password": "x"})
    with time_machine.travel("2026-11-29 10:16 +0800", tick=False):
        response = client.post("/accounts/login/", {"username": ziyang_user.username, "password": PASSWORD})
    assert response.status_code == 302
    # Kept as a record, marked cleared: they no longer count.
    assert ThrottleHit.objects.filter(scope="login", cleared_at__isnull=True).count() == 3
    assert ThrottleHit.objects.filter(scope="login", cleared_at__isnull=False).count() == 1


def test_requests_without_token_are_401(api, reference):
    response = api.call("get", "/enterprises")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_token_expires(api, ziyang_user):
    with time_machine.travel("2026-11-29 08:00 +0800", tick=False):
        api.auth(ziyang_user)
    with time_machine.travel("2026-11-29 21:00 +0800", tick=False):
        assert api.call("get", "/enterprises").status_code == 401


def test_revoked_token_stops_working(api, ziyang_user):
    api.auth(ziyang_user)
    assert api.call("delete", "/auth/token").status_code == 200
    assert api.call("get", "/enterprises").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_only_the_hash_of_a_token_is_stored(api, ziyang_user):
    api.auth(ziyang_user)
    assert not ApiToken.objects.filter(key_hash=api.token).exists()


def test_list_is_scoped_and_paginated(api, ziyang_user, ziyang_enterprise, heshan_enterprise):
    body = api.auth(ziyang_user).call("get", "/enterprises").json()
    assert body["count"] == 1 and body["next"] is None
    assert body["results"][0]["credit_code"] == ziyang_enterprise.credit_code
    assert body["results"][0]["supervising_department"] is not None


def test_page_size_is_capped_at_500_and_next_link_given(api, city_user, reference):
    from tests.conftest import make_enterprise

    for i in range(3):
        make_enterprise(name=f"分页{i}")
    body = api.auth(city_user).call("get", "/enterprises", page_size=2).json()
    assert body["count"] == 3 and "page=2" in body["next"]
    body = api.call("get", "/enterprises", page_size=100000).json()
    assert len(body["results"]) == 3


def test_outsider_gets_404_for_detail_and_patch(api, heshan_user, ziyang_enterprise):
    api.auth(heshan_user)
    for method in ("get", "patch"):
        response = api.call(
            method, f"/enterprises/{ziyang_enterprise.pk}", {"address": "x"} if method == "patch" else None
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_create_validation_errors_name_each_field_in_chinese(api, ziyang_user):
    response = api.auth(ziyang_user).call(
        "post", "/enterprises", {"name": "甲", "credit_code": "123", "region": ZIYANG_TOWN, "category": "hazchem"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"credit_code": "统一社会信用代码应为18位，当前为3位"}


def test_create_with_missing_fields_is_400_in_chinese(api, ziyang_user):
    response = api.auth(ziyang_user).call("post", "/enterprises", {"name": "甲"})
    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert fields["credit_code"] == "统一社会信用代码为必填项"


def test_create_and_duplicate(api, ziyang_user):
    data = {
        "name": "接口企业",
        "credit_code": credit_code(),
        "region": ZIYANG_TOWN,
        "category": "hazchem",
        "lat": "28.5",
        "lng": "112.3",
        "employees": 10,
    }
    created = api.auth(ziyang_user).call("post", "/enterprises", data)
    assert created.status_code == 201
    assert created.json()["version"] == 1 and created.json()["updated_at"].endswith("+08:00")
    duplicate = api.call("post", "/enterprises", data)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate"
    assert Enterprise.objects.count() == 1


def test_patch_with_stale_version_is_409_and_changes_nothing(api, ziyang_user, ziyang_enterprise):
    api.auth(ziyang_user)
    assert api.call("patch", f"/enterprises/{ziyang_enterprise.pk}", {"version": 1, "address": "新"}).status_code == 200
    stale = api.call("patch", f"/enterprises/{ziyang_enterprise.pk}", {"version": 1, "address": "旧"})
    assert stale.status_code == 409
    ziyang_enterprise.refresh_from_db()
    assert ziyang_enterprise.address == "新"


def test_patch_forbidden_field_for_enterprise_role_is_403(api, enterprise_user, ziyang_enterprise):
    response = api.auth(enterprise_user).call("patch", f"/enterprises/{ziyang_enterprise.pk}", {"risk_level": "blue"})
    assert response.status_code == 403


def test_regions_by_parent(api, city_user):
    body = api.auth(city_user).call("get", "/regions", parent="430900", page_size=500).json()
    codes = {r["code"]: r for r in body["results"]}
    assert "430902" in codes and codes["430971"]["statutory"] is False
    assert body["count"] == 8


def test_categories_and_departments(api, city_user):
    api.auth(city_user)
    categories = api.call("get", "/categories", page_size=500).json()
    assert {"code": "commerce", "name": "商贸", "parent": "gongmao", "key_sector": True} in categories["results"]
    departments = api.call("get", "/departments", page_size=500).json()["results"]
    transport = next(d for d in departments if d["name"] == "益阳市交通运输局")
    assert "road_transport" in transport["categories"]


def test_openapi_schema_and_docs_are_served_locally(client, reference):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/" in docs


def test_api_docs_fit_a_phone_and_introduce_the_api_in_chinese(client, reference):
    docs = client.get("/api/v1/docs").content.decode()
    assert 'name="viewport"' in docs and 'lang="zh-CN"' in docs
    intro = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "Authorization: Bearer" in intro and "不在管辖范围" in intro and "万元" in intro
