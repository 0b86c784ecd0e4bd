"""The workbook guard: no uploaded .xlsx reaches a parser before its zip has been checked, and
none is parsed outside a memory limit.

A 2 KB workbook with one cell at A1 and one at XFD1048576 makes python-calamine allocate
549 GB for the rectangle between them, and Rust aborts the process (not an exception: the
server dies). So every import reads through here (`core.xlsx.read_rows` calls both steps):

1. `check_workbook(data, limits)` reads the zip itself (zipfile for the directory, zlib for
   the members, never a spreadsheet library): the file's size, the number of members, each
   member's compression method, its declared and *actual* uncompressed size (a member that
   inflates to more than it declares is refused: the header lies), the compression ratio of
   the large ones (zip bombs) and their total; then it streams each worksheet's XML, 64 KB
   at a time, and compares its `<dimension ref=…>` and the largest cell position (rows and
   cells without `r` counted as the parsers count them) with the import's row and column
   limits. It returns the first sheet's shape, so an import page knows a large file without
   parsing it.
2. `parse_bounded(data, limits)` parses the first sheet with python-calamine in a child
   process (`core/xlsx_child.py`) under `RLIMIT_AS` and `RLIMIT_CPU`, which sends the rows
   back as JSON lines. Whatever the parser does with a hostile file, only the child dies.

Every refusal is a `ServiceError` with a Chinese message naming the problem and the limit
(413 for sizes, 415 for a file that is no workbook, 400 for rows, columns and ratios).
Limits come from settings (`SAFELOOP_IMPORT_*`, docs/deploy.md).
"""

from __future__ import annotations

import json
import logging
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from safeloop.core.errors import ServiceError, TooLarge, UnsupportedType, ValidationFailed

logger = logging.getLogger("safeloop.xlsx")
MB = 1024 * 1024
HEADER_ROWS = 5  # a title row and notes may stand above the header (`core.xlsx.HEADER_SEARCH_ROWS`)
MAX_MEMBERS = 2000  # an import workbook has a dozen parts; a huge directory is itself a bomb
RATIO_FROM_BYTES = MB  # the ratio of smaller members does not matter (and is often high)
CHUNK = 64 * 1024
MAX_TAG = 64 * 1024  # no cell or row tag is this long
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
CHILD = Path(__file__).with_name("xlsx_child.py")


@dataclass(frozen=True)
class Limits:
    rows: int  # data rows (the sheet may have HEADER_ROWS more)
    columns: int
    file_bytes: int
    unpacked_bytes: int  # all members together, uncompressed
    ratio: int  # uncompressed ÷ compressed, for members over RATIO_FROM_BYTES
    memory_bytes: int  # the parser's address space
    seconds: int  # the parser's CPU time

    @property
    def sheet_rows(self) -> int:
        return self.rows + HEADER_ROWS


def import_limits(*, rows: int | None = None) -> Limits:
    """The settings' limits; an import with a lower row limit of its own passes it."""
    most = settings.SAFELOOP_IMPORT_MAX_ROWS
    return Limits(
        rows=min(rows, most) if rows else most,
        columns=settings.SAFELOOP_IMPORT_MAX_COLUMNS,
        file_bytes=settings.SAFELOOP_IMPORT_MAX_BYTES,
        unpacked_bytes=settings.SAFELOOP_IMPORT_MAX_UNPACKED_BYTES,
        ratio=settings.SAFELOOP_IMPORT_MAX_RATIO,
        memory_bytes=settings.SAFELOOP_IMPORT_PARSE_MEMORY_MB * MB,
        seconds=settings.SAFELOOP_IMPORT_PARSE_SECONDS,
    )


@dataclass
class Shape:
    """What a worksheet holds: rows with at least one cell, and the largest cell position."""

    rows: int = 0
    last_row: int = 0
    last_column: int = 0


# ---------------------------------------------------------------- refusals


def _file(message: str) -> dict[str, str]:
    return {"file": message}


def not_a_workbook() -> UnsupportedType:
    message = _("无法读取文件：请上传 .xlsx 格式的 Excel 文件")
    return UnsupportedType(message, fields=_file(message))


def check_file_size(data: bytes, limits: Limits | None = None) -> None:
    limit = (limits or import_limits()).file_bytes
    if len(data) > limit:
        message = _("文件过大：超过{size}MB，请分批导入").format(size=_mb(limit))
        raise TooLarge(message, fields=_file(message))


