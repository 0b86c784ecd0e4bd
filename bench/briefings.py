"""Generating an annual briefing (issue 19): every figure computed from the data, the charts
drawn, the paragraphs written, for a province user (the whole database) and for the demo city's
user, with the accident list's count for the same year in the same run as the baseline (one
indexed count: what the briefing's dozens of grouped queries are measured against). Each
generation is rolled back, so runs repeat. Also what the page's user waits for since generation
is a background job (ADR 0038): the form's POST answered with the redirect to the job's page
(checked, job recorded and enqueued; the job and its queue row deleted after each run; the job
itself is what "generate" measures). Run against a seeded database (`seed_demo`, or
`--scale 40` for the province):

    SAFELOOP_DATA_DIR=… .venv/bin/python bench/briefings.py --runs 5
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import _django  # noqa: F401 - sets Django up
from _django import database_label, timed
from django.db import transaction
from django.utils import timezone

from safeloop.accidents.selectors import AccidentFilters, accident_list
from safeloop.accounts.models import Role, User
from safeloop.briefings.services import briefing_generate
from safeloop.registry.models import Enterprise

RESULTS = Path(__file__).resolve().parent / "results"


def user_of(username: str, region: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        from safeloop.accounts.services import user_create

        user = user_create(username=username, password="Bench@2026-only", role=Role.CITY, region_id=region)
    return user


def generate(user: User, year: int) -> None:
    with transaction.atomic():
        briefing_generate(actor=user, data={"kind": "annual", "year": str(year)})
        transaction.set_rollback(True)


def page_post(user: User, year: int) -> None:
    """The form's POST as the page sends it (a city or the province: a job); the job removed."""
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from safeloop.core.models import Job

    client = Client()
    client.force_login(user)
    response = client.post("/briefings/", {"kind": "annual", "year": str(year)})
    assert response.status_code == 302, response.status_code
    Job.objects.filter(owner=user).delete()
    DBTaskResult.objects.filter(task_path__endswith="run_job").delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    year = timezone.localdate().year
    figures: dict = {"database": database_label(), "enterprises": Enterprise.objects.count(), "year": year}
    for label, user in (
        ("province", user_of("bench_province", "430000")),
        ("city", user_of("bench_city", "430900")),
    ):
        figures[label] = {
            "generate": timed(lambda u=user: generate(u, year), args.runs),
            "page_post_until_the_job_page": timed(lambda u=user: page_post(u, year), args.runs),
            "baseline_accident_count": timed(
                lambda u=user: accident_list(u, AccidentFilters(year=str(year))).count(), args.runs
            ),
        }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"briefings-{figures['database']}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
