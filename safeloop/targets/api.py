from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from safeloop.core.errors import ValidationFailed
from safeloop.core.scope import complete_area
from safeloop.targets.selectors import Board, Row

router = Router(tags=["目标指标"])


class IndicatorQuery(Schema):
    region: str
    year: int | None = None


def _number(value) -> float | None:
    return None if value is None else float(value)


def _indicator(row: Row) -> dict:
    p = row.projection
    ind = row.indicator
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit,
        "formula": ind.formula,
        "source": ind.source,
        "value": _number(row.value),
        "same_period_last_year": _number(row.last_year),
        "baseline": _number(row.baseline),
        "target": _number(ind.round(row.target)),
        "target_kind": row.target_rule.kind if row.target_rule else None,
        "binding": bool(row.target_rule and row.target_rule.binding),
        "progress": {
            "status": row.status,
            "projected": None if p is None else round(p.mean, ind.decimals + 2),
            "projected_low": None if p is None else round(p.low, ind.decimals + 2),
            "projected_high": None if p is None else round(p.high, ind.decimals + 2),
            "probability": None if p is None or p.probability is None else round(p.probability, 4),
        },
    }


@router.get("/indicators", summary="官方指标：当年（截至今日）值、同期、基准、目标与进度")
def indicators(request: HttpRequest, region: str, year: int | None = None):
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationFailed.from_fields({"year": "年份应在2000至2100之间"})
    prefix = complete_area(request.user)
    if prefix is None or not region.startswith(prefix) or not region.isdigit():
        raise Http404
    board = Board(request.user, year)
    return {
        "region": region,
        "year": year,
        "complete": board.complete,
        "results": [_indicator(r) for r in board.rows(region)],
    }
