"""A job's progress is written while its export's query is still streaming, even after another
connection has written to the database meanwhile (SQLite: a write on the streaming connection
would then fail with "database is locked", so progress has a connection of its own there)."""

import threading

import pytest
from django.db import connections

from safeloop.core import jobs
from safeloop.core.bulk import stream_values
from safeloop.core.models import Job
from safeloop.registry.models import Region

pytestmark = pytest.mark.django_db(transaction=True)


def write_elsewhere(job_pk) -> None:
    """Another process's commit (a thread has its own connection)."""
    try:
        Job.objects.filter(pk=job_pk).update(title="别处写入")
    finally:
        connections.close_all()


def test_progress_is_written_while_the_rows_stream_after_another_commit(city_user, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0)
    job = Job.objects.create(kind="t.stream", title="测试", owner=city_user, params={})
    progress = jobs.Progress(job)
    rows = stream_values(Region.objects.order_by("code"), ["code"], size=2)
    next(rows)  # the query is open now, its snapshot taken
    other = threading.Thread(target=write_elsewhere, args=(job.pk,))
    other.start()
    other.join()
    try:
        progress.advance(3)
    finally:
        rows.close()  # (a read on the streaming connection would see its old snapshot)
        progress.close()
    assert Job.objects.values_list("done", "title").get(pk=job.pk) == (3, "别处写入")
    assert progress._side is None  # its own connection (SQLite) is closed with the job
    assert sum(1 for _ in stream_values(Region.objects.all(), ["code"])) == Region.objects.count() > 2
