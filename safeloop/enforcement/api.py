"""/clues, /cases, /operations (API.md 打非治违, issue 17), under the scope rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Body, Query, Router, Schema, Status

from safeloop.core.api import Paging, action_routes, page_of, paginate
from safeloop.core.errors import Forbidden
from safeloop.enforcement.documents import case_document
from safeloop.enforcement.models import Case, Clue, Operation
from safeloop.enforcement.selectors import (
    case_detail,
    cases_visible,
    clue_detail,
    clues_visible,
    may_use,
    operations_visible,
)
from safeloop.enforcement.services import clue_record, operation_create
from safeloop.enforcement.workflow import CASE_FLOW, CLUE_FLOW, case_act, clue_act

router = Router(tags=["打非治违"])


def _require(request: HttpRequest) -> None:
    if not may_use(request.user):
        raise Forbidden("打非治违由乡镇、行业部门和应急管理部门办理")


class ClueOut(Schema):
    id: int
    code: str
    kind: str
    kind_name: str
    source: str
    status: str
    region: str
    department: int | None
    department_name: str | None
    subject: dict[str, Any] | None
    enterprise: int | None
    address: str
    lat: str | None
    lng: str | None
    description: str
    accept_by: date | None
    operation: int | None
    cases: list[int]
    actions: list[str]
    version: int
    created_at: datetime


def _subject(clue: Clue) -> dict[str, Any] | None:
    s = clue.subject
    if s is None:
        return None
    return {
        "id": s.pk,
        "name": s.name,
        "address": s.address,
        "credit_code": s.credit_code,
        "enterprise": s.enterprise_id,
    }


def _clue(clue: Clue, user: Any) -> dict[str, Any]:
    return {
        "id": clue.pk,
        "code": clue.code,
        "kind": clue.kind_id,
        "kind_name": clue.kind.name,
        "source": clue.source,
        "status": clue.status,
        "region": clue.region_id,
        "department": clue.department_id,
        "department_name": clue.department.name if clue.department else None,
        "subject": _subject(clue),
        "enterprise": clue.enterprise_id,
        "address": clue.address,
        "lat": None if clue.lat is None else str(clue.lat),
        "lng": None if clue.lng is None else str(clue.lng),
        "description": clue.description,
        "accept_by": clue.accept_by,
        "operation": clue.operation_id,
        "cases": [c.pk for c in clue.cases.all()],
        "actions": [t.action for t in CLUE_FLOW.available(user, clue)],
        "version": clue.version,
        "created_at": clue.created_at,
    }


@router.get("/clues", response=page_of(ClueOut), summary="打非治违线索")
def clues(request: HttpRequest, paging: Query[Paging], status: str = "", kind: str = ""):
    _require(request)
    qs = clues_visible(request.user).prefetch_related("cases")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind_id=kind)
    return paginate(request, qs, paging, prepare=lambda rows: [_clue(c, request.user) for c in rows])


@router.post("/clues", response={201: ClueOut}, summary="登记线索（无证经营主体或已登记企业），按违法类型转监管部门")
def clue_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    _require(request)
    clue = clue_record(actor=request.user, data=payload)
    return Status(201, _clue(clue_detail(request.user, clue.pk), request.user))


@router.get("/clues/{int:clue_id}", response=ClueOut, summary="线索详情")
def clue_get(request: HttpRequest, clue_id: int):
    _require(request)
    return _clue(clue_detail(request.user, clue_id), request.user)


def _act_clue(request: HttpRequest, clue_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    _require(request)
    current = clue_detail(request.user, clue_id)
    data = dict(body)
    version = data.pop("version", None)
    clue_act(pk=clue_id, actor=request.user, action=action, version=version or current.version, data=data)
    return _clue(clue_detail(request.user, clue_id), request.user)


action_routes(
    router,
    path="/clues/{clue_id}/actions",
    key="clue_id",
    transitions=CLUE_FLOW.transitions,
    act=_act_clue,
    response=ClueOut,
    prefix="Clue",
)


class CaseOut(Schema):
    id: int
    code: str
    clue: int
    kind: str
    status: str
    region: str
    department: int
    department_name: str
    subject: int | None
    enterprise: int | None
    facts: str
    officers: list[list[str]]
    filed_on: date
    deadline: date
    filing_no: str
    measures: list[dict[str, Any]]
    fine_total: str
    police_referred: bool
    order_no: str
    closing_no: str
    closed_on: date | None
    reopened_from: int | None
    actions: list[str]
    version: int


def _case(case: Case, user: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "code": case.code,
        "clue": case.clue_id,
        "kind": case.kind_id,
        "status": case.status,
        "region": case.region_id,
        "department": case.department_id,
        "department_name": case.department.name,
        "subject": case.subject_id,
        "enterprise": case.enterprise_id,
        "facts": case.facts,
        "officers": case.officers,
        "filed_on": case.filed_on,
        "deadline": case.deadline,
        "filing_no": case.filing_no,
        "measures": case.measures,
        "fine_total": f"{case.fine_total:.2f}",
        "police_referred": case.police_referred,
        "order_no": case.order_no,
        "closing_no": case.closing_no,
        "closed_on": case.closed_on,
        "reopened_from": case.reopened_from_id,
        "actions": [t.action for t in CASE_FLOW.available(user, case)],
        "version": case.version,
    }


@router.get("/cases", response=page_of(CaseOut), summary="打非治违案件")
def cases(request: HttpRequest, paging: Query[Paging], status: str = "", kind: str = ""):
    _require(request)
    qs = cases_visible(request.user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind_id=kind)
    return paginate(request, qs, paging, prepare=lambda rows: [_case(c, request.user) for c in rows])


@router.get("/cases/{int:case_id}", response=CaseOut, summary="案件详情")
def case_get(request: HttpRequest, case_id: int):
    _require(request)
    return _case(case_detail(request.user, case_id), request.user)


@router.get("/cases/{int:case_id}/documents/{document}", summary="案件文书（Word）：filing、order、closing")
def case_document_get(request: HttpRequest, case_id: int, document: str):
    _require(request)
    name, content = case_document(case_detail(request.user, case_id), document)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _act_case(request: HttpRequest, case_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    _require(request)
    current = case_detail(request.user, case_id)
    data = dict(body)
    version = data.pop("version", None)
    case_act(pk=case_id, actor=request.user, action=action, version=version or current.version, data=data)
    return _case(case_detail(request.user, case_id), request.user)


action_routes(
    router,
    path="/cases/{case_id}/actions",
    key="case_id",
    transitions=CASE_FLOW.transitions,
    act=_act_case,
    response=CaseOut,
    prefix="Case",
)


class OperationOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    departments: list[int]
    starts_on: date
    ends_on: date
    results: str
    clues: int
    cases: int


def _operation(o: Operation, user: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "kind": o.kind,
        "region": o.region_id,
        "departments": [d.pk for d in o.departments.all()],
        "starts_on": o.starts_on,
        "ends_on": o.ends_on,
        "results": o.results,
        "clues": clues_visible(user).filter(operation=o).count(),
        "cases": cases_visible(user).filter(operation=o).count(),
    }


@router.get("/operations", response=page_of(OperationOut), summary="联合执法 / 专项行动")
def operations(request: HttpRequest, paging: Query[Paging]):
    _require(request)
    qs = operations_visible(request.user)
    return paginate(request, qs, paging, prepare=lambda rows: [_operation(o, request.user) for o in rows])


@router.post("/operations", response={201: OperationOut}, summary="登记联合执法行动")
def operation_post(request: HttpRequest, payload: Body[dict[str, Any]]):
    _require(request)
    operation = operation_create(actor=request.user, data=payload)
    return Status(201, _operation(operations_visible(request.user).get(pk=operation.pk), request.user))
