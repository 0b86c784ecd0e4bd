"""The module menu. Each app adds its entry here when it ships; nothing is listed before it works.

An entry that not every role may open names the app's own permission function (the one its
view refuses with), so the menu never offers a page that answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safeloop.accounts.models import User
from safeloop.accounts.permissions import can_manage_enterprise_accounts
from safeloop.campaigns.permissions import can_open_campaigns
from safeloop.checklists.permissions import can_open_checklists, can_see_completion
from safeloop.core.roles import Role
from safeloop.core.security_pages import can_read_security_log
from safeloop.experts.selectors import may_see_pool, sees_visits
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
    label: str
    url_name: str
    icon: str
    allowed: Callable[[User], bool] | None = None  # None: every signed-in role
    pages: tuple[str, ...] = ()  # pages of another app's namespace that belong to this entry


MENU = (
    MenuItem("工作台", "workbench:home", "⌂"),
    MenuItem("隐患台账", "hazards:ledger", "⚠"),
    MenuItem("企业自查", "checklists:list", "☑", can_open_checklists),
    MenuItem("隐患统计", "standards_stats:page", "▤", can_see_completion),
    MenuItem("专项行动", "campaigns:list", "⚑", can_open_campaigns),
    MenuItem("判定标准", "standards:list", "§"),
    MenuItem("行政检查", "inspections:list", "✓", can_open_inspections),
    MenuItem("企业档案", "registry:enterprise_list", "▦", pages=("workbench:dossier_tab", "workbench:poster")),
    MenuItem("目标指标", "targets:dashboard", "◎", can_open_dashboard),
    MenuItem("专家库", "experts:pool", "✦", may_see_pool),
    MenuItem("专家服务", "experts:visits", "✧", sees_visits),
    MenuItem("事故灾害", "accidents:accident_list", "✚"),
    MenuItem("隐患报告", "reporting:list", "✉", can_open_reports),
    MenuItem("本企业账号", "accounts:enterprise_accounts", "☺", can_manage_enterprise_accounts),
    MenuItem("接口文档", "api:openapi-view", "⇄", reads_api_docs),
    MenuItem("安全日志", "core:security_log", "☷", can_read_security_log),
    MenuItem("数据安全", "core:system", "⛨", is_sysadmin),
)


def current_item(items: list[MenuItem], view_name: str, namespace: str) -> MenuItem | None:
    """The entry a page belongs to: the one that names it, else the one of its app's namespace."""
    named = next((item for item in items if view_name in item.pages), None)
    return named or next((item for item in items if item.url_name.split(":")[0] == namespace), None)


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    return [item for item in MENU if item.allowed is None or item.allowed(user)]
