"""Background jobs: a large export or import runs in the task worker while the page shows its
progress, and ends with a download link that expires (pretix style). One piece for every app.

An app registers each kind of job once, in `AppConfig.ready()`:

    register_job(JobKind("hazards.ledger_export", _("隐患台账导出"), run_ledger_export))

where `run(job, progress) -> JobResult` reads `job.params` (what the user asked for, e.g. the
filters) and `job_upload(job)` (an import's file), calls `progress.total(n)` and
`progress.advance(k)` (or iterates `progress.track(rows)`) as it goes, and returns the file
(and/or a report for an import), or a link to what it made (`JobResult.link`: a generated
draft's page, which checks the owner's scope itself). It runs as `job.owner`, with the scope the owner has when it
runs. The view starts it with `job_start(...)` and redirects to the job's page; `run_now` runs
small work in the request instead. `core.bulk` declares the exports and imports that use this.
When a background job ends, every function registered with `on_job_finished` hears of it
(the notification centre tells the owner).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from safeloop.core.errors import ServiceError
from safeloop.core.models import Job, JobState
from safeloop.core.schedule import each

logger = logging.getLogger("safeloop.jobs")
PROGRESS_EVERY_SECONDS = 0.5
UPLOAD = "upload"  # the params key of an import's stored file
T = TypeVar("T")


@dataclass
class JobResult:
    content: bytes | IO[bytes] | None = None  # the file to offer for download, if any
    filename: str = ""
    content_type: str = "application/octet-stream"
    report: dict[str, Any] | None = None  # what an import tells the user (counts, errors)
    link: str = ""  # what the job made, if it is a page (a generated draft): linked from the job's page
    link_label: str = ""  # that link's words (查看通报草稿)


@dataclass(frozen=True)
class JobKind:
    kind: str
    title: str
    run: Callable[[Job, Progress], JobResult]
    back: str = ""  # the URL name of the page the job belongs to, linked from the job's page
    back_label: str = ""  # that page's name (隐患台账)
    unit: str = ""  # what its progress counts (段); rows (条) by default


_KINDS: dict[str, JobKind] = {}
_ON_FINISHED: list[Callable[[Job], None]] = []


def register_job(kind: JobKind) -> None:
    _KINDS[kind.kind] = kind


def on_job_finished(fn: Callable[[Job], None]) -> None:
    """A higher app tells the owner (the notification centre registers itself here)."""
    if fn not in _ON_FINISHED:
        _ON_FINISHED.append(fn)


def job_kind(kind: str) -> JobKind:
    return _KINDS[kind]


@dataclass
class Progress:
    """Writes the job's progress at most twice a second, so a million rows cost a few hundred updates.

    On SQLite an export's query stays open while the rows stream (`iterator()`), and a write on
    a connection whose read snapshot is older than another process's commit fails ("database is
    locked", whatever the timeout): progress is then written through a second connection of
    its own (`_Side`), closed when the job ends. Inside a transaction (a test) it is written
    on the job's connection, which alone sees the job."""

    job: Job
    _last: float = field(default=0.0)
    _side: _Side | None = field(default=None)

    def total(self, count: int) -> None:
        self.job.total = count
        Job.objects.filter(pk=self.job.pk).update(total=count)

    def advance(self, count: int = 1) -> None:
        self.job.done += count
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY_SECONDS:
            self._last = now
            try:
                self._write_done()
            except OperationalError:  # the database busy (SQLite): the next write says more
                logger.warning("progress of job %s not written", self.job.pk)

    def _write_done(self) -> None:
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(done=self.job.done)
            return
        if self._side is None:
            self._side = _Side()
        self._side.write_done(self.job)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """The items, advancing by one for each (an export's row loop)."""
        for item in items:
            yield item
            self.advance()


class _Side:
    """A second connection to the default database, for progress alone (see `Progress`)."""

    def __init__(self) -> None:
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        ops, meta = self.connection.ops, Job._meta
        column = meta.pk.column or "id"
        table, done, pk = ops.quote_name(meta.db_table), ops.quote_name("done"), ops.quote_name(column)
        self.sql = f"UPDATE {table} SET {done} = %s WHERE {pk} = %s"  # noqa: S608 - names from the model

    def write_done(self, job: Job) -> None:
        key = Job._meta.pk.get_db_prep_value(job.pk, self.connection)
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, [job.done, key])

    def close(self) -> None:
        self.connection.close()


# ---------------------------------------------------------------- starting and running


def job_start(*, owner: Any, kind: str, params: dict[str, Any], upload: bytes | None = None, title: str = "") -> Job:
    """Record the job and hand it to the worker once the request's transaction commits. An
    import's file is kept in storage (under jobs/) until the job has run. `title` says what
    this job is doing (隐患台账导出（赫山区 · 逾期）); by default the kind's title."""
    spec = job_kind(kind)
    name = (title or str(spec.title))[: Job._meta.get_field("title").max_length]
    job = Job.objects.create(kind=kind, title=name, owner=owner, params=params)
    if upload is not None:
        job.params = {**params, UPLOAD: default_storage.save(f"jobs/{job.pk}/upload.xlsx", ContentFile(upload))}
        Job.objects.filter(pk=job.pk).update(params=job.params)
    job_id = str(job.pk)
    transaction.on_commit(lambda: run_job.enqueue(job_id))
    return job


