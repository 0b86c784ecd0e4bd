"""The hazard events table partitioned by year against the same data unpartitioned (docs/scaling.md).

    createdb -h 127.0.0.1 -U postgres -T <a seeded database> perf_flat
    createdb -h 127.0.0.1 -U postgres -T <a seeded database> perf_part
    psql -h 127.0.0.1 -U postgres -d perf_part -v ON_ERROR_STOP=1 -f scripts/partition_events_by_year.sql
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_flat bench/events_partitioned.py --label flat
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_part bench/events_partitioned.py --label partitioned
(SAFELOOP_DATA_DIR: the seeded data's directory, for its ledger keys.) Measures the ledger pages,
the detail page of hazards with long histories (their events, read by hazard), the whole
ledger's positions in global order (what the sequence check and the daily root read), and
`ledger_verify()` (seconds and CPU seconds). Writes bench/results/events_partitioned-<label>.json.
"""

import argparse
import json
import time

from _django import ROOT, database_label, timed
from django.db import connection
from django.db.models import Count
from django.test import Client

from safeloop.accounts.models import User
from safeloop.core.ledger import chained_histories, ledger_verify, positions
from safeloop.hazards.models import HazardEvent

PAGES = [
    ("health (baseline)", "sysadmin", "/healthz", {}),
    ("province ledger, no filter", "sysadmin", "/hazards/", {}),
    ("county ledger, problem list", "county_heshan", "/hazards/", {"list": "problems"}),
]


def pages(runs: int) -> dict:
    out = {}
    client = Client()
    for label, username, path, params in PAGES:
        client.force_login(User.objects.get(username=username))
        out[label] = timed(lambda path=path, params=params: _ok(client.get(path, params)), runs)
    longest = HazardEvent.objects.values("hazard_id").annotate(n=Count("pk")).order_by("-n", "hazard_id")[:20]
    ids = [row["hazard_id"] for row in longest]
    client.force_login(User.objects.get(username="sysadmin"))
    out["20 hazard detail pages (longest histories)"] = timed(
        lambda: [_ok(client.get(f"/hazards/{pk}/")) for pk in ids], runs
    )
    return out


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code


def verify(runs: int) -> dict:
    samples = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        findings = sum(1 for _ in ledger_verify())
        samples.append((time.perf_counter() - wall, time.process_time() - cpu, findings))
    samples.sort()
    wall, cpu, findings = samples[len(samples) // 2]
    return {"median_seconds": round(wall, 2), "its_cpu_seconds": round(cpu, 2), "findings": findings, "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--verify-runs", type=int, default=3)
    ap.add_argument("--label", required=True)
    args = ap.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'hazards_hazardevent'")
        kind = cursor.fetchone()[0]
    result = {
        "database": database_label(),
        "label": args.label,
        "events table": {"p": "partitioned", "r": "plain"}[kind],
        "events": HazardEvent.objects.count(),
        "pages": pages(args.runs),
        "positions in global order": timed(lambda: sum(1 for _ in positions(chained_histories())), 3),
        "ledger_verify": verify(args.verify_runs),
    }
    out = ROOT / "bench" / "results" / f"events_partitioned-{args.label}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
