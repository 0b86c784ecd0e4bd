"""The child process of `core.xlsx_guard.parse_bounded`: python-calamine reads the first sheet
of the workbook on stdin under an address-space and a CPU limit, and writes its rows to stdout
as one JSON array of rows (text, numbers and booleans as they are; dates and times as
{type: ISO text}, which the parent's decoder turns back as it parses).

Run as `python -P xlsx_child.py MEMORY_BYTES CPU_SECONDS` (no Django, no project imports: `-P`
keeps this directory off sys.path). Exit 2: not a workbook. Killed, aborted or out of memory:
any other status; the parent refuses the file and carries on.
"""

import io
import json
import resource
import sys
from datetime import date, datetime, time, timedelta


def _limit(memory: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))


def _cell(value):
    """What JSON has no type for (json.dumps calls this for those cells only)."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"duration": value.total_seconds()}
    return str(value)


def main() -> int:
    _limit(int(sys.argv[1]), int(sys.argv[2]))
    from python_calamine import CalamineWorkbook

    data = sys.stdin.buffer.read()
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:  # noqa: BLE001 - calamine raises several types for a file that is not a workbook
        return 2
    rows = sheet.to_python()  # empty cells are ""
    sys.stdout.buffer.write(json.dumps(rows, ensure_ascii=False, default=_cell).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
