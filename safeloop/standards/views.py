"""Pages of the catalogue (any logged-in user: read-only reference data) and the live clause hint
under a hazard's description (htmx)."""

from __future__ import annotations

import re
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from safeloop.core.scope import visible
from safeloop.registry.models import Enterprise
from safeloop.standards.models import Coverage, Standard, Status
from safeloop.standards.selectors import clause_get, clauses, standard_get, standards
from safeloop.standards.suggest import MAX_TEXT, NO_MATCH, suggest

HINT_MIN_CHARS = 4  # shorter than this, a description says too little to suggest from
HINT_RESULTS = 3
URL = re.compile(r"https?://[^\s；;，,（）()]+")


@login_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    rows = list(standards())
    groups = [
        ("clauses", [s for s in rows if s.status == Status.IN_FORCE and s.coverage != Coverage.METADATA]),
        ("metadata", [s for s in rows if s.status == Status.IN_FORCE and s.coverage == Coverage.METADATA]),
        ("superseded", [s for s in rows if s.status == Status.SUPERSEDED]),
    ]
    return render(request, "standards/list.html", {"groups": groups})


@login_required
@require_GET
def standard_detail(request: HttpRequest, standard_id: str) -> HttpResponse:
    standard = standard_get(standard_id)
    if standard is None:
        raise Http404
    rows = list(clauses(standard_id).order_by("sort", "id"))
    sections = [(name, list(items)) for name, items in groupby(rows, key=lambda c: c.section)]
    context = {"standard": standard, "sections": sections, "links": source_links(standard)}
    return render(request, "standards/detail.html", context)


def source_links(standard: Standard) -> list[str]:
    """The web addresses of a standard's sources (the data files' source keys and file names are
    for maintainers, not for the page)."""
    found = [standard.source_url] if standard.source_url else []
    for url in URL.findall(standard.source):
        if url not in found:
            found.append(url)
    return found


@login_required
@require_GET
def clause_detail(request: HttpRequest, clause_id: str) -> HttpResponse:
    clause = clause_get(clause_id)
    if clause is None:
        raise Http404
    return redirect(reverse("standards:detail", args=[clause.standard_id]) + f"#{clause.id}")


@login_required
@require_POST
def clause_hint(request: HttpRequest) -> HttpResponse:
    """The clauses a description being typed may fall under (the best three at or above the
    calibrated threshold), or 未找到相符条款."""
    text = (request.POST.get("description") or "").strip()[:MAX_TEXT]
    context: dict = {"text": text, "results": [], "short": len(text) < HINT_MIN_CHARS}
    if not context["short"]:
        found = suggest(text, category=_category(request))
        context["results"] = [r for r in found[:HINT_RESULTS] if r.score >= NO_MATCH]
    return render(request, "standards/partials/hint.html", context)


def _category(request: HttpRequest) -> str | None:
    """The category of the enterprise the hazard is about: the account's own, or the one picked
    (within the user's scope; anything else gives no boost)."""
    user = request.user
    if getattr(user, "enterprise_id", None):
        return user.enterprise.category_id  # type: ignore[union-attr]
    picked = request.POST.get("enterprise", "")
    if not (picked.isascii() and picked.isdigit() and len(picked) <= 18):
        return None
    row = visible(user, Enterprise.objects.filter(pk=int(picked))).values_list("category_id", flat=True).first()
    return row
