"""The installable phone app shell and the offline queue's server side (docs/offline.md).

- `/manifest.webmanifest`: the web app manifest (Chinese name, the icons in static/icons).
- `/sw.js`: the service worker (static/js/sw.js, Workbox from npm served under
  /static/vendor/workbox/), at the site's root so it controls every page; told here which shell
  files to keep (their hashed static names).
- `/offline/`: the 待上传 list (drawn by static/js/offline.js from the phone's IndexedDB).
- `/offline/unavailable/`: what a page not kept on the phone shows with no network.
- `/offline/session.json`: who is signed in, the CSRF token to send the queue with, and the field
  pages of the user's role the phone keeps for them (`FIELD_PAGES`); 401 when signed out, so the
  queue knows to ask for a new sign-in and keeps every item.
- `/offline/receipts/<key>`: what the server answered a POST with that Idempotency-Key, for the
  signed-in caller (core/idempotency.py): the phone asks when the connection broke mid-upload.
- `/offline/hazards/<pk>/state.json`: a hazard's version now and what happened since a version,
  for the 待上传 list to show a conflict with what changed.

Queued kinds are generic: a form opts in with `data-queue="<kind>"` and
`data-queue-label="<Chinese label>"`; the pages the phone keeps for a kind come from the
functions in `FIELD_PAGES` (an app registers its own with `register_field_pages`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safeloop.checklists.models import Status as ChecklistStatus
from safeloop.checklists.selectors import checklist_list, open_checklist
from safeloop.core.datetext import moment_text
from safeloop.core.idempotency import principal_of, receipt_of
from safeloop.core.roles import Role
from safeloop.flood.permissions import can_record as can_record_flood
from safeloop.hazards.models import Status as HazardStatus
from safeloop.hazards.permissions import can_report_hazards
from safeloop.hazards.selectors import hazard_events, hazard_get, todo
from safeloop.hazards.workflow import ACTION_LABELS
from safeloop.inspections.models import Status as InspectionStatus
from safeloop.inspections.selectors import inspections_visible, may_inspect

STATUS_LABELS = dict(HazardStatus.choices)
KEPT_TODO = 20  # hazard pages of the to-do kept on the phone (rectification evidence offline)
VENDOR = ("workbox-core", "workbox-routing", "workbox-strategies")
SHELL_STATIC = (
    "css/safeloop.css",
    "js/safeloop.js",
    "js/offline.js",
    "js/checklist.js",
    "js/checkin.js",
    "js/report.js",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "vendor/idb/umd.js",
    "vendor/exifr/lite.umd.js",
    "vendor/piexifjs/piexif.js",
    "django_htmx/htmx-2.min.js",
)

FIELD_PAGES: list[Callable[[Any], list[str]]] = []


def register_field_pages(pages: Callable[[Any], list[str]]) -> None:
    """`pages(user)` → the addresses of the user's field forms the phone keeps for offline use."""
    if pages not in FIELD_PAGES:
        FIELD_PAGES.append(pages)


def _hazard_pages(user: Any) -> list[str]:
    pages = [reverse("hazards:todo")]
    if can_report_hazards(user):
        pages.append(reverse("hazards:new"))
    ids = todo(user).values_list("pk", flat=True)[:KEPT_TODO]
    pages += [reverse("hazards:detail", args=[pk]) for pk in ids]
    return pages


def _checklist_pages(user: Any) -> list[str]:
    if user.role == Role.ENTERPRISE:
        current = open_checklist(user)
        return [reverse("checklists:list")] + ([reverse("checklists:detail", args=[current.pk])] if current else [])
    ids = checklist_list(user).filter(status=ChecklistStatus.IN_PROGRESS).values_list("pk", flat=True)[:KEPT_TODO]
    return [reverse("checklists:detail", args=[pk]) for pk in ids]


def _inspection_pages(user: Any) -> list[str]:
    if not may_inspect(user):
        return []
    open_ = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
    ids = inspections_visible(user).filter(status__in=open_).values_list("pk", flat=True)[:KEPT_TODO]
    return [reverse("inspections:list")] + [reverse("inspections:detail", args=[pk]) for pk in ids]


def _flood_pages(user: Any) -> list[str]:
    return [reverse("flood:patrol_new")] if can_record_flood(user) else []


register_field_pages(_hazard_pages)
register_field_pages(_checklist_pages)
register_field_pages(_inspection_pages)
register_field_pages(_flood_pages)


def field_pages(user: Any) -> list[str]:
    pages = [reverse("workbench:home"), reverse("workbench:offline_queue")]
    for source in FIELD_PAGES:
        pages += [page for page in source(user) if page not in pages]
    return pages


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("SafeLoop 安全生产闭环治理平台"),
        "short_name": _("安全闭环"),
        "description": _("隐患排查、整改、检查与巡查，无信号时也能记录，恢复网络后自动上传"),
        "lang": "zh-CN",
        "start_url": "/?source=app",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#f3f4f6",
        "theme_color": "#0f4c81",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(name) for name in SHELL_STATIC] + [reverse("workbench:offline_unavailable")]
    config = {
        "vendor": [static(f"vendor/workbox/{name}.prod.js") for name in VENDOR],
        "shell": shell,
        "fallback": reverse("workbench:offline_unavailable"),
        "version": hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12],
    }
    source = Path(finders.find("js/sw.js")).read_text(encoding="utf-8")
    body = f"self.SAFELOOP_SW = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/offline_queue.html")


@require_GET
def unavailable(request: HttpRequest) -> HttpResponse:
    # The same copy for everyone (it is kept in the shell cache): no user, no session data.
    return render(request, "workbench/offline_unavailable.html", {"shell_page": True})


@require_GET
def session_info(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "login": reverse("accounts:login")}, status=401)
    return JsonResponse(
        {"signed_in": True, "user": request.user.pk, "csrf": get_token(request), "pages": field_pages(request.user)}
    )


@require_GET
def receipt(request: HttpRequest, key: str) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    found = receipt_of(principal_of(request), key)
    if found is None:
        raise Http404
    return JsonResponse(
        {
            "status": found.status,
            "location": found.location,
            "refusal": found.refusal,
            "at": found.created_at.isoformat(),
        }
    )


@require_GET
def hazard_state(request: HttpRequest, pk: int) -> JsonResponse:
    """The hazard now and the steps recorded after the version the queued action was made on."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    hazard = hazard_get(request.user, pk)
    try:
        since = int(request.GET.get("since", ""))
    except ValueError:
        since = 0
    events = [
        {
            "action": str(ACTION_LABELS.get(e.action, e.action)),
            "actor": e.actor_name,
            "at": moment_text(e.at),
            "to_status": str(STATUS_LABELS.get(e.to_status, "")),
        }
        for e in hazard_events(hazard)
        if e.seq > since
    ]
    return JsonResponse(
        {"version": hazard.version, "status": hazard.get_status_display(), "code": hazard.code, "events": events[-10:]}
    )
