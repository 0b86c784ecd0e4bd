"""Excel in and out: declarative columns, streaming writes, all-or-nothing imports.

An exporter is a list of `Column`s and an iterator of objects (or `.values()` rows); the file is
written by `core.xlsx_write` (a Rust writer, XlsxWriter as the fallback) so memory stays flat.
A file people open has a title row saying what was exported (the filters in words) and when,
the header under it frozen and with an autofilter, and real date cells, so it sorts, filters
and pivots in Excel. An import goes through the
workbook guard (`core.xlsx_guard`: the zip checked before any parser touches it, then
python-calamine in a child process under a memory limit), finds the header row (below a title
row too), maps headers to columns, and reports every error by row number and column letter in
Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any, cast

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.xlsx_guard import HEADER_ROWS, check_file_size, check_workbook, import_limits, parse_bounded

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REPORTED_ERRORS = 200


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    export: Callable[[Any], Any]
    width: int = 14
    required: bool = False
    kind: str = ""  # Kind.DATE or Kind.MOMENT: the column's date format in the file (core.xlsx_write)

    @classmethod
    def of(cls, spec: FieldSpec, export: Callable[[Any], Any] | None = None, width: int = 14) -> Column:
        """The column of a resource field: its header is the field's label and unit. Without
        `export`, the cell is the field's value as the import reads it back (see `cell_reader`)."""
        return cls(spec.header, spec.name, export or cell_reader(spec), width, required=spec.required, kind=spec.kind)


def cell_reader(spec: FieldSpec) -> Callable[[Any], Any]:
    """The cell of a field of a record (or of a `.values()` row): a choice by its label, yes/no
    as 是/否, a record by its name, numbers as numbers, dates as dates, times in Asia/Shanghai.
    Built once per column: an export calls it for every cell."""
    name = spec.name
    labels = dict(spec.choices)
    if spec.kind == Kind.BOOLEAN:
        convert: Callable[[Any], Any] = lambda value: "是" if value else "否"  # noqa: E731
    elif labels:
        convert = lambda value: labels.get(str(value), value)  # noqa: E731
    else:
        convert = plain

    def read(obj: Any) -> Any:
        value = obj[name] if isinstance(obj, dict) else getattr(obj, name)
        return value if value is None or value == "" else convert(value)

    return read


def plain(value: Any) -> Any:
    """A value as a cell: dates stay dates (written as date cells), times become Asia/Shanghai."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return str(value) if isinstance(value, Model) else value


def shown(value: Any) -> Any:
    """A cell as a page shows it beside the list it was exported from (dates as 2026-05-01)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else value


# The file input of every import page.
IMPORT_FIELDS = (
    FieldSpec(
        "file",
        cast(str, gettext_lazy("Excel 文件（.xlsx）")),
        Kind.FILE,
        required=True,
        accept=".xlsx," + XLSX_CONTENT_TYPE,
    ),
)


def check_size(data: bytes) -> None:
    """The byte limit of every import (`SAFELOOP_IMPORT_MAX_BYTES`), before anything else."""
    check_file_size(data)


@dataclass
class RowError:
    row: int
    column: str
    header: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "header": str(self.header), "message": str(self.message)}

    def __str__(self) -> str:
        where = f"第{self.column}列（{self.header}）" if self.column else (f"（{self.header}）" if self.header else "")
        place = f"第{self.row}行{where}"
        return f"{place}：{self.message}"


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    letters: dict[str, str] | None = None  # each field's column letter in the file read (`SheetRows.letters`)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, columns: list[Column], fields: Mapping[str, str]) -> None:
        """A row's refusal (`ValidationFailed.fields`), each message at its column: the file's own
        letter when the report knows the file, else the layout's."""
        for name, message in fields.items():
            letter, header = column_letter(columns, name)
            if self.letters is not None:
                letter = self.letters.get(name, "")
            self.errors.append(RowError(row, letter, header, message))

    def as_dict(self) -> dict[str, Any]:
        """For a background import's page (the same partial as the import page's report)."""
        counts = {"ok": self.ok, "created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        return counts | {"errors": [error.as_dict() for error in self.errors]}


class ImportFailed(ValidationFailed):
    def __init__(self, report: ImportReport):
        first = report.errors[0]
        super().__init__(f"导入未保存任何数据：共{len(report.errors)}处错误，{first}")
        self.report = report


HEADER_SEARCH_ROWS = HEADER_ROWS  # a title row (or a few lines of notes) may stand above the header


def read_rows(data: bytes, columns: list[Column], *, max_rows: int | None = None) -> SheetRows:
    """The rows of an import: the workbook guard checks the file (size, zip bomb, each sheet's
    rows and columns against the limits, `max_rows` data rows at most) before the first sheet
    is parsed, in a child process under a memory limit (`core.xlsx_guard`)."""
    limits = import_limits(rows=max_rows)
    check_workbook(data, limits)
    return SheetRows(parse_bounded(data, limits), columns)


class SheetRows:
    """The data rows of an import's first sheet: (Excel row number, {field: raw value}) each.

    Headers map columns, so their order and extra columns do not matter. The header is the
    first of the top rows that names a column of the layout and every required one, so an
    export's title row (or a note above the header) is passed over."""

    def __init__(self, rows: list[list[Any]], columns: list[Column]):
        top = rows[:HEADER_SEARCH_ROWS]
        self._at = _header_index(top, columns)
        self.positions = _map_headers(top[self._at] if top else [], columns)
        self._rows = rows

    @property
    def letters(self) -> dict[str, str]:
        """Where each field's column stands in this file, for the error report."""
        return {name: get_column_letter(index + 1) for name, index in self.positions.items()}

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Cells as the guard's parse gives them (whole numbers as ints, times to the second)."""
        positions = list(self.positions.items())
        for number, row in enumerate(islice(self._rows, self._at + 1, None), start=self._at + 2):
            if not any(str(cell).strip() for cell in row):
                continue
            width = len(row)
            yield number, {name: (row[i] if i < width else "") for name, i in positions}


def sheet_rows(data: bytes) -> int:
    """The rows of the first sheet that hold a cell (title and header included), from the
    guard's scan of its XML without parsing it: an import page decides whether a file is large
    before reading it. Raises the guard's refusal for a file no import would read."""
    return check_workbook(data).rows


def _header_index(top: list[list[Any]], columns: list[Column]) -> int:
    """The index of the header among the top rows; the first row when none qualifies (its
    missing columns are then reported)."""
    known = {c.header for c in columns}
    required = {c.header for c in columns if c.required}
    for index, row in enumerate(top):
        headers = {str(cell).strip() for cell in row}
        if headers & known and required <= headers:
            return index
    return 0


def _map_headers(header_row: list[Any], columns: list[Column]) -> dict[str, int]:
    headers = [str(h).strip() for h in header_row]
    missing = [c.header for c in columns if c.required and c.header not in headers]
    if missing:
        message = _("表头缺少必填列：{columns}（请使用导出或模板文件的表头）").format(columns="、".join(missing))
        raise ValidationFailed(message, fields={"file": message})
    by_header = {c.header: c.field for c in columns}
    return {by_header[h]: i for i, h in enumerate(headers) if h in by_header}


def column_letter(columns: list[Column], field_name: str) -> tuple[str, str]:
    for index, column in enumerate(columns, start=1):
        if column.field == field_name:
            return get_column_letter(index), column.header
    return "", ""
