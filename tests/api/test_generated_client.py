# ruff: noqa: F811  (fixtures imported from tests/hazards/conftest.py are parameters here)
"""Issue 20: a client generated from the served `/api/v1/openapi.json` (openapi-python-client, as
a client's developer would) calls every hazard workflow action and actions of the flood,
enforcement and reporting modules, each with its generated request model, and parses each
answer with its generated response model; every action route has its generated function. The requests go through Django in-process (httpx's WSGI transport), inside the
test's transaction."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from safeloop.accounts.services import token_issue
from safeloop.enforcement.models import Case
from safeloop.enforcement.services import clue_record
from safeloop.flood.models import Danger
from safeloop.flood.services import patrol_record
from safeloop.hazards.models import Hazard
from safeloop.hazards.services import attachment_add, hazard_report
from safeloop.hazards.workflow import TRANSITIONS as HAZARD_TRANSITIONS
from safeloop.reporting.services import report_submit
from tests.enforcement.conftest import PHONE_CLUE, recorder, ziyang_emergency  # noqa: F401 (fixtures)
from tests.flood.conftest import point  # noqa: F401 (a fixture)
from tests.hazards.conftest import PLAN, boss, expert, photo, worker  # noqa: F401 (boss, expert, worker: fixtures)
from tests.reporting.conftest import submission

GENERATE_TIMEOUT = 120  # seconds; a generation takes ~2 s of CPU (~10 s on a loaded machine)
PACKAGE = "sl_client"
TODAY = "2026-11-02 09:00 +0800"
LATER = "2027-03-01 09:00 +0800"  # after every look-back is due


@pytest.fixture(scope="session")
def generated(tmp_path_factory, django_db_blocker):
    """The client package generated from the served schema, imported."""
    root = tmp_path_factory.mktemp("client")
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec, config = root / "openapi.json", root / "config.json"
    spec.write_text(json.dumps(response.json(), ensure_ascii=False))
    config.write_text(json.dumps({"post_hooks": []}))  # no formatter run on the generated code
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec), "--meta", "none"]
    command += ["--output-path", str(root / PACKAGE), "--config", str(config)]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=GENERATE_TIMEOUT, check=False, cwd=root)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - started < GENERATE_TIMEOUT
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))


@pytest.fixture
def in_process():
    """Django's request signals close the database connection after each request (a server's
    behaviour); in-process, inside the test's transaction, they must not (as Django's test client)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


class Caller:
    """Call one action route through the generated client, as `user`."""

    def __init__(self, generated, user):
        token, _ = token_issue(user=user)
        transport = httpx.WSGITransport(app=get_wsgi_application())
        client_module = importlib.import_module(f"{PACKAGE}.client")
        self.client = client_module.AuthenticatedClient(
            base_url="http://testserver", token=token, httpx_args={"transport": transport}
        )

    def act(self, module: str, model: str, ids: dict, body: dict):
        endpoint = importlib.import_module(f"{PACKAGE}.api.{module}")
        request = getattr(importlib.import_module(f"{PACKAGE}.models"), model).from_dict(body)
        return endpoint.sync_detailed(client=self.client, body=request, **ids)


def camel(action: str) -> str:
    return "".join(part.capitalize() for part in action.split("_"))


class HazardLoop:
    """A hazard driven through the generated client, always with its current version."""

    def __init__(self, generated, hazard: Hazard):
        self.generated, self.hazard, self.done = generated, hazard, []

    def act(self, user, action: str, **data):
        self.hazard.refresh_from_db()
        body = {"version": self.hazard.version, **data}
        if data.get("attachments") == "upload":
            body["attachments"] = [attachment_add(actor=user, hazard_id=self.hazard.pk, upload=photo()).pk]
        module, model = f"隐患闭环.hazard_action_{action}", f"HazardAction{camel(action)}In"
        answer = Caller(self.generated, user).act(module, model, {"hazard_id": self.hazard.pk}, body)
        assert answer.status_code == 200, (action, answer.content)
        assert answer.parsed is not None and answer.parsed.id == self.hazard.pk, action  # the generated HazardOut
        self.done.append(action)


