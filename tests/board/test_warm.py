"""The board's store filled before anyone asks (issue 19: the province board's first open at
--scale 40): every scope and region the board is opened at, through the task worker."""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command

from safeloop.board import selectors as sel
from safeloop.board import store, tasks
from safeloop.core.schedule import daily_tasks, period_hours
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def store_dir():
    from django.conf import settings

    return settings.SAFELOOP_BOARD_STORE


def _no_computing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("computed while the request waits")

    monkeypatch.setattr(sel, "payload", refuse)


def test_the_warm_up_covers_every_scope_at_its_area_and_where_it_drills(board_city):
    users = board_city["users"]
    keys = {tasks.payload_key(user, code) for user, code in tasks.warm_targets()}
    assert {"r430900:430900", "r430900:430902", "r430900:430903", "r430902:430902"} <= keys
    assert f"r430902:{ZIYANG_TOWN}" in keys and f"r430903:{HESHAN_TOWN}" in keys  # a county's townships
    assert "r430902:430903" not in keys  # never a region outside the scope
    assert users["enterprise"] not in tasks.scope_users()  # no board, nothing computed for it


def test_after_the_command_every_first_open_is_served_from_the_store(login, board_city, monkeypatch, capsys):
    call_command("board_warm")
    assert f"{len(tasks.warm_targets())} 份" in capsys.readouterr().out
    _no_computing(monkeypatch)
    city = login(board_city["users"]["city"])
    for region in ("430900", "430902", "430903"):
        assert city.get("/board/data.json", {"region": region}).json()["region"]["code"] == region
    assert any(p.name.startswith("outline-430900-") for p in store_dir().iterdir())


def test_the_warm_up_is_a_scheduled_job_that_refreshes_every_target_in_the_worker(
    login, board_city, settings, monkeypatch
):
    settings.TASKS = IMMEDIATE
    assert tasks.board_warm in daily_tasks() and period_hours(tasks.board_warm) == tasks.WARM_HOURS
    assert tasks.WARM_HOURS * 3600 < store.KEEP  # every scope always has figures to serve
    result = tasks.board_warm.enqueue()
    assert result.return_value["enqueued"] == len(tasks.warm_targets()) and result.return_value["failed"] == 0
    _no_computing(monkeypatch)
    for user, region in (("city", "430902"), ("ziyang", ZIYANG_TOWN), ("heshan", "430903")):
        response = login(board_city["users"][user]).get("/board/data.json", {"region": region})
        assert response.status_code == 200 and response.json()["region"]["code"] == region


def test_a_stale_payload_asks_the_worker_once_and_a_lost_scope_refreshes_nothing(login, board_city, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    city = board_city["users"]["city"]
    client = login(city)
    client.get("/board/data.json", {"region": "430900"})
    old = time.time() - 600
    os.utime(store._path("r430900:430900"), (old, old))
    for _ in range(3):
        assert client.get("/board/data.json", {"region": "430900"}).status_code == 200
    [asked] = DBTaskResult.objects.filter(task_path=tasks.board_refresh.module_path)  # asked once
    assert asked.args_kwargs["args"] == [city.pk, "430900"] and asked.priority < 0  # behind users' jobs
    cache.clear()
    assert tasks.board_refresh.call(city.pk, "430900") is True  # the worker computes it
    assert tasks.board_refresh.call(city.pk, "430900") is False  # stored just now: skipped
    ziyang = board_city["users"]["ziyang"]
    assert tasks.board_refresh.call(ziyang.pk, "430903") is False  # not its area: nothing stored
    assert store.age("r430902:430903") is None
