"""Issue 20 item 6: schemathesis over the served schema for the data-exchange operations and the
typed hazard actions: no 5xx, and every answer matches its declared schema (status, body). Bounded
(SAFELOOP_FUZZ_FEED_EXAMPLES examples per operation, default 25); the whole API's no-5xx fuzz is tests/fuzz."""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.core.transport import Response

from safeloop.accounts.services import token_issue
from safeloop.api.api import api
from safeloop.hazards.services import hazard_report
from tests.fuzz.conftest import FUZZ
from tests.fuzz.test_api import send

EXAMPLES = int(os.environ.get("SAFELOOP_FUZZ_FEED_EXAMPLES", "25"))
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
WANTED = ("GET /api/v1/changes", "POST /api/v1/hazards/{hazard_id}/actions/")
OPERATIONS = [
    op
    for op in (result.ok() for result in SCHEMA.get_all_operations())
    if any(f"{op.method.upper()} {op.path}".startswith(w) for w in WANTED)
]


def as_response(response, case) -> Response:
    """The Django test response as what schemathesis validates."""
    url = f"http://testserver{case.formatted_path}"
    return Response(
        status_code=response.status_code,
        headers={k.lower(): [v] for k, v in response.headers.items()},
        content=response.content,
        request=requests.Request(case.method, url).prepare(),
        elapsed=0.0,
        verify=False,
        encoding="utf-8",
    )


def test_the_feed_and_every_hazard_action_are_covered():
    assert len(OPERATIONS) >= 15


@pytest.mark.django_db
def test_feed_and_action_answers_match_their_schema(client, ziyang_user, ziyang_enterprise):
    hazard = hazard_report(
        actor=ziyang_user,
        data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"},
    )
    token, _ = token_issue(user=ziyang_user)

    @settings(FUZZ, max_examples=EXAMPLES * len(OPERATIONS))
    @given(data=st.data())
    def one(data):
        operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
        case = data.draw(operation.as_strategy(), label="case")
        if "hazard_id" in (case.path_parameters or {}):
            case.path_parameters["hazard_id"] = hazard.pk
        response = send(client, case, token)
        assert response.status_code < 500, case.as_curl_command()
        if response.status_code in (200, 201):
            operation.validate_response(as_response(response, case))

    one()