def test_every_hazard_action_through_the_generated_client(
    settings,
    in_process,
    generated,
    ziyang_user,
    city_user,
    ziyang_enterprise,
    expert,
    boss,
    worker,
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True  # a server error fails with its traceback
    major = {"enterprise": ziyang_enterprise.pk, "source": "regulator", "level": "major", "clause": "化工121-12"}
    with time_machine.travel(TODAY, tick=False):
        listed = HazardLoop(generated, hazard_report(actor=ziyang_user, data=major | {"description": "未设报警"}))
        for user, action, data in [
            (expert, "sign", {"stage": "confirmation"}),
            (boss, "sign", {"stage": "confirmation"}),
            (ziyang_user, "confirm", {}),
            (city_user, "list", {"deadline": "2026-12-31"}),
            (ziyang_user, "assign", {"responsible_unit": "罐区", "responsible_person": "李", "deadline": "2026-11-30"}),
            (ziyang_user, "urge", {"note": "请抓紧制定方案"}),
            (city_user, "delist", {"reason": "经研究决定摘牌"}),
            (boss, "submit_plan", PLAN),
            (worker, "start", {}),
            (worker, "request_extension", {"deadline": "2026-12-31", "reason": "设备到货延迟"}),
            (ziyang_user, "decide_extension", {"approve": True}),
            (worker, "submit_rectification", {"note": "已安装", "attachments": "upload"}),
            (expert, "sign", {"stage": "acceptance"}),
            (ziyang_user, "reject", {"reason": "未联锁"}),
            (worker, "submit_rectification", {"note": "已联锁", "attachments": "upload"}),
            (expert, "sign", {"stage": "acceptance"}),
            (boss, "sign", {"stage": "acceptance"}),
            (ziyang_user, "accept", {"opinion": "合格"}),
            (ziyang_user, "close", {}),
        ]:
            listed.act(user, action, **data)
        general = {"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "消防通道堵塞"}
        withdrawn = HazardLoop(generated, hazard_report(actor=ziyang_user, data=general))
        withdrawn.act(ziyang_user, "withdraw", reason="重复上报")
        reopened = HazardLoop(generated, hazard_report(actor=ziyang_user, data=general))
        for user, action, data in [
            (ziyang_user, "confirm", {}),
            (ziyang_user, "assign", {"responsible_unit": "车间", "responsible_person": "王", "deadline_days": 5}),
            (worker, "start", {}),
            (worker, "submit_rectification", {"note": "已清理", "attachments": "upload"}),
            (ziyang_user, "accept", {"opinion": "合格"}),
            (ziyang_user, "close", {}),
        ]:
            reopened.act(user, action, **data)
    with time_machine.travel(LATER, tick=False):
        listed.act(ziyang_user, "look_back", result="holds", note="未复发")
        reopened.act(ziyang_user, "reopen", reason="复查发现问题", deadline_days=10)
    assert set(listed.done + withdrawn.done + reopened.done) == {t.action for t in HAZARD_TRANSITIONS}


def called(generated, user, module: str, model: str, ids: dict, body: dict):
    answer = Caller(generated, user).act(module, model, ids, body)
    assert answer.status_code == 200, (module, answer.content)
    assert answer.parsed is not None, module  # the generated response model read the answer
    return answer.parsed


def test_other_modules_actions_through_the_generated_client(
    settings, in_process, generated, ziyang_user, township_user, recorder, ziyang_emergency, point, ziyang_enterprise
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True
    patrol = {"risk_point": point.pk, "lat": "28.6005", "lng": "112.3205", "finding": "piping", "description": "管涌"}
    patrol_record(actor=township_user, data=patrol | {"patrolled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    danger = Danger.objects.get()
    ids = {"danger_id": danger.pk}
    handled = called(
        generated,
        ziyang_user,
        "防汛抗旱.flood_danger_action_handle",
        "FloodDangerActionHandleIn",
        ids,
        {"version": 1, "measures": "反滤围井"},
    )
    cleared = called(
        generated,
        ziyang_user,
        "防汛抗旱.flood_danger_action_clear",
        "FloodDangerActionClearIn",
        ids,
        {"version": 2, "result": "险情排除"},
    )
    assert (handled.status, cleared.status) == ("handling", "cleared")

    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    ids = {"clue_id": clue.pk}
    called(generated, ziyang_user, "打非治违.clue_check", "ClueCheckIn", ids, {"version": 1, "check_note": "属实"})
    opened = called(
        generated,
        ziyang_user,
        "打非治违.clue_open_case",
        "ClueOpenCaseIn",
        ids,
        {"version": 2, "body": ziyang_emergency.pk},
    )
    case = Case.objects.get(clue=clue)
    decided = called(
        generated,
        ziyang_user,
        "打非治违.case_decide",
        "CaseDecideIn",
        {"case_id": case.pk},
        {"version": 1, "measure": "suspend", "note": "停产"},
    )
    assert (opened.status, decided.status) == ("case_opened", "handling")

    report = report_submit(data=submission(ziyang_enterprise), address="198.51.100.1")
    accepted = called(
        generated,
        township_user,
        "隐患报告与举报.report_action_accept",
        "ReportActionAcceptIn",
        {"report_id": report.pk},
        {"version": 1},
    )
    assert accepted.status == "checking"


def test_every_action_route_has_its_generated_function_and_request_model(generated, client):
    """Every `/actions/` operation of the schema (hazards, reports, inspections, clues, cases,
    flood dangers, campaign tasks) is a function of the generated package with its own body model."""
    schema = client.get("/api/v1/openapi.json").json()
    models = importlib.import_module(f"{PACKAGE}.models")
    routes = {path: op["post"] for path, op in schema["paths"].items() if "/actions/" in path and "post" in op}
    assert len(routes) > len(HAZARD_TRANSITIONS)
    package = Path(generated.__file__).parent / "api"
    functions = {p.stem for p in package.rglob("*.py")}
    for path, operation in routes.items():
        assert re.sub(r"(?<!^)(?=[A-Z])", "_", operation["operationId"]).lower() in functions, path
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert hasattr(models, ref), (path, ref)
