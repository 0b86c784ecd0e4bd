"""The one reader of outside values (form posts, JSON, Excel cells, command arguments).

It turns raw values into typed ones and collects a Chinese message per bad field, naming the
field; nothing else in the code base parses outside input. Either by spec:

    inp = Inputs(data)
    values = inp.read_all(ACCIDENT_FIELDS)          # FieldSpecs, see core.fields
    inp.check()                                     # raises ValidationFailed naming every bad field

or field by field inside a service or a workflow action:

    reason = inp.text("reason", "理由", required=True)
    due = inp.date("deadline", "整改期限")
"""

from __future__ import annotations

import math
import re
from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeGuard, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import IntegerField, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from safeloop.core.datetext import parse_date, parse_moment
from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import FieldSpec, Kind, column_range
from safeloop.core.text import clean_text, name_key

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on", "是", "√", "✓", "同意", "有", "approve"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "off", "否", "×", "✗", "不同意", "无", "reject"})
M = TypeVar("M", bound=Model)
# 万元 and 亿元 are how officials write money; a plain number is in the field's own unit.
MONEY_FACTORS: dict[str, Decimal | None] = {
    "": None,
    "元": Decimal(1),
    "万": Decimal(10_000),
    "万元": Decimal(10_000),
    "亿": Decimal(10**8),
}
MONEY_FACTORS["亿元"] = MONEY_FACTORS["亿"]
# ASCII digits only (full-width ones are folded before): \d would take ٣ or ፩, which int() and the
# database do not, and no exponent (1e1000000 is a number Decimal takes and int() stalls on).
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$", re.ASCII)
_MONEY = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]+)?)(万元|亿元|万|亿|元)?$", re.ASCII)
_PHONE = re.compile(r"^[0-9\- ]+$", re.ASCII)
DEFAULT_DIGITS = 12  # digits before the point of an unbounded decimal (money: under 1 万亿)
UNBOUNDED = 10**9  # the largest integer a field without a maximum takes
# The longest number text read at all (sign, 30 digits, point, decimals); longer is refused unread.
MAX_NUMBER_CHARS = 40
# An id (a BigAutoField key) is a positive 64-bit integer.
MAX_ID = 2**63 - 1
# Beyond any bound of any field: a longer integer part is refused before it is converted.
HUGE_DIGITS = 30
HUGE_BITS = 100  # 2**100 > 10**30


def _plain_number(text: str) -> str:
    """Thousands separators and spaces dropped: 120,000 and 12 000 are 120000."""
    return text.replace(",", "").replace("，", "").replace(" ", "")


