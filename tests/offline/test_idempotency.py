"""Idempotency-Key on every POST (core/idempotency.py): a repeat answers the first result and
creates nothing; a repeat with other fields or files is 409 `idempotency_key_reused`."""

from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone
from PIL import Image

from safeloop.core.idempotency import NOT_RESULTS, REPLAYED_HEADER, idempotency_purge
from safeloop.core.models import IdempotencyRecord, SecurityEvent, ThrottleHit
from safeloop.core.roles import Role
from safeloop.hazards.models import Attachment, Hazard
from tests.conftest import PASSWORD, make_user

_keys = itertools.count(1)
UNCOUNTED = {IdempotencyRecord, ThrottleHit, SecurityEvent}


def new_key() -> str:
    return f"test-key-{next(_keys):06d}"


def photo(colour: str = "red", name: str = "p.jpg") -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, "JPEG")
    buf.seek(0)
    buf.name = name
    return buf


def rows() -> dict[str, int]:
    """Rows of every table but the idempotency records themselves and the request bookkeeping
    (throttle hits, the security log) — what a repeat must not add to."""
    tables = set(connection.introspection.table_names())  # not the models other tests declare
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m not in UNCOUNTED and m._meta.managed and m._meta.db_table in tables
    }


def token(client, user) -> str:
    answer = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def served_posts(client) -> list[tuple[str, bool]]:
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, ops in schema["paths"].items():
        if "post" in ops:
            content = (ops["post"].get("requestBody") or {}).get("content", {})
            found.append((path, "multipart/form-data" in content))
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def callers(client, enterprise_user, city_user, township_user, expert_user, sysadmin_user, ziyang_user):
    users = [city_user, ziyang_user, township_user, enterprise_user, expert_user, sysadmin_user]
    return [None] + [token(client, user) for user in users]


def send(client, path, multipart, body, key, bearer):
    headers = {"Idempotency-Key": key} | ({"Authorization": f"Bearer {bearer}"} if bearer else {})
    url = "/api/v1" + path
    if multipart:
        return client.post(url, body, headers=headers)
    return client.post(url, body, content_type="application/json", headers=headers)


def test_every_post_of_the_served_openapi_honours_the_key(client, callers):
    posts = served_posts(client)
    assert len(posts) >= 20, posts  # the whole API, not a handful
    honoured = []
    for path, multipart in posts:
        url = concrete(path)
        for bearer in callers:
            key = new_key()
            body = {"description": "幂等测试"} if multipart else {"note": "幂等测试"}
            first = send(client, url, multipart, body, key, bearer)
            if first.status_code in NOT_RESULTS or first.status_code >= 500:
                assert REPLAYED_HEADER not in first
                continue  # not a result: the same key may be sent again; try another caller
            before = rows()
            again = send(client, url, multipart, body, key, bearer)
            assert again.status_code == first.status_code, path
            assert again.content == first.content, path
            assert again[REPLAYED_HEADER] == "true", path
            assert rows() == before, f"a repeat of {path} created something"
            other = {"description": "另一份"} if multipart else {"note": "另一份"}
            reused = send(client, url, multipart, other, key, bearer)
            assert reused.status_code == 409, path
            assert reused.json()["error"]["code"] == "idempotency_key_reused"
            assert rows() == before
            honoured.append(path)
            break
    assert sorted(honoured) == sorted(path for path, _ in posts), {p for p, _ in posts} - set(honoured)


