"""Issue 20 item 5: the whole visible set streamed as JSON Lines or CSV, and the feed cursor to follow it."""

from __future__ import annotations

import csv
import io
import json

from safeloop.accounts.services import token_issue
from safeloop.hazards.services import hazard_report
from safeloop.registry.services import enterprise_update
from tests.conftest import make_enterprise


def get(client, user, path, **params):
    token, _ = token_issue(user=user)
    return client.get(f"/api/v1{path}", params, headers={"Authorization": f"Bearer {token}"})


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_enterprises_export_streams_every_visible_one_beyond_a_chunk(client, ziyang_user, heshan_enterprise, settings):
    from safeloop.core import changes

    mine = [make_enterprise(name=f"导出企业{i}有限公司") for i in range(5)]
    old, changes.EXPORT_CHUNK = changes.EXPORT_CHUNK, 2  # several chunks
    try:
        response = get(client, ziyang_user, "/enterprises/export")
        lines = [json.loads(line) for line in body(response).splitlines()]
    finally:
        changes.EXPORT_CHUNK = old
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-ndjson")
    assert [row["id"] for row in lines] == sorted(e.pk for e in mine)  # the other county's is not there
    assert lines[0]["name"] == "导出企业0有限公司" and "name_initials" not in lines[0]


def test_hazards_export_as_csv_with_a_header(client, ziyang_user, ziyang_enterprise, heshan_user, heshan_enterprise):
    data = {"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"}
    hazard = hazard_report(actor=ziyang_user, data=data)
    hazard_report(actor=heshan_user, data=data | {"enterprise": heshan_enterprise.pk})
    response = get(client, ziyang_user, "/hazards/export", format="csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert response["Content-Type"].startswith("text/csv")
    assert [(int(r["id"]), r["code"], r["status"]) for r in rows] == [(hazard.pk, hazard.code, "reported")]


def test_the_export_cursor_lets_the_feed_take_over(client, ziyang_user, city_user, ziyang_enterprise):
    response = get(client, ziyang_user, "/enterprises/export")
    body(response)
    cursor = int(response["X-Changes-Cursor"])
    enterprise_update(actor=city_user, enterprise=ziyang_enterprise, data={"employees": 77})
    page = get(client, ziyang_user, "/changes", since=cursor).json()
    assert [(c["id"], c["data"]["employees"]) for c in page["results"]] == [(ziyang_enterprise.pk, 77)]


def test_a_bad_format_is_a_400_naming_it(client, ziyang_user):
    response = get(client, ziyang_user, "/hazards/export", format="xml")
    assert response.status_code == 400 and "format" in response.json()["error"]["fields"]
