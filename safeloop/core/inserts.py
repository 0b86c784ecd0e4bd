"""Bulk inserts through the DB-API's `executemany`, for imports and generated data.

Django's `bulk_create` turns every value into SQL through the field (`get_db_prep_save`, a
dozen calls a value) and, on SQLite, splits the insert into statements of 999 parameters (26
ledger rows each: 385 statements for 10,000 hazards; half the ledger import). Here the
statement is built once from the model's concrete fields and the rows go to `executemany`
(SQLite's C loop; psycopg's pipeline), with plain values — text, integers, booleans and the
keys of records so keyed — passed as they are and only the others (times, decimals, JSON)
through their field. Defaults are the model's (set when the instance was built); `auto_now`
and `auto_now_add` times are set as `save()` sets them. Primary keys are not read back: a
caller that needs them selects them by a unique column (`pks_by`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

CHUNK = 2000
# Values the drivers take as they are (the field's own preparation would return them unchanged).
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def bulk_insert(
    model: type[models.Model],
    objects: Sequence[models.Model] | Sequence[dict[str, Any]],
    *,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert unsaved `objects` (their primary key left to the database), or rows given as
    {field name: value} dicts — a related record by itself or its key (`region` or
    `region_id`), a missing field its default — which spares building a model instance a row; returns how many.
    `progress(n)` hears of each chunk written."""
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    as_dicts = bool(objects) and isinstance(objects[0], dict)
    now = timezone.now()
    getters: list[Callable[[Any], Any]] = [
        (_from_dict(field, connection, now) if as_dicts else _getter(field, connection)) for field in fields
    ]
    table, quote = model._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(field.column or field.name) for field in fields)
    sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(objects), chunk):
            part = objects[start : start + chunk]
            cursor.executemany(sql, [tuple(get(obj) for get in getters) for obj in part])
            if progress is not None:
                progress(len(part))
    return len(objects)


def _getter(field: models.Field, connection: Any) -> Callable[[models.Model], Any]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection)
    get = attrgetter(field.attname)
    if _plain(field):
        return get
    if type(field) is models.DateField:
        adapt = connection.ops.adapt_datefield_value
        return lambda obj: adapt(get(obj))
    return lambda obj: field.get_db_prep_save(get(obj), connection)


def _from_dict(field: models.Field, connection: Any, now: datetime) -> Callable[[dict[str, Any]], Any]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = field.get_db_prep_save(now, connection)
        return lambda row: stamp
    name, attname = field.name, field.attname
    prepare = None if _plain(field) else partial(field.get_db_prep_save, connection=connection)
    default = field.get_default  # a callable default (a new code) is called for each row

    def get(row: dict[str, Any]) -> Any:
        value = row[name] if name in row else (row[attname] if attname in row else default())
        if isinstance(value, models.Model):
            value = value.pk
        return value if prepare is None or value is None else prepare(value)

    return get


def _plain(field: models.Field) -> bool:
    """The auto keys too: they are integer fields."""
    return isinstance(field.target_field if isinstance(field, models.ForeignKey) else field, PLAIN)


def pks_by(model: type[models.Model], column: str, keys: Iterable[Any], chunk: int = 500) -> dict[Any, Any]:
    """{key: primary key} of the rows whose unique `column` is one of `keys`."""
    ordered, found = list(keys), dict[Any, Any]()
    for start in range(0, len(ordered), chunk):
        rows = model._default_manager.filter(**{f"{column}__in": ordered[start : start + chunk]})
        found.update(rows.values_list(column, "pk"))
    return found