def job_upload(job: Job) -> bytes:
    with default_storage.open(job.params[UPLOAD]) as stored:
        return stored.read()


def run_now(*, owner: Any, kind: str, params: dict[str, Any]) -> Job:
    """Run a small job within the request (below the background threshold); same result row."""
    job = Job.objects.create(kind=kind, title=str(job_kind(kind).title), owner=owner, params=params)
    job_execute(job)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: str) -> str:
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(state=JobState.RUNNING)
    job = Job.objects.filter(pk=job_id).first() if claimed else None
    if job is None:
        return "gone"  # run already (by another worker too), or deleted
    job_execute(job)
    _tell(job)
    return job.state


def job_execute(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    progress = Progress(job)
    try:
        result = job_kind(job.kind).run(job, progress)
    except ServiceError as exc:  # a refusal the user can act on (an import's errors, a scope change)
        _finish(job, state=JobState.FAILED, error=exc.message[:500], report=_report_of(exc))
        return
    except Exception:  # noqa: BLE001 - the worker must record every failure for the user
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, state=JobState.FAILED, error=_("处理时出现错误，请稍后重试；如仍失败请联系系统管理员。"))
        return
    finally:
        progress.close()
    _finish(job, state=JobState.DONE, **_stored(job, result))


def _report_of(exc: ServiceError) -> dict[str, Any] | None:
    report: Any = getattr(exc, "report", None)  # an import's row/column errors (core.xlsx.ImportFailed)
    return report.as_dict() if hasattr(report, "as_dict") else None


def _stored(job: Job, result: JobResult) -> dict[str, Any]:
    values: dict[str, Any] = {"report": result.report, "result_url": result.link, "result_label": result.link_label}
    if result.content is not None:
        content = ContentFile(result.content) if isinstance(result.content, bytes) else File(result.content)
        with content:
            values["result_file"] = default_storage.save(f"jobs/{job.pk}/result", content)
        values["result_name"] = result.filename
        values["result_type"] = result.content_type
    return values


def _finish(job: Job, *, state: str, **values: Any) -> None:
    now = timezone.now()
    hours = getattr(settings, "SAFELOOP_JOB_HOURS", 24)
    done = {"done": job.total} if state == JobState.DONE and job.total else {"done": job.done}
    Job.objects.filter(pk=job.pk).update(
        state=state, finished_at=now, expires_at=now + timedelta(hours=hours), **done, **values
    )
    if job.params.get(UPLOAD):
        default_storage.delete(job.params[UPLOAD])  # the import has read it; the report stays
    job.refresh_from_db()


def _tell(job: Job) -> None:
    for fn in _ON_FINISHED:
        try:
            fn(job)
        except Exception:  # noqa: BLE001 - telling the owner must not undo the finished job
            logger.exception("telling the owner of job %s failed", job.pk)


# ---------------------------------------------------------------- reading


def job_get(user: Any, pk: Any) -> Job:
    """A job is its owner's alone: anyone else gets the same 404 as for a job that does not exist."""
    job = Job.objects.filter(pk=pk, owner_id=user.pk).first() if user.is_authenticated else None
    if job is None:
        raise Http404
    return job


def job_download(user: Any, pk: Any) -> Job:
    job = job_get(user, pk)
    if job.state != JobState.DONE or not job.result_file or job_expired(job):
        raise Http404
    return job


def job_back(job: Job) -> tuple[str, str] | None:
    """The page the job belongs to, (URL name, its name), for the job's page; None if unknown."""
    spec = _KINDS.get(job.kind)
    return (spec.back, str(spec.back_label or spec.title)) if spec and spec.back else None


def job_unit(job: Job) -> str:
    """What the job's progress counts, for "已处理 3 / 10 段"."""
    spec = _KINDS.get(job.kind)
    return str(spec.unit) if spec and spec.unit else _("条")


def job_expired(job: Job) -> bool:
    return job.expires_at is not None and job.expires_at <= timezone.now()


def jobs_recent(user: Any, limit: int = 10) -> list[Job]:
    return list(Job.objects.filter(owner_id=user.pk)[:limit])


# ---------------------------------------------------------------- housekeeping


@task()
def jobs_expire() -> dict:
    """Delete the files of expired jobs (daily); the rows stay as a record of who exported what.
    A job still queued or running a day after it was started was cut off (a worker stopped):
    it is marked as not done, so its page stops waiting. A file that cannot be deleted is logged
    and the others still are (`core.schedule.each`)."""
    now = timezone.now()
    cut_off = now - timedelta(hours=getattr(settings, "SAFELOOP_JOB_HOURS", 24))
    Job.objects.filter(state__in=(JobState.QUEUED, JobState.RUNNING), created_at__lt=cut_off).update(
        state=JobState.FAILED, error=_("任务被中断，未能完成，请重新发起。"), finished_at=now, expires_at=now
    )
    expired = Job.objects.filter(expires_at__lte=now).exclude(result_file="")
    tally = each(list(expired), _expire, job="jobs_expire")
    return {"deleted": tally.done, "failed": tally.failed, "failures": tally.failures}


def _expire(job: Job) -> None:
    default_storage.delete(job.result_file)
    Job.objects.filter(pk=job.pk).update(result_file="")
