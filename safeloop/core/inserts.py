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
from operator import attrgetter
from typing import Any

from django.db import connections, models, router

CHUNK = 2000
# Values the drivers take as they are (the field's own preparation would return them unchanged).
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def bulk_insert(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert unsaved `objects` (their primary key left to the database); returns how many.
    `progress(n)` hears of each chunk written."""
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    getters = [_getter(field, connection) for field in fields]
    table, quote = model._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
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
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, PLAIN):  # the auto keys too: they are integer fields
        return attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, field.attname), connection)


def pks_by(model: type[models.Model], column: str, keys: Iterable[Any], chunk: int = 500) -> dict[Any, Any]:
    """{key: primary key} of the rows whose unique `column` is one of `keys`."""
    ordered, found = list(keys), {}
    for start in range(0, len(ordered), chunk):
        rows = model._default_manager.filter(**{f"{column}__in": ordered[start : start + chunk]})
        found.update(rows.values_list(column, "pk"))
    return found
