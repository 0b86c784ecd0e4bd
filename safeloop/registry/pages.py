"""The enterprise's page, behind the registry's own address (`registry:enterprise_detail`).

Every link to an enterprise uses that address, but the page shows more than the registry
holds: the enterprise's hazards, accidents and documents (一企一档). The top floor assembles it
and registers it here in its `AppConfig.ready()` (ADR 0005), so the registry imports nothing
above it and every existing link opens the whole page without a detour.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

EnterprisePage = Callable[[HttpRequest, int], HttpResponse]
_page: list[EnterprisePage] = []


def provide_enterprise_page(view: EnterprisePage) -> None:
    _page[:] = [view]


def enterprise_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not _page:
        raise RuntimeError("no enterprise page registered (the workbench app registers one)")
    return _page[0](request, pk)
