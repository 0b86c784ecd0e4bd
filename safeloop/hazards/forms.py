"""The report form; the service validates. (Each workflow action declares its fields as
FieldSpecs in its row of `workflow.TRANSITIONS`; the report's are `fields.REPORT_FIELDS`.)"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from safeloop.accounts.models import User
from safeloop.core.forms import FormState
from safeloop.hazards.models import Level, Source
from safeloop.hazards.services import allowed_sources, report_fields


def report_form(user: User, post: Any, params: QueryDict) -> FormState:
    """The report page's form: what the user posted, else a new report (the link may name the
    enterprise: ?enterprise=ID); the sources offered are the ones the user's role may report."""
    sources = [(value, label) for value, label in Source.choices if value in allowed_sources(user)]
    new = {"source": sources[0][0] if sources else "", "level": Level.GENERAL, **params.dict()}
    return FormState.of_page(report_fields(user), post, new, options={"source": sources})
