"""Writing .xlsx files: one interface, two writers (ADR 0019).

Every export is a title, its `Column`s and an iterable of rows. A file people open has a title
row saying what was exported (the filters in words) and when, the header under it frozen and
with an autofilter, column widths, and real date cells (yyyy-mm-dd; a time yyyy-mm-dd hh:mm),
so it sorts, filters and pivots in Excel.

Two writers sit behind `write_cells`:
- "rust": rustpy-xlsxwriter (rust_xlsxwriter in constant-memory mode, rows streamed from the
  iterator and flushed to a temporary file; MIT). Several times faster than the Python loop.
- "xlsxwriter": XlsxWriter in constant-memory mode, the fallback, and the writer of templates
  (an empty sheet: the Rust writer takes its header from the first row) and of the header of
  required import columns in red (the Rust writer has one header format).
`SAFELOOP_XLSX_WRITER` picks one ("auto": the Rust writer when it is installed). Both write the
same cells: `tests/core/test_xlsx_write.py` reads the files of both back with calamine and
openpyxl.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.fields import Kind
from safeloop.core.xlsx import Column

rustpy_xlsxwriter: ModuleType | None
try:  # the fast writer; without it every file is written by XlsxWriter
    import rustpy_xlsxwriter
except ImportError:  # pragma: no cover - the pinned requirements install it
    rustpy_xlsxwriter = None

DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
EXCEL_FIRST_YEAR = 1900  # Excel's dates run from 1900 to 9999
_DATES = frozenset({date, datetime})
MAX_CELL_TEXT = 32767  # Excel's limit; the Rust writer refuses a longer string, XlsxWriter cuts it
HEADER_COLOR = "#E5E7EB"
REQUIRED_COLOR = "#B91C1C"
LOOK_AHEAD = 500  # rows read before writing, to learn which columns hold dates and which times
LONG_TEXT_SEEN = 1000  # a column with a value this long among those rows is checked against MAX_CELL_TEXT


@dataclass(frozen=True)
class Heading:
    """The title row of an export people open: what was exported, with the filters in words,
    and when — "隐患台账（赫山区 · 重大隐患 · 逾期）导出时间 2026年12月2日 10:30"."""

    filters: Sequence[str] = ()
    at: datetime | None = None  # default: now

    def text(self, title: str) -> str:
        at = timezone.localtime(self.at or timezone.now())
        words = f"（{' · '.join(self.filters)}）" if self.filters else " "
        stamp = _("导出时间 {date}").format(date=f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}")
        return f"{title}{words}{stamp}"


def writer_name() -> str:
    """The writer in use: `SAFELOOP_XLSX_WRITER` ("rust", "xlsxwriter"; "auto": rust if installed)."""
    chosen = getattr(settings, "SAFELOOP_XLSX_WRITER", "auto")
    if chosen == "auto":
        return "rust" if rustpy_xlsxwriter is not None else "xlsxwriter"
    if chosen == "rust" and rustpy_xlsxwriter is None:
        raise ImproperlyConfigured("SAFELOOP_XLSX_WRITER=rust but rustpy-xlsxwriter is not installed")
    return chosen


# ---------------------------------------------------------------- cells


def cells_of(columns: Sequence[Column], objects: Iterable[Any]) -> Iterator[list[Any]]:
    """Each object's cells through its columns' `export` (a record, a `.values()` row)."""
    exports = [column.export for column in columns]
    for obj in objects:
        yield [export(obj) for export in exports]


@dataclass
class _Sheet:
    """What both writers need: the sheet's name, the title row, the header and its widths, and
    each column's date format (from its field, else from the first rows' values)."""

    name: str
    title: str | None
    headers: list[str]
    widths: list[int]
    required: list[bool]
    formats: dict[int, str]
    long: list[int]  # the columns of long text (Kind.TEXTAREA, or a long value among the first rows)

    @property
    def header_row(self) -> int:
        return 0 if self.title is None else 1


def _sheet(title: str, columns: Sequence[Column], heading: Heading | None, first: list[Sequence[Any]]) -> _Sheet:
    formats = {i: fmt for i, c in enumerate(columns) if (fmt := _kind_format(c))}
    long = {i for i, c in enumerate(columns) if c.kind == Kind.TEXTAREA}
    for row in first:
        for i, value in enumerate(row):
            if i not in formats and isinstance(value, date):
                formats[i] = MOMENT_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            elif isinstance(value, str) and len(value) > LONG_TEXT_SEEN:
                long.add(i)
    return _Sheet(
        name=title[:31],
        title=heading.text(title) if heading is not None else None,
        headers=[str(c.header) for c in columns],
        widths=[c.width for c in columns],
        required=[c.required for c in columns],
        formats=formats,
        long=sorted(long),
    )


def _kind_format(column: Column) -> str | None:
    return DATE_FORMAT if column.kind == Kind.DATE else MOMENT_FORMAT if column.kind == Kind.MOMENT else None


# ---------------------------------------------------------------- writing


def write_cells(
    out: IO[bytes] | str | Path,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    heading: Heading | None = None,
    writer: str | None = None,
) -> int:
    """Write rows of cells (in the columns' order) to a path or a binary file; returns the number
    of data rows. A cell is a str, a number, a bool, a date or a naive time (`core.xlsx.plain`
    makes them; `cells_of` goes through it). Memory stays flat at any size: both writers flush
    rows to disk as they go."""
    rows = iter(rows)
    first = list(islice(rows, LOOK_AHEAD))
    sheet = _sheet(title, columns, heading, first)
    stream = _outside_excel_as_text(chain(first, rows), sorted(sheet.formats))
    if (writer or writer_name()) == "rust" and first:  # an empty sheet needs XlsxWriter (headers come from rows)
        return _to(out, lambda path: _write_rust(path, sheet, stream))
    return _to(out, lambda path: _write_xlsxwriter(path, sheet, stream))


def write_workbook(
    out: IO[bytes] | str | Path,
    title: str,
    columns: Sequence[Column],
    objects: Iterable[Any],
    *,
    heading: Heading | None = None,
    writer: str | None = None,
) -> int:
    """Objects (records, `.values()` rows) through their columns' `export`, then `write_cells`."""
    return write_cells(out, title, columns, cells_of(columns, objects), heading=heading, writer=writer)


def workbook_file(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    heading: Heading | None = None,
    cells: bool = False,
    writer: str | None = None,
) -> IO[bytes]:
    """The file of an export, open and rewound for streaming (a response or a job's result);
    its name is gone from the disk already, so closing it removes it. `cells`: the rows are
    cells in the columns' order already, else objects read through each column's `export`."""
    rows = rows if cells else cells_of(columns, rows)
    fd, name = tempfile.mkstemp(suffix=".xlsx", prefix="safeloop-export-")
    os.close(fd)
    try:
        write_cells(name, title, columns, rows, heading=heading, writer=writer)
        return open(name, "rb")  # noqa: SIM115 - the caller streams and closes it
    finally:
        os.unlink(name)


def _to(out: IO[bytes] | str | Path, write: Callable[[str], int]) -> int:
    """Both writers stream best to a path: a file object gets the finished file copied in."""
    if isinstance(out, str | Path):
        return write(str(out))
    with tempfile.TemporaryDirectory(prefix="safeloop-xlsx-") as folder:
        path = os.path.join(folder, "out.xlsx")
        count = write(path)
        with open(path, "rb") as done:
            shutil.copyfileobj(done, out)
    return count


class _Counted:
    """The rows as the Rust writer reads them (dicts by header), counted on the way."""

    def __init__(self, rows: Iterable[Sequence[Any]], headers: list[str]):
        self.rows, self.headers, self.count = rows, headers, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        headers = self.headers
        for row in self.rows:
            self.count += 1
            yield dict(zip(headers, row, strict=True))


def _write_rust(path: str, sheet: _Sheet, rows: Iterable[Sequence[Any]]) -> int:
    """rust_xlsxwriter through rustpy-xlsxwriter, in constant-memory mode (inline strings, rows
    flushed as they come). Strings are cut at Excel's limit, as XlsxWriter does."""
    rx = rustpy_xlsxwriter
    assert rx is not None
    header = rx.Format().set_bold().set_background_color(HEADER_COLOR)
    formats = {sheet.headers[i]: rx.Format().set_num_format(fmt) for i, fmt in sheet.formats.items()}
    top = sheet.header_row
    options: dict[str, Any] = {}
    if sheet.title is not None:
        title = rx.Format().set_bold().set_font_size(13).set_align("vcenter")
        options["merge_ranges"] = [(0, 0, 0, max(len(sheet.headers) - 1, 0), sheet.title, title)]
        options["row_heights"] = {0: 24}
    counted = _Counted(_cut_long_text(rows, sheet.long), sheet.headers)
    rx.write_worksheet(
        counted,
        path,
        sheet_name=sheet.name,
        header_row=top,
        freeze_row=top + 1,
        autofilter=True,
        column_widths=[float(w) for w in sheet.widths],
        column_formats=formats,
        header_format=header,
        datetime_format=MOMENT_FORMAT,
        **options,
    )
    return counted.count


def _outside_excel_as_text(rows: Iterable[Sequence[Any]], dated: list[int]) -> Iterator[Sequence[Any]]:
    """A stored date Excel cannot hold (before 1900: an old import, a hand-edited database) is
    written as its text, 0001-01-01, by both writers (the Rust writer refuses the file)."""
    for row in rows:
        for i in dated:
            value = row[i]
            if type(value) in _DATES and value.year < EXCEL_FIRST_YEAR:
                row = [
                    *row[:i],
                    value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat(),
                    *row[i + 1 :],
                ]
        yield row


def _cut_long_text(rows: Iterable[Sequence[Any]], long: list[int]) -> Iterator[Sequence[Any]]:
    """Only the long-text columns (a TextField, 4000 characters on input) can pass the limit."""
    if not long:
        yield from rows
        return
    for row in rows:
        for i in long:
            value = row[i]
            if type(value) is str and len(value) > MAX_CELL_TEXT:
                row = [*row[:i], value[:MAX_CELL_TEXT], *row[i + 1 :]]
        yield row


def _write_xlsxwriter(path: str, sheet: _Sheet, rows: Iterable[Sequence[Any]]) -> int:
    """XlsxWriter in constant-memory mode, each cell by its type (the typed writers skip
    XlsxWriter's dispatch on every cell)."""
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    wb = xlsxwriter.Workbook(path, {**options, "strings_to_urls": False})
    ws = wb.add_worksheet(sheet.name)
    if sheet.title is not None:
        _title_row(wb, ws, sheet.title, len(sheet.headers))
    top = sheet.header_row
    _header(wb, ws, sheet, top)
    count = _rows(wb, ws, rows, top + 1)
    ws.autofilter(top, 0, top + count, max(len(sheet.headers) - 1, 0))
    wb.close()
    return count


def _rows(wb, ws, rows: Iterable[Sequence[Any]], first: int) -> int:
    """Each row's cells by type: a blank is skipped, a date or a time gets its date format."""
    day, moment = wb.add_format({"num_format": DATE_FORMAT}), wb.add_format({"num_format": MOMENT_FORMAT})
    write, write_string, write_number, write_datetime = ws.write, ws.write_string, ws.write_number, ws.write_datetime
    count = 0
    for count, cells in enumerate(rows, start=1):
        row = first + count - 1
        for index, value in enumerate(cells):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(row, index, value)
            elif kind is int or kind is float:
                write_number(row, index, value)
            elif kind is date or kind is datetime:
                write_datetime(row, index, value, moment if kind is datetime else day)
            elif value is not None:
                write(row, index, value)
    return count


def _title_row(wb, ws, text: str, width: int) -> None:
    bold = wb.add_format({"bold": True, "font_size": 13, "valign": "vcenter"})
    ws.set_row(0, 24)
    if width > 1:
        ws.merge_range(0, 0, 0, width - 1, text, bold)
    else:
        ws.write_string(0, 0, text, bold)


def _header(wb, ws, sheet: _Sheet, row: int) -> None:
    plain_format = wb.add_format({"bold": True, "bg_color": HEADER_COLOR})
    required = wb.add_format({"bold": True, "bg_color": HEADER_COLOR, "font_color": REQUIRED_COLOR})
    for index, header in enumerate(sheet.headers):
        ws.set_column(index, index, sheet.widths[index])
        ws.write_string(row, index, header, required if sheet.required[index] else plain_format)
    ws.freeze_panes(row + 1, 0)
