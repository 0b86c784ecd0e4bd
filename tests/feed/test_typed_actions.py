"""Issue 20 item 1: every workflow action served by the API has its own request schema, built
from its table row (so the two cannot disagree), and every action can be called through it."""

from __future__ import annotations

import pytest

from safeloop.accounts.services import token_issue
from safeloop.api.api import api
from safeloop.campaigns.workflow import TASK_FLOW
from safeloop.enforcement.workflow import CASE_FLOW, CLUE_FLOW
from safeloop.flood.workflow import FLOW as DANGER_FLOW
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import TRANSITIONS as HAZARD_TRANSITIONS
from safeloop.inspections.workflow import FLOW as INSPECTION_FLOW
from safeloop.reporting.workflow import REPORT_FLOW

# (path of the actions as in API.md, the table the routes are generated from)
TABLES = {
    "/api/v1/hazards/{hazard_id}/actions/": HAZARD_TRANSITIONS,
    "/api/v1/reports/{report_id}/actions/": REPORT_FLOW.transitions,
    "/api/v1/inspections/{inspection_id}/actions/": [
        t for t in INSPECTION_FLOW.transitions if t.action in ("illegal", "close", "cancel", "rate")
    ],
    "/api/v1/clues/{clue_id}/actions/": CLUE_FLOW.transitions,
    "/api/v1/cases/{case_id}/actions/": CASE_FLOW.transitions,
    "/api/v1/flood/dangers/{danger_id}/actions/": DANGER_FLOW.transitions,
    "/api/v1/campaign-tasks/{task_id}/actions/": [t for t in TASK_FLOW.transitions if t.action != "checklist_done"],
}
# API.md's fixed hazard action names
HAZARD_ACTIONS = {
    *("sign", "confirm", "assign", "submit_plan", "start", "request_extension", "decide_extension"),
    *("submit_rectification", "accept", "reject", "close", "look_back", "reopen", "withdraw"),
}


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def body_schema(schema, path):
    ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_the_hazard_actions_are_the_contract_names():
    assert {t.action for t in HAZARD_TRANSITIONS} >= HAZARD_ACTIONS


@pytest.mark.parametrize("prefix", TABLES)
def test_each_action_has_its_own_schema_from_its_table_row(schema, prefix):
    transitions = TABLES[prefix]
    assert transitions
    names = set()
    for t in transitions:
        body = body_schema(schema, prefix + t.action)
        names.add(body.get("title"))
        assert set(body["properties"]) == {"version", *(f.name for f in t.fields)}, t.action
        assert set(body["required"]) == {"version", *(f.name for f in t.fields if f.required)}, t.action
        for f in t.fields:
            prop = body["properties"][f.name]
            assert prop["title"] == str(f.header)
            assert "type" in prop or "enum" in prop or "anyOf" in prop, (t.action, f.name)
            if f.choices:
                assert prop["enum"] == [value for value, _ in f.choices]
        operation = schema["paths"][prefix + t.action]["post"]
        assert operation["summary"].startswith(str(t.label))
    assert len(names) == len(transitions)  # one schema per action, none shared


def test_no_action_route_without_a_table_row(schema):
    for path in schema["paths"]:
        for prefix, transitions in TABLES.items():
            if path.startswith(prefix):
                assert path.removeprefix(prefix) in {t.action for t in transitions}


def example(prop: dict):
    """A value of the property's declared type (what a generated client would send)."""
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    return {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(kind, "x")


def test_every_hazard_action_is_called_through_its_schema(schema, client, ziyang_user, ziyang_enterprise):
    hazard = hazard_report(
        actor=ziyang_user,
        data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"},
    )
    token, _ = token_issue(user=ziyang_user)
    prefix = "/api/v1/hazards/{hazard_id}/actions/"
    for t in HAZARD_TRANSITIONS:
        body = body_schema(schema, prefix + t.action)
        hazard.refresh_from_db()
        data = {name: example(prop) for name, prop in body["properties"].items() if name in body["required"]}
        data["version"] = hazard.version
        response = client.post(
            prefix.replace("{hazard_id}", str(hazard.pk)) + t.action,
            data,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code in (200, 400, 403, 409), (t.action, response.content)
        if response.status_code != 200:
            assert set(response.json()["error"]) == {"code", "message", "fields"}
        else:
            assert response.json()["id"] == hazard.pk
    # the ones a county regulator may take on a reported hazard went through
    hazard.refresh_from_db()
    assert hazard.status != "reported"
