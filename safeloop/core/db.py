"""Database housekeeping that both backends need, in their own words."""

from django.db import connection


def refresh_planner_statistics() -> None:
    """Let the query planner know the data's shape after bulk loads and once a day.

    Without statistics SQLite picks an index on a column that matches nearly every row (e.g.
    hazard level = 一般) and a ledger count over a million hazards takes seconds instead of
    milliseconds. PostgreSQL's autovacuum analyses by itself, but not right after a bulk load.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
