"""The pages of 一企一档 (see `dossier.py`): the enterprise's page and each of its tabs."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from safeloop.accounts.models import User
from safeloop.registry.links import enterprise_links
from safeloop.registry.models import Enterprise
from safeloop.registry.permissions import can_edit_enterprises
from safeloop.registry.selectors import enterprise_facts, enterprise_get
from safeloop.workbench.dossier import TABS, dossier_tabs, tab_named
from safeloop.workbench.poster import can_print_poster

TEMPLATE = "workbench/dossier.html"


@dataclass(frozen=True)
class Action:
    label: str | Promise
    url: str


def enterprise_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The registry's `enterprise_detail` (signed in, GET) opens this: the first tab."""
    return _dossier(request, pk, TABS[0].key)


@login_required
@require_GET
def dossier_tab(request: HttpRequest, pk: int, tab: str) -> HttpResponse:
    """One tab; htmx gets the tab bar and the tab alone, a plain request the whole page."""
    return _dossier(request, pk, tab)


def _dossier(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    enterprise = enterprise_get(request.user, pk)
    tab = tab_named(key)
    context = {"enterprise": enterprise, "today": timezone.localdate()}
    context |= dossier_tabs(request.user, enterprise, tab, request.GET.get("page"), context["today"])
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, f"{TEMPLATE}#tabs", context)
    context |= {"facts": enterprise_facts(enterprise), "actions": page_actions(request.user, enterprise)}
    return render(request, TEMPLATE, context)


def page_actions(user: User, enterprise: Enterprise) -> list[Action]:
    """The page's buttons, each offered exactly when its page would accept this user: the loop's
    (即查即改, 上报隐患 with the enterprise chosen: `registry.links`, registered by hazards), the
    enterprise's code, the registry's edit."""
    actions = [Action(label, url) for label, url in enterprise_links(user, enterprise)]
    if can_print_poster(user):
        actions.append(Action(_("企业码"), reverse("workbench:poster", args=[enterprise.pk])))
    if can_edit_enterprises(user):
        actions.append(Action(_("编辑"), reverse("registry:enterprise_edit", args=[enterprise.pk])))
    return actions
