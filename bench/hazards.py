"""Hazard ledger at province scale: ledger page, export, import, escalation pass.

    export SAFELOOP_DATA_DIR=/tmp/bench-sqlite          # (+ DATABASE_URL=postgres://… for PostgreSQL)
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 40
    .venv/bin/python bench/hazards.py --runs 15
Prints figures and writes bench/results/hazards-<db>.json. Import and escalation run inside a
transaction that is rolled back, so the data set stays the same between runs.
"""

import argparse
import io
import json
import resource
import tempfile
import time

from _django import ROOT, database_label, timed
from django.db import transaction
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from safeloop.accounts.models import User
from safeloop.core.xlsx_write import write_cells
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.ledger_io import COLUMNS, export_rows
from safeloop.hazards.models import Hazard
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.hazards.supervision import supervise
from safeloop.registry.models import Enterprise

PAGES = [
    ("health (baseline)", "sysadmin", "/healthz", {}),
    ("province ledger, no filter", "sysadmin", "/hazards/", {}),
    (
        "province ledger, three filters",
        "sysadmin",
        "/hazards/",
        {"region": "430100", "level": "general", "status": "rectifying"},
    ),
    (
        "city ledger, three filters",
        "city_admin",
        "/hazards/",
        {"category": "gongmao", "source": "self_check", "overdue": "1"},
    ),
    ("county ledger, problem list", "county_heshan", "/hazards/", {"list": "problems"}),
    (
        "htmx partial, three filters",
        "city_admin",
        "/hazards/",
        {"region": "430903", "level": "general", "status": "closed"},
    ),
    ("to-do list (county)", "county_heshan", "/hazards/todo/", {}),
    ("hazard search by number", "sysadmin", "/hazards/", {"q": "YH-430903-2026-0012"}),
]


class Done(Exception):
    pass


def pages(runs: int) -> dict:
    out, clients = {}, {}
    for label, username, path, params in PAGES:
        client = clients.setdefault(username, Client())
        client.force_login(User.objects.get(username=username))
        headers = {"HTTP_HX_REQUEST": "true"} if label.startswith("htmx") else {}

        def request(client=client, path=path, params=params, headers=headers):
            assert client.get(path, params, **headers).status_code == 200

        out[label] = timed(request, runs)
        print(f"{label:34} {out[label]}", flush=True)
    return out


def export_100k() -> dict:
    user = User.objects.get(username="sysadmin")
    qs = ledger(user, LedgerFilters())[:100_000]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:  # a file, as the download is spooled to one
        rows = write_cells(out, "隐患台账", COLUMNS, export_rows(qs))
        size = out.tell()
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "rows": rows,
        "seconds": round(seconds, 1),
        "file_mb": round(size / 2**20, 1),
        "process_max_rss_mb": round(rss_after / 1024, 1),
        "rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
    }
    print(f"{'export 100,000 rows':34} {result}", flush=True)
    return result


def import_10k() -> dict:
    user = User.objects.get(username="city_admin")
    enterprises = list(
        Enterprise.objects.filter(region__code__startswith="4309").values_list("name", "credit_code")[:2000]
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.header for c in COLUMNS])
    today = timezone.localdate()
    for i in range(10_000):
        name, code = enterprises[i % len(enterprises)]
        row = {
            "编号": f"OLD-{i}",
            "企业": name,
            "信用代码": code,
            "隐患描述": f"导入隐患{i}",
            "等级": "一般",
            "来源": "监管检查",
            "发现日期": today.isoformat(),
            "状态": "已交办",
            "责任单位": "车间",
            "责任人": "张三",
            "期限": today.isoformat(),
        }
        ws.append([row.get(c.header, "") for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    start = time.perf_counter()
    try:
        with transaction.atomic():
            report = ledger_import(actor=user, data=buf.getvalue())
            raise Done
    except Done:
        pass
    result = {"rows": report.created, "seconds": round(time.perf_counter() - start, 1)}
    print(f"{'import 10,000 rows (rolled back)':34} {result}", flush=True)
    return result


def escalation_pass() -> dict:
    result = {"open_with_deadline": Hazard.objects.filter(status__in=["assigned", "rectifying"]).count()}
    start = time.perf_counter()
    try:
        with transaction.atomic():
            report = supervise()
            raise Done
    except Done:
        pass
    result.update(seconds=round(time.perf_counter() - start, 1), **vars(report))
    print(f"{'escalation pass (rolled back)':34} {result}", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--only", default="pages,export,import,escalation")
    args = ap.parse_args()
    results = {"database": database_label(), "hazards": Hazard.objects.count()}
    steps = {
        "pages": lambda: pages(args.runs),
        "export": export_100k,
        "import": import_10k,
        "escalation": escalation_pass,
    }
    for name in args.only.split(","):
        results[name] = steps[name]()
    out = ROOT / "bench" / "results" / f"hazards-{results['database']}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
