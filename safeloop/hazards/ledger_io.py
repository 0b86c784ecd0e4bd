"""The 台账 Excel layout (standard ledger columns) and its streaming export.

The import reads the columns it needs by header (`ledger_import`); the others are there for the
reader, and some are derived rather than stored (the county, the supervising department, working
days overdue). The file pivots by county in Excel: one county column with the registry's names,
numbers and dates as real cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import User
from safeloop.core.bulk import Export, by_id_chunks
from safeloop.core.workdays import WorkdayCalendar, in_calendar
from safeloop.core.xlsx import Column
from safeloop.hazards.fields import LEDGER
from safeloop.hazards.models import DEADLINE_STATUSES, Escalation, Hazard, Level, Source, Status
from safeloop.hazards.selectors import LedgerFilters, ledger
from safeloop.registry.io import category_word, region_word
from safeloop.registry.models import Department, Enterprise, Region, RegionLevel
from safeloop.registry.selectors import DepartmentResolver, enterprise_named


def _field(key: str):
    return lambda row: row[key]


def _ledger(name: str, width: int) -> Column:
    return Column.of(LEDGER[name], width=width)


def _clause(row: dict) -> str:
    """判定依据: the clause id (what the import reads back), its standard, number and text; or the
    legacy text of a reference that names no clause."""
    if not row["clause"]:
        return row["legacy_clause"]
    head = f"{row['clause']} {row['clause__standard__short_title']}{row['clause__number']}"
    return f"{head}：{row['clause__text']}" if row["clause__text"] else head


def _escalation(row: dict) -> str:
    return str(Escalation(row["escalation"]).label) if row["escalation"] else ""


# Each export row is a dict from `.values()`: a million model instances would cost more than
# writing the file. The enterprise is matched by its credit code on import; its name, area and
# category are there for the reader.
COLUMNS = [
    _ledger("code", 24),
    Column(_("企业"), "enterprise", _field("enterprise__name"), 30, required=True),
    Column(_("信用代码"), "credit_code", _field("enterprise__credit_code"), 22, required=True),
    Column(_("县（市、区）"), "county", _field("county"), 12),
    Column(_("乡镇（街道）"), "region", _field("enterprise__region__name"), 14),
    Column(_("行业"), "category", _field("enterprise__category__name"), 12),
    Column(_("监管部门"), "department", _field("department"), 22),
    _ledger("description", 48),
    _ledger("level", 6),
    Column.of(LEDGER["clause"], _clause, width=40),
    _ledger("source", 10),
    _ledger("found_on", 12),
    _ledger("finder_name", 10),
    _ledger("responsible_unit", 18),
    _ledger("responsible_person", 10),
    _ledger("measures", 36),
    _ledger("funds", 10),
    _ledger("deadline", 12),
    Column(_("原期限"), "original_deadline", _field("original_deadline"), 12),
    Column(_("逾期天数（工作日）"), "overdue_days", _field("overdue_days"), 10),
    Column(_("督办等级"), "escalation", _escalation, 10),
    Column(_("指令书编号"), "order_no", _field("order_no"), 18),
    _ledger("rectified_on", 12),
    _ledger("accepted_by_name", 10),
    _ledger("accepted_on", 12),
    Column(_("复查意见书编号"), "review_no", _field("review_no"), 18),
    _ledger("closed_on", 12),
    Column(_("回头看日期"), "look_back_due", _field("look_back_due"), 12),
    _ledger("status", 10),
]
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


CHUNK = 2000


def export_rows(qs: QuerySet[Hazard], today: date | None = None) -> Iterator[dict]:
    """Stream the ledger in chunks by id (`core.bulk.by_id_chunks`); memory stays flat at any size.
    Each chunk of rows is fetched with its enterprise, region and category, and what is derived
    is added to the chunk at once."""
    derived = Derived(today or timezone.localdate())

    def fetch(ids: list[int]) -> list[dict]:
        return derived.add(Hazard.objects.filter(pk__in=ids).values("pk", *VALUES))

    return by_id_chunks(qs, fetch, size=CHUNK)


class Derived:
    """The cells the ledger shows but does not store: the county's name, the supervising
    department (三管三必须) and working days overdue. One calendar and one list of counties per
    export, one department query per chunk — never a query per row."""

    def __init__(self, today: date):
        self.today = today
        self.calendar = WorkdayCalendar(today - timedelta(days=366), today)
        self.counties = dict(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name"))
        self.departments: dict[tuple[str, str], str] = {}  # by (region, category), across chunks

    def add(self, rows: Iterable[dict]) -> list[dict]:
        rows = list(rows)
        self._resolve({(r["enterprise__region_id"], r["enterprise__category_id"]) for r in rows})
        for row in rows:
            region = row["enterprise__region_id"]
            row["county"] = self.counties.get(region[:6], "")
            override = row["enterprise__supervising_department_override__name"]
            row["department"] = override or self.departments[(region, row["enterprise__category_id"])]
            row["overdue_days"] = self._overdue(row)
        return rows

    def _resolve(self, pairs: set[tuple[str, str]]) -> None:
        """The derived department of each (region, category) not met before, in one query."""
        enterprises = {
            pair: Enterprise(region_id=pair[0], category_id=pair[1]) for pair in pairs - self.departments.keys()
        }
        resolver = DepartmentResolver(enterprises.values())
        for pair, enterprise in enterprises.items():
            found = resolver.resolve(enterprise)
            self.departments[pair] = found.name if found else ""

    def _overdue(self, row: dict) -> int | None:
        deadline = row["deadline"]
        if row["status"] not in DEADLINE_STATUSES or deadline is None or deadline >= self.today:
            return None
        if not in_calendar(deadline):
            return None  # a stored date the calendar cannot count with (see core.workdays)
        return self.calendar.workdays_between(deadline, self.today)[0]


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
    words=ledger_words,
    back="hazards:ledger",
)
