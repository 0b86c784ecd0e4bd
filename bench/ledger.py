"""List pages at province scale, each beside its own SQL run bare in the same run (issue 10).

    export SAFELOOP_DATA_DIR=/tmp/bench-sqlite          # (+ DATABASE_URL=postgres://… for PostgreSQL)
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 40
    .venv/bin/python bench/ledger.py --runs 15 [--only 'ledger, county|to-do']

For each page and filters: one request under `CaptureQueriesContext` records the page's queries
(the session and the user included: everything the request sends); the request is then timed
`--runs` times (median, p95) and so are the same statements executed bare through the DB-API
cursor (each fetched whole), one pass of all of them per run. The ratio is page p50 / SQL p50;
the goal is ≤ 1.5×, or within 10 ms where the SQL itself takes only a few ms. Writes
bench/results/ledger-<db>.json. The deep-page case follows the pager's own link to page 2,000
(the link the page before it shows), as a user paging on would.
"""

import argparse
import json
import re
import statistics
import time
from urllib.parse import urlencode

from _django import ROOT, database_label
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeloop.accounts.models import User
from safeloop.hazards.models import Hazard

HX = {"HTTP_HX_REQUEST": "true"}
CASES = [
    ("health (baseline)", "sysadmin", "/healthz", {}, {}),
    ("base page (password form)", "city_admin", "/accounts/password/", {}, {}),
    ("ledger, province, no filter", "sysadmin", "/hazards/", {}, {}),
    ("ledger, city, no filter", "city_admin", "/hazards/", {}, {}),
    (
        "ledger, province, three filters",
        "sysadmin",
        "/hazards/",
        {"region": "430100", "level": "general", "status": "rectifying"},
        {},
    ),
    ("ledger, city, category filter", "city_admin", "/hazards/", {"category": "gongmao"}, {}),
    (
        "ledger, city, category+source+overdue",
        "city_admin",
        "/hazards/",
        {"category": "gongmao", "source": "self_check", "overdue": "1"},
        {},
    ),
    ("ledger, county, 问题清单", "county_heshan", "/hazards/", {"list": "problems"}, {}),
    (
        "ledger, htmx partial, three filters",
        "city_admin",
        "/hazards/",
        {"region": "430903", "level": "general", "status": "closed"},
        HX,
    ),
    ("ledger, province, page 2,000", "sysadmin", "/hazards/", {"page": "2000"}, {}),
    ("ledger, search by number", "sysadmin", "/hazards/", {"q": "YH-430903-2026-0012"}, {}),
    ("to-do list, county", "county_heshan", "/hazards/todo/", {}, {}),
    ("to-do list, city", "city_admin", "/hazards/todo/", {}, {}),
    ("enterprise list, province", "sysadmin", "/enterprises/", {}, {}),
    ("enterprise list, city", "city_admin", "/enterprises/", {}, {}),
    ("enterprise list, county, category", "county_heshan", "/enterprises/", {"category": "gongmao"}, {}),
    ("accidents list, province", "sysadmin", "/accidents/", {}, {}),
    ("accidents list, city", "city_admin", "/accidents/", {}, {}),
    ("expert pool, city", "city_admin", "/experts/", {}, {}),
    ("expert pool, city, specialty", "city_admin", "/experts/", {"category": "hazchem"}, {}),
    ("expert visits, city", "city_admin", "/experts/visits/", {}, {}),
    ("stationings, city", "city_admin", "/experts/stationings/", {}, {}),
    ("checklists, city", "city_admin", "/checklists/", {}, {}),
    ("campaigns, city", "city_admin", "/campaigns/", {}, {}),
    ("inspections, city", "city_admin", "/inspections/", {}, {}),
    ("inspections, county", "county_heshan", "/inspections/", {}, {}),
    ("reports, city", "city_admin", "/reports/", {}, {}),
    ("reporting mechanisms, city", "city_admin", "/reports/mechanisms/", {}, {}),
    ("disasters, city", "city_admin", "/accidents/disasters/", {}, {}),
    ("emergency responses, city", "city_admin", "/accidents/responses/", {}, {}),
    ("denominators, city", "city_admin", "/accidents/denominators/", {}, {}),
    ("inspection plans, city", "city_admin", "/inspections/plans/", {}, {}),
    ("draws, city", "city_admin", "/inspections/draws/", {}, {}),
    ("inspection burden, city", "city_admin", "/inspections/burden/", {}, {}),
    ("matching runs, city", "city_admin", "/experts/matching/", {}, {}),
    ("enforcement clues, city", "city_admin", "/enforcement/", {}, {}),
    ("enforcement clues, township", "township_demo", "/enforcement/", {}, {}),
    ("enforcement cases, city", "city_admin", "/enforcement/cases/", {}, {}),
    ("joint operations, city", "city_admin", "/enforcement/operations/", {}, {}),
    ("flood points, city", "city_admin", "/flood/points/", {}, {}),
    ("flood points, county", "county_heshan", "/flood/points/", {}, {}),
    ("flood patrols, township", "township_demo", "/flood/patrols/", {}, {}),
    ("flood alerts, city", "city_admin", "/flood/alerts/", {}, {}),
    ("zero reports, city", "city_admin", "/flood/zero-reports/", {}, {}),
    ("flood resources, city", "city_admin", "/flood/resources/", {}, {}),
    ("duty tasks, city", "city_admin", "/duties/tasks/", {}, {}),
    ("duty tasks, county", "county_heshan", "/duties/tasks/", {}, {}),
    ("standards", "city_admin", "/standards/", {}, {}),
    ("briefings, city", "city_admin", "/briefings/", {}, {}),
    ("notifications, county", "county_heshan", "/notifications/", {}, {}),
    ("enterprise accounts", "enterprise_demo", "/accounts/enterprise/", {}, {}),
    ("security log", "sysadmin", "/security-log/", {}, {}),
]
SKIPPED = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)
DECLARE = re.compile(r'^\s*DECLARE "[^"]+" NO SCROLL CURSOR WITH HOLD FOR ', re.I)  # a server-side cursor
NEXT_LINK = re.compile(r'href="\?([^"]*page=2000[^"]*)">')


