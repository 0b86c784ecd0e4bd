"""一企一档: one enterprise's page, its facts and one tab per kind of record it has.

Each tab is a row of `TABS`: its key (in the address), label, the whole list in the user's
scope, the template of one page of it and what one page's rows show beyond themselves. The page
shows the tabs in this order, the count in each label is the length of that tab's own list, and
one tab is loaded at a time (by htmx; the address works without it). An app that brings another
kind of record adds its row here and nothing else: the inspections app adds 检查.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accidents.selectors import AccidentFilters, accident_list
from safeloop.accounts.models import User
from safeloop.core.workdays import WorkdayCalendar, in_calendar
from safeloop.enforcement.selectors import clues_visible as enforcement_clues
from safeloop.hazards.documents import documents_issued
from safeloop.hazards.models import DEADLINE_STATUSES, Hazard, Status
from safeloop.hazards.selectors import hazard_queryset
from safeloop.registry.history import enterprise_history, readable_history
from safeloop.registry.models import Enterprise

PAGE_SIZE = 20
# 已销号: closed, and what its look-back found. Everything else but a withdrawal is still in hand,
# an accepted hazard included (it waits for its 销号).
CLOSED_OUT = (Status.CLOSED, Status.VERIFIED, Status.RECURRED)
IN_HAND = tuple(s for s in Status.values if s not in (*CLOSED_OUT, Status.WITHDRAWN))

Rows = QuerySet[Any] | Sequence[Any]


@dataclass(frozen=True)
class Countdown:
    """Working days to the deadline, or past it (deadlines are counted in working days)."""

    text: str
    overdue: bool


@dataclass(frozen=True)
class LookBack:
    text: str
    due: bool  # the look-back is due and not done


def _as_is(rows: list[Any], today: date) -> list[Any]:
    return rows


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    rows: Callable[[User, Enterprise], Rows]  # the tab's whole list, in the user's scope
    template: str  # one page of the list
    empty: str | Promise
    shape: Callable[[list[Any], date], list[Any]] = _as_is  # one page's rows as the template shows them


def count_of(rows: Rows) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


# ---------------------------------------------------------------- the lists


def _hazards(user: User, enterprise: Enterprise) -> QuerySet[Hazard]:
    return hazard_queryset(user).filter(enterprise=enterprise)


def hazards_in_hand(user: User, enterprise: Enterprise) -> QuerySet[Hazard]:
    """Nearest deadline first; those without one (not yet assigned) after them."""
    qs = _hazards(user, enterprise).filter(status__in=IN_HAND)
    return qs.order_by(F("deadline").asc(nulls_last=True), "-found_on", "-pk")


def hazards_closed_out(user: User, enterprise: Enterprise) -> QuerySet[Hazard]:
    return _hazards(user, enterprise).filter(status__in=CLOSED_OUT).order_by("-closed_on", "-pk")


def enterprise_accidents(user: User, enterprise: Enterprise) -> QuerySet[Any]:
    """All its accidents, those not counted as production-safety accidents too (marked so)."""
    return accident_list(user, AccidentFilters(all="1")).filter(enterprise=enterprise)


def enterprise_documents(user: User, enterprise: Enterprise) -> list[Any]:
    return documents_issued(_hazards(user, enterprise))


def enterprise_enforcement(user: User, enterprise: Enterprise) -> QuerySet[Any]:
    """打非治违 clues on the enterprise, those recorded before it registered (its unlicensed
    subject, once matched) too (issue 17)."""
    return enforcement_clues(user).filter(enterprise=enterprise).prefetch_related("cases")


def enterprise_changes(user: User, enterprise: Enterprise) -> QuerySet[Any]:
    return enterprise_history(enterprise)


# ---------------------------------------------------------------- what one page shows


def with_countdowns(hazards: list[Hazard], today: date) -> list[tuple[Hazard, Countdown | None]]:
    calendar = WorkdayCalendar(today, today)  # extended to the deadlines asked about
    return [(h, countdown(h, today, calendar)) for h in hazards]


def countdown(hazard: Hazard, today: date, calendar: WorkdayCalendar) -> Countdown | None:
    """Only while the deadline runs (assigned, rectifying): after the rectification is handed in
    the deadline is history, as the ledger's overdue flag says."""
    deadline = hazard.deadline
    if deadline is None or hazard.status not in DEADLINE_STATUSES or not in_calendar(deadline):
        return None
    if deadline == today:
        return Countdown(_("今日到期"), False)
    if deadline > today:
        left, _provisional = calendar.workdays_between(today, deadline)
        return Countdown(_("剩余%(n)d个工作日") % {"n": left}, False)
    late, _provisional = calendar.workdays_between(deadline, today)
    return Countdown(_("逾期%(n)d个工作日") % {"n": late} if late else _("已逾期"), True)


def with_look_backs(hazards: list[Hazard], today: date) -> list[tuple[Hazard, LookBack]]:
    return [(h, look_back(h, today)) for h in hazards]


def look_back(hazard: Hazard, today: date) -> LookBack:
    if hazard.status == Status.VERIFIED:
        return LookBack(_("回头看通过"), False)
    if hazard.status == Status.RECURRED:
        return LookBack(_("回头看发现复发"), False)
    due = hazard.look_back_due
    if due is None:
        return LookBack("—", False)
    if due <= today:
        return LookBack(_("待回头看（%(due)s起）") % {"due": f"{due:%Y-%m-%d}"}, True)
    return LookBack(_("%(due)s起回头看") % {"due": f"{due:%Y-%m-%d}"}, False)


def _readable(entries: list[Any], today: date) -> list[Any]:
    return readable_history(entries)


TABS: tuple[Tab, ...] = (
    Tab(
        "open",
        gettext_lazy("在办隐患"),
        hazards_in_hand,
        "workbench/dossier/open.html",
        gettext_lazy("该企业没有在办隐患。"),
        with_countdowns,
    ),
    Tab(
        "closed",
        gettext_lazy("已销号隐患"),
        hazards_closed_out,
        "workbench/dossier/closed.html",
        gettext_lazy("该企业还没有已销号的隐患。"),
        with_look_backs,
    ),
    Tab(
        "accidents",
        gettext_lazy("事故"),
        enterprise_accidents,
        "workbench/dossier/accidents.html",
        gettext_lazy("没有该企业的事故记录。"),
    ),
    Tab(
        "documents",
        gettext_lazy("文书"),
        enterprise_documents,
        "workbench/dossier/documents.html",
        gettext_lazy("还没有向该企业下达的文书。"),
    ),
    Tab(
        "enforcement",
        gettext_lazy("打非治违"),
        enterprise_enforcement,
        "workbench/dossier/enforcement.html",
        gettext_lazy("没有该企业的打非治违记录。"),
    ),
    Tab(
        "history",
        gettext_lazy("历史"),
        enterprise_changes,
        "workbench/dossier/history.html",
        gettext_lazy("暂无变更记录（演示数据由系统初始化）。"),
        _readable,
    ),
)


def tab_named(key: str) -> Tab:
    tab = next((t for t in TABS if t.key == key), None)
    if tab is None:
        raise Http404
    return tab


def dossier_tabs(user: User, enterprise: Enterprise, tab: Tab, page_number: Any, today: date) -> dict[str, Any]:
    """The tab bar with each tab's count, and one page of the chosen tab (its list read once)."""
    rows = tab.rows(user, enterprise)
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    counts = [(t, page.paginator.count if t is tab else count_of(t.rows(user, enterprise))) for t in TABS]
    return {"tabs": counts, "tab": tab, "page": page, "rows": tab.shape(list(page.object_list), today)}
