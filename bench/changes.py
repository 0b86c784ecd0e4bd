"""The change feed from cursor 0 (issue 20): every page's time, through the API, beside the bare
SQL of the same page in the same run.

    export SAFELOOP_DATA_DIR=/tmp/bench-feed            # (+ DATABASE_URL=postgres://… for PostgreSQL)
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 40
    .venv/bin/python bench/changes.py [--changes 1000000] [--page-size 500] [--as sysadmin]

At `--scale 40` the seed's bulk inserts already write one change per hazard and enterprise
(`core.changes.changed_many`). `--changes N` tops the feed up to N rows with synthetic ones (a
copy of real hazards' snapshots and keys; the database is a benchmark's, not one to keep), so the
feed's size can be set without a long seed. Then a client reads from `since=0` to the end with
`page_size`, timing each page (the target: every page under 200 ms, the rate steady from the
first page to the last: the median of the last tenth of pages against the first tenth). Writes
bench/results/changes-<db>.json.
"""

import argparse
import json
import statistics
import time

from _django import ROOT, database_label
from django.db import transaction
from django.test import Client
from django.utils import timezone

import config.wsgi  # noqa: F401 - the server's start-up, its heap frozen as there (config/wsgi.py)
from safeloop.accounts.models import User
from safeloop.accounts.services import token_issue
from safeloop.core.chain import ledger_advance
from safeloop.core.changes import COUNTER, feed_page
from safeloop.core.models import Change


def top_up(target: int) -> None:
    have = Change.objects.count()
    if have >= target:
        return
    sample = list(Change.objects.order_by("position").values()[:1000]) or [
        {"type": "hazard", "object_id": 1, "op": "created", "data": {"description": "合成变更"}, "region": "430902001",
         "enterprise": 1, "category": "hazchem", "department": None}
    ]  # fmt: skip
    now, moment = time.time(), timezone.now()
    batch = 20_000
    while have < target:
        n = min(batch, target - have)
        with transaction.atomic():
            first = ledger_advance(n, name=COUNTER)
            rows = []
            for i in range(n):
                s = sample[i % len(sample)]
                rows.append(Change(
                    position=first + i, type=s["type"], object_id=s["object_id"], op="updated",
                    at=moment, data=s["data"],
                    region=s["region"], enterprise=s["enterprise"], category=s["category"],
                    department=s["department"], before_region=s["region"], before_enterprise=s["enterprise"],
                    before_category=s["category"], before_department=s["department"], before_known=True,
                ))  # fmt: skip
            Change.objects.bulk_create(rows, batch_size=5000)
        have += n
    print(f"topped up to {have} changes in {time.time() - now:.0f} s")


def pct(samples: list[float], p: float) -> float:
    return round(sorted(samples)[min(len(samples) - 1, round(p * (len(samples) - 1)))], 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=0)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--as", dest="username", default="sysadmin")
    args = parser.parse_args()
    if args.changes:
        top_up(args.changes)
    user = User.objects.get(username=args.username)
    raw, _ = token_issue(user=user)
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}
    cursor, pages, bare, rows, started = 0, [], [], 0, time.perf_counter()
    while True:
        t0 = time.perf_counter()
        response = client.get("/api/v1/changes", {"since": cursor, "page_size": args.page_size}, headers=headers)
        pages.append((time.perf_counter() - t0) * 1000)
        body = response.json()
        t1 = time.perf_counter()
        feed_page(user, since=cursor, page_size=args.page_size)  # the same page without HTTP and JSON
        bare.append((time.perf_counter() - t1) * 1000)
        rows += len(body["results"])
        cursor = body["cursor"]
        if not body["more"]:
            break
    elapsed = time.perf_counter() - started
    tenth = max(1, len(pages) // 10)
    result = {
        "database": database_label(),
        "user": args.username,
        "changes_read": rows,
        "pages": len(pages),
        "page_size": args.page_size,
        "page_median_ms": round(statistics.median(pages), 1),
        "page_p95_ms": pct(pages, 0.95),
        "page_max_ms": round(max(pages), 1),
        "pages_over_200ms": sum(1 for p in pages if p > 200),
        "bare_median_ms": round(statistics.median(bare), 1),
        "first_tenth_median_ms": round(statistics.median(pages[:tenth]), 1),
        "last_tenth_median_ms": round(statistics.median(pages[-tenth:]), 1),
        "changes_per_second": round(rows / (sum(pages) / 1000)) if pages else 0,
        "wall_seconds_incl_bare": round(elapsed, 1),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / f"changes-{database_label()}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
