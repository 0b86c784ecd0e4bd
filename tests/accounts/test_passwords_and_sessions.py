"""Passwords and sessions (issue 9 item 7): Argon2 first, at least 10 characters of three
classes (in Chinese), an initial password set by somebody else is replaced before anything else,
30 idle minutes end a session and a configurable absolute limit ends it in any case; the demo
loads only outside production, with its fixed password and no forced change."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

import config.settings as configured
from safeloop.accounts.models import Role, User
from safeloop.accounts.services import generated_password
from safeloop.demo.registry import DEMO_USERNAMES
from tests.conftest import PASSWORD, make_user, signed_in

HOME = "/"


def test_argon2_is_the_first_hasher_and_works(settings):
    # The suite hashes with MD5 for speed (conftest); the configured list is the module's.
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    hashed = make_password("Safe@2026demo")
    assert hashed.startswith("argon2$argon2id$") and check_password("Safe@2026demo", hashed)


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("Abc-12345", "至少需要10个字符"),
        ("abcdefgh-xyz", "至少3类"),
        ("ABCDEFGH2345", "至少3类"),
    ],
)
def test_a_new_password_needs_ten_characters_of_three_classes(login, city_user, password, refusal):
    data = {"current_password": PASSWORD, "new_password": password, "new_password_again": password}
    response = login(city_user).post(reverse("accounts:password"), data)
    assert response.status_code == 200
    assert refusal in response.context["form"].errors["new_password"]
    city_user.refresh_from_db()
    assert city_user.check_password(PASSWORD)


def test_the_password_page_is_in_the_layout_and_the_user_menu(login, city_user):
    home = login(city_user).get(HOME).content.decode()
    assert f'href="{reverse("accounts:password")}"' in home and "修改密码" in home
    page = login(city_user).get(reverse("accounts:password")).content.decode()
    assert 'class="topbar"' in page and "至少10位" in page


def test_generated_initial_passwords_pass_the_rules(principal_user):
    for _ in range(200):
        validate_password(generated_password(), principal_user)


def test_the_demo_password_passes_the_rules_for_every_demo_account():
    for name in DEMO_USERNAMES:
        validate_password(configured.SAFELOOP_DEMO_PASSWORD, User(username=name))


def test_a_signed_in_account_flagged_to_change_its_password_reaches_only_that_page(login, city_user):
    client = login(city_user)
    User.objects.filter(pk=city_user.pk).update(must_change_password=True)
    assert client.get(HOME).url == reverse("accounts:password")
    assert client.get("/hazards/").url == reverse("accounts:password")
    assert client.get(reverse("accounts:password")).status_code == 200
    data = {"current_password": PASSWORD, "new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2026"}
    assert client.post(reverse("accounts:password"), data).status_code == 302
    assert client.get(HOME).status_code == 200


def sign_in(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_thirty_idle_minutes_end_a_session(city_user):
    client = Client()
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        sign_in(client, city_user)
    with time_machine.travel("2026-11-30 09:31 +0800", tick=False):
        assert client.get(HOME).status_code == 302


@override_settings(SAFELOOP_SESSION_SECONDS=3600)
def test_use_keeps_a_session_alive_until_the_absolute_limit(city_user):
    client = Client()
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        sign_in(client, city_user)
    for minute in ("09:20", "09:40", "09:59"):
        with time_machine.travel(f"2026-11-30 {minute} +0800", tick=False):
            assert client.get(HOME).status_code == 200, minute
    with time_machine.travel("2026-11-30 10:01 +0800", tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_seed_demo_refuses_to_run_in_production(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo")
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


def test_a_weak_password_is_refused_by_the_validator_with_a_chinese_message():
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefghijk", User(username="x"))
    assert "大写字母、小写字母、数字、符号中的至少3类" in " ".join(exc.value.messages)


@pytest.fixture
def principal_user(ziyang_enterprise):
    return make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, position="principal")


def test_signed_in_helper_is_a_real_session(city_user):
    assert signed_in(Client(), city_user).get(HOME).status_code == 200
