"""Campaigns at the issue's size (issue 12): launching a campaign over 20,000+ target enterprises
as a province-level user (under 5 s) and the progress board page (under 300 ms). Run against a
database seeded with `seed_demo --scale 4` or larger; each launch is rolled back, so runs repeat.

    SAFELOOP_DATA_DIR=… .venv/bin/python bench/campaigns.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import _django  # noqa: F401 - sets Django up
from _django import database_label, timed
from django.db import transaction
from django.test import Client
from django.utils import timezone

from safeloop.accounts.models import Role, User
from safeloop.campaigns.services import campaign_create, campaign_launch
from safeloop.registry.models import Category

RESULTS = Path(__file__).resolve().parent / "results"


def province_user() -> User:
    user = User.objects.filter(username="bench_province").first()
    if user is None:
        from safeloop.accounts.services import user_create

        user = user_create(username="bench_province", password="Bench@2026-only", role=Role.CITY, region_id="430000")
    return user


def data() -> dict:
    today = timezone.localdate()
    return {
        "title": "全省安全生产大排查（基准测试）",
        "kind": "special",
        "starts_on": today.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat(),
        "task_days": 20,
        "target_filter": {"region": "430000", "categories": list(Category.objects.values_list("code", flat=True))},
    }


def launch_once(user: User) -> tuple[float, float, int]:
    """Create and launch inside a transaction that is rolled back: (create s, launch s, tasks)."""
    with transaction.atomic():
        start = time.perf_counter()
        campaign = campaign_create(actor=user, data=data())
        created = time.perf_counter() - start
        start = time.perf_counter()
        campaign = campaign_launch(actor=user, campaign_id=campaign.pk, version=campaign.version)
        launched = time.perf_counter() - start
        tasks = campaign.tasks.count()
        transaction.set_rollback(True)
    return created, launched, tasks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    user = province_user()
    runs = [launch_once(user) for _ in range(args.runs)]
    board = board_timing(user, max(args.runs, 5))
    figures = {
        "database": database_label(),
        "targets": runs[0][2],
        "median_create_s": round(statistics.median(r[0] for r in runs), 3),
        "median_launch_s": round(statistics.median(r[1] for r in runs), 3),
        "board": board,
        "runs": args.runs,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"campaigns-{figures['database']}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))


def board_timing(user: User, runs: int) -> dict:
    """The board of a launched campaign of that size (inside a rolled-back transaction)."""
    with transaction.atomic():
        campaign = campaign_create(actor=user, data=data())
        campaign = campaign_launch(actor=user, campaign_id=campaign.pk, version=campaign.version)
        client = Client()
        client.force_login(user)
        url = f"/campaigns/{campaign.pk}/"
        assert client.get(url).status_code == 200
        result = timed(lambda: client.get(url), runs)
        transaction.set_rollback(True)
    return result


if __name__ == "__main__":
    main()
