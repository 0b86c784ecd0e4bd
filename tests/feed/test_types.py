"""Issue 20: every workflow module's objects are in the feed under the names docs/api.md and the
OpenAPI description list, and the `types` filter takes each of them."""

from __future__ import annotations

import re
from pathlib import Path

from safeloop.api.changes import FEED_TYPES_DESCRIPTION
from safeloop.core.changes import feed_types
from tests.feed.helpers import feed

MODULE_TYPES = {
    *("enterprise", "hazard", "accident", "checklist", "inspection", "campaign", "campaign_task"),
    *("stationing", "report", "duty_task", "clue", "case", "flood_patrol", "flood_danger", "flood_alert"),
    "briefing",
}


def test_every_workflow_module_joined_the_feed():
    assert set(feed_types()) == MODULE_TYPES


def test_the_docs_and_the_openapi_description_list_every_type():
    listed = set(FEED_TYPES_DESCRIPTION.split("可选：")[1].replace(" ", "").split(","))
    assert listed == set(feed_types())
    table = Path(__file__).resolve().parents[2] / "docs" / "api.md"
    text = table.read_text().split("### Change feed")[1].split("###")[0]
    documented = {name for row in re.findall(r"^\| (`[^|]+`) \|", text, re.M) for name in re.findall(r"`(\w+)`", row)}
    assert documented - {"type"} == set(feed_types())  # (the header names the column `type`)


def test_each_type_is_a_filter_and_an_unknown_one_is_a_400_naming_the_field(client, ziyang_user):
    for name in feed_types():
        assert feed(client, ziyang_user, types=name)["results"] == []
    from safeloop.accounts.services import token_issue

    token, _ = token_issue(user=ziyang_user)
    response = client.get(
        "/api/v1/changes", {"types": "clue,campaign_tasks"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert "campaign_tasks" in response.json()["error"]["fields"]["types"]
