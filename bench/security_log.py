"""The cost of recording a security event (issue 9 item 10: "one INSERT; measure").

    SAFELOOP_DATA_DIR=… .venv/bin/python bench/security_log.py --runs 300 [--events 200000]
(add DATABASE_URL=postgres://… for PostgreSQL; any migrated database with the demo accounts).
The log is first filled to --events rows, then `record()` is timed alone, and beside it the
requests that record: a refused object (404 page) and the health check as the cheap baseline.
Everything runs inside one transaction that is rolled back, so the database is left as it was.
Prints JSON and writes bench/results/security_log-<database>.json.
"""

import argparse
import json
import logging

from _django import ROOT, database_label, timed
from django.db import transaction
from django.test import Client
from django.utils import timezone

from safeloop.accounts.models import User
from safeloop.core.models import SecurityEvent
from safeloop.core.security_log import SecurityKind, SecurityResult, record


class Rollback(Exception):
    pass


def fill(events: int) -> int:
    """Pad the log to `events` rows (speed only: these rows do not chain)."""
    start = (SecurityEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    now = timezone.now()
    rows = (
        SecurityEvent(
            seq=seq,
            action="login",
            actor_name="bench",
            actor_role="",
            at=now,
            to_status="failure",
            payload={"username": "bench"},
            prev_hash="0" * 64,
            hash="0" * 64,
            address="10.0.0.1",
        )
        for seq in range(start, events + 1)
    )
    SecurityEvent.objects.bulk_create(rows, batch_size=5000)
    return SecurityEvent.objects.count()


def bare_insert(seq: int) -> None:
    """One INSERT in a savepoint, as `record` does it, without reading the head or hashing."""
    with transaction.atomic():
        SecurityEvent(
            seq=seq,
            action="login",
            actor_name="x",
            actor_role="",
            at=timezone.now(),
            to_status="failure",
            payload={"username": "x"},
            prev_hash="0" * 64,
            hash="0" * 64,
        ).save(force_insert=True)


def measure(runs: int, events: int) -> dict:
    results = {"database": database_label(), "events_in_log": fill(events), "scenarios": {}}
    city = Client()
    city.force_login(User.objects.get(username="city_admin"))
    floor = iter(range(10**9, 2 * 10**9))
    scenarios = {
        "a bare INSERT of the same row (the floor)": lambda: bare_insert(next(floor)),
        "record() alone": lambda: record(SecurityKind.LOGIN, result=SecurityResult.FAILURE, detail={"username": "x"}),
        "health (baseline request)": lambda: city.get("/healthz"),
        "404 page of a hidden object (records a refusal)": lambda: city.get("/hazards/999999999/"),
        "workbench page (records nothing)": lambda: city.get("/"),
    }
    for name, fn in scenarios.items():
        results["scenarios"][name] = timed(fn, runs)
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--events", type=int, default=200_000)
    args = ap.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are on purpose
    try:
        with transaction.atomic():
            results = measure(args.runs, args.events)
            raise Rollback
    except Rollback:
        pass
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    (ROOT / "bench" / "results" / f"security_log-{results['database']}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
