"""The 判定依据 of a hazard: a clause of the standards catalogue (issue 11). People type the id
(GM10-11-03) or a reference naming one clause (化工121-12, 工贸…第十一条（三）); it is stored as the
clause id, and anything else is refused naming the field, keeping what was typed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safeloop.core.fields import FieldSpec
from safeloop.core.inputs import Inputs
from safeloop.standards.models import Clause
from safeloop.standards.selectors import clause_resolve


def unknown_clause(text: str) -> str:
    return _("“{text}”不是判定标准库中的条款，请填写条款编号，如 GM10-11-03（可在判定标准库中查找）").format(
        text=text[:40]
    )


def read_clause(inp: Inputs, spec: FieldSpec) -> Clause | None:
    """The clause the field names (None when empty); an unknown one is the field's error."""
    text = inp.read(spec)
    if not text:
        return None
    clause = clause_resolve(text)
    if clause is None:
        inp.error(spec.name, unknown_clause(text))
    return clause


def clause_values(inp: Inputs, values: dict[str, Any], spec: FieldSpec) -> dict[str, Any]:
    """`values` with the text read for `spec` replaced by its clause."""
    text = values.get(spec.name)
    if text:
        clause = clause_resolve(text)
        if clause is None:
            inp.error(spec.name, unknown_clause(text))
        values[spec.name] = clause
    else:
        values[spec.name] = None
    return values


def clause_shown(hazard: Any) -> str:
    """The clause as a document or a list cell shows it: standard, number and text; or the legacy text."""
    clause = hazard.clause
    if clause is None:
        return hazard.legacy_clause or "—"
    return f"{clause.id} {clause.standard.short_title or clause.standard.title}{clause.number}"
