"""Copy the hazard rows of a seeded database (doubling them) until it holds N, for the export bench
when no `seed_demo --scale 40` database is at hand (the copies have no events: an export reads
hazards, their enterprises and the registry only). Never on a database anyone else uses.

    SAFELOOP_DATA_DIR=/tmp/bench-copy .venv/bin/python bench/multiply_hazards.py --rows 1000000
"""

import argparse

from _django import database_label
from django.db import connection, transaction

from safeloop.hazards.models import Hazard


def multiply(rows: int) -> int:
    meta = Hazard._meta
    names = [f.column for f in meta.concrete_fields if f.column not in ("id", "code")]
    q = connection.ops.quote_name
    table, columns = q(meta.db_table), ", ".join(q(n) for n in names)
    original = Hazard.objects.count()
    copy = 0
    while Hazard.objects.count() < rows:
        copy += 1
        last = Hazard.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({q('code')}, {columns}) "  # noqa: S608 - names from the model
                f"SELECT %s || {q('id')}, {columns} FROM {table} WHERE {q('id')} <= %s",
                [f"COPY-{Hazard.objects.count()}-", last],  # a number no earlier copy used
            )
        print(f"copy {copy}: {Hazard.objects.count():,} hazards (from {original:,})", flush=True)
    if connection.vendor == "sqlite":
        connection.cursor().execute("ANALYZE")
    else:
        connection.cursor().execute(f"ANALYZE {table}")
    return Hazard.objects.count()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    print(database_label(), multiply(ap.parse_args().rows))
