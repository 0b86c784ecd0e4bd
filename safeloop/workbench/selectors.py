"""Figures for the workbench, all through the scope mechanism: each role gets its own
(`workbench_kind`): a regulator its scope's figures and charts (`regulator`), an enterprise its
open hazards and deadlines, an expert its signatures due (`personal`).

Each card names the list it counts (its URL name and query) and is counted with that list's
own selector and filters, so the number on the card is the total the list shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import Role, User
from safeloop.duties.selectors import my_duties
from safeloop.hazards.selectors import LedgerFilters, ledger, todo
from safeloop.registry.models import RiskLevel
from safeloop.registry.selectors import EnterpriseFilters, enterprise_list, enterprise_queryset
from safeloop.workbench.personal import enterprise_figures, expert_figures
from safeloop.workbench.regulator import regulator_figures

OVERDUE = {"overdue": "1"}
OPEN_MAJOR = {"level": "major", "list": "problems"}
KEY_SECTOR = {"key_sector": "1"}


@dataclass(frozen=True)
class Card:
    label: str | Promise
    url: str  # the list this card counts
    count: int
    tone: str = ""  # a colour of the stylesheet (card-risk-<tone>)


def list_url(url_name: str, params: dict[str, str] | None = None) -> str:
    return reverse(url_name) + (f"?{urlencode(params)}" if params else "")


def workbench_kind(user: User) -> str:
    """Whose workbench: an enterprise's own work, an expert's signatures, else a regulator's
    figures of its scope (a system administrator's scope is everything)."""
    kinds: dict[str, str] = {Role.ENTERPRISE: "enterprise", Role.EXPERT: "expert"}
    return kinds.get(user.role, "regulator")


FIGURES = {"regulator": regulator_figures, "enterprise": enterprise_figures, "expert": expert_figures}


def workbench_figures(user: User) -> dict:
    today = timezone.localdate()
    kind = workbench_kind(user)
    figures = {"kind": kind, "hazard_cards": hazard_cards(user), **FIGURES[kind](user, today)}
    if kind != "enterprise":
        by_risk = dict(enterprise_queryset(user).order_by().values_list("risk_level").annotate(n=Count("pk")))
        total = sum(by_risk.values())
        figures |= {"total": total, "enterprise_cards": enterprise_cards(user, by_risk, total)}
    if kind == "regulator":
        figures["by_category"] = category_rows(user)
    figures["my_duties"] = my_duties(user) if kind != "expert" else None  # issue 16: 我的职责
    return figures


def charts_json(figures: dict) -> list[dict]:
    """What static/js/workbench.js draws: each chart's points with the list each opens."""
    return [chart.as_json() for chart in figures.get("charts", [])]


def hazard_cards(user: User) -> list[Card]:
    today = timezone.localdate()
    return [
        Card(_("我的待办隐患"), list_url("hazards:todo"), todo(user, today).count(), "orange"),
        Card(_("逾期未整改"), list_url("hazards:ledger", OVERDUE), _ledger_count(user, OVERDUE, today), "red"),
        Card(_("在办重大隐患"), list_url("hazards:ledger", OPEN_MAJOR), _ledger_count(user, OPEN_MAJOR, today), "red"),
    ]


def _ledger_count(user: User, params: dict[str, str], today) -> int:
    return ledger(user, LedgerFilters.from_params(params), today).count()


def enterprise_cards(user: User, by_risk: dict[str, int], total: int) -> list[Card]:
    key_sector = enterprise_list(user, EnterpriseFilters.from_params(KEY_SECTOR)).count()
    cards = [
        Card(_("管辖企业"), list_url("registry:enterprise_list"), total),
        Card(_("重点监管企业"), list_url("registry:enterprise_list", KEY_SECTOR), key_sector),
    ]
    for value, label in RiskLevel.choices:
        url = list_url("registry:enterprise_list", {"risk_level": value})
        cards.append(Card(label, url, by_risk.get(value, 0), value))
    return cards


def category_rows(user: User) -> list[dict[str, Any]]:
    qs = enterprise_queryset(user).order_by().values("category__name").annotate(n=Count("pk"))
    return [dict(row) for row in qs.order_by("-n")[:8]]
