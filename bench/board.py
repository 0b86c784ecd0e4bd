"""The province map board opened fresh (issue 19: under 2 s with 200,000 enterprises at --scale 40).

    export SAFELOOP_DATA_DIR=/tmp/bench-board40      # (+ DATABASE_URL=postgres://… for PostgreSQL)
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale 40
    .venv/bin/python bench/board.py --runs 5 [--no-browser]

1. Server time, in this process, of every request the first paint needs (the page, the county
   outlines, the one data payload; ECharts and the board's script are static files), beside the
   health check as the baseline: the very first request of a fresh process (nothing cached),
   then medians with the per-scope cache cleared before each run (the aggregates computed) and
   with it kept (what a second leader or the big screen's refresh costs).
2. The warm-up (`board.tasks`, what `manage.py board_warm` and the scheduled `board_warm` job
   do): every scope and region the board is opened at computed and stored, from an empty store
   and cache; its total and per level (count, seconds, slowest).
3. Headless Chromium (/usr/bin/chromium) against `manage.py serve` on a free port: time from
   navigation start to the board's first full render (outline drawn, payload's layers and
   panels drawn: `body[data-board-ready=1]`), with an empty browser cache; "fresh" restarts the
   server before each run (its process caches empty): the first with the store cold
   (`board.store` emptied: the aggregates and outline computed while the browser waits), the
   later ones after the warm-up filled the store again (the first open of a scope nobody has
   opened yet); "server warm" reuses the server, "reload" keeps the browser's cache (the
   outline's immutable URL is not asked again).
Writes bench/results/board-<db>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

from _django import ROOT, database_label
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from safeloop.accounts.models import User
from safeloop.board import selectors as board_selectors
from safeloop.board import tasks as board_tasks
from safeloop.board.views import outline_url
from safeloop.core.scope import region_q
from safeloop.registry.models import Enterprise, Region
from safeloop.registry.reference import HUNAN

PASSWORD = os.environ.get("SAFELOOP_DEMO_PASSWORD", "Safe@2026demo")
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


def first_paint_urls(region: Region) -> dict[str, str]:
    return {
        "page": f"/board/?region={region.code}",
        "outline": outline_url(region),
        "data": f"/board/data.json?region={region.code}",
    }


def timed_get(client: Client, url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    response = client.get(url, **GZIP)
    ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return ms, len(response.content), response.status_code


def server_side(username: str, region: Region, runs: int) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))
    urls = first_paint_urls(region)
    health = [timed_get(client, "/healthz")[0] for _ in range(runs + 1)][1:]
    shutil.rmtree(settings.SAFELOOP_BOARD_STORE, ignore_errors=True)
    first = {name: round(timed_get(client, url)[0], 1) for name, url in urls.items()}
    sizes = {name: timed_get(client, url)[1] for name, url in urls.items()}
    computed: dict[str, list[float]] = {name: [] for name in urls}
    kept: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(runs):
        cache.clear()
        shutil.rmtree(settings.SAFELOOP_BOARD_STORE, ignore_errors=True)  # nothing stored either
        for name, url in urls.items():
            computed[name].append(timed_get(client, url)[0])
        for name, url in urls.items():
            kept[name].append(timed_get(client, url)[0])
    med = lambda d: {k: round(statistics.median(v), 1) for k, v in d.items()}  # noqa: E731
    computed_m, kept_m = med(computed), med(kept)
    return {
        "health_median_ms": round(statistics.median(health), 1),
        "first_request_of_process_ms": first,
        "first_request_total_ms": round(sum(first.values()), 1),
        "aggregates_computed_median_ms": computed_m,
        "aggregates_computed_total_ms": round(sum(computed_m.values()), 1),
        "cached_median_ms": kept_m,
        "cached_total_ms": round(sum(kept_m.values()), 1),
        "bytes_gzip": sizes,
    }


def warm_up() -> dict:
    """The warm-up from nothing stored and nothing cached, timed per target."""
    cache.clear()
    shutil.rmtree(settings.SAFELOOP_BOARD_STORE, ignore_errors=True)
    start = time.perf_counter()
    targets = board_tasks.warm_targets()
    levels: dict[str, list[float]] = {}
    for user, code in targets:
        began = time.perf_counter()
        board_tasks.refresh(user, code)
        levels.setdefault(board_selectors.level_of(code), []).append(time.perf_counter() - began)
    return {
        "targets": len(targets),
        "scopes": len(board_tasks.scope_users()),
        "total_s": round(time.perf_counter() - start, 1),
        "per_level": {
            k: {"count": len(v), "total_s": round(sum(v), 1), "slowest_s": round(max(v), 2)} for k, v in levels.items()
        },
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "SAFELOOP_ENV": os.environ.get("SAFELOOP_ENV", "local")}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "serve",
            "--port",
            str(port),
            "--no-worker",
        ],  # the daily jobs not beside it
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the server and its task worker: stopped together
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def browser_side(username: str, region: Region, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    path = f"/board/?region={region.code}"
    results: dict[str, list[float]] = {"fresh": [], "server_warm": [], "reload": []}
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)

        def signed_in_context(base: str):
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/accounts/login/?next=/healthz")  # not the workbench: it is not measured here
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/healthz", timeout=60_000)  # signed in; nothing of the board cached
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            return context, page

        def open_board(page, base: str) -> float:
            page.goto(base + path)
            page.wait_for_selector("body[data-board-ready='1']", timeout=60_000)
            return page.evaluate("performance.now()")

        for _run in range(runs):
            port = free_port()
            server = start_server(port)
            base = f"http://127.0.0.1:{port}"
            try:
                context, page = signed_in_context(base)
                results["fresh"].append(open_board(page, base))
                context.close()
                context, page = signed_in_context(base)
                results["server_warm"].append(open_board(page, base))
                results["reload"].append(open_board(page, base))
                context.close()
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
        browser.close()
    return {**results, "errors": errors}  # type: ignore[dict-item]


def browser(username: str, region: Region, runs: int) -> dict:
    """A fresh server with the store cold; the warm-up (in this process: Django refuses to
    query inside Playwright's event loop); fresh servers after it."""
    shutil.rmtree(settings.SAFELOOP_BOARD_STORE, ignore_errors=True)
    cache.clear()
    cold = browser_side(username, region, 1)
    warmed = warm_up()
    after = browser_side(username, region, runs)
    results = {k: cold[k] + after[k] for k in ("fresh", "server_warm", "reload")}
    return {
        "fresh_store_cold_ms": round(cold["fresh"][0]),
        "fresh_store_warmed_median_ms": round(statistics.median(after["fresh"])),
        **{f"{k}_median_ms": round(statistics.median(v), 0) for k, v in results.items() if k != "fresh"},
        "samples_ms": {k: [round(x) for x in v] for k, v in results.items()},
        "console_errors": cold["errors"] + after["errors"],
        "warm_up": warmed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--user", default="sysadmin")
    parser.add_argument("--region", default=HUNAN)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    region = Region.objects.get(pk=args.region)
    result = {
        "database": database_label(),
        "region": f"{region.code} {region.name}",
        "enterprises_in_region": Enterprise.objects.filter(region_q("region", region.subtree_prefix)).count(),
        "user": args.user,
        "server": server_side(args.user, region, args.runs),
    }
    if args.no_browser:
        result["warm_up"] = warm_up()
    print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
    if not args.no_browser:
        result["browser"] = browser(args.user, region, max(1, min(args.runs, 3)))
        result["warm_up"] = result["browser"].pop("warm_up")
        print(json.dumps(result["browser"], ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / f"board-{result['database']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
