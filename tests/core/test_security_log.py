"""The security event log (等保2.0 8.1.4.3): every security event is recorded once, with who,
when, the client's address and the result, in one append-only hash chain kept ≥ 180 days."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeloop.accounts.models import Position, Role, User
from safeloop.accounts.services import enterprise_user_reset_password, enterprise_user_update, password_change
from safeloop.core.http import client_address
from safeloop.core.models import SecurityEvent, SecurityKind, SecurityResult
from safeloop.core.security_log import record, security_log_problems, security_log_purge
from tests.conftest import PASSWORD, make_user


def events(kind: str | None = None) -> list[SecurityEvent]:
    qs = SecurityEvent.objects.order_by("seq")
    return list(qs.filter(action=kind) if kind else qs)


def last(kind: str) -> SecurityEvent:
    found = events(kind)
    assert found, f"no {kind} event recorded"
    return found[-1]


# ---------------------------------------------------------------- signing in and out


def test_a_page_sign_in_records_the_user_and_the_address(client, city_user):
    client.post(
        reverse("accounts:login"), {"username": city_user.username, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    event = last(SecurityKind.LOGIN)
    assert (event.actor_id, event.to_status, event.address) == (city_user.pk, SecurityResult.SUCCESS, "10.1.2.3")


def test_a_failed_sign_in_records_the_name_tried(client, city_user):
    client.post(
        reverse("accounts:login"), {"username": city_user.username, "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
    )
    event = last(SecurityKind.LOGIN)
    assert event.to_status == SecurityResult.FAILURE
    assert event.actor_id is None and event.actor_name == city_user.username
    assert event.payload["username"] == city_user.username and event.address == "10.9.9.9"


def test_a_sign_in_to_a_locked_account_is_recorded_as_refused(client, city_user, settings):
    settings.SAFELOOP_LOGIN_MAX_FAILURES = 2
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": city_user.username, "password": "wrong"})
    assert [e.to_status for e in events(SecurityKind.LOGIN)] == ["failure", "failure", "refused"]


def test_signing_out_is_recorded(login, city_user):
    client = login(city_user)
    client.post(reverse("accounts:logout"))
    assert last(SecurityKind.LOGOUT).actor_id == city_user.pk


def test_api_tokens_issued_and_revoked_are_recorded(client, city_user):
    body = json.dumps({"username": city_user.username, "password": PASSWORD})
    token = client.post("/api/v1/auth/token", body, content_type="application/json").json()["token"]
    client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {token}")
    issued, revoked = last(SecurityKind.TOKEN_ISSUE), last(SecurityKind.TOKEN_REVOKE)
    assert issued.actor_id == revoked.actor_id == city_user.pk
    assert issued.payload["token"] == revoked.payload["token"]


def test_an_api_sign_in_with_a_wrong_password_is_a_failure(client, city_user):
    body = json.dumps({"username": city_user.username, "password": "wrong"})
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 401
    assert last(SecurityKind.LOGIN).to_status == SecurityResult.FAILURE


# ---------------------------------------------------------------- passwords and permissions


def test_ones_own_password_change_is_recorded(city_user):
    new = "Another#pass-2027"
    password_change(user=city_user, data={"current_password": PASSWORD, "new_password": new, "new_password_again": new})
    event = last(SecurityKind.PASSWORD_CHANGE)
    assert event.actor_id == city_user.pk and event.payload["account"] == city_user.username


def test_a_principal_resetting_a_password_and_changing_a_position_is_recorded(ziyang_enterprise):
    boss = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, position=Position.PRINCIPAL)
    member = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise)
    enterprise_user_reset_password(actor=boss, user_id=member.pk)
    enterprise_user_update(actor=boss, user_id=member.pk, data={"position": Position.SAFETY_MANAGER})
    assert last(SecurityKind.PASSWORD_CHANGE).payload["account"] == member.username
    role = last(SecurityKind.ROLE_CHANGE)
    assert role.actor_id == boss.pk and role.payload["account"] == member.username


def test_an_administrator_changing_a_role_is_an_admin_change_and_a_permission_change(login, sysadmin_user, city_user):
    client = login(sysadmin_user)
    url = reverse("admin:accounts_user_change", args=[city_user.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(role=Role.COUNTY, region="430902", date_joined_0="2026-01-01", date_joined_1="00:00:00")
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin_change = last(SecurityKind.ADMIN_CHANGE)
    assert admin_change.actor_id == sysadmin_user.pk and admin_change.payload["id"] == str(city_user.pk)
    assert last(SecurityKind.ROLE_CHANGE).payload["account"] == str(city_user)


# ---------------------------------------------------------------- exports and downloads


def test_an_export_records_its_list_and_filters(login, ziyang_user):
    login(ziyang_user).get(reverse("hazards:export"), {"level": "major"})
    event = last(SecurityKind.EXPORT)
    assert event.actor_id == ziyang_user.pk and event.payload["title"] == "隐患台账"
    assert "重大" in str(event.payload["filters"]) and event.payload["rows"] == 0


# ---------------------------------------------------------------- refused access


def test_a_hidden_object_is_a_refusal_naming_it(login, heshan_user, ziyang_enterprise):
    client = login(heshan_user)
    assert client.get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])).status_code == 404
    event = last(SecurityKind.ACCESS_REFUSED)
    assert event.to_status == SecurityResult.REFUSED and event.actor_id == heshan_user.pk
    assert (event.payload["status"], event.payload["id"]) == (404, str(ziyang_enterprise.pk))


def test_a_forbidden_page_is_a_refusal(login, city_user):
    assert login(city_user).get(reverse("core:security_log")).status_code == 403
    assert last(SecurityKind.ACCESS_REFUSED).payload["status"] == 403


def test_the_page_says_a_refusal_in_words(login, sysadmin_user, heshan_user, ziyang_enterprise):
    login(heshan_user).get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk]))
    html = login(sysadmin_user).get(reverse("core:security_log"), {"kind": "access_refused"}).content.decode()
    assert "操作：查看" in html and "对象：企业" in html and "GET" not in html


def test_an_api_404_is_a_refusal(client, heshan_user, ziyang_enterprise):
    body = json.dumps({"username": heshan_user.username, "password": PASSWORD})
    token = client.post("/api/v1/auth/token", body, content_type="application/json").json()["token"]
    response = client.get(f"/api/v1/enterprises/{ziyang_enterprise.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    assert last(SecurityKind.ACCESS_REFUSED).payload["path"] == f"/api/v1/enterprises/{ziyang_enterprise.pk}"


def test_a_missing_static_file_is_not_an_access_decision(client, db):
    client.get("/static/missing.css")
    assert events(SecurityKind.ACCESS_REFUSED) == []


# ---------------------------------------------------------------- the client's address


def test_the_address_is_remote_addr_without_a_trusted_header(rf, settings):
    settings.SAFELOOP_CLIENT_ADDRESS_HEADER = ""
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "127.0.0.1"


def test_behind_the_proxy_the_address_is_the_entry_the_proxy_added(rf, settings):
    settings.SAFELOOP_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.20.30.40")
    assert client_address(request) == "10.20.30.40"  # the client typed the first one


def test_a_header_that_is_no_address_falls_back_to_remote_addr(rf, settings):
    settings.SAFELOOP_CLIENT_ADDRESS_HEADER = "X-Real-IP"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="<script>")
    assert client_address(request) == "127.0.0.1"


# ---------------------------------------------------------------- one chain, append-only, cheap


def test_recording_costs_one_read_and_one_insert(db):
    with CaptureQueriesContext(connection) as queries:
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "x"})
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("INSERT") == 1 and statements.count("SELECT") == 1
    assert not {"UPDATE", "DELETE"} & set(statements)


def test_events_form_one_chain_that_verifies(db):
    for n in range(3):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": f"u{n}"})
    chain = events()
    assert [e.seq for e in chain] == [1, 2, 3]
    assert chain[1].prev_hash == chain[0].hash and chain[2].prev_hash == chain[1].hash
    assert list(security_log_problems()) == []


def test_the_database_refuses_to_edit_an_event(db):
    event = record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "x"})
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).update(to_status=SecurityResult.SUCCESS)


def test_the_database_refuses_to_delete_a_young_event(db):
    event = record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "x"})
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).delete()
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_the_database_lets_an_event_older_than_six_months_go(db):
    with time_machine.travel(timezone.now() - timedelta(days=181), tick=False):
        event = record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "x"})
    SecurityEvent.objects.filter(pk=event.pk).delete()
    assert not SecurityEvent.objects.exists()


def _without_triggers():
    from safeloop.core.db import allow_changes_sql

    with connection.cursor() as cursor:
        for statement in allow_changes_sql(connection.vendor, "core_securityevent"):
            cursor.execute(statement)


def test_an_edit_behind_the_triggers_is_caught(db):
    for n in range(3):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": f"u{n}"})
    _without_triggers()
    SecurityEvent.objects.filter(seq=2).update(address="1.1.1.1")
    assert [p.seq for p in security_log_problems()] == [2]


def test_a_deleted_event_is_caught(db):
    for n in range(3):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": f"u{n}"})
    _without_triggers()
    SecurityEvent.objects.filter(seq=2).delete()
    assert [p.seq for p in security_log_problems()] == [3]


def test_a_cut_start_that_is_no_retention_cut_is_caught(db):
    for n in range(3):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": f"u{n}"})
    _without_triggers()
    SecurityEvent.objects.filter(seq=1).delete()
    assert [p.seq for p in security_log_problems()] == [2]


def test_an_event_recorded_in_a_failed_transaction_does_not_break_the_chain(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={})
        raise RuntimeError
    record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={})
    assert list(security_log_problems()) == [] and [e.seq for e in events()] == [1]


# ---------------------------------------------------------------- retention


def test_retention_removes_only_events_older_than_the_period_and_the_chain_still_verifies(db, settings):
    settings.SAFELOOP_SECURITY_LOG_DAYS = 200
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=201), tick=False):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "old"})
    with time_machine.travel(now - timedelta(days=199), tick=False):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "kept"})
    assert security_log_purge.call() == 1
    assert [e.payload.get("username") for e in events(SecurityKind.LOGIN)] == ["kept"]
    assert last(SecurityKind.LOG_PURGE).payload["through"] == 1
    assert list(security_log_problems()) == []


def test_retention_never_goes_below_the_legal_six_months(db, settings):
    settings.SAFELOOP_SECURITY_LOG_DAYS = 30  # a wrong setting cannot shorten the legal period
    with time_machine.travel(timezone.now() - timedelta(days=100), tick=False):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={})
    assert security_log_purge.call() == 0
    assert len(events(SecurityKind.LOGIN)) == 1


def test_the_command_reports_a_break_and_exits_1(db):
    from django.core.management import call_command

    for n in range(2):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": f"u{n}"})
    call_command("verify_security_log")  # intact: returns
    _without_triggers()
    SecurityEvent.objects.filter(seq=1).update(actor_name="someone else")
    with pytest.raises(SystemExit) as stopped:
        call_command("verify_security_log")
    assert stopped.value.code == 1


def test_retention_is_a_daily_job():
    from safeloop.core.schedule import daily_tasks

    assert security_log_purge in daily_tasks()


# ---------------------------------------------------------------- the administrator's page


@pytest.fixture
def some_events(city_user, heshan_user):
    record(SecurityKind.LOGIN, user=city_user, result=SecurityResult.SUCCESS, detail={"username": city_user.username})
    record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "intruder"})
    record(SecurityKind.LOGOUT, user=heshan_user, result=SecurityResult.SUCCESS)


def test_the_system_administrator_reads_the_log_in_chinese(login, sysadmin_user, some_events):
    response = login(sysadmin_user).get(reverse("core:security_log"))
    html = response.content.decode()
    assert response.status_code == 200 and "安全日志" in html
    assert "登录" in html and "失败" in html and "intruder" in html and "退出登录" in html


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"kind": "login"}, 3),  # with the administrator's own sign-in
        ({"result": "failure"}, 1),
        ({"user": "intrud"}, 1),
        ({"kind": "logout", "result": "success"}, 1),
        ({"date_from": "2000-01-01", "date_to": "2000-01-02"}, 0),
        ({"address": "10."}, 0),
    ],
)
def test_the_page_filters(login, sysadmin_user, some_events, params, count):
    page = login(sysadmin_user).get(reverse("core:security_log"), params).context["page"]
    assert page.paginator.count == count


@pytest.mark.parametrize("role", [Role.CITY, Role.COUNTY, Role.ENTERPRISE])
def test_nobody_else_reads_or_exports_it(login, reference, ziyang_enterprise, role):
    scope = {Role.CITY: {"region_id": "430900"}, Role.COUNTY: {"region_id": "430902"}}.get(
        role, {"enterprise": ziyang_enterprise}
    )
    client = login(make_user(role, **scope))
    assert client.get(reverse("core:security_log")).status_code == 403
    assert client.get(reverse("core:security_log_export")).status_code == 403


def test_the_export_is_a_workbook_of_the_filtered_events(login, sysadmin_user, some_events):
    response = login(sysadmin_user).get(reverse("core:security_log_export"), {"result": "failure"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert "失败" in values[0][0]  # the title row names the filter
    assert values[1][:3] == ("序号", "时间", "类型") and len(values) == 3
    assert values[2][3] == "intruder" and values[2][5] == "失败"
    assert last(SecurityKind.EXPORT).payload["title"] == "安全日志"


def test_a_large_export_runs_as_a_job(login, sysadmin_user, some_events, settings):
    settings.SAFELOOP_EXPORT_JOB_ROWS = 1
    response = login(sysadmin_user).get(reverse("core:security_log_export"))
    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_a_deleted_account_keeps_its_events(db, reference):
    user = make_user(Role.CITY, region_id="430900")
    record(SecurityKind.LOGIN, user=user, result=SecurityResult.SUCCESS, detail={})
    with connection.cursor() as cursor:  # the row alone (the ORM's collector would visit test-only models)
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])
    assert not User.objects.filter(pk=user.pk).exists()
    assert last(SecurityKind.LOGIN).actor_name == str(user) and list(security_log_problems()) == []


def test_the_chain_is_keyed_so_a_writer_without_the_key_cannot_recompute_it(db):
    from safeloop.core.chain import entry_hash
    from safeloop.core.security_log import security_content

    for n in range(2):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": f"u{n}"})
    assert {e.key_id for e in events()} != {""}
    _without_triggers()
    forged = events()[-1]
    forged.actor_name = "someone else"
    forged.hash = entry_hash(forged.prev_hash, security_content(forged))  # all a writer can do without the key
    SecurityEvent.objects.filter(pk=forged.pk).update(actor_name=forged.actor_name, hash=forged.hash)
    assert [p.seq for p in security_log_problems()] == [forged.seq]


def test_a_retention_cut_is_no_finding_of_the_ledger(db, settings):
    from safeloop.core.ledger import ledger_verify

    settings.SAFELOOP_SECURITY_LOG_DAYS = 180
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={})
    record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={})
    assert security_log_purge.call() == 1
    assert list(ledger_verify()) == [] and list(security_log_problems()) == []
