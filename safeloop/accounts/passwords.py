"""The password rules (等保 level 3: at least 10 characters of at least three classes, plus
Django's common-password, all-digits and like-the-user-name rules), in Chinese, and the
generated initial passwords, which obey them."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeloop.core.inputs import Inputs

CLASSES = (
    (_("大写字母"), frozenset(string.ascii_uppercase)),
    (_("小写字母"), frozenset(string.ascii_lowercase)),
    (_("数字"), frozenset(string.digits)),
)


def character_classes(password: str) -> int:
    """Upper-case, lower-case, digits, and anything else (symbols, Chinese characters)."""
    found = {name for name, chars in CLASSES if any(c in chars for c in password)}
    other = any(not any(c in chars for _name, chars in CLASSES) for c in password)
    return len(found) + other


class CharacterClassesValidator:
    """A Django password validator: at least `min_classes` of upper-case letters, lower-case
    letters, digits and symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self._words(), code="password_too_few_classes")

    def get_help_text(self) -> str:
        return self._words()

    def _words(self) -> str:
        return gettext("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类") % {"n": self.min_classes}


# Django's password rules in our words (its Chinese catalogue lacks some of them, e.g. the length).
PASSWORD_RULES = {
    "password_too_short": _("密码太短，至少需要%(min_length)d个字符"),
    "password_too_common": _("密码太常见，容易被猜到"),
    "password_entirely_numeric": _("密码不能全是数字"),
    "password_too_similar": _("密码与%(verbose_name)s太相近"),
}


def check_password_rules(inp: Inputs, name: str, password: str, user: Any) -> None:
    """The configured password rules (AUTH_PASSWORD_VALIDATORS), each refusal in Chinese."""
    if not password or name in inp.errors:
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        inp.error(name, "；".join(_password_rule(error) for error in exc.error_list))


def _password_rule(error: ValidationError) -> str:
    words = PASSWORD_RULES.get(error.code or "")
    if words is None:
        return str(error.messages[0]).rstrip("。.")
    return str(words) % (error.params or {})


# Easy to read out and type from a note: no 0/O, 1/l/I. 12 of 56 symbols: about 70 bits.
GENERATED_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def generated_password() -> str:
    """Three groups of four joined by hyphens; drawn again in the rare case it lacks a class."""
    while True:
        chars = [secrets.choice(GENERATED_ALPHABET) for _ in range(12)]
        password = "-".join("".join(chars[i : i + 4]) for i in range(0, 12, 4))
        if character_classes(password) == 4:
            return password
