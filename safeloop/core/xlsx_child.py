"""The child process of `core.xlsx_guard.parse_bounded`: python-calamine reads the first sheet
of the workbook on stdin under an address-space and a CPU limit, and writes its rows to stdout
as JSON lines (trailing empty cells left out; dates and times as [type, ISO text]).

Run as `python -P xlsx_child.py MEMORY_BYTES CPU_SECONDS` (no Django, no project imports: `-P`
keeps this directory off sys.path). Exit 2: not a workbook. Killed, aborted or out of memory:
any other status; the parent refuses the file and carries on.
"""

import io
import json
import resource
import sys
from datetime import date, datetime, time, timedelta

PLAIN = frozenset({str, float, int, bool})


def _limit(memory: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))


def _cell(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return "" if value is None else value
    if isinstance(value, datetime):
        return ["datetime", value.isoformat()]
    if isinstance(value, date):
        return ["date", value.isoformat()]
    if isinstance(value, time):
        return ["time", value.isoformat()]
    if isinstance(value, timedelta):
        return ["duration", value.total_seconds()]
    return str(value)


def _trimmed(row):
    end = len(row)
    while end and row[end - 1] in ("", None):
        end -= 1
    return row[:end]


def main() -> int:
    _limit(int(sys.argv[1]), int(sys.argv[2]))
    from python_calamine import CalamineWorkbook

    data = sys.stdin.buffer.read()
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:  # noqa: BLE001 - calamine raises several types for a file that is not a workbook
        return 2
    out, plain, dumps = sys.stdout.buffer, PLAIN, json.dumps
    for row in sheet.iter_rows():
        cells = [value if type(value) in plain else _cell(value) for value in _trimmed(row)]
        out.write(dumps(cells, ensure_ascii=False).encode())
        out.write(b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
