"""Sign-in protection (issue 9 item 6): parallel attempts are counted one by one, the account
lock stops only the addresses that failed, other addresses meet a short delay and never a lock,
one address and the whole platform are throttled too, and failures are kept, marked cleared."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import close_old_connections
from django.test import RequestFactory, override_settings

from safeloop.accounts.services import login_authenticate
from safeloop.core.errors import ServiceError, Unauthorized
from tests.accounts import backends
from tests.conftest import PASSWORD, make_user

TOKEN = "/api/v1/auth/token"


def token(client, username: str, password: str, address: str = "10.0.0.1", **headers):
    body = {"username": username, "password": password}
    return client.post(TOKEN, body, content_type="application/json", REMOTE_ADDR=address, headers=headers)


@pytest.mark.django_db(transaction=True)
@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=5, AUTHENTICATION_BACKENDS=["tests.accounts.backends.GateBackend"])
def test_ten_parallel_wrong_passwords_get_exactly_five_tries(ziyang_user):
    attempts = 10
    gate = backends.Gate(attempts)
    backends.GATE[:] = [gate]
    outcomes: list[str] = []

    def attempt():
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.7")
        try:
            login_authenticate(request=request, username=ziyang_user.username, password="wrong")
        except Unauthorized:
            outcomes.append("tried")
        except ServiceError as exc:
            outcomes.append(str(exc.status))
            gate.arrive()  # refused before the password check: it will not reach the gate
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        backends.GATE.clear()
    assert sorted(outcomes) == ["429"] * 5 + ["tried"] * 5


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=5)
def test_five_failures_from_one_address_cannot_lock_city_admin_out_from_another(client, city_user):
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        for _ in range(5):
            assert token(client, city_user.username, "guess", "10.66.6.6").status_code == 401
        assert token(client, city_user.username, PASSWORD, "10.66.6.6").status_code == 429  # locked there
        delayed = token(client, city_user.username, PASSWORD, "10.1.1.1")
    assert delayed.status_code == 429 and delayed.json()["error"]["code"] == "throttled"
    assert delayed["Retry-After"] == "1"
    with time_machine.travel("2026-11-30 09:00:02 +0800", tick=False):
        assert token(client, city_user.username, PASSWORD, "10.1.1.1").status_code == 200
        locked = token(client, city_user.username, PASSWORD, "10.66.6.6")
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "account_locked"
    assert int(locked["Retry-After"]) > 14 * 60


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=5, SAFELOOP_LOGIN_MAX_DELAY_SECONDS=60)
def test_many_attacking_addresses_meet_a_delay_but_never_lock_the_owner_out(client, city_user):
    for i in range(12):
        with time_machine.travel(f"2026-11-30 09:{i:02d}:00 +0800", tick=False):
            assert token(client, city_user.username, "guess", f"10.9.0.{i}").status_code == 401
    with time_machine.travel("2026-11-30 09:11:30 +0800", tick=False):
        waiting = token(client, city_user.username, PASSWORD, "10.1.1.1")
    assert waiting.status_code == 429 and int(waiting["Retry-After"]) <= 60
    with time_machine.travel("2026-11-30 09:12:00 +0800", tick=False):
        assert token(client, city_user.username, PASSWORD, "10.1.1.1").status_code == 200


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=5, SAFELOOP_LOGIN_MAX_FAILURES_PER_ADDRESS=3)
def test_one_address_guessing_across_accounts_is_locked_itself(client, reference):
    users = [make_user("county", region_id="430902") for _ in range(4)]
    for user in users[:3]:
        assert token(client, user.username, "guess", "10.7.7.7").status_code == 401
    refused = token(client, users[3].username, PASSWORD, "10.7.7.7")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "account_locked"
    assert "地址" in refused.json()["error"]["message"]
    assert token(client, users[3].username, PASSWORD, "10.8.8.8").status_code == 200


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES_OVERALL=3)
def test_a_flood_of_failures_slows_the_failing_addresses_not_the_clean_ones(client, reference):
    users = [make_user("county", region_id="430902") for _ in range(4)]
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        for i, user in enumerate(users[:3]):
            assert token(client, user.username, "guess", f"10.5.0.{i}").status_code == 401
        slowed = token(client, users[0].username, PASSWORD, "10.5.0.0")
        assert slowed.status_code == 429 and slowed["Retry-After"] == "1"
        assert token(client, users[3].username, PASSWORD, "10.5.9.9").status_code == 200


def test_failures_are_kept_and_marked_cleared_by_a_success(client, ziyang_user):
    from safeloop.core.models import ThrottleHit

    for _ in range(2):
        token(client, ziyang_user.username, "guess")
    assert token(client, ziyang_user.username, PASSWORD).status_code == 200
    hits = ThrottleHit.objects.filter(scope="login", key=ziyang_user.username.lower())
    assert hits.count() == 3 and not hits.filter(cleared_at__isnull=True).exists()


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3, SAFELOOP_CLIENT_ADDRESS_HEADER="")
def test_by_default_a_forwarded_for_header_sent_by_the_client_does_not_change_the_address(client, ziyang_user):
    for i in range(3):
        token(client, ziyang_user.username, "guess", "10.0.0.1", **{"X-Forwarded-For": f"172.16.0.{i}"})
    response = token(client, ziyang_user.username, PASSWORD, "10.0.0.1", **{"X-Forwarded-For": "172.16.1.1"})
    assert response.status_code == 429 and response.json()["error"]["code"] == "account_locked"


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3, SAFELOOP_CLIENT_ADDRESS_HEADER="X-Real-IP")
def test_the_configured_proxy_header_gives_the_client_address(client, ziyang_user):
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        for _ in range(3):
            token(client, ziyang_user.username, "guess", "127.0.0.1", **{"X-Real-IP": "10.3.3.3"})
        assert (
            token(client, ziyang_user.username, PASSWORD, "127.0.0.1", **{"X-Real-IP": "10.3.3.3"}).status_code == 429
        )
    with time_machine.travel("2026-11-30 09:00:05 +0800", tick=False):
        assert (
            token(client, ziyang_user.username, PASSWORD, "127.0.0.1", **{"X-Real-IP": "10.4.4.4"}).status_code == 200
        )


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3)
def test_the_login_page_says_wait_not_locked_to_another_address(client, ziyang_user):
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        for _ in range(3):
            client.post("/accounts/login/", {"username": ziyang_user.username, "password": "x"}, REMOTE_ADDR="10.6.6.6")
        locked = client.post(
            "/accounts/login/", {"username": ziyang_user.username, "password": PASSWORD}, REMOTE_ADDR="10.6.6.6"
        )
        waiting = client.post(
            "/accounts/login/", {"username": ziyang_user.username, "password": PASSWORD}, REMOTE_ADDR="10.2.2.2"
        )
    assert locked.status_code == waiting.status_code == 429
    assert "锁定" in locked.content.decode()
    assert "这不是锁定" in waiting.content.decode() and waiting["Retry-After"] == "1"


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3)
def test_the_current_password_on_the_change_page_cannot_be_guessed_either(login, city_user):
    client = login(city_user)
    page = "/accounts/password/"
    new = {"new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2026"}
    for _ in range(3):
        wrong = client.post(page, {"current_password": "guess"} | new)
        assert wrong.context["form"].errors["current_password"] == "当前密码不正确"
    right = client.post(page, {"current_password": PASSWORD} | new)
    assert "锁定" in right.context["form"].errors["current_password"]
    city_user.refresh_from_db()
    assert city_user.check_password(PASSWORD)


@override_settings(SAFELOOP_LOGIN_MAX_FAILURES=3, SAFELOOP_CLIENT_ADDRESS_HEADER="X-Forwarded-For")
def test_behind_the_proxy_the_entry_it_appended_counts_not_what_the_client_typed(client, ziyang_user):
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        for i in range(3):
            forwarded = {"X-Forwarded-For": f"172.16.0.{i}, 10.3.3.3"}  # the client's guess, then nginx's
            token(client, ziyang_user.username, "guess", "127.0.0.1", **forwarded)
        again = token(client, ziyang_user.username, PASSWORD, "127.0.0.1", **{"X-Forwarded-For": "9.9.9.9, 10.3.3.3"})
    assert again.status_code == 429 and again.json()["error"]["code"] == "account_locked"