def _mb(size: int) -> str:
    return f"{size / MB:g}" if size % MB else str(size // MB)


def _unpacked_too_large(limits: Limits) -> TooLarge:
    message = _("文件过大：解压后超过{size}MB，请删除无关的工作表或分批导入").format(size=_mb(limits.unpacked_bytes))
    return TooLarge(message, fields=_file(message))


def _bomb(limits: Limits) -> ValidationFailed:
    message = _("文件压缩比异常（超过{ratio}倍），疑似压缩炸弹，已拒绝；请用 Excel 重新保存后再导入").format(
        ratio=limits.ratio
    )
    return ValidationFailed(message, fields=_file(message))


def _damaged() -> ValidationFailed:
    message = _("文件已损坏（压缩内容与文件目录不符），请用 Excel 重新保存后再导入")
    return ValidationFailed(message, fields=_file(message))


def _too_many_rows(limits: Limits, sheet: str, row: int) -> ValidationFailed:
    message = _("表格行数超过上限 {rows} 行：工作表“{sheet}”第{row}行仍有内容，请删除多余的行或分批导入").format(
        rows=limits.rows, sheet=sheet, row=_count(row)
    )
    return ValidationFailed(message, fields=_file(message))


def _too_many_columns(limits: Limits, sheet: str, column: int) -> ValidationFailed:
    message = _("表格列数超过上限 {columns} 列：工作表“{sheet}”第{column}列仍有内容，请删除多余的列").format(
        columns=limits.columns, sheet=sheet, column=_count(column)
    )
    return ValidationFailed(message, fields=_file(message))


def _too_wide_range(limits: Limits, sheet: str, ref: str) -> ValidationFailed:
    message = _(
        "表格范围过大：工作表“{sheet}”的范围为 {ref}，超过上限（最多 {rows} 行数据、{columns} 列），请删除多余的行列后重新保存"
    ).format(sheet=sheet, ref=ref[:40], rows=limits.rows, columns=limits.columns)
    return ValidationFailed(message, fields=_file(message))


def _count(number: int) -> str:
    return str(number) if number <= EXCEL_ROWS else _("超出 Excel 范围的")


# ---------------------------------------------------------------- the zip


def check_workbook(data: bytes, limits: Limits | None = None) -> Shape:
    """Refuse a file that is too large, no workbook, a zip bomb, or has a sheet beyond the row or
    column limits; return the first sheet's shape. Reads nothing but the zip."""
    limits = limits or import_limits()
    check_file_size(data, limits)
    if _member_count(data) > MAX_MEMBERS:
        raise not_a_workbook()
    try:
        archive = zipfile.ZipFile(_Bytes(data))
        infos = archive.infolist()
        sheets = _sheet_parts(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, struct.error):
        raise not_a_workbook() from None
    _check_directory(infos, limits)
    shapes = {info.filename: _check_member(data, info, sheets.get(info.filename), limits) for info in infos}
    first = next(iter(sheets), None)
    if first is None or first not in shapes:
        raise not_a_workbook()
    return shapes[first] or Shape()


class _Bytes:
    """A read-only view that zipfile can seek in (BytesIO would copy the upload)."""

    def __init__(self, data: bytes) -> None:
        self._view, self._at = memoryview(data), 0

    def seek(self, offset: int, whence: int = 0) -> int:
        self._at = offset if whence == 0 else (self._at + offset if whence == 1 else len(self._view) + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else min(len(self._view), self._at + size)
        chunk, self._at = self._view[self._at : end].tobytes(), max(self._at, end)
        return chunk

    def seekable(self) -> bool:
        return True


def _member_count(data: bytes) -> int:
    """The entries the central directory announces, read before zipfile builds one object each."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return 0  # zipfile will say it is no zip
    (entries,) = struct.unpack_from("<H", data, end + 10)
    return MAX_MEMBERS + 1 if entries == 0xFFFF else entries  # ZIP64: no import workbook needs it


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if sum(info.file_size for info in infos) > limits.unpacked_bytes:
        raise _unpacked_too_large(limits)
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise not_a_workbook()  # encrypted, or a method Excel does not write
        if info.file_size > RATIO_FROM_BYTES and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise _bomb(limits)


def _check_member(data: bytes, info: zipfile.ZipInfo, sheet: str | None, limits: Limits) -> Shape | None:
    """Inflate one member (counting what it really holds); a worksheet's XML is scanned as it goes."""
    chunks = _inflate(data, info)
    if sheet is None:
        for _chunk in chunks:
            pass
        return None
    return _scan_sheet(chunks, sheet, limits)


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, 64 KB at a time, from its raw data: never more than it declares."""
    start = _data_offset(data, info)
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise _damaged()
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _damaged()
        for at in range(0, len(raw), CHUNK):
            yield raw[at : at + CHUNK].tobytes()
        return
    yield from _deflated(raw, info.file_size)


def _deflated(raw: memoryview, declared: int) -> Iterator[bytes]:
    inflater, produced, pending = zlib.decompressobj(-zlib.MAX_WBITS), 0, raw.tobytes()
    try:
        while pending and not inflater.eof:
            chunk = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            produced += len(chunk)
            if produced > declared:
                raise _damaged()
            yield chunk
        tail = inflater.flush(CHUNK)
    except zlib.error:
        raise _damaged() from None
    if tail or produced != declared:
        raise _damaged()


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes start: after its local header, name and extra field."""
    at = info.header_offset
    if data[at : at + 4] != b"PK\x03\x04":
        raise _damaged()
    name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
    return at + 30 + name_length + extra_length


# ---------------------------------------------------------------- which parts are worksheets

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = r"""\b{name}\s*=\s*["']([^"']*)["']"""


def _attribute(tag: bytes, name: str) -> str:
    found = re.search(_ATTRIBUTE.format(name=name).encode(), tag)
    return found.group(1).decode("utf-8", "replace") if found else ""


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, in the workbook's order (the first is the one imported);
    parts under xl/worksheets/ that the workbook does not name are checked too."""
    book = _small_part(archive, "xl/workbook.xml")
    rels = _small_part(archive, "xl/_rels/workbook.xml.rels")
    targets = {_attribute(tag, "Id"): _attribute(tag, "Target") for tag in _RELATION.findall(rels)}
    parts: dict[str, str] = {}
    for tag in _SHEET_TAG.findall(book):
        target = targets.get(_attribute(tag, "r:id") or _attribute(tag, "id"))
        if target:
            parts.setdefault(_part_name(target), _attribute(tag, "name") or "?")
    for name in archive.namelist():
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
            parts.setdefault(name, name.rsplit("/", 1)[-1])
    return parts


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 8 * MB:
        raise ValueError(name)
    return archive.read(name)


def _part_name(target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


# ---------------------------------------------------------------- a worksheet's cells

_AT = rb"""(?:[^>]*?\sr\s*=\s*["']([A-Za-z]*)([0-9]*)["'])?[^>]*>"""


@dataclass(frozen=True)
class _Tags:
    cells: re.Pattern[bytes]  # (letters, digits) of each cell, (b"", b"") without r
    rows: re.Pattern[bytes]
    in_order: re.Pattern[bytes]  # (name, letters, digits) of rows and cells, in document order


def _tags(start: bytes) -> _Tags:
    return _Tags(
        re.compile(start + rb"c(?=[\s/>])" + _AT),
        re.compile(start + rb"row(?=[\s/>])" + _AT),
        re.compile(start + rb"(row|c)(?=[\s/>])" + _AT),
    )


# Tags without a namespace prefix are found several times faster (a literal start); a chunk
# where a prefixed cell or row may stand (`<x:c …>`) is read with the prefix-aware patterns.
_PLAIN, _ANY_PREFIX = _tags(rb"<"), _tags(rb"<(?:[A-Za-z_][\w.-]*:)?")
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_DIMENSION = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def column_number(letters: str | bytes) -> int:
    text = letters.decode("ascii") if isinstance(letters, bytes) else letters
    if len(text) > 3:
        return EXCEL_COLUMNS + 1
    number = 0
    for letter in text.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Scan:
    """Cells are placed as the parsers place them: by their `r` (A1), or — a row or a cell
    without one — after the previous row, after the previous cell of the row. The usual file
    (every cell has its `r`) is checked a chunk at a time by C-level operations; a chunk with
    positionless tags is walked tag by tag."""

    def __init__(self, sheet: str, limits: Limits) -> None:
        self.sheet, self.limits, self.shape = sheet, limits, Shape()
        self.row = self.column = 0
        self.rows: set[int] = set()  # rows holding a cell (at most the row limit of them)

    def feed(self, text: bytes) -> None:
        if b"dimension" in text:
            for ref in _DIMENSION.findall(text):
                self._dimension(ref.decode("ascii", "replace"))
        tags = _ANY_PREFIX if _PREFIXED.search(text) else _PLAIN
        cells, rows = tags.cells.findall(text), tags.rows.findall(text)
        letters, digits = zip(*cells, strict=True) if cells else ((), ())
        row_digits = [row for _letters, row in rows]
        if b"" in digits or b"" in row_digits:
            self._walk(tags.in_order.findall(text))
            return
        if cells:
            numbers = set(digits)
            self._place(_largest_row(numbers), max(map(column_number, set(letters))))
            self.rows.update(map(int, numbers))
            self.column = column_number(letters[-1])
        if row_digits:  # where a positionless tag in a later chunk would continue
            self.row = _largest_row(row_digits[-1:])

    def _walk(self, tags: list[tuple[bytes, bytes, bytes]]) -> None:
        for name, letters, digits in tags:
            if name == b"row":
                self.row, self.column = (_largest_row((digits,)) if digits else self.row + 1), 0
                if not digits:  # counting positionless rows must stop at the limit
                    self._place(self.row, 0)
                continue
            row = _largest_row((digits,)) if digits else max(self.row, 1)
            self.column = column_number(letters) if letters else self.column + 1
            self._place(row, self.column)
            self.rows.add(row)

    def _place(self, row: int, column: int) -> None:
        limits, shape = self.limits, self.shape
        if row > limits.sheet_rows:
            raise _too_many_rows(limits, self.sheet, row)
        if column > limits.columns:
            raise _too_many_columns(limits, self.sheet, column)
        shape.last_row, shape.last_column = max(shape.last_row, row), max(shape.last_column, column)

    def _dimension(self, text: str) -> None:
        last = _CELL_REF.fullmatch(text.split(":")[-1].strip())
        limits = self.limits
        if not text.strip():
            return
        if last is None or int(last.group(2)) > limits.sheet_rows or column_number(last.group(1)) > limits.columns:
            raise _too_wide_range(limits, self.sheet, text)

    def done(self) -> Shape:
        self.shape.rows = len(self.rows)
        return self.shape


def _largest_row(digits: Iterable[bytes]) -> int:
    """Never int() of a million digits: a row number longer than Excel's is beyond every limit."""
    return EXCEL_ROWS + 1 if max(map(len, digits)) > 7 else max(map(int, digits))


def _scan_sheet(chunks: Iterator[bytes], sheet: str, limits: Limits) -> Shape:
    """Feed whole tags: a tag cut at a chunk's end waits for the next chunk."""
    scan, tail = _Scan(sheet, limits), b""
    for chunk in chunks:
        text = tail + chunk
        cut = text.rfind(b"<")
        if cut >= 0 and text.find(b">", cut) < 0:
            text, tail = text[:cut], text[cut:]
        else:
            tail = b""
        if len(tail) > MAX_TAG:
            raise not_a_workbook()
        scan.feed(text)
    scan.feed(tail)
    return scan.done()


# ---------------------------------------------------------------- parsing within limits


def parse_bounded(data: bytes, limits: Limits | None = None) -> list[list[Any]]:
    """The first sheet's rows, read by python-calamine in a child process that may use at most
    `limits.memory_bytes` and `limits.seconds` of CPU. Call `check_workbook` first."""
    limits = limits or import_limits()
    command = [sys.executable, "-P", str(CHILD), str(limits.memory_bytes), str(limits.seconds)]
    try:
        done = subprocess.run(  # noqa: S603 - our own script, arguments are numbers
            command, input=data, capture_output=True, timeout=limits.seconds * 2 + 10, check=False
        )
    except subprocess.TimeoutExpired:
        raise _parse_refused(limits, "timeout") from None
    if done.returncode == 2:
        raise not_a_workbook()
    if done.returncode != 0:
        raise _parse_refused(limits, f"exit {done.returncode}: {done.stderr[-300:]!r}")
    return json.loads(done.stdout, object_hook=_typed, parse_float=_number) if done.stdout.strip() else []


def _parse_refused(limits: Limits, why: str) -> ServiceError:
    logger.warning("workbook parse refused (%s)", why)
    message = _("文件过大或过于复杂：读取所需内存或时间超过上限（{size}MB），请删除空白行列或分批导入").format(
        size=_mb(limits.memory_bytes)
    )
    return ValidationFailed(message, fields=_file(message))


def _number(text: str) -> float | int:
    """calamine gives every numeric cell as a float: a code typed as a number must not become
    '4309.0', so a whole number is an int."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _moment(text: str) -> datetime:
    """A time cell rounded to the second (Excel stores it as a fraction of a day)."""
    value = datetime.fromisoformat(text)
    return (value + timedelta(microseconds=500_000)).replace(microsecond=0) if value.microsecond else value


_DECODE: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "datetime": _moment,
    "time": time.fromisoformat,
    "duration": lambda seconds: timedelta(seconds=seconds),
}


def _typed(cell: dict[str, Any]) -> Any:
    """A typed cell of the child, {type: value} (the decoder calls this for those cells only)."""
    [(kind, value)] = cell.items()
    return _DECODE[kind](value)
