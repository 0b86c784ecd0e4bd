"""The module menu. Each app adds its entry here when it ships; nothing is listed before it works."""

from __future__ import annotations

from dataclasses import dataclass

from safeloop.core.roles import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset[str] | None = None  # None: every signed-in role


MENU = (
    MenuItem("工作台", "workbench:home", "⌂"),
    MenuItem("隐患台账", "hazards:ledger", "⚠"),
    MenuItem("企业档案", "registry:enterprise_list", "▦"),
    MenuItem("目标指标", "targets:dashboard", "◎", frozenset({Role.CITY, Role.COUNTY, Role.TOWNSHIP, Role.SYSADMIN})),
    MenuItem("事故灾害", "accidents:accident_list", "✚"),
    MenuItem("接口文档", "api:openapi-view", "⇄", frozenset({Role.SYSADMIN, Role.CITY})),
)


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    return [item for item in MENU if item.roles is None or user.role in item.roles]
