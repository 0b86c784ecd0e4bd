"""A change of what a user's access rests on ends their sessions and tokens, on every path that
makes it: the password (own page, a principal's reset, the admin), role, region, department,
enterprise and the active flag (the admin, a principal's disable). Tokens record their last use
(at most once a minute) and expired ones are purged daily (issue 9 item 5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import ApiToken, Position, Role, User
from safeloop.registry.models import Department
from tests.conftest import PASSWORD, make_user, signed_in
from tests.core.test_admin_audit import posted_values

ENTERPRISES = "/api/v1/enterprises"


def api_token(user: User) -> str:
    response = Client().post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def still_in(session: Client, raw: str) -> tuple[bool, bool]:
    """(the session still signed in, the token still accepted)."""
    page = session.get(reverse("workbench:home"))
    api = Client().get(ENTERPRISES, headers=bearer(raw))
    return page.status_code == 200, api.status_code == 200


@pytest.fixture
def admin(sysadmin_user):
    return signed_in(Client(), sysadmin_user)


@pytest.fixture
def official(reference):
    return make_user(Role.COUNTY, region_id="430902")


def change_in_admin(admin: Client, user: User, **values) -> None:
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = posted_values(admin.get(url)) | values
    response = admin.post(url, {**data, "_save": "保存"})
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "values",
    [
        {"role": Role.CITY, "region": "430900"},
        {"region": "430903"},
        {"is_active": ""},
    ],
    ids=["role", "region", "active"],
)
def test_an_admin_change_of_access_ends_the_users_sessions_and_tokens(admin, official, values):
    session, raw = signed_in(Client(), official), api_token(official)
    assert still_in(session, raw) == (True, True)
    change_in_admin(admin, official, **values)
    assert still_in(session, raw) == (False, False)
    assert ApiToken.objects.get(user=official).revoked_at is not None


def test_an_admin_change_of_department_ends_the_sessions_and_tokens(admin, transport_user):
    session, raw = signed_in(Client(), transport_user), api_token(transport_user)
    housing = Department.objects.get(region_id="430900", kind="housing")
    change_in_admin(admin, transport_user, department=str(housing.pk))
    assert still_in(session, raw) == (False, False)


def test_an_admin_change_of_a_name_or_phone_leaves_them_alone(admin, official):
    session, raw = signed_in(Client(), official), api_token(official)
    change_in_admin(admin, official, display_name="新名字", phone="13800000000")
    assert still_in(session, raw) == (True, True)


def test_a_password_set_in_the_admin_ends_sessions_and_tokens_and_must_be_replaced(admin, official):
    session, raw = signed_in(Client(), official), api_token(official)
    data = {"usable_password": "true", "password1": "Nw8$pz-2026x", "password2": "Nw8$pz-2026x", "set-password": "1"}
    assert admin.post(reverse("admin:auth_user_password_change", args=[official.pk]), data).status_code == 302
    assert still_in(session, raw) == (False, False)
    official.refresh_from_db()
    assert official.must_change_password
    signing_in = Client().post(reverse("accounts:login"), {"username": official.username, "password": "Nw8$pz-2026x"})
    assert signing_in.url == reverse("accounts:password_first")


def test_an_account_added_in_the_admin_must_replace_its_initial_password(admin, reference):
    data = {"username": "new_official", "password1": "Nw8$pz-2026x", "password2": "Nw8$pz-2026x"}
    data |= {"usable_password": "true", "_save": "保存"}
    assert admin.post(reverse("admin:accounts_user_add"), data).status_code == 302
    assert User.objects.get(username="new_official").must_change_password


def test_an_administrator_changing_their_own_access_stays_signed_in_on_that_page(admin, sysadmin_user):
    other_session = signed_in(Client(), sysadmin_user)
    change_in_admin(admin, sysadmin_user, region="430900")
    assert admin.get(reverse("workbench:home")).status_code == 200
    assert other_session.get(reverse("workbench:home")).status_code == 302


def test_ones_own_new_password_ends_the_other_sessions_and_tokens_but_not_this_one(official):
    here, elsewhere, raw = signed_in(Client(), official), signed_in(Client(), official), api_token(official)
    data = {"current_password": PASSWORD, "new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2026"}
    assert here.post(reverse("accounts:password"), data).status_code == 302
    assert here.get(reverse("workbench:home")).status_code == 200
    assert still_in(elsewhere, raw) == (False, False)


def test_a_principal_disabling_or_resetting_an_account_ends_its_sessions_and_tokens(ziyang_enterprise):
    principal = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, position=Position.PRINCIPAL)
    for action in ("enterprise_account_disable", "enterprise_account_password"):
        member = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise)
        session, raw = signed_in(Client(), member), api_token(member)
        signed_in(Client(), principal).post(reverse(f"accounts:{action}", args=[member.pk]))
        assert still_in(session, raw) == (False, False), action


def test_a_tokens_last_use_is_recorded_at_most_once_a_minute(official):
    with time_machine.travel("2026-11-30 09:00:00 +0800", tick=False):
        raw = api_token(official)
        assert ApiToken.objects.get().last_used_at is None
        Client().get(ENTERPRISES, headers=bearer(raw))
    first = ApiToken.objects.get().last_used_at
    assert first == datetime.fromisoformat("2026-11-30T09:00:00+08:00")
    with time_machine.travel("2026-11-30 09:00:40 +0800", tick=False):
        Client().get(ENTERPRISES, headers=bearer(raw))
    assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel("2026-11-30 09:01:05 +0800", tick=False):
        Client().get(ENTERPRISES, headers=bearer(raw))
    assert ApiToken.objects.get().last_used_at == first + timedelta(seconds=65)


def test_expired_tokens_are_purged_by_a_daily_job_and_live_ones_kept(official):
    from safeloop.accounts.access import purge_expired_tokens
    from safeloop.core.schedule import daily_tasks

    with time_machine.travel("2026-11-29 08:00 +0800", tick=False):
        api_token(official)
    api_token(official)
    assert purge_expired_tokens in daily_tasks()
    assert purge_expired_tokens.call() == 1
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().expires_at > timezone.now()
