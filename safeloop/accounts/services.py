"""Reading notifications; one's own password; an enterprise principal's management of the
enterprise's own accounts and of the signing delegate. Sign-in protection is `accounts.login`,
tokens and the end of sessions on a change of access `accounts.access`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

# Sign-in and tokens live in accounts.login and accounts.access; their names stay importable here.
from safeloop.accounts.access import (  # noqa: F401
    access_changed,
    service_token_issue,
    token_issue,
    token_revoke,
    token_user,
    tokens_revoke_all,
)
from safeloop.accounts.fields import (
    ACCOUNT_FIELDS,
    CONFIRM_PASSWORD,
    CURRENT_PASSWORD,
    DELEGATE,
    DISPLAY_NAME,
    INITIAL_PASSWORD,
    NEW_PASSWORD,
    NEW_PASSWORD_AGAIN,
    OWN_POSITION,
    PHONE,
    POSITION,
    SUCCESSOR,
    VALID_UNTIL,
)
from safeloop.accounts.login import (
    login_authenticate,  # noqa: F401
    password_confirmed,
)
from safeloop.accounts.models import (
    Notification,
    Position,
    Role,
    SigningDelegation,
    User,
)
from safeloop.accounts.passwords import check_password_rules, generated_password
from safeloop.accounts.permissions import can_manage_enterprise_accounts
from safeloop.accounts.selectors import enterprise_members, open_delegation_q
from safeloop.core.audit import audit_record
from safeloop.core.errors import Conflict, Forbidden, NotFound, Throttled
from safeloop.core.fields import FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.services import model_update, shown


def user_create(*, username: str, password: str, role: str, display_name: str = "", **scope) -> User:
    """Create a user with a role and its scope anchor (region, department, enterprise)."""
    if role == Role.ENTERPRISE:
        scope.setdefault("position", Position.EMPLOYEE)
    user = User(username=username, role=role, display_name=display_name, **scope)
    user.is_staff = user.is_superuser = role == "sysadmin"
    user.set_password(password)
    user.save()
    return user


def notification_open(*, user: User, pk: int) -> Notification:
    """Mark one of the user's own notifications read (opening it does); another user's is missing."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# ---------------------------------------------------------------- one's own password


def password_change(*, user: User, data: Mapping[str, Any], first: bool = False, address: str | None = None) -> User:
    """Set one's own new password. At first sign-in (`first`) the current one is not asked
    again: the user has just signed in with the initial password somebody handed over. The
    current password is checked under the sign-in rule (from `address`): a borrowed session
    cannot guess it."""
    inp = Inputs(data)
    if not first:
        _confirm_password(inp, CURRENT_PASSWORD, user, address, wrong=gettext("当前密码不正确"))
    new, again = inp.read(NEW_PASSWORD), inp.read(NEW_PASSWORD_AGAIN)
    if new and again and new != again:
        inp.error(NEW_PASSWORD_AGAIN.name, gettext("两次输入的新密码不一致"))
    if new and user.check_password(new):
        inp.error(NEW_PASSWORD.name, gettext("新密码不能与原密码相同"))
    check_password_rules(inp, NEW_PASSWORD.name, new, user)
    inp.check()
    with transaction.atomic():
        user.set_password(new)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        access_changed(user=user, fields=["password"])
        audit_record(actor=user, action="user.password", target=user, changes={"password": ["", gettext("已修改")]})
        _password_changed(
            actor=user, account=user, change=gettext("首次登录修改初始密码") if first else gettext("本人修改")
        )
    return user


# ---------------------------------------------------------------- an enterprise's own accounts (主要负责人)


def enterprise_user_add(*, actor: User, data: Mapping[str, Any]) -> tuple[User, str]:
    """A new account of the principal's own enterprise, and the initial password to hand over
    (typed by the principal, or generated), which the account must change at first sign-in."""
    _require_principal(actor)
    inp = Inputs(data)
    values = inp.read_values(ACCOUNT_FIELDS)
    typed = inp.read(INITIAL_PASSWORD)
    user = User(role=Role.ENTERPRISE, enterprise_id=actor.enterprise_id, must_change_password=True, **values)
    if user.username and not re.match(UnicodeUsernameValidator.regex, user.username):
        inp.error("username", gettext("用户名只能包含字母、数字和 . @ + - _"))
    check_password_rules(inp, INITIAL_PASSWORD.name, typed, user)
    if inp.errors and user.username and _username_taken_by_another(user.username):
        inp.error("username", _username_taken(user.username).message)  # all the messages at once
    inp.check()
    password = typed or generated_password()
    user.set_password(password)
    try:
        with transaction.atomic():
            _ensure_username_free(user.username)
            user.save()
            changes = {name: ["", shown(value)] for name, value in values.items()}
            audit_record(actor=actor, action="enterprise_user.add", target=user, changes=changes)
            _role_changed(actor=actor, account=user, change=gettext("新建账号"), fields=sorted(values))
    except IntegrityError:  # the same name registered at the same moment
        raise _username_taken(user.username) from None
    return user, password


