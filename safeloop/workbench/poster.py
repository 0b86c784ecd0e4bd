"""一企一码's poster: the enterprise's name, its QR code and what scanning it is for, on one A4
page to print and put up at the gate; and the QR code alone as PNG or SVG for the enterprise's
own signs. The code encodes `codes.enterprise_url`, the one address of the enterprise."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safeloop.accounts.models import Role, User
from safeloop.core.qr import qr_png, qr_svg
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import enterprise_get
from safeloop.workbench.codes import REPORT_CHANNELS, enterprise_url

PNG_SCALE = 20  # pixels a module: a version-3 code is about 660 px, sharp at 10 cm


def can_print_poster(user: User) -> bool:
    """Regulators, and the enterprise's own users (their scope is their enterprise)."""
    return user.is_regulator or user.role == Role.ENTERPRISE


def _poster_enterprise(request: HttpRequest, pk: int) -> Enterprise:
    enterprise = enterprise_get(request.user, pk)  # out of scope: 404 before any role question
    if not can_print_poster(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("您的角色不能打印企业码"))
    return enterprise


@login_required
@require_GET
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _poster_enterprise(request, pk)
    url = enterprise_url(enterprise, request=request)
    context = {
        "enterprise": enterprise,
        "url": url,
        "qr": qr_svg(url, title=_("%(name)s的企业码") % {"name": enterprise.name}, fluid=True),
        "channels": REPORT_CHANNELS,
    }
    return render(request, "workbench/poster.html", context)


@login_required
@require_GET
def poster_code(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The QR code alone, as `png` or `svg` (one address each)."""
    enterprise = _poster_enterprise(request, pk)
    url = enterprise_url(enterprise, request=request)
    if kind == "svg":
        response = HttpResponse(qr_svg(url, scale=10), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr_png(url, scale=PNG_SCALE), content_type="image/png")
    name = _("企业码-%(name)s.%(kind)s") % {"name": enterprise.name, "kind": kind}
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