class Inputs:
    """`memo` (an import's dict, shared by its rows): each kind in `MEMO_KINDS` is read once per
    distinct value, then that value's result and message are reused (a ledger repeats its
    dates, levels and statuses thousands of times)."""

    def __init__(self, data: Mapping[str, Any] | None, memo: dict | None = None):
        self.data: Mapping[str, Any] = data or {}
        self.errors: dict[str, str] = {}
        self.memo = memo

    # ------------------------------------------------------------ errors

    def error(self, name: str, message: StrOrPromise) -> None:
        self.errors.setdefault(name, str(message))

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed.from_fields(self.errors)

    # ------------------------------------------------------------ by spec

    def read(self, spec: FieldSpec) -> Any:
        if self.memo is None or spec.kind not in MEMO_KINDS:
            return _READERS[spec.kind](self, spec)
        raw = self.data.get(spec.name)
        key = (spec.name, type(raw), raw)  # 1, 1.0 and True are different cells
        hit = self.memo.get(key)
        if hit is None:
            errors, self.errors = self.errors, {}
            hit = self.memo[key] = (_READERS[spec.kind](self, spec), self.errors)
            self.errors = errors
        for name, message in hit[1].items():
            self.errors.setdefault(name, message)
        return hit[0]

    def read_all(self, specs: Sequence[FieldSpec], *, partial: bool = False) -> dict[str, Any]:
        """Every spec's value; with `partial` (an update), only the fields that were sent."""
        return {spec.name: self.read(spec) for spec in specs if not partial or spec.name in self.data}

    def read_values(self, specs: Sequence[FieldSpec], *, partial: bool = False) -> dict[str, Any]:
        """What to store: `read_all`, less the empty values of fields an empty value does not
        clear (`null_clears`), so the model's default applies on create and an update keeps them."""
        values = self.read_all(specs, partial=partial)
        keep = {spec.name for spec in specs if spec.null_clears}
        return {name: value for name, value in values.items() if name in keep or value not in (None, "")}

    def record(self, spec: FieldSpec, queryset: QuerySet[M], *, missing: StrOrPromise = "") -> M | None:
        """A REF value as the row of `queryset` (the actor's scope) it names; `missing` says why
        there is none (by default: it does not exist or lies outside the user's scope)."""
        key = self.read(spec)
        if key is None:
            return None
        found = None
        if _key_fits(queryset.model, key):
            try:
                found = queryset.filter(pk=key).first()
            except (ValueError, DjangoValidationError):  # "abc" for a numeric key
                found = None
        if found is None:
            self.error(spec.name, missing or _("{label}不存在或不在您的管辖范围内").format(label=spec.label))
        return found

    # ------------------------------------------------------------ field by field

    def _raw(self, name: str, label: StrOrPromise, required: bool) -> str | None:
        value = self.data.get(name)
        text = "" if value is None else clean_text(value)
        if not text:
            if required:
                self.error(name, _("{label}为必填项").format(label=label))
            return None
        return text

    def text(self, name: str, label: StrOrPromise, *, required: bool = False, max_length: int = 2000) -> str:
        text = self._raw(name, label, required) or ""
        if len(text) > max_length:
            self.error(name, _("{label}不能超过{max_length}个字").format(label=label, max_length=max_length))
        return text

    def phone(self, name: str, label: StrOrPromise, *, required: bool = False) -> str:
        text = self.text(name, label, required=required, max_length=20)
        digits = text.replace("-", "").replace(" ", "")
        if text and not (_PHONE.match(text) and 7 <= len(digits) <= 13):
            self.error(name, _("{label}格式不正确（应为手机号或带区号的座机号）").format(label=label))
        return text

    def within_dates(self, name: str, label: StrOrPromise, day: date, years_ahead: int | None = None) -> date | None:
        """Every date read lies between EARLIEST_DATE and `years_ahead` years after today (by
        default `SAFELOOP_DATE_MAX_YEARS_AHEAD`, 3): a deadline of 9999-12-31 is refused here,
        once, instead of stopping every working-day count that meets it."""
        latest = latest_date(years_ahead)
        if day < EARLIEST_DATE:
            self.error(name, _("{label}不能早于{earliest}").format(label=label, earliest=f"{EARLIEST_DATE:%Y-%m-%d}"))
            return None
        if day > latest:
            years = _years(years_ahead)
            self.error(
                name,
                _("{label}不能晚于{latest}（最多为今后{years}年内）").format(
                    label=label, latest=f"{latest:%Y-%m-%d}", years=years
                ),
            )
            return None
        return day

    def date(
        self,
        name: str,
        label: StrOrPromise,
        *,
        required: bool = False,
        not_future: bool = False,
        years_ahead: int | None = None,
    ) -> date | None:
        """A date within the dates the platform counts with (`within_dates`)."""
        value = self.data.get(name)
        if isinstance(value, datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if not isinstance(value, date):
            text = self._raw(name, label, required)
            if text is None:
                return None
            value = parse_date(text)
            if value is None:
                self.error(name, _("{label}应为日期，格式如 2026-05-01").format(label=label))
                return None
        if not_future and value > timezone.localdate():
            self.error(name, _("{label}不能晚于今天").format(label=label))
        return self.within_dates(name, label, value, years_ahead)

    def moment(
        self,
        name: str,
        label: StrOrPromise,
        *,
        required: bool = False,
        not_future: bool = False,
        years_ahead: int | None = None,
    ) -> datetime | None:
        """A date and time, with or without an offset (without: Asia/Shanghai)."""
        value = self.data.get(name)
        if not isinstance(value, datetime):
            text = self._raw(name, label, required)
            if text is None:
                return None
            value = parse_moment(text)
            if value is None:
                self.error(name, _("{label}应为日期和时间，格式如 2026-05-01 08:30").format(label=label))
                return None
        if not_future and value.date() > timezone.localdate():  # the field's own rule is the one to say
            self.error(name, _("{label}不能晚于现在").format(label=label))
        if self.within_dates(name, label, value.date(), years_ahead) is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if not_future and value > timezone.now():
            self.error(name, _("{label}不能晚于现在").format(label=label))
        return value

    def decimal(
        self,
        name: str,
        label: StrOrPromise,
        *,
        required: bool = False,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
        places: int = 2,
        digits: int = DEFAULT_DIGITS,
    ) -> Decimal | None:
        """A finite number within its bounds, rounded to `places` decimals; without a maximum,
        under 10**digits (what the column holds)."""
        value = self._number(name, label, required, _("{label}应为数字"))
        if value is None:
            return None
        return self._bounded(name, label, value, minimum, maximum, places, digits)

    def money(
        self,
        name: str,
        label: StrOrPromise,
        *,
        unit: StrOrPromise = "元",
        required: bool = False,
        minimum: Decimal | int | None = 0,
        maximum: Decimal | int | None = None,
        places: int = 2,
        digits: int = DEFAULT_DIGITS,
    ) -> Decimal | None:
        """An amount in `unit`; "12万", "3.5万元", "120,000元" and "0.5亿" are read as written."""
        refusal = _("{label}应为金额，如 120000、12万 或 3.5万元（单位：{unit}）").format(label="{label}", unit=unit)
        raw = self.data.get(name)
        if _is_json_number(raw) or isinstance(raw, bool):  # a JSON number is in the field's own unit
            value = self._number(name, label, required, refusal)
        else:
            text = self._raw(name, label, required)
            if text is None:
                return None
            value = self._amount(_plain_number(text), unit)
            if value is None:
                self.error(name, refusal.format(label=label))
        if value is None:
            return None
        return self._bounded(name, label, value, minimum, maximum, places, digits, unit=unit)

    @staticmethod
    def _amount(text: str, unit: StrOrPromise) -> Decimal | None:
        """ "12万" in 元 is 120000; a plain number is in the field's own unit."""
        match = _MONEY.match(text)
        value = None if match is None else _decimal(match.group(1))
        if match is None or value is None:
            return None
        typed, own = MONEY_FACTORS[match.group(2) or ""], MONEY_FACTORS.get(str(unit))
        if typed is not None and own is not None:
            value = value * typed / own
        return value

    def _bounded(
        self, name, label, value: Decimal, minimum, maximum, places: int, digits: int, unit: StrOrPromise = ""
    ):
        both = minimum is not None and maximum is not None
        if both and not minimum <= value <= maximum:
            self.error(
                name, _("{label}应在{minimum}至{maximum}之间").format(label=label, minimum=minimum, maximum=maximum)
            )
            return None
        if minimum is not None and value < minimum:
            self.error(name, _("{label}不能小于{minimum}").format(label=label, minimum=minimum))
            return None
        if maximum is not None and value > maximum:
            self.error(name, _("{label}不能大于{maximum}").format(label=label, maximum=maximum))
            return None
        if abs(value) >= Decimal(10) ** digits:
            limit = f"{10**digits}{unit}"
            self.error(name, _("{label}数值过大，应小于{limit}").format(label=label, limit=limit))
            return None
        return value.quantize(Decimal(1).scaleb(-places))

    def integer(
        self, name: str, label: StrOrPromise, *, required: bool = False, minimum: int = 0, maximum: int = UNBOUNDED
    ) -> int | None:
        number = self._number(name, label, required, _("{label}应为整数"))
        if number is None:
            return None
        if number != number.to_integral_value():
            self.error(name, _("{label}应为整数").format(label=label))
            return None
        if not minimum <= number <= maximum:  # before int(): a huge value is refused, never converted
            self.error(name, _integer_range_message(label, number, minimum, maximum))
            return None
        return int(number)

    def _number(self, name: str, label: StrOrPromise, required: bool, refusal: str) -> Decimal | None:
        """The value as a Decimal: a JSON number, or text of ASCII digits with an optional sign and
        decimals (no exponent, no other script's digits). A text whose integer part is longer than
        any bound is read as a value beyond every bound, without converting it."""
        raw = self.data.get(name)
        if isinstance(raw, bool):  # a JSON true is not a number
            self.error(name, refusal.format(label=label))
            return None
        if _is_json_number(raw):
            value = _json_number(raw)
        else:
            text = self._raw(name, label, required)
            if text is None:
                return None
            value = _decimal(_plain_number(text))
        if value is None:
            self.error(name, refusal.format(label=label))
        return value

    def choice(self, name: str, label: StrOrPromise, choices: Any, *, required: bool = False, default: str = "") -> str:
        """A code from `choices` (a Choices enum or (value, label) pairs); its label is accepted too."""
        text = self._raw(name, label, required)
        if text is None:
            return default
        pairs = choices.choices if hasattr(choices, "choices") else choices
        found = _match_choice(text, pairs)
        if found is None:
            allowed = "、".join(str(title) for _, title in pairs)
            self.error(name, _("{label}“{text}”无效，可选：{allowed}").format(label=label, text=text, allowed=allowed))
            return default
        return found

    def boolean(self, name: str, label: StrOrPromise, *, required: bool = False) -> bool | None:
        value = self.data.get(name)
        if isinstance(value, bool):
            return value
        text = (self._raw(name, label, required) or "").lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        if text:
            self.error(name, _("{label}应为“是”或“否”").format(label=label))
        return None

    def ids(self, name: str, label: StrOrPromise, *, required: bool = False) -> list[int]:
        value = self.data.get(name) or []
        if isinstance(value, (str, int)):
            value = [v for v in str(value).split(",") if v.strip()]
        found = [_id(v) for v in value] if isinstance(value, (list, tuple)) else [None]
        if None in found:
            self.error(name, _("{label}应为编号列表").format(label=label))
            return []
        if required and not found:
            self.error(name, _("{label}为必填项").format(label=label))
        return [key for key in found if key is not None]


def _integer_range_message(label: StrOrPromise, number: Decimal, minimum: int, maximum: int) -> str:
    if maximum < UNBOUNDED:
        return _("{label}应为{minimum}至{maximum}之间的整数").format(label=label, minimum=minimum, maximum=maximum)
    if number < minimum:
        return _("{label}应为不小于{minimum}的整数").format(label=label, minimum=minimum)
    return _("{label}数值过大").format(label=label)


# ---------------------------------------------------------------- readers by kind


# Values an import repeats; free text is read every time (it is cheap, and a memo would hold all of it).
MEMO_KINDS = frozenset(
    {Kind.INTEGER, Kind.DECIMAL, Kind.MONEY, Kind.DATE, Kind.MOMENT, Kind.CHOICE, Kind.BOOLEAN, Kind.REF}
)


def _read_text(inp: Inputs, spec: FieldSpec) -> str:
    return inp.text(spec.name, spec.label, required=spec.required, max_length=spec.max_length)


def _read_phone(inp: Inputs, spec: FieldSpec) -> str:
    return inp.phone(spec.name, spec.label, required=spec.required)


def _read_integer(inp: Inputs, spec: FieldSpec) -> int | None:
    """Within the field's bounds and what its column holds (a PositiveSmallIntegerField: 0–32767)."""
    column_low, column_high = spec.integer_range or (0, UNBOUNDED)
    low = max(0 if spec.minimum is None else int(spec.minimum), column_low)
    high = min(UNBOUNDED if spec.maximum is None else int(spec.maximum), column_high)
    return inp.integer(spec.name, spec.label, required=spec.required, minimum=low, maximum=high)


def _read_decimal(inp: Inputs, spec: FieldSpec) -> Decimal | None:
    return inp.decimal(
        spec.name,
        spec.label,
        required=spec.required,
        minimum=spec.minimum,
        maximum=spec.maximum,
        places=spec.places,
        digits=spec.digits or DEFAULT_DIGITS,
    )


def _read_money(inp: Inputs, spec: FieldSpec) -> Decimal | None:
    low = 0 if spec.minimum is None else spec.minimum
    return inp.money(
        spec.name,
        spec.label,
        unit=spec.unit or "元",
        required=spec.required,
        minimum=low,
        maximum=spec.maximum,
        places=spec.places,
        digits=spec.digits or DEFAULT_DIGITS,
    )


def _read_date(inp: Inputs, spec: FieldSpec) -> date | None:
    return inp.date(
        spec.name, spec.label, required=spec.required, not_future=spec.not_future, years_ahead=spec.years_ahead
    )


def _read_moment(inp: Inputs, spec: FieldSpec) -> datetime | None:
    return inp.moment(
        spec.name, spec.label, required=spec.required, not_future=spec.not_future, years_ahead=spec.years_ahead
    )


def _read_choice(inp: Inputs, spec: FieldSpec) -> str:
    return inp.choice(spec.name, spec.label, spec.choices, required=spec.required)


def _read_boolean(inp: Inputs, spec: FieldSpec) -> bool | None:
    return inp.boolean(spec.name, spec.label, required=spec.required)


def _read_ref(inp: Inputs, spec: FieldSpec) -> str | None:
    """The key as text ('' → None); the caller resolves it within the actor's scope."""
    raw: Any = inp.data.get(spec.name)
    if hasattr(raw, "pk"):
        return str(raw.pk)
    return inp._raw(spec.name, spec.label, spec.required)


def _read_ids(inp: Inputs, spec: FieldSpec) -> list[int]:
    return inp.ids(spec.name, spec.label, required=spec.required)


def _read_file(inp: Inputs, spec: FieldSpec) -> Any:
    upload = inp.data.get(spec.name) or None
    if upload is None and spec.required:
        inp.error(spec.name, _("请选择{label}").format(label=spec.label))
    return upload


def _read_password(inp: Inputs, spec: FieldSpec) -> str:
    """A password as typed: full-width letters and spaces are part of it, so nothing is folded."""
    value = inp.data.get(spec.name)
    text = value if isinstance(value, str) else ""
    if not text and spec.required:
        inp.error(spec.name, _("{label}为必填项").format(label=spec.label))
    elif len(text) > spec.max_length:
        inp.error(spec.name, _("{label}不能超过{n}个字符").format(label=spec.label, n=spec.max_length))
    return text


_READERS = {
    Kind.TEXT: _read_text,
    Kind.TEXTAREA: _read_text,
    Kind.PHONE: _read_phone,
    Kind.INTEGER: _read_integer,
    Kind.DECIMAL: _read_decimal,
    Kind.MONEY: _read_money,
    Kind.DATE: _read_date,
    Kind.MOMENT: _read_moment,
    Kind.CHOICE: _read_choice,
    Kind.BOOLEAN: _read_boolean,
    Kind.REF: _read_ref,
    Kind.IDS: _read_ids,
    Kind.FILE: _read_file,
    Kind.PASSWORD: _read_password,
}


# ---------------------------------------------------------------- the dates the platform counts with

EARLIEST_DATE = date(1900, 1, 1)  # before it no record of this platform lies; the calendar starts here


def _years(years_ahead: int | None) -> int:
    return settings.SAFELOOP_DATE_MAX_YEARS_AHEAD if years_ahead is None else years_ahead


def latest_date(years_ahead: int | None = None, *, today: date | None = None) -> date:
    """The last date an input may name: `years_ahead` (default: the setting) years after today
    (29 February → 28 February)."""
    today = today or timezone.localdate()
    year = today.year + _years(years_ahead)
    return today.replace(year=year, day=min(today.day, monthrange(year, today.month)[1]))


# ---------------------------------------------------------------- parsing helpers


def _decimal(text: str) -> Decimal | None:
    """A number text of the ASCII grammar as a Decimal; an integer part longer than any bound
    becomes a value beyond every bound (±10**HUGE), so it is refused without being converted."""
    if not _NUMBER.match(text):
        return None
    whole = text.lstrip("+-").split(".")[0].lstrip("0")
    if len(whole) > HUGE_DIGITS:
        return Decimal(f"{'-' if text.startswith('-') else ''}1e{HUGE_DIGITS}")
    if len(text) > MAX_NUMBER_CHARS:  # a reasonable integer part with endless decimals
        return None
    return Decimal(text)


def _is_json_number(raw: Any) -> TypeGuard[int | float | Decimal]:
    return isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool)


