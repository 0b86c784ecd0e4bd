"""Issue 20 item 4: service-account tokens — bound to an account's role and region, read-only or
read-write, expiring, rate limited (429 with Retry-After), every call in the security log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from safeloop.accounts.services import service_token_issue
from safeloop.core.errors import Forbidden
from safeloop.core.models import SecurityEvent
from safeloop.hazards.services import hazard_report
from tests.conftest import make_user


@pytest.fixture
def county_service(reference):
    return make_user("county", username="heshan_sync", region_id="430903")


def call(client, raw, method="get", path="/changes", **kwargs):
    return getattr(client, method)(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw}"}, **kwargs)


def test_a_county_service_accounts_feed_holds_nothing_of_another_county(
    client, sysadmin_user, county_service, ziyang_user, ziyang_enterprise, heshan_enterprise
):
    data = {"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"}
    hazard_report(actor=ziyang_user, data=data)
    raw, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="省平台同步")
    results = call(client, raw, data={"page_size": 1000}).json()["results"]
    assert results, "its own county's enterprise is there"
    assert {(c["type"], c["id"]) for c in results} == {("enterprise", heshan_enterprise.pk)}
    assert call(client, raw, path=f"/enterprises/{ziyang_enterprise.pk}").status_code == 404


def test_read_only_refuses_writes_and_read_write_allows_them(client, sysadmin_user, county_service, heshan_enterprise):
    ro, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="只读")
    body = {"employees": 12, "version": heshan_enterprise.version}
    path = f"/enterprises/{heshan_enterprise.pk}"
    response = call(client, ro, "patch", path, data=body, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    rw, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="读写", read_only=False)
    assert call(client, rw, "patch", path, data=body, content_type="application/json").status_code == 200


def test_the_per_token_rate_limit_is_a_429_with_retry_after(client, sysadmin_user, county_service):
    raw, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="限流", per_minute=3)
    assert [call(client, raw).status_code for _ in range(3)] == [200, 200, 200]
    refused = call(client, raw)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "每分钟上限" in refused.json()["error"]["message"]
    other, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="另一个", per_minute=3)
    assert call(client, other).status_code == 200  # the limit is the token's own
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert call(client, raw).status_code == 200


def test_every_call_is_in_the_security_log(client, sysadmin_user, county_service):
    raw, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="审计")
    call(client, raw)
    call(client, raw, path="/hazards")
    events = SecurityEvent.objects.filter(action="service_call").order_by("seq")
    assert [(e.actor_id, e.payload["path"], e.payload["token"], e.to_status) for e in events] == [
        (county_service.pk, "/api/v1/changes", "审计", "success"),
        (county_service.pk, "/api/v1/hazards", "审计", "success"),
    ]
    assert all(e.address for e in events)


def test_tokens_expire_and_only_an_administrator_issues_them(client, sysadmin_user, county_service, ziyang_user):
    raw, _ = service_token_issue(actor=sysadmin_user, user=county_service, name="短期", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert call(client, raw).status_code == 401
    with pytest.raises(Forbidden):
        service_token_issue(actor=ziyang_user, user=county_service, name="x")


def test_the_command_issues_a_working_token(client, sysadmin_user, county_service):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("service_token", admin=sysadmin_user.username, user=county_service.username, name="命令", stdout=out)
    raw = out.getvalue().splitlines()[0]
    assert call(client, raw).status_code == 200
