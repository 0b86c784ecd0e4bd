"""The filters of a list, declared once.

One `Filters` subclass per list serves all three readers of it: the API declares it as
`Query[EnterpriseFilters]` (beside `Query[Paging]`), a page builds it with
`EnterpriseFilters.from_params(request.GET)`, and the selector takes the instance. Values are
text, trimmed and folded as `clean_text` does, whichever way they came. Field titles are the
Chinese names the OpenAPI document and the API's error messages use.

A filter whose value has a type (a year, an id, a date, a page number) names it in `typed`
(field name → a `FieldSpec` template: kind and bounds). `core.inputs` reads it, like every outside
value, and the attribute keeps its canonical text ("２０２５" → "2025", "2026/5/1" → "2026-05-01"),
so a selector may convert it without checking again. A bad value is refused naming the filter:
by the API as a 400 (`ValidationFailed`, the error shape), by a page as `refused` (the filter is
dropped, the list is shown with the message, and the page answers 400).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Self

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Schema
from pydantic import PrivateAttr, field_validator, model_validator

from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.inputs import MAX_ID, Inputs
from safeloop.core.text import clean_text

# The years a list can be asked for: year_start(year - 1) … year_start(year + 1) stay valid dates.
YEAR_MIN, YEAR_MAX = 1949, 2100
YEAR = FieldSpec("year", gettext_noop("年份"), Kind.INTEGER, minimum=YEAR_MIN, maximum=YEAR_MAX)
RECORD_ID = FieldSpec("id", gettext_noop("编号"), Kind.INTEGER, minimum=1, maximum=MAX_ID, integer_range=(1, MAX_ID))
DAY = FieldSpec("day", gettext_noop("日期"), Kind.DATE)


class Filters(Schema):
    typed: ClassVar[dict[str, FieldSpec]] = {}
    _refused: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("*", mode="before", check_fields=False)
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _read_typed(cls, data: Any) -> Any:
        """The API's way: a bad typed filter is a 400 naming it (not a pydantic error, so it
        reaches the API's handler as it is)."""
        data = getattr(data, "_obj", data)  # ninja hands the API's query as a DjangoGetter
        if not isinstance(data, Mapping) or not cls.typed:
            return data
        values, refused = cls.read_typed(data)
        if refused:
            raise ValidationFailed.from_fields(refused)
        return values

    @classmethod
    def read_typed(cls, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """`data` with each typed filter in its canonical text, and the message of each bad one."""
        values = dict(data)
        inp = Inputs(values)
        for name, template in cls.typed.items():
            if name in values:
                value = inp.read(template.but(name=name, label=cls.title_of(name)))
                if value is None:  # empty: as if not given (the default applies)
                    values.pop(name)
                elif name not in inp.errors:
                    values[name] = _canonical(value)
        return values, dict(inp.errors)

    @classmethod
    def title_of(cls, name: str) -> str:
        field = cls.model_fields.get(name)
        return _(field.title) if field is not None and field.title else name

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        """From a page's query string; a parameter not given keeps its default, a refused one
        too (its message in `refused`)."""
        given = {name: params[name] for name in cls.model_fields if name in params}
        values, refused = cls.read_typed(given)
        filters = cls(**{name: value for name, value in values.items() if name not in refused})
        filters._refused = refused
        return filters

    @property
    def refused(self) -> dict[str, str]:
        """Filter name → why its value was not applied (a page shows them above the list)."""
        return self._refused


def _canonical(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def refused_status(*filters: Filters) -> int:
    """400 when any of the page's filters was refused."""
    return 400 if any(f.refused for f in filters) else 200