def _json_number(raw: int | float | Decimal) -> Decimal | None:
    """A number as JSON or a spreadsheet gives it: finite floats exactly, integers beyond every
    bound as ±10**HUGE (never converted digit by digit)."""
    if isinstance(raw, int):
        if raw.bit_length() > HUGE_BITS:
            return Decimal(f"{'-' if raw < 0 else ''}1e{HUGE_DIGITS}")
        return Decimal(raw)
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    value = Decimal(raw)
    if not value.is_finite():
        return None
    if value.adjusted() >= HUGE_DIGITS:
        return Decimal(f"{'-' if value < 0 else ''}1e{HUGE_DIGITS}")
    return value


def _key_fits(model: type[Model], key: str) -> bool:
    """A numeric primary key is looked up only as ASCII digits within its column (SQLite cannot
    bind 2**64 and ٣ is no key), anything else is simply not found."""
    pk = model._meta.pk
    if not isinstance(pk, IntegerField):
        return True
    low, high = column_range(pk)
    return key.isascii() and key.lstrip("-").isdigit() and len(key) <= 20 and low <= int(key) <= high


def _id(raw: Any) -> int | None:
    """A record id: a positive integer or its ASCII digits, within a 64-bit key."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 1 <= raw <= MAX_ID else None
    text = clean_text(raw) if isinstance(raw, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    key = int(text)
    return key if 1 <= key <= MAX_ID else None


def _match_choice(text: str, pairs: Iterable[tuple[Any, Any]]) -> str | None:
    typed = name_key(text)  # the one comparison of names (core.text): brackets of either width
    for value, title in pairs:
        title = str(title)
        short = title.split("（")[0]  # 红（重大风险） may be written 红
        if typed in (name_key(value), name_key(title), name_key(short)):
            return str(value)
    return None
