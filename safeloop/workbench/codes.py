"""一企一码: one printable address per enterprise, `/e/<code>/`, answered by who opens it.

The code is the enterprise's random `public_code` (registry), never its database id, so a poster
says nothing about the database and nobody can walk through enterprises by counting. Whoever
scans it is sent by the first row of `HANDLERS` that applies to them:

1. a signed-in officer (certified department user) → the check-in page (扫码入企, inspections);
2. a signed-in user whose scope contains the enterprise → its page (一企一档);
3. everyone else → a public page with the enterprise's name and how to report a hazard.

The apps that bring other answers add their row here, in order: the inspections app puts the
inspector's check-in (扫码入企) before the page, and the reporting app's public report form
takes the place of the public page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from safeloop.core.seals import public_url
from safeloop.inspections.selectors import is_officer
from safeloop.inspections.views import gate_page
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import enterprise_by_public_code, enterprise_queryset
from safeloop.reporting.views import enterprise_report_page


@dataclass(frozen=True)
class Handler:
    name: str
    applies: Callable[[HttpRequest, Enterprise], bool]
    respond: Callable[[HttpRequest, Enterprise], HttpResponse]


@dataclass(frozen=True)
class Channel:
    """A way to report a hazard, with the text that establishes it."""

    label: str | Promise
    number: str
    note: str | Promise
    source: str


# Only channels that exist and are sourced; shown beside the platform's own report form (reporting).
REPORT_CHANNELS = (
    Channel(
        label=gettext_lazy("全国安全生产举报投诉电话"),
        number="12350",
        note=gettext_lazy(
            "可举报生产安全事故、事故隐患和非法违法生产经营建设行为。在省内直接拨打；跨省举报须加拨区号。"
        ),
        source="国家安全监管总局办公厅《关于开通安全生产举报投诉特服电话“12350”的通知》（安监总厅〔2009〕155号）",
    ),
)


def enterprise_url(enterprise: Enterprise, *, request: HttpRequest | None = None) -> str:
    """The enterprise's one printable address (what its QR code encodes)."""
    return public_url(reverse("workbench:enterprise_code", args=[enterprise.public_code]), request=request)


def sees_enterprise(request: HttpRequest, enterprise: Enterprise) -> bool:
    user = request.user
    return bool(user.is_authenticated) and enterprise_queryset(user).filter(pk=enterprise.pk).exists()  # type: ignore[arg-type]


def officer_at_gate(request: HttpRequest, enterprise: Enterprise) -> bool:
    """扫码入企: a signed-in officer (a department user with an enforcement certificate)."""
    return is_officer(request.user)


def to_dossier(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    return redirect("registry:enterprise_detail", pk=enterprise.pk)


def anyone(request: HttpRequest, enterprise: Enterprise) -> bool:
    return True


def report_form(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    """The reporting app's public report form for this enterprise, with the other channels."""
    return enterprise_report_page(request, enterprise, channels=REPORT_CHANNELS)


HANDLERS: tuple[Handler, ...] = (
    Handler("check_in", officer_at_gate, gate_page),
    Handler("dossier", sees_enterprise, to_dossier),
    Handler("public", anyone, report_form),
)


@require_GET
def enterprise_code(request: HttpRequest, code: str) -> HttpResponse:
    """No sign-in: an unknown code is the plain 404 for everyone."""
    enterprise = enterprise_by_public_code(code)
    if enterprise is None:
        raise Http404
    handler = next(h for h in HANDLERS if h.applies(request, enterprise))
    return handler.respond(request, enterprise)
