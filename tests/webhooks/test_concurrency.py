"""Two pumps at once, while writers write: every change the subscriber may see is in exactly one
delivery (the subscription's row lock around reading the feed and moving the cursor), and the
task rows the commits leave are what the worker runs (the database backend, with `run_after`
for a retry). Run on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import OperationalError, connection

from safeloop.core.changes import feed_page
from safeloop.hazards.services import hazard_report
from safeloop.webhooks.delivery import collect
from safeloop.webhooks.models import Delivery
from safeloop.webhooks.services import subscription_create, target_allow
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise


def _retried(write, attempts: int = 20) -> None:
    """SQLite refuses a writer that waited out its busy timeout ("database is locked") on a loaded
    machine: the writer tries again, as a user would; the feed's guarantee is about what commits."""
    for attempt in range(attempts):
        try:
            write()
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_concurrent_pumps_put_each_change_in_exactly_one_delivery(reference, sysadmin_user, ziyang_user, heshan_user):
    target_allow(actor=sysadmin_user, data={"prefix": "http://127.0.0.1:9/"})
    sub, _secret = subscription_create(
        actor=sysadmin_user, data={"name": "并发", "url": "http://127.0.0.1:9/hook", "owner": ziyang_user.username}
    )
    ours, theirs = make_enterprise(region=ZIYANG_TOWN), make_enterprise(region=HESHAN_TOWN)
    writing, errors = threading.Event(), []
    writing.set()

    def write() -> None:
        try:
            for i in range(12):
                user, enterprise = (ziyang_user, ours) if i % 2 else (heshan_user, theirs)
                data = {"enterprise": enterprise.pk, "source": "regulator", "description": f"并发隐患{i}"}
                _retried(lambda: hazard_report(actor=user, data=data))  # noqa: B023 - called at once
                time.sleep(0.01)
        finally:
            writing.clear()
            connection.close()  # this thread's own connection (else the test database stays in use)

    def pump() -> None:
        try:
            while writing.is_set():
                try:
                    collect(sub.pk)
                except Exception as exc:  # noqa: BLE001 - SQLite may refuse a writer that waited too long
                    errors.append(exc)
            collect(sub.pk)
        finally:
            connection.close()  # this thread's own connection (else the test database stays in use)

    threads = [threading.Thread(target=write), threading.Thread(target=pump), threading.Thread(target=pump)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    collect(sub.pk)
    bodies = [json.loads(body) for body in Delivery.objects.values_list("body", flat=True)]
    delivered = sorted((c["position"], c["type"]) for body in bodies for c in body["changes"])
    expected = [(c["position"], c["type"]) for c in feed_page(ziyang_user, since=sub.cursor, page_size=1000)[0]]
    assert delivered == expected  # none missed, none twice
    assert [kind for _position, kind in delivered] == ["enterprise"] + ["hazard"] * 6  # nothing of 赫山区
    spans = sorted(Delivery.objects.values_list("first", "last"))
    assert all(a_last < b_first for (_a, a_last), (b_first, _b) in zip(spans, spans[1:], strict=False))
    assert len(errors) < 50, errors[:3]


def test_a_commit_leaves_a_task_row_for_the_worker_and_a_failure_a_deferred_one(
    settings, sysadmin_user, ziyang_user, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from safeloop.webhooks.delivery import webhooks_pump

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    target_allow(actor=sysadmin_user, data={"prefix": "http://127.0.0.1:9/"})  # discard port: nobody listens
    subscription_create(
        actor=sysadmin_user, data={"name": "任务", "url": "http://127.0.0.1:9/hook", "owner": ziyang_user.username}
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_enterprise(region=ZIYANG_TOWN)
    queued = DBTaskResult.objects.filter(task_path__endswith="webhooks_pump")
    assert queued.count() == 1 and not Delivery.objects.exists()  # the commit sent nothing itself
    now = queued.get()
    webhooks_pump.call()
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1 and delivery.status == "pending"
    retry = queued.exclude(pk=now.pk).get()
    assert retry.run_after == delivery.next_attempt_at and now.run_after > retry.run_after  # 9999: at once
