"""Issue 20 item 2: the change feed — commit order, cursor, scope with removals, and a client's
copy equal to the database after concurrent writers (run on SQLite and, with DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import close_old_connections

from safeloop.accounts.services import token_issue
from safeloop.core.models import Change
from safeloop.hazards.models import Hazard
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import hazard_act
from safeloop.registry.models import Enterprise
from safeloop.registry.services import enterprise_update
from tests.conftest import HESHAN_TOWN, make_enterprise


def feed(client, user, since=0, **params):
    token, _ = token_issue(user=user)
    response = client.get("/api/v1/changes", {"since": since, **params}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    return response.json()


def drain(client, user, since=0, **params):
    """Every change after `since`, page by page, and the last cursor."""
    seen = []
    while True:
        page = feed(client, user, since, **params)
        seen += page["results"]
        assert page["cursor"] >= since
        since = page["cursor"]
        if not page["more"]:
            return seen, since


def report(user, enterprise):
    return hazard_report(
        actor=user, data={"enterprise": enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"}
    )


def test_changes_come_in_commit_order_and_the_cursor_moves_on(client, ziyang_user, ziyang_enterprise):
    hazard = report(ziyang_user, ziyang_enterprise)
    changes, cursor = drain(client, ziyang_user)
    assert [(c["type"], c["op"]) for c in changes] == [("enterprise", "created"), ("hazard", "created")]
    assert changes[1]["data"]["status"] == "reported" and changes[1]["id"] == hazard.pk
    hazard_act(hazard_id=hazard.pk, actor=ziyang_user, action="confirm", version=hazard.version, data={})
    later, cursor2 = drain(client, ziyang_user, cursor)
    assert [(c["type"], c["id"], c["op"]) for c in later] == [("hazard", hazard.pk, "updated")]
    assert later[0]["data"]["status"] == "confirmed" and later[0]["data"]["version"] == 2
    assert drain(client, ziyang_user, cursor2) == ([], cursor2)  # nothing new: same cursor
    positions = [c["position"] for c in changes + later]
    assert positions == sorted(set(positions))


def test_types_filter_and_page_size(client, ziyang_user, ziyang_enterprise):
    for _ in range(3):
        report(ziyang_user, ziyang_enterprise)
    page = feed(client, ziyang_user, types="hazard", page_size=2)
    assert [c["type"] for c in page["results"]] == ["hazard", "hazard"] and page["more"]
    rest = feed(client, ziyang_user, page["cursor"], types="hazard", page_size=2)
    assert len(rest["results"]) == 1 and not rest["more"]


def test_an_unknown_type_is_a_400_naming_the_field(client, ziyang_user):
    token, _ = token_issue(user=ziyang_user)
    response = client.get("/api/v1/changes", {"types": "hazard,nope"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert "nope" in response.json()["error"]["fields"]["types"]


def test_a_county_sees_nothing_of_another_county(
    client, ziyang_user, heshan_user, ziyang_enterprise, heshan_enterprise
):
    report(ziyang_user, ziyang_enterprise)
    report(heshan_user, heshan_enterprise)
    mine, _ = drain(client, heshan_user)
    assert {(c["type"], c["id"]) for c in mine} == {
        ("enterprise", heshan_enterprise.pk),
        ("hazard", Hazard.objects.get(enterprise=heshan_enterprise).pk),
    }
    assert all(
        c["data"]["region" if c["type"] == "enterprise" else "enterprise"] != ziyang_enterprise.region_id for c in mine
    )


def test_an_object_that_leaves_the_scope_is_a_removal(client, ziyang_user, heshan_user, city_user, ziyang_enterprise):
    _, ziyang_cursor = drain(client, ziyang_user)
    _, heshan_cursor = drain(client, heshan_user)
    enterprise_update(actor=city_user, enterprise=ziyang_enterprise, data={"region": HESHAN_TOWN})
    gone, _ = drain(client, ziyang_user, ziyang_cursor)
    assert [(c["type"], c["id"], c["op"], c["data"]) for c in gone] == [
        ("enterprise", ziyang_enterprise.pk, "deleted", None)
    ]
    arrived, _ = drain(client, heshan_user, heshan_cursor)
    assert [(c["id"], c["op"]) for c in arrived] == [(ziyang_enterprise.pk, "updated")]
    assert arrived[0]["data"]["region"] == HESHAN_TOWN


def test_the_feed_needs_a_token(client):
    assert client.get("/api/v1/changes").status_code == 401


# ---------------------------------------------------------------- concurrent writers


def apply(copy: dict, changes: list[dict]) -> None:
    for c in changes:
        key = (c["type"], c["id"])
        if c["op"] == "deleted":
            copy.pop(key, None)
        else:
            copy[key] = c["data"]


@pytest.mark.django_db(transaction=True)
def test_a_polling_client_copy_equals_the_database_after_concurrent_writers(client, reference, city_user, ziyang_user):
    enterprises = [make_enterprise(name=f"并发测试企业{i}有限公司") for i in range(4)]
    writers, rounds, errors = 4, 8, []

    def write(n: int) -> None:
        rng = random.Random(n)
        try:
            for i in range(rounds):
                enterprise = rng.choice(enterprises)
                if rng.random() < 0.5:
                    report(ziyang_user, enterprise)
                else:
                    current = Enterprise.objects.get(pk=enterprise.pk)
                    try:
                        enterprise_update(
                            actor=city_user, enterprise=current, data={"employees": n * 100 + i}, version=None
                        )
                    except Exception as exc:  # noqa: BLE001
                        errors.append(exc)
                time.sleep(rng.random() / 100)
        finally:
            close_old_connections()

    copy: dict = {}
    seen: list[int] = []
    cursor = 0
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        page = feed(client, city_user, cursor, page_size=7)
        apply(copy, page["results"])
        seen += [c["position"] for c in page["results"]]
        cursor = page["cursor"]
    for t in threads:
        t.join()
    changes, cursor = drain(client, city_user, cursor, page_size=7)
    apply(copy, changes)
    seen += [c["position"] for c in changes]
    assert not errors, [str(e) for e in errors]
    assert len(seen) == len(set(seen)) == Change.objects.count()  # none missed, none twice
    assert seen == sorted(seen)
    database = {("enterprise", e.pk): e.employees for e in Enterprise.objects.all()}
    assert {k: v["employees"] for k, v in copy.items() if k[0] == "enterprise"} == database
    hazards = {("hazard", h.pk): (h.status, h.version) for h in Hazard.objects.all()}
    assert len(hazards) > 0
    assert {k: (v["status"], v["version"]) for k, v in copy.items() if k[0] == "hazard"} == hazards


@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_holds_back_later_writers_so_the_cursor_never_skips_it(client, reference, ziyang_user):
    """A writer that took its number and is still working: a later writer waits for it, so a
    client polling meanwhile cannot see the later change first and move its cursor past the
    earlier one (what a database sequence would allow)."""
    from django.db import transaction

    first, second = make_enterprise(name="长事务企业有限公司"), make_enterprise(name="后到企业有限公司")
    _, cursor = drain(client, ziyang_user)
    took_number = threading.Event()

    def slow() -> None:
        try:
            with transaction.atomic():
                report(ziyang_user, first)
                took_number.set()
                time.sleep(0.6)
        finally:
            close_old_connections()

    def quick() -> None:
        took_number.wait()
        try:
            report(ziyang_user, second)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=slow), threading.Thread(target=quick)]
    for t in threads:
        t.start()
    took_number.wait()
    time.sleep(0.2)
    during = feed(client, ziyang_user, cursor)  # (on SQLite the request's own writes wait for the writers)
    for t in threads:
        t.join()
    after, _ = drain(client, ziyang_user, during["cursor"])
    seen = [c["data"]["enterprise"] for c in during["results"] + after if c["type"] == "hazard"]
    assert seen == [first.pk, second.pk]  # never the later one first


def test_an_expert_sees_the_changes_of_the_enterprises_assigned_to_them(
    client, expert_user, ziyang_user, heshan_user, ziyang_enterprise, heshan_enterprise
):
    """The expert's rule is a subquery of enterprise ids (core.scope), not a list of rows."""
    report(ziyang_user, ziyang_enterprise)
    report(heshan_user, heshan_enterprise)
    mine, _ = drain(client, expert_user)
    assert mine and {c["data"]["enterprise"] for c in mine if c["type"] == "hazard"} == {heshan_enterprise.pk}
    assert all(not (c["type"] == "enterprise" and c["id"] == ziyang_enterprise.pk) for c in mine)
