"""Links the enterprise page offers to the work of apps above the registry (即查即改, 上报隐患).

The registry may not import those apps (ADR 0005, 0006): each registers its links in its
`AppConfig.ready()`, with the permission its own page checks, so the page offers only what the
user may open.
"""

from __future__ import annotations

from collections.abc import Callable

from safeloop.accounts.models import User
from safeloop.registry.models import Enterprise

EnterpriseLinks = Callable[[User, Enterprise], list[tuple[str, str]]]  # (label, url) pairs
_PROVIDERS: list[EnterpriseLinks] = []


def provide_enterprise_links(fn: EnterpriseLinks) -> None:
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)


def enterprise_links(user: User, enterprise: Enterprise) -> list[tuple[str, str]]:
    return [link for provide in _PROVIDERS for link in provide(user, enterprise)]