def _ensure_username_free(username: str) -> None:
    if _username_taken_by_another(username):
        raise _username_taken(username)


def _username_taken_by_another(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def _username_taken(username: str) -> Conflict:
    message = gettext("用户名“%(name)s”已被使用，请换一个") % {"name": username}
    return Conflict(message, fields={"username": message}, code="duplicate")


def enterprise_user_update(*, actor: User, user_id: int, data: Mapping[str, Any]) -> User:
    """Another account's name, phone and position; the principal's own position changes only
    by a handover."""
    _require_principal(actor)
    with transaction.atomic():
        member = _member(actor, user_id)
        specs = (DISPLAY_NAME, PHONE) if member.pk == actor.pk else (DISPLAY_NAME, PHONE, POSITION)
        inp = Inputs(data)
        values = inp.read_values(specs, partial=True)
        inp.check()
        changes = model_update(instance=member, data=values, actor=actor, action="enterprise_user.update")
        if "position" in changes:
            _role_changed(actor=actor, account=member, change=gettext("岗位变更"), fields=["position"])
    return member


def enterprise_user_disable(*, actor: User, user_id: int) -> User:
    """The account can no longer sign in (pages or API); its tokens and any signing delegation end."""
    _require_principal(actor)
    with transaction.atomic():
        member = _other_member(actor, user_id)
        if not member.is_active:
            raise Conflict(gettext("该账号已停用"), code="wrong_state")
        changes = model_update(
            instance=member, data={"is_active": False}, actor=actor, action="enterprise_user.disable"
        )
        access_changed(user=member, fields=changes)
        _role_changed(actor=actor, account=member, change=gettext("停用账号"), fields=["is_active"])
        _revoke_open(SigningDelegation.objects.filter(delegate=member), actor=actor)
    return member


def enterprise_user_enable(*, actor: User, user_id: int) -> User:
    _require_principal(actor)
    with transaction.atomic():
        member = _other_member(actor, user_id)
        if member.is_active:
            raise Conflict(gettext("该账号已是启用状态"), code="wrong_state")
        changes = model_update(instance=member, data={"is_active": True}, actor=actor, action="enterprise_user.enable")
        access_changed(user=member, fields=changes)
        _role_changed(actor=actor, account=member, change=gettext("启用账号"), fields=["is_active"])
    return member


def enterprise_user_reset_password(*, actor: User, user_id: int) -> tuple[User, str]:
    """A new generated initial password for another account (shown once to the principal); the
    account must change it at its next sign-in, and its sessions and tokens end now."""
    _require_principal(actor)
    password = generated_password()
    with transaction.atomic():
        member = _other_member(actor, user_id)
        member.set_password(password)
        member.must_change_password = True
        member.save(update_fields=["password", "must_change_password"])
        access_changed(user=member, fields=["password"])
        changes = {"password": ["", gettext("已重置")]}
        audit_record(actor=actor, action="enterprise_user.reset_password", target=member, changes=changes)
        _password_changed(actor=actor, account=member, change=gettext("主要负责人重置"))
    return member, password


def enterprise_principal_handover(*, actor: User, data: Mapping[str, Any], address: str | None = None) -> User:
    """Hand the principal's position to another active account of the enterprise: a deliberate
    act, confirmed with the principal's own password and audited; the outgoing principal takes
    the position chosen, and the signing delegations end with the principal who named them."""
    enterprise_id = _require_principal(actor)
    inp = Inputs(data)
    others = enterprise_members(actor).filter(is_active=True).exclude(pk=actor.pk)
    successor = inp.record(SUCCESSOR, others, missing=gettext("请选择本企业的另一个已启用账号"))
    own = inp.read(OWN_POSITION)
    _confirm_own_password(inp, actor, address)
    inp.check()
    assert successor is not None  # inp.check() raised otherwise
    with transaction.atomic():
        outgoing, incoming = _member(actor, actor.pk), _member(actor, successor.pk)
        if outgoing.position != Position.PRINCIPAL:
            raise Conflict(gettext("您已不是本企业的主要负责人"), code="wrong_state")
        # Demoted first: the database holds one principal per enterprise at every moment.
        for member, position in ((outgoing, own), (incoming, Position.PRINCIPAL)):
            model_update(
                instance=member, data={"position": position}, actor=actor, action="enterprise_user.principal_handover"
            )
            _role_changed(actor=actor, account=member, change=gettext("移交主要负责人"), fields=["position"])
        _revoke_open(SigningDelegation.objects.filter(enterprise_id=enterprise_id), actor=actor)
    return incoming


def _confirm_own_password(inp: Inputs, actor: User, address: str | None) -> None:
    _confirm_password(inp, CONFIRM_PASSWORD, actor, address, wrong=gettext("密码不正确"))


def _confirm_password(inp: Inputs, spec: FieldSpec, user: User, address: str | None, *, wrong: str) -> None:
    """A wrong password typed to confirm an act counts towards the sign-in protection, so it
    cannot be guessed at."""
    password = inp.read(spec)
    if not password:
        return
    try:
        confirmed = password_confirmed(user=user, password=password, address=address)
    except Throttled as exc:
        inp.error(spec.name, exc.message)
        return
    if not confirmed:
        inp.error(spec.name, wrong)


def signing_delegation_name(*, actor: User, data: Mapping[str, Any]) -> SigningDelegation:
    """Name, on record, the account that may give the enterprise's signature in its own name
    (until a date, or until revoked). One delegate at a time: the current one is revoked first."""
    enterprise_id = _require_principal(actor)
    inp = Inputs(data)
    others = enterprise_members(actor).filter(is_active=True).exclude(pk=actor.pk)
    delegate = inp.record(DELEGATE, others, missing=gettext("请选择本企业的另一个已启用账号"))
    until = inp.read(VALID_UNTIL)
    if until and until < timezone.localdate():
        inp.error(VALID_UNTIL.name, gettext("有效期不能早于今天"))
    inp.check()
    with transaction.atomic():
        _member(actor, actor.pk)  # the principal's row, locked: one naming at a time
        current = SigningDelegation.objects.filter(open_delegation_q(), enterprise_id=enterprise_id).first()
        if current is not None:
            message = gettext("已授权 %(name)s 签字；如需改授他人，请先撤销该授权") % {"name": current.delegate}
            raise Conflict(message, fields={DELEGATE.name: message}, code="duplicate")
        delegation = SigningDelegation.objects.create(
            enterprise_id=enterprise_id,
            principal=actor,
            delegate=cast(User, delegate),  # inp.check() raised when none was named
            named_at=timezone.now(),
            valid_until=until,
        )
        changes = {"delegate": ["", shown(delegate)], "valid_until": ["", shown(until)]}
        audit_record(actor=actor, action="signing_delegation.name", target=delegation, changes=changes)
    return delegation


def signing_delegation_revoke(*, actor: User, delegation_id: int) -> SigningDelegation:
    enterprise_id = _require_principal(actor)
    with transaction.atomic():
        own = SigningDelegation.objects.filter(pk=delegation_id, enterprise_id=enterprise_id)
        delegation = own.select_for_update().first()
        if delegation is None:
            raise NotFound()
        if not _revoke_open(own, actor=actor):
            raise Conflict(gettext("该授权已撤销或已过期"), code="wrong_state")
        delegation.refresh_from_db()
    return delegation


def _revoke_open(delegations: QuerySet[SigningDelegation], *, actor: User) -> int:
    now = timezone.now()
    ending = list(delegations.filter(open_delegation_q()).select_for_update())
    for delegation in ending:
        delegation.revoked_at, delegation.revoked_by = now, actor
        delegation.save(update_fields=["revoked_at", "revoked_by"])
        changes = {"revoked_at": ["", shown(now)], "revoked_by": ["", shown(actor)]}
        audit_record(actor=actor, action="signing_delegation.revoke", target=delegation, changes=changes)
    return len(ending)


def _require_principal(actor: User) -> int:
    """The principal's enterprise (its id); anyone else is refused."""
    if not can_manage_enterprise_accounts(actor) or actor.enterprise_id is None:
        raise Forbidden(gettext("只有本企业的主要负责人可以管理本企业账号"))
    return actor.enterprise_id


def _member(actor: User, user_id: Any) -> User:
    """An account of the actor's own enterprise, locked; another enterprise's is missing (404)."""
    found = enterprise_members(actor).order_by().select_for_update().filter(pk=user_id).first()
    if found is None:
        raise NotFound()
    return found


def _other_member(actor: User, user_id: Any) -> User:
    member = _member(actor, user_id)
    if member.pk == actor.pk:
        message = gettext("主要负责人不能停用或重置自己的账号；交接请使用“移交主要负责人”")
        raise Forbidden(message)
    return member


# ---------------------------------------------------------------- the security log of account changes


def _password_changed(*, actor: User, account: User, change: str) -> None:
    detail = {"account": account.username, "change": change}
    record(SecurityKind.PASSWORD_CHANGE, user=actor, result=SecurityResult.SUCCESS, detail=detail)


def _role_changed(*, actor: User, account: User, change: str, fields: list[str]) -> None:
    labels = [str(getattr(User._meta.get_field(name), "verbose_name", name)) for name in fields]
    detail = {"account": account.username, "change": change, "fields": labels}
    record(SecurityKind.ROLE_CHANGE, user=actor, result=SecurityResult.SUCCESS, detail=detail)
