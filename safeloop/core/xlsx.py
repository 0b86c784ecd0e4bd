"""Excel in and out: declarative columns, streaming writes, all-or-nothing imports.

An exporter is a list of `Column`s and an iterator of objects; the file is written in
openpyxl's write-only mode so memory stays flat. An import reads with python-calamine, maps
headers to columns, and reports every error by row number and column letter in Chinese.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, cast

import xlsxwriter
from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from safeloop.core.errors import ServiceError, TooLarge, UnsupportedType, ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.forms import FormState
from safeloop.core.inputs import Inputs

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REPORTED_ERRORS = 200


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    export: Callable[[Any], Any]
    width: int = 14
    required: bool = False

    @classmethod
    def of(cls, spec: FieldSpec, export: Callable[[Any], Any] | None = None, width: int = 14) -> Column:
        """The column of a resource field: its header is the field's label and unit. Without
        `export`, the cell is the field's value as the import reads it back (see `cell_value`)."""
        return cls(spec.header, spec.name, export or (lambda obj: cell_value(spec, obj)), width, required=spec.required)


def cell_value(spec: FieldSpec, obj: Any) -> Any:
    """A field of a record (or of a `.values()` row) as a cell: a choice by its label, yes/no as
    是/否, a record by its name, numbers as numbers, times in Asia/Shanghai."""
    value = obj[spec.name] if isinstance(obj, Mapping) else getattr(obj, spec.name)
    if value is None or value == "":
        return value
    if spec.kind == Kind.BOOLEAN:
        return "是" if value else "否"
    if spec.choices:
        return dict(spec.choices).get(str(value), value)
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, Model) else value


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


def uploaded(files: Mapping[str, Any]) -> bytes:
    """The bytes of the Excel file an import page posted; none, or too large, is refused on its field."""
    inp = Inputs(files)
    upload = inp.read(IMPORT_FIELDS[0])
    inp.check()
    return upload.read()


def imported(form: FormState, request: HttpRequest, importer: Callable[..., ImportReport]) -> ImportReport | None:
    """An import page's POST: the report (of a refused file too), or None with the refusal of
    the file itself (none chosen, too large, not a workbook) beside the form's file input."""
    try:
        return importer(actor=request.user, data=uploaded(request.FILES))
    except ImportFailed as exc:
        return exc.report
    except ServiceError as exc:
        form.fail(exc)
        return None


def check_size(data: bytes) -> None:
    limit = settings.SAFELOOP_IMPORT_MAX_BYTES
    if len(data) > limit:
        message = _("文件超过{size}MB，请分批导入").format(size=limit // (1024 * 1024))
        raise TooLarge(message, fields={"file": message})


@dataclass
class RowError:
    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        place = f"第{self.row}行" + (f"第{self.column}列（{self.header}）" if self.column else "")
        return f"{place}：{self.message}"


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, columns: list[Column], fields: Mapping[str, str]) -> None:
        """A row's refusal (`ValidationFailed.fields`), each message at its column."""
        for name, message in fields.items():
            letter, header = column_letter(columns, name)
            self.errors.append(RowError(row, letter, header, message))

    def as_dict(self) -> dict[str, Any]:
        """For a background import's result page: counts and each error as the user reads it."""
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        return counts | {"errors": [str(error) for error in self.errors]}


class ImportFailed(ValidationFailed):
    def __init__(self, report: ImportReport):
        first = report.errors[0]
        super().__init__(f"导入未保存任何数据：共{len(report.errors)}处错误，{first}")
        self.report = report


def write_workbook(out: IO[bytes], title: str, columns: list[Column], objects: Iterable[Any]) -> int:
    """Stream rows to an .xlsx file object; returns the number of data rows written.

    XlsxWriter in constant-memory mode flushes each row to disk as it goes, so memory stays
    flat at any size, and it writes several times faster than openpyxl's write-only mode.
    """
    wb = xlsxwriter.Workbook(
        out,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    ws = wb.add_worksheet(title[:31])
    _header(wb, ws, columns)
    count = 0
    for count, obj in enumerate(objects, start=1):
        ws.write_row(count, 0, [_value(column.export(obj)) for column in columns])
    wb.close()
    return count


def _header(wb, ws, columns: list[Column]) -> None:
    plain = wb.add_format({"bold": True, "bg_color": "#E5E7EB"})
    required = wb.add_format({"bold": True, "bg_color": "#E5E7EB", "font_color": "#B91C1C"})
    for index, column in enumerate(columns):
        ws.set_column(index, index, column.width)
        ws.write_string(0, index, column.header, required if column.required else plain)
    ws.freeze_panes(1, 0)


def _value(value: Any) -> Any:
    return "" if value is None else value


def spooled_workbook(title: str, columns: list[Column], objects: Iterable[Any]) -> tempfile.SpooledTemporaryFile:
    """Write to a temporary file (kept in memory while small) and rewind it for streaming."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    write_workbook(out, title, columns, objects)
    out.seek(0)
    return out


def read_rows(data: bytes, columns: list[Column]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (Excel row number, {field: raw value}) from the first sheet; headers map columns."""
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = wb.get_sheet_by_index(0).iter_rows()
    except Exception as exc:  # calamine raises several types for a file that is not a workbook
        message = _("无法读取文件：请上传 .xlsx 格式的 Excel 文件")
        raise UnsupportedType(message, fields={"file": message}) from exc
    header_row = next(rows, None)
    positions = _map_headers(header_row or [], columns)
    for number, row in enumerate(rows, start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        yield number, {field: (_cell(row[i]) if i < len(row) else "") for field, i in positions.items()}


def _cell(value: Any) -> Any:
    """calamine gives numeric cells as floats: a code typed as a number must not become '4309.0'."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _map_headers(header_row: list[Any], columns: list[Column]) -> dict[str, int]:
    headers = [str(h).strip() for h in header_row]
    missing = [c.header for c in columns if c.required and c.header not in headers]
    if missing:
        message = _("第1行表头缺少必填列：{columns}（请使用导出或模板文件的表头）").format(columns="、".join(missing))
        raise ValidationFailed(message, fields={"file": message})
    by_header = {c.header: c.field for c in columns}
    return {by_header[h]: i for i, h in enumerate(headers) if h in by_header}


def column_letter(columns: list[Column], field_name: str) -> tuple[str, str]:
    for index, column in enumerate(columns, start=1):
        if column.field == field_name:
            return get_column_letter(index), column.header
    return "", ""
