"""Each resource names its fields once, as `FieldSpec`s.

A spec says what an outside value must be (its kind, bounds, choices, unit) and what the field
is called in Chinese. Everything else is derived from the same list:

- `core.inputs.Inputs.read(spec)` is the one validator (pages, API, Excel, commands);
- `core.forms.FormState` renders inputs from it, with what the user typed and the message
  next to the field;
- `core.api.input_schema(...)` builds the API request schema (types for the OpenAPI only:
  the reader validates, so a bad value gets the same Chinese message everywhere);
- `core.xlsx.Column.of(spec, ...)` builds the Excel column (header = label and unit).

`model_spec(Model, "field", ...)` takes the label, length and required-ness from the model,
so the model's `verbose_name` is the single source of a field's Chinese name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class Kind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    PHONE = "phone"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"  # a decimal amount in `unit`; accepts "12万", "3.5万元", "120,000元"
    DATE = "date"
    MOMENT = "moment"  # a date and time; naive values are Asia/Shanghai
    CHOICE = "choice"
    BOOLEAN = "boolean"
    REF = "ref"  # the key of another record (a region code, an enterprise id); resolved by the caller
    IDS = "ids"  # a list of record ids (attachments)
    FILE = "file"  # an uploaded file (an Excel import); the service reads its bytes
    PASSWORD = "password"  # noqa: S105 - a kind of input: read exactly as typed, never shown back


# JSON schema type of each kind, for the OpenAPI document.
JSON_TYPES: dict[Kind, dict[str, Any]] = {
    Kind.TEXT: {"type": "string"},
    Kind.TEXTAREA: {"type": "string"},
    Kind.PHONE: {"type": "string"},
    Kind.INTEGER: {"type": "integer"},
    Kind.DECIMAL: {"type": "string", "format": "decimal"},
    Kind.MONEY: {"type": "string", "format": "decimal"},
    Kind.DATE: {"type": "string", "format": "date"},
    Kind.MOMENT: {"type": "string", "format": "date-time"},
    Kind.CHOICE: {"type": "string"},
    Kind.BOOLEAN: {"type": "boolean"},
    Kind.REF: {"type": "string"},
    Kind.IDS: {"type": "array", "items": {"type": "integer"}},
    Kind.FILE: {"type": "string", "format": "binary"},
    Kind.PASSWORD: {"type": "string", "format": "password"},
}
LONG_TEXT = 4000  # the length a TextField takes (a description, a plan)
# Kinds whose reader gives "" (not None) for an empty value.
TEXT_KINDS = frozenset({Kind.TEXT, Kind.TEXTAREA, Kind.PHONE, Kind.CHOICE})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: StrOrPromise
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int = 200
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    places: int = 2  # decimals kept for DECIMAL and MONEY
    digits: int | None = None  # DECIMAL and MONEY: digits before the point the column holds
    integer_range: tuple[int, int] | None = None  # INTEGER: what the column holds (from the model field)
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    unit: StrOrPromise = ""  # 元, 万元, 亿元, 人, 辆…: shown beside the input and in the Excel header
    not_future: bool = False  # DATE and MOMENT: may not lie after today / now
    years_ahead: int | None = None  # DATE and MOMENT: at most this many years after today (None: the setting)
    help: StrOrPromise = ""  # a hint under the input, written for the person filling it in
    null_clears: bool = False  # an empty value is stored (clears the field); else it means "not given"
    accept: str = ""  # FILE: the file types the input offers, e.g. ".xlsx"

    @property
    def header(self) -> str:
        """The Excel column header and the form label: the name and, where it has one, the unit."""
        return f"{self.label}（{self.unit}）" if self.unit else str(self.label)

    def but(self, **changes: Any) -> FieldSpec:
        return replace(self, **changes)

    def json_schema(self) -> dict[str, Any]:
        schema = {**JSON_TYPES[self.kind], "title": self.header}
        if self.choices:
            schema["enum"] = [value for value, _ in self.choices]
            schema["description"] = "；".join(f"{value}：{label}" for value, label in self.choices)
        if self.help:
            schema["description"] = f"{schema.get('description', '')} {self.help}".strip()
        return schema


def choices_of(enum: type[models.Choices]) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in enum.choices)


def model_spec(model: type[models.Model], name: str, kind: Kind | None = None, **options: Any) -> FieldSpec:
    """A spec whose label, length, required-ness, choices and help come from the model field.

    A unit the label already carries ("直接经济损失（万元）" with unit 万元) is left to `header`, so it
    is not said twice. An empty value clears the field where the model can store one (a null, or
    a blank text); elsewhere it means "not given" (the default on create, unchanged on update).
    """
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field")
    kind = kind or _kind_of(field)
    defaults: dict[str, Any] = {
        "label": _without_unit(str(getattr(field, "verbose_name", name)), options.get("unit", "")),
        "kind": kind,
        "required": not (getattr(field, "blank", True) or getattr(field, "null", False) or field.has_default()),
        "null_clears": field.null or (field.blank and kind in TEXT_KINDS),
    }
    if getattr(field, "help_text", ""):
        defaults["help"] = str(field.help_text)
    if getattr(field, "max_length", None):
        defaults["max_length"] = field.max_length
    elif isinstance(field, models.TextField):
        defaults["max_length"] = LONG_TEXT
    if field.choices:
        defaults["choices"] = tuple((str(v), str(label)) for v, label in field.choices)
    if isinstance(field, models.DecimalField):
        defaults["places"] = field.decimal_places
        defaults["digits"] = field.max_digits - field.decimal_places
    if isinstance(field, models.IntegerField) and not isinstance(field, models.ForeignKey):
        defaults["integer_range"] = column_range(field)
    return FieldSpec(name=name, **(defaults | options))


def column_range(field: models.IntegerField) -> tuple[int, int]:
    """The integers the field's column holds on every database (Django's ranges by field type:
    SmallIntegerField ±32767, IntegerField ±2147483647, BigIntegerField ±2**63, Positive… from 0)."""
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def _without_unit(label: str, unit: str) -> str:
    return label.removesuffix(f"（{unit}）") if unit else label


def _kind_of(field: models.Field) -> Kind:
    if getattr(field, "choices", None):
        return Kind.CHOICE
    if isinstance(field, models.BooleanField):
        return Kind.BOOLEAN
    if isinstance(field, models.DateTimeField):
        return Kind.MOMENT
    if isinstance(field, models.DateField):
        return Kind.DATE
    if isinstance(field, models.DecimalField):
        return Kind.DECIMAL
    if isinstance(field, models.IntegerField):
        return Kind.INTEGER
    if isinstance(field, models.ForeignKey):
        return Kind.REF
    return Kind.TEXTAREA if isinstance(field, models.TextField) else Kind.TEXT


def by_name(specs: Iterable[FieldSpec]) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


def labels(specs: Iterable[FieldSpec]) -> dict[str, StrOrPromise]:
    return {spec.name: spec.label for spec in specs}


def only(specs: Sequence[FieldSpec], names: Iterable[str]) -> tuple[FieldSpec, ...]:
    wanted = set(names)
    return tuple(spec for spec in specs if spec.name in wanted)


# offline: when a record was made in the field, by the phone's clock (docs/offline.md). Sent by the
# offline queue with every queued form; the server's time of arrival is recorded beside it. A
# phone clock a little ahead is not refused: the services take the earlier of it and now.
CAPTURED_AT = FieldSpec(
    name="captured_at",
    label=_("现场记录时间（手机时间）"),
    kind=Kind.MOMENT,
    help=_("无信号时记录、恢复网络后上传的，为手机上记录的时间"),
)
