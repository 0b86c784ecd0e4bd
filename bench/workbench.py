"""The workbench (home page) of each role at province scale, beside the ledger page of the same
user in the same run (the baseline: the page a workbench figure opens).

    export SAFELOOP_DATA_DIR=/tmp/bench-sqlite          # (+ DATABASE_URL=postgres://… for PostgreSQL)
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 40
    .venv/bin/python bench/workbench.py --runs 15
Prints figures and writes bench/results/workbench-<db>.json. Each page goes through the whole
Django stack in-process (middleware, scope, the GROUP BY queries, templates); the query count of
one request is recorded beside its times.
"""

import argparse
import json

from _django import ROOT, database_label, timed
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeloop.accounts.models import User
from safeloop.hazards.models import Hazard

PAGES = [
    ("health (baseline)", "city_admin", "/healthz"),
    ("city ledger (baseline)", "city_admin", "/hazards/"),
    ("city workbench", "city_admin", "/"),
    ("province workbench (sysadmin)", "sysadmin", "/"),
    ("county ledger (baseline)", "county_heshan", "/hazards/"),
    ("county workbench", "county_heshan", "/"),
    ("department workbench", "dept_transport", "/"),
    ("enterprise workbench", "enterprise_demo", "/"),
    ("expert workbench", "expert_demo", "/"),
]


def pages(runs: int) -> dict:
    out, clients = {}, {}
    for label, username, path in PAGES:
        client = clients.setdefault(username, Client())
        client.force_login(User.objects.get(username=username))

        def request(client=client, path=path):
            assert client.get(path).status_code == 200

        with CaptureQueriesContext(connection) as seen:
            request()
        queries = len(seen)  # now: the next request starts a new log
        out[label] = timed(request, runs) | {"queries": queries}
        print(f"{label:32} {out[label]}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    results = {"database": database_label(), "hazards": Hazard.objects.count(), "pages": pages(args.runs)}
    out = ROOT / "bench" / "results" / f"workbench-{results['database']}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
