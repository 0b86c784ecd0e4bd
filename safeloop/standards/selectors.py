"""Reads of the standards catalogue. Read-only reference data: any logged-in user sees all of it
(API.md, "standards"); the scope mechanism has nothing to narrow, so these take no user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from safeloop.standards.models import Clause, Standard, Status


def standards() -> QuerySet[Standard]:
    return Standard.objects.select_related("superseded_by").annotate(clause_count=Count("clauses"))


def standard_get(standard_id: str) -> Standard | None:
    return standards().filter(id=standard_id).first()


def clauses(standard_id: str | None = None) -> QuerySet[Clause]:
    qs = Clause.objects.select_related("standard", "superseded_by")
    return qs.filter(standard_id=standard_id) if standard_id is not None else qs


def clause_get(clause_id: str) -> Clause | None:
    """A clause by id, superseded or not (a superseded clause stays citable)."""
    return clauses().filter(id=clause_id.strip().upper()).first() if clause_id else None


def clauses_by_id(ids: list[str]) -> dict[str, Clause]:
    return {c.id: c for c in clauses().filter(id__in=ids)}


def categories_of(clause: Clause) -> list[str]:
    """The supervision categories a clause applies to: its own, else its standard's."""
    return list(clause.category_codes or clause.standard.category_codes)


def clauses_for_category(codes: list[str], *, include_superseded: bool = False) -> list[Clause]:
    """Clauses that apply to any of `codes` (an enterprise's category and its parent). JSON lists are
    filtered here in Python: the catalogue is a few hundred rows and JSON containment is not portable."""
    wanted = set(codes)
    qs = clauses() if include_superseded else clauses().filter(status=Status.IN_FORCE)
    return [c for c in qs if wanted & set(categories_of(c))]


def in_force_clauses() -> QuerySet[Clause]:
    return clauses().filter(Q(status=Status.IN_FORCE))


def clause_resolve(text: str) -> Clause | None:
    """The clause a reference names: its id, or a loose or worded reference naming exactly one
    clause (`standards.references`); None when it names none or several."""
    from safeloop.standards.references import normalised, resolve

    raw = normalised(text)
    if not raw:
        return None
    found = clause_get(raw)
    if found is not None:
        return found
    clause_id = resolve(text, set(Clause.objects.values_list("id", flat=True)))
    return clause_get(clause_id) if clause_id else None


def suggestion_request(user: Any, data: dict[str, Any]) -> tuple[str, str | None]:
    """The text and category of a suggestion request, checked (a 400 names the field): text 1–2,000
    characters; category a supervision category code. Without one, an enterprise account's own
    category is used (the enterprise's category boosts the clauses that apply to it)."""
    from safeloop.core.inputs import Inputs
    from safeloop.standards.catalogue import category_codes
    from safeloop.standards.suggest import MAX_TEXT

    inp = Inputs(data)
    text = inp.text("text", _("隐患描述"), required=True, max_length=MAX_TEXT)
    category = inp.text("category", _("监管行业"), max_length=32) or None
    if category and category not in category_codes():
        inp.error("category", _("监管行业“{code}”不存在").format(code=category[:32]))
    inp.check()
    if category is None and getattr(user, "enterprise_id", None):
        category = user.enterprise.category_id
    return text, category