def test_a_repeated_hazard_report_creates_one_hazard_with_its_photos(client, enterprise_user):
    bearer = token(client, enterprise_user)
    body = {"description": "储罐区静电接地线断开", "level": "general", "source": "self_check", "location": "储罐区"}
    key = new_key()
    first = send(client, "/hazards", False, body, key, bearer)
    assert first.status_code == 201, first.content
    hazard_id = first.json()["id"]
    second = send(client, "/hazards", False, body, key, bearer)
    assert second.json() == first.json()
    assert Hazard.objects.filter(enterprise=enterprise_user.enterprise).count() == 1

    upload_key = new_key()
    url = f"/hazards/{hazard_id}/attachments"
    one = send(client, url, True, {"file": photo("red"), "kind": "hazard"}, upload_key, bearer)
    assert one.status_code in (200, 201), one.content
    two = send(client, url, True, {"file": photo("red"), "kind": "hazard"}, upload_key, bearer)
    assert two.json() == one.json()
    assert Attachment.objects.filter(hazard_id=hazard_id).count() == 1
    other_file = send(client, url, True, {"file": photo("blue"), "kind": "hazard"}, upload_key, bearer)
    assert other_file.status_code == 409
    assert other_file.json()["error"]["code"] == "idempotency_key_reused"
    assert Attachment.objects.filter(hazard_id=hazard_id).count() == 1


def test_the_key_belongs_to_the_user_whatever_the_token(client, enterprise_user):
    """After a new sign-in (a new token, or a session) the same key still meets its first answer."""
    body = {"description": "配电箱未接地", "level": "general", "source": "self_check"}
    key = new_key()
    first = send(client, "/hazards", False, body, key, token(client, enterprise_user))
    again = send(client, "/hazards", False, body, key, token(client, enterprise_user))
    assert again.json() == first.json()
    assert Hazard.objects.count() == 1


def test_another_account_never_meets_the_first_answer(client, enterprise_user, ziyang_enterprise):
    other = make_user(Role.ENTERPRISE, enterprise=ziyang_enterprise)
    body = {"description": "消防通道堵塞", "level": "general", "source": "self_check"}
    key = new_key()
    send(client, "/hazards", False, body, key, token(client, enterprise_user))
    theirs = send(client, "/hazards", False, body, key, token(client, other))
    assert theirs.status_code == 201
    assert REPLAYED_HEADER not in theirs
    assert Hazard.objects.count() == 2


def test_an_expired_token_is_not_a_result_and_the_key_can_be_sent_again(client, enterprise_user):
    body = {"description": "配电箱未接地", "level": "general", "source": "self_check"}
    key = new_key()
    refused = send(client, "/hazards", False, body, key, "expired-token")
    assert refused.status_code == 401
    sent = send(client, "/hazards", False, body, key, token(client, enterprise_user))
    assert sent.status_code == 201
    assert Hazard.objects.count() == 1


def test_page_forms_honour_the_key_too(client, login, enterprise_user):
    login(enterprise_user)
    form = {"description": "叉车无证驾驶", "level": "general", "source": "self_check", "location": "仓库"}
    form |= {"found_on": timezone.localdate().isoformat(), "finder_name": "张三"}
    key = new_key()
    first = client.post("/hazards/new/", form, headers={"Idempotency-Key": key})
    assert first.status_code == 302, first.content.decode()[:2000]
    again = client.post("/hazards/new/", form, headers={"Idempotency-Key": key})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Hazard.objects.count() == 1
    receipt = client.get(f"/offline/receipts/{key}").json()
    assert receipt["status"] == 302 and receipt["location"] == first["Location"]
    assert client.get("/offline/receipts/never-sent-key").status_code == 404


def test_a_malformed_key_is_refused_naming_the_header(client, enterprise_user):
    answer = send(client, "/hazards", False, {}, "short", token(client, enterprise_user))
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["error"]["fields"]


def test_the_daily_purge_removes_records_past_the_retention(client, enterprise_user, settings):
    settings.SAFELOOP_IDEMPOTENCY_HOURS = 24
    send(
        client,
        "/hazards",
        False,
        {"description": "旧的", "level": "general", "source": "self_check"},
        new_key(),
        token(client, enterprise_user),
    )
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        assert idempotency_purge.call() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert idempotency_purge.call() == 1
    assert not IdempotencyRecord.objects.exists()
