"""The report and 即查即改 forms; the services validate. (Each workflow action declares its fields as
FieldSpecs in its row of `workflow.TRANSITIONS`; the report's are `fields.REPORT_FIELDS`.)"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from safeloop.accounts.models import User
from safeloop.core.forms import FormState
from safeloop.hazards.fields import PHOTOS
from safeloop.hazards.models import Level, Source
from safeloop.hazards.on_spot import on_spot_fields
from safeloop.hazards.services import allowed_sources, report_fields


def report_form(user: User, post: Any, params: QueryDict) -> FormState:
    """The report page's form: what the user posted, else a new report (the link may name the
    enterprise: ?enterprise=ID); the sources offered are the ones the user's role may report."""
    sources = [(value, label) for value, label in Source.choices if value in allowed_sources(user)]
    new = {"source": sources[0][0] if sources else "", "level": Level.GENERAL, **params.dict()}
    return FormState.of_page((*report_fields(user), PHOTOS), post, new, options={"source": sources})


def on_spot_form(user: User, post: Any, params: QueryDict) -> FormState:
    """The 即查即改 page's form (the link from an enterprise's page names it: ?enterprise=ID)."""
    return FormState.of_page(on_spot_fields(user), post, params.dict())
