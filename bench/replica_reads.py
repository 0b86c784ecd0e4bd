"""Reads on a replica through DATABASE_ROUTERS (docs/scaling.md): which database each query of
the ledger pages and the ledger export goes to, and whether the pages read from the replica
alias are the pages read from the primary.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<primary> SAFELOOP_DATA_DIR=<its data dir> \
        .venv/bin/python bench/replica_reads.py --replica <a copy of it: createdb -T primary copy>
A real replica is a streaming standby (read-only, a little behind); here the "replica" is a
copy of the same database under a second alias, which is what Django's routing sees. Prints
the queries per alias for each request and writes bench/results/replica_reads.json.
"""

import argparse
import json
import sys

from _django import ROOT, timed
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext


class ReadReplica:
    """Reads of the business records to the replica; everything else on the primary: sessions
    (a session written at login is not on a replica a moment later: the user would be logged
    out), accounts (access epochs, delegations), throttles, jobs, the security log."""

    REPLICATED = {"hazards", "registry", "accidents", "targets"}

    def db_for_read(self, model, **hints):
        return "replica" if model._meta.app_label in self.REPLICATED else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


REQUESTS = [
    ("province ledger, no filter", "sysadmin", "/hazards/", {}),
    ("county ledger, problem list", "county_heshan", "/hazards/", {"list": "problems"}),
    ("city ledger, three filters", "city_admin", "/hazards/", {"region": "430903", "level": "general"}),
    ("enterprise list", "sysadmin", "/enterprises/", {}),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replica", required=True, help="the replica's database name (same server)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--show-diff", action="store_true")
    args = ap.parse_args()
    pages, routed = _measure(args, routed=False), None
    settings.DATABASES["replica"] = {**settings.DATABASES["default"], "NAME": args.replica}
    connections.settings["replica"] = connections.configure_settings(dict(settings.DATABASES))["replica"]
    settings.DATABASE_ROUTERS = [f"{__name__}.ReadReplica"]
    from django.db import router

    router.routers = [ReadReplica()]
    routed = _measure(args, routed=True)
    result = {"primary only": pages, "reads routed to the replica": routed}
    result["same pages"] = {k: pages[k]["body"] == routed[k]["body"] for k in pages}
    if "--show-diff" in sys.argv:
        import difflib

        for k in pages:
            print("\n".join(difflib.unified_diff(pages[k]["body"].splitlines(), routed[k]["body"].splitlines(), n=0)))
    for k in pages:
        pages[k].pop("body"), routed[k].pop("body")
    (ROOT / "bench" / "results" / "replica_reads.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=1))


def _measure(args, *, routed: bool) -> dict:
    from safeloop.accounts.models import User

    out = {}
    for label, username, path, params in REQUESTS:
        client = Client()
        client.force_login(User.objects.using("default").get(username=username))
        aliases = ["default", "replica"] if routed else ["default"]
        captures = {a: CaptureQueriesContext(connections[a]) for a in aliases}
        for capture in captures.values():
            capture.__enter__()
        response = client.get(path, params)
        for capture in captures.values():
            capture.__exit__(None, None, None)
        assert response.status_code == 200, (label, response.status_code)
        out[label] = {
            "queries": {a: len(c.captured_queries) for a, c in captures.items()},
            "on the primary": [q["sql"][:90] for q in captures["default"].captured_queries] if routed else None,
            "page": timed(lambda c=client, p=path, q=params: c.get(p, q), args.runs),
            "body": _stable(response.content.decode()),
        }
    return out


def _stable(html: str) -> str:
    """The page without what differs per request (CSRF token, CSP nonce)."""
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|csrf[-_]token" content="|"X-CSRFToken": ")[^"]+', r"\1", html)


if __name__ == "__main__":
    sys.exit(main())
