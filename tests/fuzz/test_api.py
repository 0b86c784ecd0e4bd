"""Fuzz the API from its OpenAPI document with schemathesis: every operation, bodies generated
from the request schemas' types (and, negatively, against them), path ids that exist and ones
that do not, as every demo role with a fresh token. No request may give a 5xx."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from safeloop.accounts.services import token_issue
from safeloop.api.api import api
from tests.fuzz.conftest import ANSWERS, API_EXAMPLES, FUZZ, STATS

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
ID_PARAMETERS = ("enterprise_id", "hazard_id", "accident_id", "disaster_id", "response_id")


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 45
    assert {"PATCH /api/v1/enterprises/{enterprise_id}", "POST /api/v1/hazards/{hazard_id}/actions/confirm"} <= {
        f"{op.method.upper()} {op.path}" for op in OPERATIONS
    }


def send(client: Client, case, token: str):
    """The case as a request through Django's test client (the test's transaction and database)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {token}"}
    prepared = requests.Request(
        **{key: kwargs[key] for key in ("method", "url", "headers", "params", "json", "data", "files") if key in kwargs}
    ).prepare()
    url = urlsplit(prepared.url)
    headers = {k: v for k, v in prepared.headers.items() if k.lower() not in ("content-type", "content-length")}
    body = prepared.body or b""
    return client.generic(
        prepared.method,
        f"{url.path}?{url.query}" if url.query else url.path,
        data=body.encode() if isinstance(body, str) else body,
        content_type=prepared.headers.get("Content-Type", "application/octet-stream"),
        headers=headers,
    )


@pytest.mark.django_db
def test_no_api_request_gives_a_server_error(world):
    client = Client()
    roles = sorted(world.users)
    strategies = {
        op: st.one_of(op.as_strategy(GenerationMode.POSITIVE), op.as_strategy(GenerationMode.NEGATIVE))
        for op in OPERATIONS
    }
    started = time.monotonic()

    @settings(FUZZ, max_examples=API_EXAMPLES)
    @given(data=st.data())
    def one(data):
        operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
        case = data.draw(strategies[operation], label="case")
        for name in ID_PARAMETERS:  # half the time an id that exists
            if case.path_parameters and name in case.path_parameters and data.draw(st.booleans(), label=name):
                case.path_parameters[name] = data.draw(st.sampled_from(world.ints), label=f"{name} value")
        token, _ = token_issue(user=world.users[data.draw(st.sampled_from(roles), label="role")])
        response = send(client, case, token)
        STATS["api"] += 1
        ANSWERS["api"][response.status_code] += 1
        assert response.status_code < 500, case.as_curl_command()

    one()
    STATS["api_seconds"] += time.monotonic() - started
