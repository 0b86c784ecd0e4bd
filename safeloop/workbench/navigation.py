"""The module menu. Each app adds its entry here when it ships; nothing is listed before it works.

An entry that not every role may open names the app's own permission function (the one its
view refuses with), so the menu never offers a page that answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safeloop.accounts.models import User
from safeloop.accounts.permissions import can_manage_enterprise_accounts
from safeloop.board.permissions import can_open_board
from safeloop.briefings.permissions import can_open_briefings
from safeloop.campaigns.permissions import can_open_campaigns
from safeloop.checklists.permissions import can_open_checklists, can_see_completion
from safeloop.core.roles import Role
from safeloop.core.security_pages import can_read_security_log
from safeloop.duties.permissions import can_open_duties
from safeloop.enforcement.selectors import may_use as may_use_enforcement
from safeloop.experts.selectors import may_see_pool, sees_visits
from safeloop.flood.permissions import sees_flood
from safeloop.inspections.views import can_open_inspections
from safeloop.reporting.permissions import can_open_reports
from safeloop.targets.permissions import can_open_dashboard


def reads_api_docs(user: User) -> bool:
    """The API documentation is open to every signed-in user; the menu offers it to the roles
    that connect other systems (the city platform, administrators)."""
    return user.role in (Role.SYSADMIN, Role.CITY)


def is_sysadmin(user: User) -> bool:
    return user.role == Role.SYSADMIN


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    icon: str
    allowed: Callable[[User], bool] | None = None  # None: every signed-in role
    pages: tuple[str, ...] = ()  # pages of another app's namespace that belong to this entry

    @property
    def href(self) -> str:
        return _href(self.url_name, get_script_prefix())


@lru_cache(maxsize=256)
def _href(url_name: str, _prefix: str) -> str:
    """The entry's address, reversed once per process (and script prefix), not on every page."""
    return reverse(url_name)


@dataclass(frozen=True)
class MenuGroup:
    """A heading of the top bar: a drop-down of its entries, or the one entry itself when a role
    may open only one of them."""

    label: str | Promise
    items: tuple[MenuItem, ...]


MENU = (
    MenuGroup(_("工作台"), (MenuItem(_("工作台"), "workbench:home", "⌂"),)),
    MenuGroup(
        _("隐患治理"),
        (
            MenuItem(_("隐患台账"), "hazards:ledger", "⚠"),
            MenuItem(_("企业自查"), "checklists:list", "☑", can_open_checklists),
            MenuItem(_("隐患报告"), "reporting:list", "✉", can_open_reports),
            MenuItem(_("隐患统计"), "standards_stats:page", "▤", can_see_completion),
            MenuItem(_("判定标准"), "standards:list", "§"),
        ),
    ),
    MenuGroup(
        _("监管执法"),
        (
            MenuItem(_("行政检查"), "inspections:list", "✓", can_open_inspections),
            MenuItem(_("专项行动"), "campaigns:list", "⚑", can_open_campaigns),
            MenuItem(_("打非治违"), "enforcement:clues", "⛔", may_use_enforcement),  # issue 17
        ),
    ),
    MenuGroup(
        _("企业专家"),
        (
            MenuItem(
                _("企业档案"), "registry:enterprise_list", "▦", pages=("workbench:dossier_tab", "workbench:poster")
            ),
            MenuItem(_("本企业账号"), "accounts:enterprise_accounts", "☺", can_manage_enterprise_accounts),
            MenuItem(_("专家库"), "experts:pool", "✦", may_see_pool),
            MenuItem(_("专家服务"), "experts:visits", "✧", sees_visits),
        ),
    ),
    MenuGroup(
        _("目标考核"),
        (
            MenuItem(_("目标指标"), "targets:dashboard", "◎", can_open_dashboard),
            MenuItem(_("事故灾害"), "accidents:accident_list", "✚"),
            MenuItem(_("责任考核"), "duties:home", "☰", can_open_duties),
        ),
    ),
    MenuGroup(
        _("指挥调度"),
        (
            MenuItem(_("挂图作战"), "board:page", "◈", can_open_board),
            MenuItem(_("工作通报"), "briefings:list", "✎", can_open_briefings),
        ),
    ),
    MenuGroup(
        _("应急防汛"),
        (MenuItem(_("防汛抗旱"), "flood:index", "≋", sees_flood),),
    ),
    MenuGroup(
        _("系统"),
        (
            MenuItem(_("接口文档"), "api:openapi-view", "⇄", reads_api_docs),
            MenuItem(_("安全日志"), "core:security_log", "☷", can_read_security_log),
            MenuItem(_("数据安全"), "core:system", "⛨", is_sysadmin),
            MenuItem(_("数据推送"), "webhooks:home", "⇶", is_sysadmin),
        ),
    ),
)


@dataclass(frozen=True)
class ShownGroup:
    """A group as one user sees it: the entries they may open and which one is the current page."""

    label: str | Promise
    entries: tuple[tuple[MenuItem, bool], ...]

    @property
    def active(self) -> bool:
        return any(active for _item, active in self.entries)

    @property
    def single(self) -> MenuItem | None:
        return self.entries[0][0] if len(self.entries) == 1 else None


def current_item(items: list[MenuItem], view_name: str, namespace: str) -> MenuItem | None:
    """The entry a page belongs to: the one that names it, else the one of its app's namespace."""
    named = next((item for item in items if view_name in item.pages), None)
    return named or next((item for item in items if item.url_name.split(":")[0] == namespace), None)


def menu_for(user) -> list[MenuItem]:
    """Every entry the user may open, in menu order."""
    if not user.is_authenticated:
        return []
    return [item for group in MENU for item in group.items if item.allowed is None or item.allowed(user)]


def groups_for(user, current: MenuItem | None) -> list[ShownGroup]:
    """The menu's groups with the user's entries; a group with none is left out."""
    return _shown(tuple(item.url_name for item in menu_for(user)), current.url_name if current else "")


def _shown(allowed: tuple[str, ...], current: str) -> list[ShownGroup]:
    shown = []
    for group in MENU:
        entries = tuple((item, item.url_name == current) for item in group.items if item.url_name in allowed)
        if entries:
            shown.append(ShownGroup(group.label, entries))
    return shown


def menu_html(user, view_name: str = "", namespace: str = "") -> SafeString:
    """The menu as the top bar shows it. Its HTML follows from the entries the user may open,
    the current entry, the language and the script prefix alone (the entries are code), so it
    is rendered once per process for each of those and kept: the top bar of every page would
    otherwise translate and render some 25 entries anew (2–4 ms a page, docs/performance.md)."""
    items = menu_for(user)
    current = current_item(items, view_name, namespace) if view_name else None
    allowed = tuple(item.url_name for item in items)
    return _menu_html(get_language() or "", get_script_prefix(), allowed, current.url_name if current else "")


@lru_cache(maxsize=1024)
def _menu_html(_language: str, _prefix: str, allowed: tuple[str, ...], current: str) -> SafeString:
    return mark_safe(render_to_string("partials/menu.html", {"menu": _shown(allowed, current)}))  # noqa: S308 - our own template's output
