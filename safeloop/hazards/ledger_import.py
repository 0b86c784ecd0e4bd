"""Import of an existing 台账 (all or nothing), in the ledger export layout.

Every row becomes a hazard with a new YH number (the old number is kept in the history) and
with its past recorded as imported events up to the row's status, in the same hash chain as
live events, so verify_ledger checks imported history too.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import User
from safeloop.core.bulk import Import
from safeloop.core.codes import normalise_credit_code
from safeloop.core.errors import Forbidden, ValidationFailed
from safeloop.core.fields import FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.core.scope import visible
from safeloop.core.xlsx import MAX_REPORTED_ERRORS, ImportFailed, ImportReport, read_rows
from safeloop.hazards.clauses import unknown_clause
from safeloop.hazards.fields import LEDGER, LEDGER_FIELDS
from safeloop.hazards.history import Act, HazardWithHistory, hazards_bulk_create
from safeloop.hazards.ledger_io import COLUMNS
from safeloop.hazards.models import Hazard, Level, Status
from safeloop.hazards.numbers import reserve_numbers
from safeloop.hazards.services import MAJOR_NEEDS_CLAUSE
from safeloop.hazards.workflow import look_back_days
from safeloop.registry.models import Enterprise
from safeloop.standards.selectors import clause_resolve

# The loop a row has been through, up to its status: (status reached, action, date field).
PATH = [
    (Status.REPORTED, "report", "found_on"),
    (Status.CONFIRMED, "confirm", "found_on"),
    (Status.ASSIGNED, "assign", "found_on"),
    (Status.RECTIFYING, "start", "found_on"),
    (Status.AWAITING_ACCEPTANCE, "submit_rectification", "rectified_on"),
    (Status.ACCEPTED, "accept", "accepted_on"),
    (Status.CLOSED, "close", "closed_on"),
]
ORDER = [status for status, _, _ in PATH]
NEEDS = {  # reaching this status needs these columns filled
    Status.ASSIGNED: ("responsible_unit", "responsible_person", "deadline"),
    Status.AWAITING_ACCEPTANCE: ("rectified_on",),
    Status.ACCEPTED: ("accepted_by_name", "accepted_on"),
    Status.CLOSED: ("closed_on",),
}
MAX_ROWS = 50_000
CHUNK = 500


def ledger_import(*, actor: User, data: bytes) -> ImportReport:
    if not actor.is_regulator:
        raise Forbidden(_("只有监管部门和属地账号可以导入台账"))
    sheet = read_rows(data, COLUMNS, max_rows=MAX_ROWS)
    rows = list(sheet)
    if not rows or len(rows) > MAX_ROWS:
        message = _("文件应有1至{rows}行数据").format(rows=MAX_ROWS)
        raise ValidationFailed(message, fields={"file": message})
    with transaction.atomic():
        report = _LedgerImport(actor, rows, sheet.letters).run()
        if not report.ok:
            raise ImportFailed(report)
    return report


LEDGER_IMPORT = Import(
    kind="hazards.ledger_import",
    title=gettext_lazy("隐患台账导入"),
    run=ledger_import,
    back="hazards:ledger",
    back_label=gettext_lazy("隐患台账"),
)


class _LedgerImport:
    def __init__(self, actor: User, rows: list[tuple[int, dict[str, Any]]], letters: dict[str, str]):
        self.actor, self.rows = actor, rows
        self.report = ImportReport(letters=letters)
        self.items: list[HazardWithHistory] = []

    def run(self) -> ImportReport:
        enterprises = self._enterprises()
        for number, raw in self.rows:
            self._row(number, raw, enterprises)
            if len(self.report.errors) >= MAX_REPORTED_ERRORS:
                break
        if self.report.ok:
            self._number_and_save()
        return self.report

    def _enterprises(self) -> dict[str, Enterprise]:
        codes = sorted({normalise_credit_code(str(raw.get("credit_code", ""))) for _, raw in self.rows})
        found: dict[str, Enterprise] = {}
        for start in range(0, len(codes), CHUNK):
            qs = visible(self.actor, Enterprise.objects.filter(credit_code__in=codes[start : start + CHUNK]))
            found.update((e.credit_code, e) for e in qs)
        return found

    def _row(self, number: int, raw: dict[str, Any], enterprises: dict[str, Enterprise]) -> None:
        inp = Inputs(raw)
        enterprise = enterprises.get(normalise_credit_code(str(raw.get("credit_code", ""))))
        if enterprise is None:
            inp.error("credit_code", _("信用代码对应的企业未登记或不在您的管辖范围内"))
        values = _values(inp)
        if not inp.errors:
            _check_path(inp, values)
        self.report.add(number, COLUMNS, inp.errors)
        if not inp.errors:
            self.items.append(self._item(number, raw, enterprise, values))

    def _item(self, number: int, raw: dict[str, Any], enterprise: Enterprise, v: dict[str, Any]) -> HazardWithHistory:
        status = v.pop("status")
        hazard = Hazard(enterprise=enterprise, **{k: val for k, val in v.items() if k != "legacy_code"})
        hazard.original_deadline = hazard.deadline
        if hazard.closed_on:
            hazard.look_back_due = hazard.closed_on + timedelta(days=look_back_days(hazard))
        return HazardWithHistory(hazard, _acts(self.actor, hazard, status, number, v["legacy_code"]))

    def _number_and_save(self) -> None:
        keys = Counter((item.hazard.enterprise.region_id[:6], item.hazard.found_on.year) for item in self.items)
        next_free = {key: reserve_numbers(f"YH-{key[0]}", key[1], n) for key, n in keys.items()}
        for item in self.items:
            key = (item.hazard.enterprise.region_id[:6], item.hazard.found_on.year)
            item.hazard.code = f"YH-{key[0]}-{key[1]}-{next_free[key]:06d}"
            next_free[key] += 1
        hazards_bulk_create(items=self.items)
        self.report.created = len(self.items)


def _values(inp: Inputs) -> dict[str, Any]:
    values = inp.read_all(LEDGER_FIELDS)
    values["legacy_code"] = values.pop("code")
    _clause(inp, values)
    _check_order(inp, values)
    return values


def _clause(inp: Inputs, v: dict[str, Any]) -> None:
    """An old ledger's 判定依据: the clause it names; a general hazard's text that names none is
    kept as legacy text (a major hazard must cite a clause)."""
    text = v.get("clause") or ""
    v["clause"] = clause_resolve(text) if text else None
    if text and v["clause"] is None:
        if v.get("level") == Level.MAJOR:
            inp.error("clause", unknown_clause(text))
        else:
            v["legacy_clause"] = text


ORDERED_DATES = ("found_on", "rectified_on", "accepted_on", "closed_on")


def _check_order(inp: Inputs, v: dict[str, Any]) -> None:
    """The loop's dates must follow one another (and a deadline cannot precede discovery)."""
    if v["deadline"] and v["found_on"] and v["deadline"] < v["found_on"]:
        inp.error("deadline", _before(LEDGER["deadline"], LEDGER["found_on"]))
    earlier = None
    for name in ORDERED_DATES:
        if v[name] and earlier and v[name] < v[earlier]:
            inp.error(name, _before(LEDGER[name], LEDGER[earlier]))
        if v[name]:
            earlier = name


