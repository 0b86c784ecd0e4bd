"""The whole assessment (issue 16: every county and department of the city, every item, from the
live rows) under 2 s at `--scale 40`. Beside it, in the same run: the bare grouped hazard query
the assessment is built on (the baseline), the assessment page as the city sees it (the whole
Django stack) and the workbench with 我的职责 for a county.

    SAFELOOP_DATA_DIR=… .venv/bin/python bench/duties.py --runs 5
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import _django  # noqa: F401 - sets Django up
from _django import database_label, timed
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from safeloop.accounts.models import User
from safeloop.duties.models import Scheme
from safeloop.duties.scoring import assessed_units, compute
from safeloop.duties.selectors import my_duties
from safeloop.hazards.models import Hazard
from safeloop.registry.models import Enterprise

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    year = timezone.localdate().year
    scheme = Scheme.objects.get(region_id="430900", year=year)
    units = assessed_units(scheme)
    hazards = Hazard.objects.filter(enterprise__region__code__startswith="4309").count()

    def baseline() -> None:
        list(
            Hazard.objects.filter(
                enterprise__in=Enterprise.objects.filter(region__code__startswith="4309").values("pk")
            )
            .values("enterprise__region_id", "enterprise__category_id")
            .order_by()
            .annotate(n=Count("pk"))
        )

    city = Client()
    city.force_login(User.objects.get(username="city_admin"))
    county = Client()
    county_user = User.objects.get(username="county_ziyang")
    county.force_login(county_user)

    def page() -> None:
        assert city.get(f"/duties/assessments/{year}/").status_code == 200

    def workbench() -> None:
        assert county.get("/").status_code == 200

    figures = {
        "database": database_label(),
        "enterprises": Enterprise.objects.count(),
        "city_hazards": hazards,
        "units_assessed": len(units),
        "items": scheme.items.count(),
        "baseline_grouped_hazards": timed(baseline, args.runs),
        "assessment_compute": timed(lambda: compute(scheme), args.runs),
        "assessment_page_city": timed(page, args.runs),
        "workbench_county_with_my_duties": timed(workbench, args.runs),
        "my_duties_county_alone": timed(lambda: my_duties(county_user), args.runs),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"duties-{figures['database']}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