def stats(samples: list[float]) -> dict:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2)}


def deep_params(client: Client, path: str, params: dict) -> dict:
    """Page 2,000 as its pager link from page 1,999 names it (with the link's cursor, if any)."""
    before = client.get(path, params | {"page": "1999"}).content.decode().replace("&amp;", "&")
    found = NEXT_LINK.search(before)
    if not found:
        return params
    return dict(part.split("=", 1) for part in found.group(1).split("&") if "=" in part)


def bare(statements: list[str]) -> None:
    """The page's statements, executed through the DB-API cursor (no ORM, no Django cursor); a
    server-side cursor's query (`.iterator()` on PostgreSQL) is run as its SELECT, fetched whole."""
    raw = connection.connection.cursor()
    for sql in statements:
        raw.execute(DECLARE.sub("", sql))
        if raw.description is not None:
            raw.fetchall()
    raw.close()


def measure(client: Client, path: str, params: dict, headers: dict, runs: int) -> dict:
    def request():
        response = client.get(path, params, **headers)
        assert response.status_code == 200, (path, params, response.status_code)

    request()  # warm-up: the caches a page keeps, the session
    with CaptureQueriesContext(connection) as seen:
        request()
    captured = [q["sql"] for q in seen.captured_queries]  # now: the next request starts a new log
    statements = [sql for sql in captured if not SKIPPED.match(sql)]
    page, sql = [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        start = time.perf_counter()
        request()
        page.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bare(statements)
        sql.append((time.perf_counter() - start) * 1000)
    page_s, sql_s = stats(page), stats(sql)
    ratio = page_s["p50_ms"] / sql_s["p50_ms"] if sql_s["p50_ms"] else None
    return {
        "page": page_s,
        "sql": sql_s,
        "ratio": round(ratio, 2) if ratio else None,
        "overhead_ms": round(page_s["p50_ms"] - sql_s["p50_ms"], 1),
        "queries": len(captured),
        "runs": runs,
        "meets_goal": page_s["p50_ms"] <= 100
        and (page_s["p50_ms"] <= 1.5 * sql_s["p50_ms"] or page_s["p50_ms"] - sql_s["p50_ms"] <= 10),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--only", default="", help="label prefixes, separated by '|'")
    ap.add_argument("--show-sql", action="store_true", help="print each case's statements")
    args = ap.parse_args()
    wanted = [w for w in args.only.split("|") if w]
    results = {"database": database_label(), "hazards": Hazard.objects.count(), "pages": {}}
    clients: dict[str, Client] = {}
    for label, username, path, params, headers in CASES:
        if wanted and not any(label.startswith(w) for w in wanted):
            continue
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(User.objects.get(username=username))
        if params.get("page") == "2000":
            params = deep_params(client, path, {k: v for k, v in params.items() if k != "page"})
        row = measure(client, path, params, headers, args.runs) | {"query": urlencode(params)}
        results["pages"][label] = row
        print(
            f"{label:40} page {row['page']['p50_ms']:7.1f} / {row['page']['p95_ms']:7.1f} ms"
            f"  sql {row['sql']['p50_ms']:7.1f} ms  ×{row['ratio'] or 0:5.2f}  +{row['overhead_ms']:5.1f} ms"
            f"  {row['queries']:2} queries  {'ok' if row['meets_goal'] else 'MISSES'}",
            flush=True,
        )
        if args.show_sql:
            with CaptureQueriesContext(connection) as seen:
                client.get(path, params, **headers)
            for q in seen.captured_queries:
                print(f"    [{q['time']}] {q['sql'][:600]}")
    suffix = "" if not wanted else "-partial"
    out = ROOT / "bench" / "results" / f"ledger-{results['database']}{suffix}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