def _before(spec: FieldSpec, earlier: FieldSpec) -> str:
    return _("{label}不能早于{earlier}").format(label=spec.label, earlier=earlier.label)


def _check_path(inp: Inputs, v: dict[str, Any]) -> None:
    status = v["status"]
    if status not in ORDER and status != Status.WITHDRAWN:
        inp.error("status", _("导入的状态应为已上报至已销号之一或已撤销；回头看请在系统中办理"))
        return
    if v["level"] == Level.MAJOR and not v["clause"] and "clause" not in inp.errors:
        inp.error("clause", str(MAJOR_NEEDS_CLAUSE))
    reached = ORDER[: ORDER.index(status) + 1] if status in ORDER else [Status.REPORTED]
    for step in reached:
        for name in NEEDS.get(step, ()):
            if not v[name]:
                message = _("状态为“{status}”时{label}为必填项")
                inp.error(name, message.format(status=Status(status).label, label=LEDGER[name].header))


def _acts(actor: User, hazard: Hazard, status: str, row: int, legacy: str) -> list[Act]:
    note = {"imported": True, "row": row, "legacy_code": legacy, "imported_by": str(actor)}
    if status == Status.WITHDRAWN:
        steps = PATH[:1] + [(Status.WITHDRAWN, "withdraw", "found_on")]
    else:
        steps = PATH[: ORDER.index(status) + 1]
    acts, last = [], timezone.now()
    for reached, action, when in steps:
        day = getattr(hazard, when) or hazard.found_on
        at = min(timezone.make_aware(datetime.combine(day, time(12))), last)
        payload = {**note, **_payload(hazard, action)}
        acts.append(Act(action, at, reached, _who(hazard, action, actor), "import", payload))
    return acts


def _payload(hazard: Hazard, action: str) -> dict[str, Any]:
    if action == "assign":
        unit, person = hazard.responsible_unit, hazard.responsible_person
        return {"deadline": hazard.deadline.isoformat(), "responsible_unit": unit, "responsible_person": person}
    if action == "report":  # the row as the old ledger recorded it: every field the check replays
        deadline = hazard.deadline.isoformat() if hazard.deadline else None
        stated = {"description": hazard.description, "level": hazard.level, "clause": hazard.clause_id}
        stated |= {"legacy_clause": hazard.legacy_clause} if hazard.legacy_clause else {}
        return stated | {"source": hazard.source, "deadline": deadline, "responsible_person": hazard.responsible_person}
    return {}


def _who(hazard: Hazard, action: str, actor: User) -> str:
    if action == "report":
        return hazard.finder_name or str(actor)
    if action == "accept":
        return hazard.accepted_by_name or str(actor)
    return str(actor)
