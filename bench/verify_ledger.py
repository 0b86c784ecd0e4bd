"""`verify_ledger`'s checks over the whole ledger, beside the bare read of the same rows.

    SAFELOOP_DATA_DIR=<a migrated copy of the seed_demo --scale 40 data> .venv/bin/python bench/verify_ledger.py --runs 3
(add DATABASE_URL=postgres://… for PostgreSQL). Each measurement runs in a fresh child process
(so its peak RSS is its own): `verify` is `core.ledger.ledger_verify()` consumed whole (every
kind of finding, with the stored files checked incrementally as the command does); `bare`
reads the rows the chain walk reads — each history's owners and events, the same columns
in the same order — with one SQL query each through the DB-API (server-side cursor on
PostgreSQL), and checks nothing. Prints seconds (wall and CPU), events/s and peak RSS, the
verify/bare ratio, and writes bench/results/verify_ledger-<database>.json.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(kind: str) -> dict:
    from _django import database_label  # noqa: PLC0415 - Django is set up in the child only
    from django.db import connection, transaction

    from safeloop.core.ledger import chained_histories, ledger_verify

    histories = chained_histories()
    events = sum(h._default_manager.count() for h in histories)
    wall, cpu = time.perf_counter(), time.process_time()
    if kind == "verify":
        findings = sum(1 for _ in ledger_verify())
    else:
        findings = None
        with transaction.atomic():
            for history in histories:
                for sql, params in _walk_queries(history):
                    _read_all(connection, sql, params)
    return {
        "database": database_label(),
        "events": events,
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": findings,
    }


def _walk_queries(history) -> list[tuple[str, tuple]]:
    """The two queries `core.chain.chain_verify_all` streams, compiled from its querysets."""
    from safeloop.core.chain import _event_fields, _owner_fields  # noqa: PLC0415

    owner_model = history._meta.get_field(history.chain_owner).related_model
    fk = f"{history.chain_owner}_id"
    owners = owner_model._default_manager.order_by("pk").values_list(*_owner_fields(history, owner_model))
    events = history._default_manager.order_by(fk, "seq").values_list(fk, *_event_fields(history))
    return [owners.query.sql_with_params(), events.query.sql_with_params()]


def _read_all(connection, sql: str, params: tuple, chunk: int = 2000) -> int:
    rows = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk):
            rows += len(batch)
    return rows


def run(kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), "--child", kind], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def summary(samples: list[dict]) -> dict:
    seconds = statistics.median(s["seconds"] for s in samples)
    return {
        "median_seconds": round(seconds, 2),
        "median_cpu_seconds": round(statistics.median(s["cpu_seconds"] for s in samples), 2),
        "events_per_second": round(samples[0]["events"] / seconds) if seconds else None,
        "peak_rss_mb": max(s["peak_rss_mb"] for s in samples),
        "runs": [s["seconds"] for s in samples],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", choices=["verify", "bare"])
    args = ap.parse_args()
    if args.child:
        sys.path.insert(0, str(HERE))
        print(json.dumps(child(args.child)))
        return
    verify, bare = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        bare.append(run("bare"))
        verify.append(run("verify"))
    first = verify[0]
    result = {
        "database": first["database"],
        "events": first["events"],
        "findings": first["findings"],
        "verify_ledger": summary(verify),
        "bare read of the same rows": summary(bare),
    }
    result["ratio verify/bare"] = round(
        result["verify_ledger"]["median_seconds"] / result["bare read of the same rows"]["median_seconds"], 2
    )
    result["ratio verify/bare (CPU)"] = round(
        result["verify_ledger"]["median_cpu_seconds"] / result["bare read of the same rows"]["median_cpu_seconds"], 2
    )
    out = HERE / "results" / f"verify_ledger-{result['database']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
