"""Excel exports and imports as people meet them: small ones answer within the request, large
ones run in the background (`core.jobs`), with progress on the job's page and a download link
that expires.

Each list declares its export once, beside its columns:

    LEDGER_EXPORT = Export(
        kind="hazards.ledger_export", title=_("隐患台账"), columns=COLUMNS, filters=LedgerFilters,
        select=ledger, rows=export_rows, cells=True, words=ledger_words, back="hazards:ledger",
    )

(`rows` yields records read through each column's `export`, or — `cells=True` — each row's
cells already, as the ledger's one streamed `values_list` query does: `stream_values`.)

registers `LEDGER_EXPORT.job()` in its `AppConfig.ready()`, and its view returns
`export_response(request, LEDGER_EXPORT)`. The rows are counted first: up to
`SAFELOOP_EXPORT_JOB_ROWS` (3000) the file streams at once; above, a job is started with the
filters as its params and the user is sent to its page. The job rebuilds the filters and selects
again as its owner, under the scope the owner has when it runs, so it never exports more than
the owner may see then. An import (`Import`) is the same: a file of more than
`SAFELOOP_IMPORT_JOB_ROWS` (2000) rows is stored and imported by a job (all or nothing, as in the
request), whose page shows the report.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.errors import Forbidden, ServiceError
from safeloop.core.filters import Filters
from safeloop.core.forms import FormState
from safeloop.core.inputs import Inputs
from safeloop.core.jobs import JobKind, JobResult, Progress, job_start, job_upload
from safeloop.core.models import Job
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.xlsx import (
    IMPORT_FIELDS,
    XLSX_CONTENT_TYPE,
    Column,
    ImportFailed,
    ImportReport,
    check_size,
    sheet_rows,
)
from safeloop.core.xlsx_write import Heading, workbook_file

EXPORT_JOB_ROWS = 3000
IMPORT_JOB_ROWS = 2000


def export_job_rows() -> int:
    return getattr(settings, "SAFELOOP_EXPORT_JOB_ROWS", EXPORT_JOB_ROWS)


def import_job_rows() -> int:
    return getattr(settings, "SAFELOOP_IMPORT_JOB_ROWS", IMPORT_JOB_ROWS)


CHUNK = 2000


def by_id_chunks(
    qs: QuerySet, fetch: Callable[[list[Any]], Iterable[Any]] | None = None, size: int = CHUNK
) -> Iterator[Any]:
    """The rows of an ordered queryset, a chunk at a time: the ordered, filtered scan reads only
    the ids (8 bytes a row), then each chunk is fetched by id (`fetch(ids)`, else the queryset's
    own rows) and yielded in the scan's order.

    No statement stays open between chunks, so a job may write its progress as it goes (on
    SQLite a write on a connection holding an old read snapshot fails), and the planner is not
    asked to join the small tables into the ordered scan of a million rows."""
    ids = _compact(qs.values_list("pk", flat=True).iterator(chunk_size=size * 5))
    for start in range(0, len(ids), size):
        chunk = list(ids[start : start + size])
        rows = fetch(chunk) if fetch is not None else qs.filter(pk__in=chunk)
        by_id = {(row["pk"] if isinstance(row, dict) else row.pk): row for row in rows}
        yield from (by_id[pk] for pk in chunk if pk in by_id)


def stream_values(qs: QuerySet, fields: Sequence[str], size: int = CHUNK) -> Iterator[tuple]:
    """The rows of `qs.values_list(*fields)` as the database driver gives them, `size` at a time
    from one open query (PostgreSQL: a server-side cursor): an export of a million rows reads
    one statement and holds one chunk. The ORM's per-row converters are skipped — the drivers
    give plain fields as Python values already (SQLite's dates through the converters Django
    registers with sqlite3; a decimal column as a float there, a Decimal on PostgreSQL)."""
    sql, params = qs.values_list(*fields).query.sql_with_params()
    with connections[qs.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield from batch


def _compact(ids: Iterable[Any]) -> Sequence[Any]:
    """Integer ids in an array (a million of them is 8 MB), others in a list."""
    items = iter(ids)
    first = next(items, None)
    if first is None:
        return []
    if isinstance(first, int):
        return array("q", chain((first,), items))
    return [first, *items]


def _no_words(user: Any, filters: Any) -> list[str]:
    return []


def _anyone(user: Any) -> bool:
    return True


@dataclass(frozen=True)
class Export:
    kind: str  # the job kind, "<app>.<list>_export"
    title: str  # the sheet, the file name and the title row: 隐患台账
    columns: list[Column]
    filters: type[Filters]
    select: Callable[[Any, Any], QuerySet]  # (user, filters) -> the rows the user may see, filtered
    rows: Callable[[QuerySet], Iterable[Any]] = by_id_chunks  # how the selected rows stream
    cells: bool = False  # `rows` yields each row's cells in the columns' order (no `export` per cell)
    words: Callable[[Any, Any], list[str]] = _no_words  # (user, filters) -> the filters in words
    allowed: Callable[[Any], bool] = _anyone  # the role may export this list at all
    refusal: str = ""  # what a role that may not is told
    back: str = ""  # the list's URL name

    def job(self) -> JobKind:
        return JobKind(self.kind, self.job_title(), self._run, back=self.back, back_label=self.title)

    def job_title(self, words: Sequence[str] = ()) -> str:
        """隐患台账导出, or with the filters: 隐患台账导出（赫山区 · 逾期）."""
        title = _("{title}导出").format(title=self.title)
        return f"{title}（{' · '.join(words)}）" if words else title

    def _run(self, job: Job, progress: Progress) -> JobResult:
        user = job.owner
        if not self.allowed(user):
            raise Forbidden(str(self.refusal))
        filters = self.filters(**job.params.get("filters", {}))
        qs = self.select(user, filters)
        progress.total(qs.count())
        out = self.workbook(user, filters, progress.track(self.rows(qs)))
        return JobResult(content=out, filename=self.filename(), content_type=XLSX_CONTENT_TYPE)

    def workbook(self, user: Any, filters: Any, objects: Iterable[Any]) -> Any:
        heading = Heading(filters=self.words(user, filters))
        return workbook_file(str(self.title), self.columns, objects, heading=heading, cells=self.cells)

    def filename(self) -> str:
        return f"{self.title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_response(request: HttpRequest, export: Export) -> HttpResponseBase:
    """The file at once, or — above the threshold — a job and its page."""
    user = request.user
    if not export.allowed(user):
        raise PermissionDenied(export.refusal)
    filters = export.filters.from_params(request.GET)
    if filters.refused:  # never a file with fewer filters than asked for
        return render(request, "errors/400.html", {"reasons": list(filters.refused.values())}, status=400)
    qs = export.select(user, filters)
    rows = qs.count()
    _log_export(request, export, filters, rows)
    if rows > export_job_rows():
        title = export.job_title(export.words(user, filters))
        job = job_start(owner=user, kind=export.kind, params={"filters": filters.model_dump()}, title=title)
        return redirect("core:job", pk=job.pk)
    out = export.workbook(user, filters, export.rows(qs))
    return FileResponse(out, as_attachment=True, filename=export.filename(), content_type=XLSX_CONTENT_TYPE)


def _log_export(request: HttpRequest, export: Export, filters: Filters, rows: int) -> None:
    """Who exported which list with which filters (the security log)."""
    words = export.words(request.user, filters)
    detail = {"title": str(export.title), "filters": "、".join(words) or _("未加筛选"), "rows": rows}
    record(SecurityKind.EXPORT, request=request, result=SecurityResult.SUCCESS, detail=detail)


def template_response(title: str, columns: list[Column]) -> FileResponse:
    """An empty workbook with the import's headers (red: required)."""
    return FileResponse(
        workbook_file(title, columns, []),
        as_attachment=True,
        filename=f"{title}导入模板.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@dataclass(frozen=True)
class Import:
    kind: str  # the job kind, "<app>.<list>_import"
    title: str
    run: Callable[..., ImportReport]  # (actor=, data=, progress=) -> the report; raises ImportFailed, saving nothing
    back: str = ""  # the URL name of the list it fills
    back_label: str = ""  # that list's name

    def job(self) -> JobKind:
        return JobKind(self.kind, self.title, self._run, back=self.back, back_label=self.back_label)

    def _run(self, job: Job, progress: Progress) -> JobResult:
        return JobResult(report=self.run(actor=job.owner, data=job_upload(job), progress=progress).as_dict())


def import_page(request: HttpRequest, imp: Import, template: str) -> HttpResponse:
    """An import page: the form; after a POST its report, or — a large file — a job and its page.
    A refusal of the file itself (none chosen, too large, not a workbook, beyond the workbook
    guard's limits) stands beside the input; a refused import answers with its status (400,
    413, 415), so nothing but the page says it was saved."""
    form = FormState(IMPORT_FIELDS)
    report, status = None, 200
    if request.method == "POST":
        try:
            data = _uploaded(request.FILES)
            if sheet_rows(data) - 1 > import_job_rows():  # the workbook guard refuses a hostile file here
                return redirect("core:job", pk=job_start(owner=request.user, kind=imp.kind, params={}, upload=data).pk)
            report = imp.run(actor=request.user, data=data)
        except ImportFailed as exc:
            report, status = exc.report, exc.status
        except ServiceError as exc:
            form.fail(exc)
            status = exc.status
    return render(request, template, {"form": form, "report": report}, status=status)


def _uploaded(files: Any) -> bytes:
    inp = Inputs(files)
    upload = inp.read(IMPORT_FIELDS[0])
    inp.check()
    data = upload.read()
    check_size(data)
    return data
