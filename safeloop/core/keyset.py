"""Keyset pages for a list's deep pages, behind the same page numbers.

`?page=2000` costs an OFFSET: the database walks the 99,950 rows before the page. The pager's
next and previous links carry the key of the row they continue from as well (`after=` / `before=`,
the last or the first row's sort values), so a user paging on reads from the index at that key
instead. The page number stays in the link and is what the page shows; a link without a key, or
with one that does not read, is answered by the page number alone (the offset), so every old link
and bookmark keeps working. The API keeps its own `page`/`page_size` contract (core.api.paginate).

Only orders whose columns are never null and end on a unique one can be continued by key
(ties and nulls would skip or repeat rows): a list offers `Keyset` only for those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet

AFTER, BEFORE = "after", "before"
SEPARATOR = "~"


@dataclass(frozen=True)
class Keyset:
    model: type[Model]
    order: tuple[str, ...]  # the list's order_by(), e.g. ("-found_on", "-id"); the last is unique

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name.lstrip("-") for name in self.order)

    def key_of(self, values: Mapping[str, Any]) -> str:
        """A row's key for a link (its sort values; dates as ISO text)."""
        return SEPARATOR.join(_text(values[name]) for name in self.names)

    def read(self, text: str) -> tuple[Any, ...] | None:
        """A key from a link, each part read by its model field; None when it does not read."""
        parts = text.split(SEPARATOR)
        if not text or len(text) > 200 or len(parts) != len(self.names):
            return None
        try:
            return tuple(_field(self.model, n).to_python(p) for n, p in zip(self.names, parts, strict=True))
        except (ValidationError, ValueError, TypeError):
            return None

    def beyond(self, key: Sequence[Any], forward: bool) -> Q:
        """The rows after `key` in the list's order (forward) or before it. The leading column's
        bound comes first on its own, so both planners start the index range there."""
        terms = []
        for i, name in enumerate(self.order):
            equal = {n: key[j] for j, n in enumerate(self.names[:i])}
            terms.append(Q(**equal, **{f"{name.lstrip('-')}__{self._op(name, forward)}": key[i]}))
        first = self.order[0]
        bound = Q(**{f"{self.names[0]}__{self._op(first, forward)}e": key[0]})
        either = terms[0]
        for term in terms[1:]:
            either |= term
        return bound & either

    @staticmethod
    def _op(name: str, forward: bool) -> str:
        descending = name.startswith("-")
        return "lt" if descending == forward else "gt"

    def page(self, qs: QuerySet[Any], params: Mapping[str, str], size: int) -> list[dict[str, Any]] | None:
        """The page a link's key continues to, as rows of the key's values and `pk` (in the
        list's order), or None when the link carries no key that reads."""
        for direction, forward in ((AFTER, True), (BEFORE, False)):
            key = self.read(params.get(direction, ""))
            if key is not None:
                order = self.order if forward else tuple(_reverse(name) for name in self.order)
                rows = list(qs.filter(self.beyond(key, forward)).order_by(*order).values("pk", *self.names)[:size])
                return rows if forward else rows[::-1]
        return None


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is not a column a key can hold")
    return field


def _reverse(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
