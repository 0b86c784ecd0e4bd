"""The ledger export against its floor, in the same run (issue 10, exports).

    export SAFELOOP_DATA_DIR=/tmp/bench-sqlite          # (+ DATABASE_URL=postgres://… for PostgreSQL)
    .venv/bin/python bench/export.py --runs 3 [--rows 100000] [--million] [--xlsxwriter]

Each measurement runs in a fresh process (its peak RSS is its own):
- export: the real background job (`core.jobs.job_execute` of the ledger export as sysadmin,
  limited to the first --rows rows): count, one joined `values_list` query streamed in
  chunks, labels and derived columns mapped in Python, progress written, the file written by
  the configured writer (`SAFELOOP_XLSX_WRITER`, default the Rust writer) and stored.
- floor: the same rows through one SQL query (the export's own, run bare through the DB-API)
  and the Rust writer with no labels, formats or title row.
- xlsxwriter (with --xlsxwriter): the export job again with the XlsxWriter fallback.
- million (with --million): the export job over every hazard (1,000,000 at `--scale 40`).
Prints medians of --runs runs (wall seconds, and the process's CPU seconds, steadier on a shared
machine; the database server's CPU is not in them) and the export/floor ratios; writes
bench/results/export-<db>.json.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

from _django import ROOT, database_label


def child(what: str, rows: int | None) -> dict:
    from django.db import connection

    from safeloop.accounts.models import User
    from safeloop.hazards.ledger_io import COLUMNS, LEDGER_EXPORT, VALUES
    from safeloop.hazards.selectors import LedgerFilters, ledger

    user = User.objects.get(username="sysadmin")
    select = (lambda u, f: ledger(u, f)[:rows]) if rows else ledger
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before, start = before.ru_utime + before.ru_stime, time.perf_counter()
    if what == "floor":
        size, count = _floor(connection, select(user, LedgerFilters()).values_list(*VALUES), COLUMNS)
    else:
        size, count = _job(replace(LEDGER_EXPORT, kind="bench.ledger_export", select=select), user)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before  # this process's CPU: steadier than wall time under load
    figures = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": count}
    return figures | {"file_mb": round(size / 2**20, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def _job(export, user) -> tuple[int, int]:
    from django.core.files.storage import default_storage

    from safeloop.core import jobs
    from safeloop.core.models import Job, JobState

    jobs.register_job(export.job())
    job = Job.objects.create(kind=export.kind, title="bench", owner=user, params={"filters": {}})
    try:
        jobs.job_execute(job)
        job.refresh_from_db()
        assert job.state == JobState.DONE, job.error
        return default_storage.size(job.result_file), job.done
    finally:
        if job.result_file:
            default_storage.delete(job.result_file)
        job.delete()


def _floor(connection, values_qs, columns) -> tuple[int, int]:
    """One SQL query, rows as the DB-API gives them, dicts by header into the Rust writer."""
    import rustpy_xlsxwriter

    sql, params = values_qs.query.sql_with_params()
    headers = [str(c.header) for c in columns]
    count = 0

    def rows():
        nonlocal count
        with connection.chunked_cursor() as cursor:  # PostgreSQL: a server-side cursor
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    count += 1
                    yield dict(zip(headers, row, strict=False))  # the query has more fields than columns

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "floor.xlsx")
        rustpy_xlsxwriter.write_worksheet(rows(), path, sheet_name="floor")
        return os.path.getsize(path), count


def measure(what: str, rows: int | None, env: dict | None = None) -> dict:
    command = [sys.executable, __file__, "--child", what, "--rows", str(rows or 0)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(samples: list[dict]) -> dict:
    keys = ("seconds", "cpu_seconds", "peak_rss_mb", "file_mb")
    out = {k: statistics.median(s[k] for s in samples) for k in keys}
    out["rows"] = samples[0]["rows"]
    out["rows_per_s"] = round(out["rows"] / out["seconds"]) if out["seconds"] else None
    return out | {"runs": [s["seconds"] for s in samples]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--xlsxwriter", action="store_true")
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows or None)))
        return
    samples: dict[str, list[dict]] = {"export": [], "floor": []}
    for run in range(args.runs):  # interleaved, so both see the same machine
        for what in ("floor", "export"):
            samples[what].append(measure(what, args.rows))
            print(f"run {run + 1} {what:8} {samples[what][-1]}", flush=True)
    result: dict = {what: median(s) for what, s in samples.items() if s}
    if args.runs:
        for key in ("seconds", "cpu_seconds"):
            ratio = result["export"][key] / result["floor"][key]
            result[f"ratio_export_to_floor_{key}"] = round(ratio, 2)
    if args.xlsxwriter and args.runs:
        env = {**os.environ, "SAFELOOP_XLSX_WRITER": "xlsxwriter"}
        result["xlsxwriter"] = median([measure("export", args.rows, env)])
        result["ratio_xlsxwriter_to_export"] = round(result["xlsxwriter"]["seconds"] / result["export"]["seconds"], 2)
    if args.million:
        result["all_rows_job"] = measure("export", None)
    result |= {"database": database_label(), "writer": os.environ.get("SAFELOOP_XLSX_WRITER", "auto")}
    result["load_average"] = os.getloadavg()
    for key, value in result.items():
        print(f"{key:28} {value}")
    out = ROOT / "bench" / "results" / f"export-{database_label()}{'' if args.runs else '-all-rows'}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
