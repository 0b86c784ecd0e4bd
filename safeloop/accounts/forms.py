"""The login form (Django's, with the lockout rule), and the enterprise accounts pages' forms:
their fields (accounts.fields) with their drop-down options. The forms hold no rules; the
services validate and `FormState` shows their refusal beside each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from safeloop.accounts.fields import (
    CURRENT_PASSWORD,
    DELEGATION_FIELDS,
    DISPLAY_NAME,
    HANDOVER_FIELDS,
    NEW_ACCOUNT_FIELDS,
    NEW_PASSWORD,
    NEW_PASSWORD_AGAIN,
    PHONE,
    POSITION,
)
from safeloop.accounts.models import Position, Role, User
from safeloop.accounts.selectors import enterprise_members
from safeloop.accounts.services import login_authenticate
from safeloop.core.errors import ServiceError, Throttled
from safeloop.core.forms import FormState


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, with the lockout rule the API uses too; a lock or a delay is kept
    as `refusal` for the view's 429 page."""

    refusal: Throttled | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = login_authenticate(request=self.request, username=username, password=password)
            except ServiceError as exc:
                if isinstance(exc, Throttled):
                    self.refusal = exc
                raise forms.ValidationError(exc.message, code=exc.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def new_account_form(post: Any = None) -> FormState:
    blank = User(role=Role.ENTERPRISE, position=Position.EMPLOYEE)
    return FormState.of_page(NEW_ACCOUNT_FIELDS, post, blank)


def account_form(actor: User, member: User, post: Any = None) -> FormState:
    """Name, phone and position; the principal's own position is not a field (a handover changes it)."""
    specs = (DISPLAY_NAME, PHONE) if member.pk == actor.pk else (DISPLAY_NAME, PHONE, POSITION)
    return FormState.of_page(specs, post, member)


def delegation_form(post: Any = None, *, members: list[User], actor: User) -> FormState:
    """The naming of the signing delegate; `members`: the enterprise's accounts the page lists."""
    return FormState.of_page(DELEGATION_FIELDS, post, {}, options={"delegate": colleague_choices(actor, members)})


def handover_form(actor: User, post: Any = None) -> FormState:
    return FormState.of_page(HANDOVER_FIELDS, post, {}, options={"successor": colleague_choices(actor)})


def password_form(post: Any = None, *, first: bool = False) -> FormState:
    specs = (NEW_PASSWORD, NEW_PASSWORD_AGAIN) if first else (CURRENT_PASSWORD, NEW_PASSWORD, NEW_PASSWORD_AGAIN)
    return FormState.of_page(specs, post, {})


def colleague_choices(actor: User, members: list[User] | None = None) -> list[tuple[str, str]]:
    """The other active accounts of the actor's enterprise, as "name（position）"."""
    members = list(enterprise_members(actor)) if members is None else members
    return [(str(u.pk), f"{u}（{u.get_position_display()}）") for u in members if u.is_active and u.pk != actor.pk]
