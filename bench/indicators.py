"""All indicators, targets and projections for every region for one year, at province scale.

    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python manage.py migrate
    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python manage.py seed_demo --scale 40
    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python bench/indicators.py --runs 9
(add DATABASE_URL=postgres://… for PostgreSQL). Prints JSON and writes bench/results/.
"""

import argparse
import json

from _django import ROOT, database_label, timed

from safeloop.accidents.models import Accident
from safeloop.accounts.models import User
from safeloop.targets.selectors import Board


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--year", type=int, default=2026)
    args = ap.parse_args()
    user = User.objects.get(username="sysadmin")

    def all_regions():
        board = Board(user, args.year)
        return {code: board.rows(code) for code in board.regions}

    regions = len(all_regions())
    result = {
        "database": database_label(),
        "accidents": Accident.objects.count(),
        "regions": regions,
        "all indicators, all regions": timed(all_regions, args.runs),
    }
    out = ROOT / "bench" / "results" / f"indicators-{result['database']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
