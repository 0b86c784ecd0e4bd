"""The 台账 Excel layout (standard ledger columns) and its streaming export.

The import reads the columns it needs by header (`ledger_import`); the others are there for the
reader, and some are derived rather than stored (the county, the supervising department, working
days overdue). The file pivots by county in Excel: one county column with the registry's names,
numbers and dates as real cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import User
from safeloop.core.bulk import Export, stream_values
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.workdays import WorkdayCalendar, in_calendar
from safeloop.core.xlsx import Column
from safeloop.hazards.fields import LEDGER
from safeloop.hazards.models import DEADLINE_STATUSES, Escalation, Hazard, Level, Source, Status
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.registry.io import category_word, region_word
from safeloop.registry.models import Department, Region, RegionLevel
from safeloop.registry.selectors import DepartmentResolver, enterprise_named

# The ledger streams as one joined `values_list` query (`export_rows`): each column takes its
# cell from a field of that query (a choice by its label, from a dict built once) or from what
# the export derives (the county, the supervising department, working days overdue). The
# enterprise is matched by its credit code on import; its name, area and category are there
# for the reader.
VALUES = [
    "code",
    "enterprise__name",
    "enterprise__credit_code",
    "enterprise__region_id",
    "enterprise__region__name",
    "enterprise__category_id",
    "enterprise__category__name",
    "enterprise__supervising_department_override__name",
    "description",
    "level",
    "clause",
    "legacy_clause",
    "clause__standard__short_title",
    "clause__number",
    "clause__text",
    "source",
    "found_on",
    "finder_name",
    "responsible_unit",
    "responsible_person",
    "measures",
    "funds",
    "deadline",
    "original_deadline",
    "escalation",
    "order_no",
    "rectified_on",
    "accepted_by_name",
    "accepted_on",
    "review_no",
    "closed_on",
    "look_back_due",
    "status",
]
DERIVED = ("county", "department", "overdue_days")
_AT = {name: i for i, name in enumerate(VALUES)}


def _ledger(name: str, width: int) -> tuple[FieldSpec, str, int]:
    return LEDGER[name], name, width


def _other(header: Any, name: str, source: str, width: int, *, required: bool = False, kind: str = ""):
    return FieldSpec(name, header, Kind(kind) if kind else Kind.TEXT, required=required), source, width


LAYOUT = [
    _ledger("code", 24),
    _other(_("企业"), "enterprise", "enterprise__name", 30, required=True),
    _other(_("信用代码"), "credit_code", "enterprise__credit_code", 22, required=True),
    _other(_("县（市、区）"), "county", "county", 12),
    _other(_("乡镇（街道）"), "region", "enterprise__region__name", 14),
    _other(_("行业"), "category", "enterprise__category__name", 12),
    _other(_("监管部门"), "department", "department", 22),
    _ledger("description", 48),
    _ledger("level", 6),
    _ledger("clause", 40),
    _ledger("source", 10),
    _ledger("found_on", 12),
    _ledger("finder_name", 10),
    _ledger("responsible_unit", 18),
    _ledger("responsible_person", 10),
    _ledger("measures", 36),
    _ledger("funds", 10),
    _ledger("deadline", 12),
    _other(_("原期限"), "original_deadline", "original_deadline", 12, kind=Kind.DATE),
    _other(_("逾期天数（工作日）"), "overdue_days", "overdue_days", 10),
    _other(_("督办等级"), "escalation", "escalation", 10),
    _other(_("指令书编号"), "order_no", "order_no", 18),
    _ledger("rectified_on", 12),
    _ledger("accepted_by_name", 10),
    _ledger("accepted_on", 12),
    _other(_("复查意见书编号"), "review_no", "review_no", 18),
    _ledger("closed_on", 12),
    _other(_("回头看日期"), "look_back_due", "look_back_due", 12, kind=Kind.DATE),
    _ledger("status", 10),
]
# Each export row is a list of cells in this order (`export` reads the cell back by position).
COLUMNS = [
    Column(spec.header, spec.name, itemgetter(i), width, required=spec.required, kind=spec.kind)
    for i, (spec, _source, width) in enumerate(LAYOUT)
]
CHUNK = 2000


def export_rows(qs: QuerySet[Hazard], today: date | None = None) -> Iterator[list[Any]]:
    """The ledger's rows as cells: one joined `values_list` query, fetched `CHUNK` rows at a
    time (`core.bulk.stream_values`; PostgreSQL: a server-side cursor), each row mapped in
    Python from dicts built once (`LedgerCells`). Memory stays flat at any size."""
    cells = LedgerCells(today or timezone.localdate())
    return map(cells, stream_values(qs, VALUES, size=CHUNK))


class LedgerCells:
    """One row of the query as the ledger's cells. What the ledger shows but does not store —
    the county's name, the supervising department (三管三必须) and working days overdue — comes
    from one list of counties, one table of departments and one calendar per export: a fixed
    number of queries at any size."""

    def __init__(self, today: date):
        self.today = today
        self.calendar = WorkdayCalendar(today - timedelta(days=366), today)
        self.counties = dict(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name"))
        self.resolver = DepartmentResolver()
        self.departments: dict[tuple[str, str], str] = {}  # by (region, category)
        self.overdue: dict[date, int | None] = {}  # by deadline
        self.sources = itemgetter(*(_AT.get(source, 0) for _spec, source, _width in LAYOUT))
        self.labels = [(i, _labels(spec)) for i, (spec, _source, _width) in enumerate(LAYOUT) if spec.choices]
        self.labels.append((_column("escalation"), {int(k): str(v) for k, v in Escalation.choices if k}))
        self.funds = _column("funds")
        self.derived = tuple(_column(name) for name in DERIVED)
        self.clause = _column("clause")

    def __call__(self, row: tuple) -> list[Any]:
        cells = list(self.sources(row))
        for i, labels in self.labels:
            value = cells[i]
            cells[i] = labels.get(value, value) if value else None
        funds = cells[self.funds]
        if funds is not None:
            cells[self.funds] = float(funds)  # a Decimal on PostgreSQL
        county, department, overdue = self.derived
        region = row[_AT["enterprise__region_id"]]
        cells[county] = self.counties.get(region[:6], "")
        pair = (region, row[_AT["enterprise__category_id"]])
        name = self.departments.get(pair)
        cells[department] = row[_AT["enterprise__supervising_department_override__name"]] or (
            name if name is not None else self._department(pair)
        )
        cells[overdue] = self._overdue(row[_AT["deadline"]], row[_AT["status"]])
        cells[self.clause] = _clause(row)
        return cells

    def _department(self, pair: tuple[str, str]) -> str:
        found = self.resolver.derived(*pair)
        self.departments[pair] = found.name if found else ""
        return self.departments[pair]

    def _overdue(self, deadline: date | None, status: str) -> int | None:
        if status not in DEADLINE_STATUSES or deadline is None or deadline >= self.today:
            return None
        if deadline not in self.overdue:  # a stored date the calendar cannot count with: no count
            days = self.calendar.workdays_between(deadline, self.today)[0] if in_calendar(deadline) else None
            self.overdue[deadline] = days
        return self.overdue[deadline]


def _clause(row: tuple) -> str | None:
    """判定依据: the clause id (what the import reads back), its standard, number and text; or the
    legacy text of a reference that names no clause."""
    clause = row[_AT["clause"]]
    if not clause:
        return row[_AT["legacy_clause"]] or None
    head = f"{clause} {row[_AT['clause__standard__short_title']]}{row[_AT['clause__number']]}"
    text = row[_AT["clause__text"]]
    return f"{head}：{text}" if text else head


def _column(name: str) -> int:
    return next(i for i, (spec, _source, _width) in enumerate(LAYOUT) if spec.name == name)


def _labels(spec: FieldSpec) -> dict[str, str]:
    return {str(value): str(label) for value, label in spec.choices}


# ---------------------------------------------------------------- the title row: filters in words

LIST_NAMES = {
    "problems": gettext_lazy("问题清单"),
    "closures": gettext_lazy("销号清单"),
    "found": gettext_lazy("排查隐患（不含已撤销）"),
    "rectifying": gettext_lazy("整改期内（已交办、整改中）"),
}
OVERDUE_NAMES = {"1": gettext_lazy("逾期"), "late": gettext_lazy("曾逾期")}
DATE_NAMES = {
    "found": gettext_lazy("发现日期"),
    "closed": gettext_lazy("销号日期"),
    "deadline": gettext_lazy("整改期限"),
}


def ledger_words(user: User, f: LedgerFilters) -> list[str]:
    """The ledger's filters as the title row says them: 赫山区 · 重大隐患 · 逾期."""
    words = [*_place_words(user, f), *_choice_words(f)]
    if f.overdue in OVERDUE_NAMES:
        words.append(str(OVERDUE_NAMES[f.overdue]))
    for what, name in DATE_NAMES.items():
        words += _date_words(f, what, str(name))
    return words + ([_("搜索“{q}”").format(q=f.q)] if f.q else [])


