"""Exit 0 when the PostgreSQL server in argv[1] accepts a connection, 1 otherwise.

The suite never uses the named database itself: Django creates `test_<name>` through the
maintenance database, as this check may, so a name that does not exist yet is fine.
"""

import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
errors = []
for dbname in dict.fromkeys([cfg["NAME"] or "postgres", "postgres"]):
    try:
        psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=cfg["PORT"] or 5432,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname=dbname,
            connect_timeout=5,
        ).close()
        sys.exit(0)
    except psycopg.Error as exc:
        errors.append(str(exc).strip())
print(f"PostgreSQL unreachable: {'; '.join(errors)}", file=sys.stderr)
sys.exit(1)
