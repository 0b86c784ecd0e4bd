"""/api/v1/standards: the determination standards catalogue and the clause suggestion. Read-only
reference data: any logged-in user (API.md, "standards")."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import ModelSchema, Query, Router, Schema

from safeloop.core.api import OutSchema, Paging, page_of, paginate
from safeloop.core.errors import NotFound
from safeloop.standards.models import Clause, Standard
from safeloop.standards.selectors import clauses, standard_get, standards, suggestion_request
from safeloop.standards.suggest import NO_MATCH, suggest

router = Router(tags=["判定标准"])


class StandardOut(ModelSchema, OutSchema):
    clause_count: int
    superseded_by: str | None = None
    issued_on: date | None = None
    in_force_on: date | None = None

    class Meta:
        model = Standard
        fields = [
            *("id", "title", "short_title", "issuer", "doc_no", "issued_on", "in_force_on", "status"),
            *("superseded_from", "supersession_note", "category_codes", "coverage", "confidence"),
            *("source", "source_url", "notes", "data_version"),
        ]

    @staticmethod
    def resolve_superseded_by(obj: Standard) -> str | None:
        return obj.superseded_by_id


class ClauseOut(ModelSchema, OutSchema):
    standard: str
    superseded_by: str | None = None

    class Meta:
        model = Clause
        fields = [
            *("id", "article", "item", "number", "section", "text", "wording", "keywords", "category_codes"),
            *("feature", "confidence", "source", "status", "amended_at", "version"),
        ]

    @staticmethod
    def resolve_standard(obj: Clause) -> str:
        return obj.standard_id

    @staticmethod
    def resolve_superseded_by(obj: Clause) -> str | None:
        return obj.superseded_by_id


class SuggestIn(Schema):
    text: str | None = None
    category: str | None = None


class SuggestionOut(Schema):
    clause: str
    standard: str
    number: str
    text: str
    score: float
    matched: list[str]
    superseded: bool


class SuggestOut(Schema):
    results: list[SuggestionOut]
    no_match: bool
    threshold: float


@router.get("/standards", response=page_of(StandardOut), summary="判定标准目录")
def standard_list(request: HttpRequest, paging: Query[Paging]):
    return paginate(request, standards(), paging)


@router.get("/standards/{standard_id}/clauses", response=page_of(ClauseOut), summary="标准的判定条款（含已废止条款）")
def standard_clauses(request: HttpRequest, standard_id: str, paging: Query[Paging]):
    if standard_get(standard_id) is None:
        raise NotFound()
    return paginate(request, clauses(standard_id), paging)


@router.post("/standards/suggest", response=SuggestOut, summary="按隐患描述推荐判定条款")
def standard_suggest(request: HttpRequest, payload: SuggestIn):
    """`score` is calibrated to 0–1; below `threshold` a result is not a match (`no_match`:
    the best result is below it, the page says 未找到相符条款)."""
    text, category = suggestion_request(request.user, payload.dict())
    results = suggest(text, category=category)
    no_match = not results or results[0].score < NO_MATCH
    return {"results": [r.__dict__ for r in results], "no_match": no_match, "threshold": NO_MATCH}
