"""An enterprise's principal (主要负责人) manages the enterprise's own accounts: adds them (an
initial password shown once, replaced at first sign-in), sets their positions, disables and
re-enables them, names the signing delegate and hands the principal's position over — always
for their own enterprise only, never making a second principal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import ApiToken, Position, Role, SigningDelegation, User
from safeloop.accounts.services import (
    enterprise_principal_handover,
    enterprise_user_add,
    enterprise_user_disable,
    enterprise_user_enable,
    enterprise_user_reset_password,
    enterprise_user_update,
    signing_delegation_name,
    signing_delegation_revoke,
    token_issue,
)
from safeloop.core.errors import Conflict, Forbidden, ValidationFailed
from safeloop.core.models import AuditEntry
from tests.browser.ui_checks import bad_text
from tests.conftest import PASSWORD, in_a_year, make_user
from tests.core.test_error_pages import visible_text
from tests.test_outsiders import ENTERPRISE_ACCOUNT_ROUTES

NEW = {"username": "wang_dg", "display_name": "王电工", "phone": "13800001111", "position": "employee"}


@pytest.fixture
def principal(ziyang_enterprise):
    return make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="张厂长", position=Position.PRINCIPAL)


@pytest.fixture
def colleague(ziyang_enterprise):
    return make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="李安全")


@pytest.fixture
def other_principal(heshan_enterprise):
    return make_user(
        Role.ENTERPRISE, enterprise=heshan_enterprise, display_name="赫山厂长", position=Position.PRINCIPAL
    )


def principals_of(enterprise) -> list[str]:
    return list(
        User.objects.filter(enterprise=enterprise, position=Position.PRINCIPAL).values_list("username", flat=True)
    )


# ---------------------------------------------------------------- adding accounts


def test_the_principal_adds_an_account_whose_generated_password_is_shown_once(principal, ziyang_enterprise):
    user, password = enterprise_user_add(actor=principal, data=NEW)
    assert (user.enterprise, user.role, user.position) == (ziyang_enterprise, Role.ENTERPRISE, Position.EMPLOYEE)
    assert user.must_change_password and user.check_password(password) and len(password) == 14
    entry = AuditEntry.objects.get(action="enterprise_user.add", target_id=str(user.pk))
    assert entry.actor == principal and password not in str(entry.changes)


def test_a_typed_initial_password_must_pass_the_password_rules(principal):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_user_add(actor=principal, data=NEW | {"password": "12345678"})
    assert set(exc.value.fields) == {"password"}
    assert not User.objects.filter(username="wang_dg").exists()
    with pytest.raises(ValidationFailed) as exc:
        enterprise_user_add(actor=principal, data=NEW | {"password": "123"})
    message = exc.value.fields["password"]
    assert message == (
        "密码太短，至少需要10个字符；密码须包含大写字母、小写字母、数字、符号中的至少3类；"
        "密码太常见，容易被猜到；密码不能全是数字"
    )
    user, password = enterprise_user_add(actor=principal, data=NEW | {"password": "Anda-2026-wg"})
    assert password == "Anda-2026-wg" and user.check_password("Anda-2026-wg")


def test_a_taken_user_name_is_refused_beside_its_field(principal, colleague):
    with pytest.raises(Conflict) as exc:
        enterprise_user_add(actor=principal, data=NEW | {"username": colleague.username.upper()})
    assert exc.value.code == "duplicate" and "已被使用" in exc.value.fields["username"]


def test_no_second_principal_is_made_by_adding_or_editing(principal, colleague, ziyang_enterprise):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_user_add(actor=principal, data=NEW | {"position": "principal"})
    assert set(exc.value.fields) == {"position"}
    with pytest.raises(ValidationFailed):
        enterprise_user_update(actor=principal, user_id=colleague.pk, data={"position": "主要负责人"})
    assert principals_of(ziyang_enterprise) == [principal.username]


def test_only_the_principal_manages_the_accounts(colleague, ziyang_user, login):
    with pytest.raises(Forbidden):
        enterprise_user_add(actor=colleague, data=NEW)
    for user in (colleague, ziyang_user):
        assert login(user).get(reverse("accounts:enterprise_accounts")).status_code == 403


# ---------------------------------------------------------------- never another enterprise's (404)


def other_enterprise_targets(other_principal, heshan_enterprise):
    member = make_user(Role.ENTERPRISE, enterprise=heshan_enterprise, display_name="赫山员工")
    delegation = signing_delegation_name(actor=other_principal, data={"delegate": member.pk})
    return member, delegation


OBJECT_ROUTES = {
    "accounts:enterprise_account": ("member", ("get", "post")),
    "accounts:enterprise_account_disable": ("member", ("post",)),
    "accounts:enterprise_account_enable": ("member", ("post",)),
    "accounts:enterprise_account_password": ("member", ("post",)),
    "accounts:delegation_revoke": ("delegation", ("post",)),
}
FORM_ROUTES = {  # the enterprise's own lists and forms: another enterprise's accounts never appear
    "accounts:enterprise_accounts": "get",
    "accounts:enterprise_account_new": "get",
    "accounts:principal_handover": "get",
    "accounts:delegation_name": "post",
}


def test_every_enterprise_account_route_is_checked_here():
    assert set(OBJECT_ROUTES) | set(FORM_ROUTES) == ENTERPRISE_ACCOUNT_ROUTES


def test_the_principal_cannot_reach_another_enterprises_accounts(login, principal, other_principal, heshan_enterprise):
    member, delegation = other_enterprise_targets(other_principal, heshan_enterprise)
    client = login(principal)
    ids = {"member": member.pk, "delegation": delegation.pk}
    for route, (kind, methods) in OBJECT_ROUTES.items():
        for method in methods:
            data = {"display_name": "被改", "position": "safety_manager"}
            assert getattr(client, method)(reverse(route, args=[ids[kind]]), data).status_code == 404, route
    member.refresh_from_db()
    delegation.refresh_from_db()
    assert (member.display_name, member.is_active, member.position) == ("赫山员工", True, Position.EMPLOYEE)
    assert member.check_password(PASSWORD) and delegation.revoked_at is None


def test_the_enterprise_pages_show_only_ones_own_accounts(login, principal, other_principal, heshan_enterprise):
    member, delegation = other_enterprise_targets(other_principal, heshan_enterprise)
    client = login(principal)
    for route, method in FORM_ROUTES.items():
        body = getattr(client, method)(reverse(route), {"delegate": member.pk}).content.decode()
        assert "赫山" not in body and member.username not in body, route
    assert not SigningDelegation.objects.filter(delegate=member).exclude(pk=delegation.pk).exists()


def test_the_accounts_list_has_a_bounded_query_count(login, principal, ziyang_enterprise, django_assert_num_queries):
    for i in range(8):
        make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name=f"员工{i}")
    delegate = User.objects.filter(enterprise=ziyang_enterprise, position=Position.EMPLOYEE).first()
    signing_delegation_name(actor=principal, data={"delegate": delegate.pk})
    client = login(principal)
    # session, user, members, current delegation, history, the enterprise's name in the page, the bell
    with django_assert_num_queries(7):
        response = client.get(reverse("accounts:enterprise_accounts"))
    assert response.content.decode().count("/accounts/enterprise/") >= 9


# ---------------------------------------------------------------- disabling and re-enabling


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_disabled_account_cannot_sign_in_and_a_re_enabled_one_can(client, principal, colleague):
    enterprise_user_disable(actor=principal, user_id=colleague.pk)
    refused = sign_in(client, colleague.username)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    token = client.post(
        "/api/v1/auth/token", {"username": colleague.username, "password": PASSWORD}, content_type="application/json"
    )
    assert token.status_code == 401
    enterprise_user_enable(actor=principal, user_id=colleague.pk)
    assert sign_in(client, colleague.username).status_code == 302 and "_auth_user_id" in client.session


def test_disabling_ends_the_sessions_tokens_and_delegation_of_the_account(client, principal, colleague):
    client.force_login(colleague)
    token_issue(user=colleague)
    delegation = signing_delegation_name(actor=principal, data={"delegate": colleague.pk})
    enterprise_user_disable(actor=principal, user_id=colleague.pk)
    assert client.get(reverse("workbench:home")).status_code == 302  # back to the login page
    assert not ApiToken.objects.filter(user=colleague, revoked_at__isnull=True).exists()
    delegation.refresh_from_db()
    assert delegation.revoked_by == principal
    with pytest.raises(Conflict):
        enterprise_user_disable(actor=principal, user_id=colleague.pk)


def test_the_principal_cannot_disable_or_reset_their_own_account(principal):
    for service in (enterprise_user_disable, enterprise_user_reset_password):
        with pytest.raises(Forbidden):
            service(actor=principal, user_id=principal.pk)
    principal.refresh_from_db()
    assert principal.is_active and principal.check_password(PASSWORD)


def test_the_disable_button_refusal_is_a_message_not_an_error_page(login, principal, colleague):
    enterprise_user_disable(actor=principal, user_id=colleague.pk)
    url = reverse("accounts:enterprise_account_disable", args=[colleague.pk])
    response = login(principal).post(url, follow=True)
    assert response.status_code == 200 and "该账号已停用" in response.content.decode()


# ---------------------------------------------------------------- positions, in words


def test_a_position_change_is_audited_and_shown_in_words(login, principal, colleague):
    enterprise_user_update(actor=principal, user_id=colleague.pk, data={"position": "安全管理员"})
    colleague.refresh_from_db()
    assert colleague.position == Position.SAFETY_MANAGER
    entry = AuditEntry.objects.get(action="enterprise_user.update", target_id=str(colleague.pk))
    assert entry.changes == {"position": ["employee", "safety_manager"]}
    body = login(principal).get(reverse("accounts:enterprise_account", args=[colleague.pk])).content.decode()
    assert "岗位：安全管理员" in body and "safety_manager" not in body.replace('value="safety_manager"', "")


def test_the_principals_own_page_has_no_position_field(login, principal):
    body = login(principal).get(reverse("accounts:enterprise_account", args=[principal.pk])).content.decode()
    assert 'name="position"' not in body and "移交主要负责人" in body


# ---------------------------------------------------------------- the page's form


def test_the_new_account_form_keeps_what_was_typed_and_says_each_message_beside_its_field(login, principal, colleague):
    typed = {"username": colleague.username, "display_name": "", "phone": "12", "position": "employee"}
    response = login(principal).post(reverse("accounts:enterprise_account_new"), typed | {"password": "abc"})
    form = response.context["form"]
    assert response.status_code == 200 and set(form.errors) == {"username", "display_name", "phone", "password"}
    body = response.content.decode()
    assert f'value="{colleague.username}"' in body and 'value="abc"' not in body  # a password is never sent back
    assert body.count(form.errors["phone"]) == 1


def test_the_created_page_shows_the_password_once_and_is_not_cached(login, principal):
    response = login(principal).post(reverse("accounts:enterprise_account_new"), NEW)
    password = response.context["password"]
    assert response["Cache-Control"] == "no-store" and password in response.content.decode()
    assert User.objects.get(username="wang_dg").check_password(password)


# ---------------------------------------------------------------- the initial password


def test_an_initial_password_signs_in_only_to_the_page_that_replaces_it(client, principal):
    user, initial = enterprise_user_add(actor=principal, data=NEW)
    response = sign_in(client, "wang_dg", initial)
    assert response.url == reverse("accounts:password_first")
    assert client.get(reverse("workbench:home")).status_code == 302  # not signed in yet
    page = reverse("accounts:password_first")
    same = client.post(page, {"new_password": initial, "new_password_again": initial})
    assert set(same.context["form"].errors) == {"new_password"}
    mismatch = client.post(page, {"new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2027"})
    assert set(mismatch.context["form"].errors) == {"new_password_again"}
    done = client.post(page, {"new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2026"})
    assert done.url == reverse("workbench:home") and client.get(done.url).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Xin-mima-2026")


def test_an_initial_password_gets_no_api_token(client, principal):
    user, initial = enterprise_user_add(actor=principal, data=NEW)
    response = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": initial}, content_type="application/json"
    )
    assert response.status_code == 403 and "新密码" in response.json()["error"]["message"]


def test_the_new_password_page_expires(client, principal):
    user, initial = enterprise_user_add(actor=principal, data=NEW)
    sign_in(client, user.username, initial)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.get(reverse("accounts:password_first"))
    assert response.url == reverse("accounts:login")


def test_a_reset_password_must_be_replaced_at_the_next_sign_in(client, principal, colleague):
    member, password = enterprise_user_reset_password(actor=principal, user_id=colleague.pk)
    assert member.must_change_password and not member.check_password(PASSWORD)
    assert sign_in(client, colleague.username, password).url == reverse("accounts:password_first")


def test_changing_ones_own_password_needs_the_current_one(login, colleague):
    client = login(colleague)
    page = reverse("accounts:password")
    wrong = client.post(
        page, {"current_password": "nope", "new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2026"}
    )
    assert set(wrong.context["form"].errors) == {"current_password"}
    done = client.post(
        page, {"current_password": PASSWORD, "new_password": "Xin-mima-2026", "new_password_again": "Xin-mima-2026"}
    )
    assert done.status_code == 302 and client.get(reverse("workbench:home")).status_code == 200
    colleague.refresh_from_db()
    assert colleague.check_password("Xin-mima-2026")


# ---------------------------------------------------------------- the signing delegate


def test_one_delegate_at_a_time_named_and_revoked_on_record(principal, colleague, ziyang_enterprise):
    third = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="第三人")
    delegation = signing_delegation_name(actor=principal, data={"delegate": colleague.pk, "valid_until": in_a_year()})
    assert (delegation.principal, delegation.delegate, str(delegation.valid_until)) == (
        principal,
        colleague,
        in_a_year(),
    )
    with pytest.raises(Conflict) as exc:
        signing_delegation_name(actor=principal, data={"delegate": third.pk})
    assert "请先撤销" in exc.value.fields["delegate"]
    signing_delegation_revoke(actor=principal, delegation_id=delegation.pk)
    with pytest.raises(Conflict):
        signing_delegation_revoke(actor=principal, delegation_id=delegation.pk)
    assert signing_delegation_name(actor=principal, data={"delegate": third.pk}).delegate == third
    actions = AuditEntry.objects.filter(target_type="accounts.signingdelegation").values_list("action", flat=True)
    assert sorted(actions) == ["signing_delegation.name", "signing_delegation.name", "signing_delegation.revoke"]


def test_a_delegation_cannot_end_in_the_past_nor_name_the_principal(principal, colleague):
    with pytest.raises(ValidationFailed) as exc:
        signing_delegation_name(actor=principal, data={"delegate": principal.pk, "valid_until": "2020-01-01"})
    assert set(exc.value.fields) == {"delegate", "valid_until"}


# ---------------------------------------------------------------- handing the principal's position over


def test_a_handover_is_confirmed_with_the_principals_password(principal, colleague, ziyang_enterprise):
    with pytest.raises(ValidationFailed) as exc:
        enterprise_principal_handover(
            actor=principal, data={"successor": colleague.pk, "own_position": "employee", "password": "wrong"}
        )
    assert set(exc.value.fields) == {"password"}
    assert principals_of(ziyang_enterprise) == [principal.username]


def test_a_handover_moves_the_position_ends_the_delegation_and_is_audited(
    login, principal, colleague, ziyang_enterprise
):
    delegation = signing_delegation_name(actor=principal, data={"delegate": colleague.pk})
    data = {"successor": colleague.pk, "own_position": "safety_manager", "password": PASSWORD}
    enterprise_principal_handover(actor=principal, data=data)
    assert principals_of(ziyang_enterprise) == [colleague.username]
    principal.refresh_from_db()
    delegation.refresh_from_db()
    assert principal.position == Position.SAFETY_MANAGER and delegation.revoked_at is not None
    handovers = AuditEntry.objects.filter(action="enterprise_user.principal_handover")
    assert {(e.target_id, e.changes["position"][1]) for e in handovers} == {
        (str(principal.pk), "safety_manager"),
        (str(colleague.pk), "principal"),
    }
    assert login(principal).get(reverse("accounts:enterprise_accounts")).status_code == 403
    assert login(colleague).get(reverse("accounts:enterprise_accounts")).status_code == 200


# ---------------------------------------------------------------- the system administrator's way


def test_the_administrator_sets_a_principal_only_after_the_old_one_is_changed(
    client, sysadmin_user, principal, colleague, ziyang_enterprise
):
    from tests.core.test_admin_audit import posted_values

    client.force_login(sysadmin_user)
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    data = posted_values(client.get(url)) | {"position": "principal", "_save": "保存"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "该企业已有主要负责人" in refused.content.decode()
    assert principals_of(ziyang_enterprise) == [principal.username]
    old = reverse("admin:accounts_user_change", args=[principal.pk])
    client.post(old, posted_values(client.get(old)) | {"position": "employee", "_save": "保存"})
    assert client.post(url, data).status_code == 302
    assert principals_of(ziyang_enterprise) == [colleague.username]
    assert AuditEntry.objects.filter(action="admin.change", target_id=str(colleague.pk)).exists()


# ---------------------------------------------------------------- what the pages say


def test_the_accounts_pages_show_no_english_or_developer_text(login, principal, colleague):
    member, password = enterprise_user_reset_password(actor=principal, user_id=colleague.pk)
    signing_delegation_name(actor=principal, data={"delegate": colleague.pk})
    enterprise_user_update(actor=principal, user_id=colleague.pk, data={"position": "safety_manager"})
    client = login(principal)
    pages = [
        client.get(reverse("accounts:enterprise_accounts")),
        client.get(reverse("accounts:enterprise_account", args=[colleague.pk])),
        client.get(reverse("accounts:enterprise_account_new")),
        client.post(reverse("accounts:enterprise_account_new"), {"username": "x y", "password": "1"}),
        client.get(reverse("accounts:principal_handover")),
        client.get(reverse("accounts:password")),
        client.post(reverse("accounts:enterprise_account_password", args=[colleague.pk])),
    ]
    for response in pages:
        text = visible_text(response.content.decode())
        for name in (principal.username, colleague.username, response.context.get("password") or "\0"):
            text = text.replace(name, "")  # login names and a password are the user's own data
        assert bad_text(text) == [], response.request["PATH_INFO"]
