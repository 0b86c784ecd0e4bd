"""The fields of the enterprise accounts pages, named once (core.fields): the pages' forms and
the services' reader both come from these."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Position, SigningDelegation, User
from safeloop.core.fields import FieldSpec, Kind, model_spec

# Positions the principal gives; 主要负责人 changes hands only by a handover (services).
GIVEN_POSITIONS = tuple((str(value), str(label)) for value, label in Position.choices if value != Position.PRINCIPAL)
PASSWORD_LENGTH = 128
PASSWORD = FieldSpec(name="password", label="", kind=Kind.PASSWORD, required=True, max_length=PASSWORD_LENGTH)

USERNAME = model_spec(User, "username", help=_("登录用，字母、数字或 . @ + - _，最多150个字符"))
DISPLAY_NAME = model_spec(User, "display_name", required=True)
PHONE = model_spec(User, "phone", kind=Kind.PHONE)
POSITION = model_spec(User, "position", required=True, choices=GIVEN_POSITIONS)
INITIAL_PASSWORD = PASSWORD.but(
    label=_("初始密码"), required=False, help=_("不填则由系统生成；新账号首次登录时须修改密码")
)
ACCOUNT_FIELDS = (USERNAME, DISPLAY_NAME, PHONE, POSITION)
NEW_ACCOUNT_FIELDS = (*ACCOUNT_FIELDS, INITIAL_PASSWORD)

DELEGATE = FieldSpec(
    name="delegate",
    label=_("被授权人"),
    kind=Kind.REF,
    required=True,
    help=_("被授权人以本人姓名和岗位签字，不代签主要负责人姓名"),
)
VALID_UNTIL = model_spec(SigningDelegation, "valid_until")
DELEGATION_FIELDS = (DELEGATE, VALID_UNTIL)

SUCCESSOR = FieldSpec(name="successor", label=_("新任主要负责人"), kind=Kind.REF, required=True)
OWN_POSITION = POSITION.but(name="own_position", label=_("您移交后的岗位"), help="")
CONFIRM_PASSWORD = PASSWORD.but(label=_("您的登录密码"), help=_("移交主要负责人是正式变更，须输入您的密码确认"))
HANDOVER_FIELDS = (SUCCESSOR, OWN_POSITION, CONFIRM_PASSWORD)

CURRENT_PASSWORD = PASSWORD.but(name="current_password", label=_("当前密码"))


def _password_help() -> str:
    words = gettext("至少%(n)d位，含大写字母、小写字母、数字、符号中的至少三类，不能与用户名、姓名相近")
    return words % {"n": settings.SAFELOOP_PASSWORD_MIN_LENGTH}


NEW_PASSWORD = PASSWORD.but(name="new_password", label=_("新密码"), help=lazy(_password_help, str)())
NEW_PASSWORD_AGAIN = PASSWORD.but(name="new_password_again", label=_("再次输入新密码"))
