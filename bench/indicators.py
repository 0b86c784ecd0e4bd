"""All indicators, targets and projections for every region for one year, at province scale.

    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python manage.py migrate
    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python manage.py seed_demo --scale 40
    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python bench/indicators.py --runs 9
(add DATABASE_URL=postgres://… for PostgreSQL). Prints JSON and writes bench/results/.

Beside the board it measures, in the same run: its SQL alone (the queries the board ran, captured
and executed again bare through the DB-API: the floor), and the projections of all regions made
in one batch (`project_counts`) against the same projections one by one (`project_count`, how
the board made them before: one frozen scipy distribution per region and indicator).
"""

import argparse
import json

from _django import ROOT, database_label, timed
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeloop.accidents.models import Accident
from safeloop.accounts.models import User
from safeloop.targets.indicators import indicators
from safeloop.targets.projection import project_count, project_counts
from safeloop.targets.selectors import Board


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--year", type=int, default=2026)
    args = ap.parse_args()
    user = User.objects.get(username="sysadmin")

    def all_regions():
        board = Board(user, args.year)
        return board, board.rows_for(board.regions)

    with CaptureQueriesContext(connection) as captured:
        board, _rows = all_regions()
    queries = [q["sql"] for q in captured.captured_queries]
    drafts = [board._draft(code, ind) for code in board.regions for ind in indicators().values()]
    tallies = [d.count for d in drafts if d.count is not None]

    def bare_sql():
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql)
                cursor.fetchall()

    client = Client()
    client.force_login(user)

    def dashboard(region: str):
        response = client.get("/targets/", {"region": region, "year": args.year})
        assert response.status_code == 200, response.status_code

    board_ms = timed(all_regions, args.runs)
    sql_ms = timed(bare_sql, args.runs)
    result = {
        "database": database_label(),
        "accidents": Accident.objects.count(),
        "regions": len(board.regions),
        "queries": len(queries),
        "all indicators, all regions": board_ms,
        "its SQL bare": sql_ms,
        "ratio board/SQL": round(board_ms["median_ms"] / sql_ms["median_ms"], 2),
        "dashboard page, province (湖南省)": timed(lambda: dashboard("430000"), args.runs),
        "dashboard page, city (益阳市, with its county ranking)": timed(lambda: dashboard("430900"), args.runs),
        "projections": len(tallies),
        "projections, one batch": timed(lambda: project_counts(tallies, elapsed=board.elapsed), args.runs),
        "projections, one by one (before)": timed(
            lambda: [
                project_count(observed=t.observed, history=t.history, elapsed=board.elapsed, limit=t.limit)
                for t in tallies
            ],
            args.runs,
        ),
    }
    out = ROOT / "bench" / "results" / f"indicators-{result['database']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
