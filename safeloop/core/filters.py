"""The filters of a list, declared once.

One `Filters` subclass per list serves all three readers of it: the API declares it as
`Query[EnterpriseFilters]` (beside `Query[Paging]`), a page builds it with
`EnterpriseFilters.from_params(request.GET)`, and the selector takes the instance. Values are
text, trimmed and folded as `clean_text` does, whichever way they came; what a value means
(a region code, a year) is the selector's business. Field titles are the Chinese names the
OpenAPI document and the API's error messages use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from ninja import Schema
from pydantic import field_validator

from safeloop.core.text import clean_text


class Filters(Schema):
    @field_validator("*", mode="before", check_fields=False)
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Self:
        """From a page's query string; a parameter not given keeps its default."""
        return cls(**{name: params[name] for name in cls.model_fields if name in params})
