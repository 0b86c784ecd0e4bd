"""The workbook guard's cost (issue 9 item 1): a 50,000-row × 20-column workbook (XlsxWriter,
inline strings: the largest sheet XML an import meets) through the zip check, the bounded
parse in a child process, and — for comparison — python-calamine in this process (what the
imports did before, and what the crafted file aborts); plus openpyxl's read-only reader, the
streaming alternative.

    .venv/bin/python bench/workbook_guard.py [--rows 50000] [--runs 3]

Prints JSON and writes bench/results/workbook_guard.json. No database is used.
"""

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime

import openpyxl
import xlsxwriter
from _django import ROOT, timed
from python_calamine import CalamineWorkbook

from safeloop.core.xlsx_guard import CHILD, check_workbook, import_limits, parse_bounded


def workbook(rows: int) -> bytes:
    with tempfile.TemporaryFile() as out:
        wb = xlsxwriter.Workbook(out, {"constant_memory": True})
        ws = wb.add_worksheet("台账")
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        for column in range(20):
            ws.write_string(0, column, f"列{column}")
        for row in range(1, rows + 1):
            for column in range(18):
                ws.write_string(row, column, f"企业名称{row}-{column}")
            ws.write_number(row, 18, row * 1.5)
            ws.write_datetime(row, 19, datetime(2026, 1, 1), day)  # noqa: DTZ001
        wb.close()
        out.seek(0)
        return out.read()


PEAK = """
import resource, subprocess, sys
data = sys.stdin.buffer.read()
subprocess.run(sys.argv[1:], input=data, stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def child_peak_mb(data: bytes) -> int:
    """Measured from a small interpreter: a child forked from this large one would count our pages."""
    limits = import_limits()
    command = [sys.executable, "-P", str(CHILD), str(limits.memory_bytes), str(limits.seconds)]
    done = subprocess.run([sys.executable, "-c", PEAK, *command], input=data, capture_output=True, check=True)  # noqa: S603
    return int(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    data = workbook(args.rows)
    limits = import_limits(rows=args.rows)

    def in_process():
        return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()

    def read_only():
        return sum(
            1 for _ in openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)
        )

    started = time.perf_counter()
    streaming = {"rows": read_only(), "seconds": round(time.perf_counter() - started, 1)}
    result = {
        "rows": args.rows,
        "file_mb": round(len(data) / 2**20, 1),
        "guard (zip check)": timed(lambda: check_workbook(data, limits), args.runs),
        "bounded parse (child process)": timed(lambda: parse_bounded(data, limits), args.runs),
        "calamine in this process (before)": timed(in_process, args.runs),
        "openpyxl read-only (streaming), one run": streaming,
        "child peak RSS MB": child_peak_mb(data),
    }
    (ROOT / "bench" / "results" / "workbook_guard.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