def _place_words(user: User, f: LedgerFilters) -> list[str]:
    words = []
    if f.region:
        words.append(region_word(f.region))
    if f.department:
        words.append(Department.objects.filter(pk=f.department).values_list("name", flat=True).first() or "")
    if f.enterprise:  # the name only of an enterprise the user may see
        enterprise = enterprise_named(user, f.enterprise)
        words.append(enterprise.name if enterprise else "")
    if f.category:
        words.append(category_word(f.category))
    return [word for word in words if word]


def _choice_words(f: LedgerFilters) -> list[Any]:
    words: list[Any] = []
    if f.level:
        level = dict(Level.choices).get(f.level)
        words.append(_("{level}隐患").format(level=level) if level else f.level)
    for value, choices in ((f.status, Status.choices), (f.source, Source.choices)):
        if value:
            words.append(str(dict(choices).get(value, value)))
    if f.list in LIST_NAMES:
        words.append(str(LIST_NAMES[f.list]))
    return words


def _date_words(f: LedgerFilters, what: str, name: str) -> list[str]:
    start, end = f.dates(what)
    if start and end:
        return [_("{name} {start} 至 {end}").format(name=name, start=start, end=end)]
    if start:
        return [_("{name} {start} 起").format(name=name, start=start)]
    return [_("{name} {end} 止").format(name=name, end=end)] if end else []


LEDGER_EXPORT = Export(
    kind="hazards.ledger_export",
    title=gettext_lazy("隐患台账"),
    columns=COLUMNS,
    filters=LedgerFilters,
    select=ledger,
    rows=export_rows,
    cells=True,
    words=ledger_words,
    back="hazards:ledger",
)
