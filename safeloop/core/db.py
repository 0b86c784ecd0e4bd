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


# Append-only tables: the database itself refuses UPDATE and DELETE, so no code path, admin
# action or stray shell command can rewrite a sealed record. PostgreSQL's TRUNCATE is left
# alone (the test runner's flush uses it; it needs the table owner's privilege). Old
# migrations call these functions: change what they emit only by adding new ones.


def refuse_changes_sql(vendor: str, table: str) -> list[str]:
    """Statements that make `table` refuse UPDATE and DELETE on this database vendor."""
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
            for op in ("UPDATE", "DELETE")
        ]
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION USING MESSAGE = '{table} is append-only: ' || TG_OP || ' refused'; END $$",
            *(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse()"
                for op in ("UPDATE", "DELETE")
            ),
        ]
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def allow_changes_sql(vendor: str, table: str) -> list[str]:
    """The reverse of `refuse_changes_sql` (migrating backwards; tests that tamper on purpose)."""
    on = f" ON {table}" if vendor == "postgresql" else ""
    drops = [f"DROP TRIGGER IF EXISTS {table}_no_{op}{on}" for op in ("update", "delete")]
    return drops + ([f"DROP FUNCTION IF EXISTS {table}_refuse()"] if vendor == "postgresql" else [])


def refuse_updates_and_young_deletes_sql(vendor: str, table: str, *, column: str, days: int) -> list[str]:
    """A log kept for a legal minimum (the security log, 180 days): the database refuses every
    UPDATE, and every DELETE of a row whose `column` is less than `days` old, so only the
    retention job's removal of old rows gets through. (Tests that commit rows lift the triggers
    for their flush, as for the sealed records: tests/conftest.py.)"""
    message = f"{table} is append-only"
    days = int(days)
    if vendor == "sqlite":
        # Django keeps times in UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]', which compares as text.
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}: UPDATE refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN OLD.{column} > datetime('now', '-{days} days') "
            f"BEGIN SELECT RAISE(ABORT, '{message}: DELETE of a row younger than {days} days refused'); END",
        ]
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' AND OLD.{column} < now() - interval '{days} days' THEN RETURN OLD; END IF; "
            f"RAISE EXCEPTION USING MESSAGE = '{message}: ' || TG_OP || ' refused'; END $$",
            *(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse()"
                for op in ("UPDATE", "DELETE")
            ),
        ]
    raise NotImplementedError(f"no append-only triggers for {vendor}")
