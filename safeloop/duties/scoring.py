"""Scores of a scheme's items from the live figures (`duties.measures`), for every unit it assesses.

An item's rule is data (`SchemeItem.rule` and `params`, loaded from data/scheme.csv):
- rate: weight × min(1, rate ÷ target); no rows to count gives full marks (nothing was owed);
- inverse: weight × max(0, 1 − rate ÷ limit); no rows gives full marks;
- deduct: max(0, weight − per × count);
- veto: any row vetoes the unit (score kept, ranked after every unit not vetoed);
- manual: the assessor's `ManualScore` (0 and "待评分" until scored).
Scores are rounded to 0.01 (ROUND_HALF_UP) per item; the total is the sum of the rounded items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from safeloop.duties.measures import Figure, unit_figures
from safeloop.duties.models import Applies, ManualScore, Rule, Scheme, SchemeItem, Unit, UnitKind

CENT = Decimal("0.01")
ASSESSED_KINDS = (UnitKind.COUNTY, UnitKind.DEPARTMENT)


@dataclass
class ItemScore:
    code: str
    title: str
    weight: Decimal
    rule: str
    measure: str
    num: int | None
    den: int | None
    value: str  # as shown
    score: Decimal
    note: str = ""


@dataclass
class UnitScore:
    unit: int
    name: str
    kind: str  # county | department
    region: str
    score: Decimal
    vetoed: bool
    items: list[ItemScore] = field(default_factory=list)
    rank: int = 0


def item_score(item: SchemeItem, figure: Figure | None, manual: ManualScore | None) -> tuple[Decimal, str, bool]:
    """(score, note, vetoes) of one item for one unit."""
    weight = Decimal(item.weight)
    params = item.params or {}
    if item.rule == Rule.MANUAL:
        if manual is None:
            return Decimal(0), _("待评分"), False
        return Decimal(manual.score).quantize(CENT, ROUND_HALF_UP), manual.reason, False
    assert figure is not None
    if item.rule == Rule.VETO:
        return Decimal(0), (_("一票否决") if figure.num else ""), bool(figure.num)
    if item.rule == Rule.DEDUCT:
        per = Decimal(str(params.get("per", 1)))
        return max(Decimal(0), weight - per * figure.num).quantize(CENT, ROUND_HALF_UP), "", False
    rate = figure.rate
    if rate is None:
        return weight.quantize(CENT), _("无应计数据，按满分"), False
    if item.rule == Rule.RATE:
        target = Decimal(str(params.get("target", 1)))
        share = min(Decimal(1), rate / target) if target else Decimal(1)
    else:  # inverse
        limit = Decimal(str(params.get("limit", 1)))
        share = max(Decimal(0), 1 - rate / limit) if limit else Decimal(0)
    return (weight * share).quantize(CENT, ROUND_HALF_UP), "", False


def applies_to(item: SchemeItem, unit: Unit) -> bool:
    kind = "department" if unit.department_id else "county"
    return item.applies in (Applies.BOTH, kind)


def assessed_units(scheme: Scheme) -> list[Unit]:
    """The counties of the scheme's region and its departments."""
    units = Unit.objects.filter(kind__in=ASSESSED_KINDS, region__code__startswith=scheme.region_id[:4])
    counties = [u for u in units if u.kind == UnitKind.COUNTY]
    departments = [u for u in units if u.kind == UnitKind.DEPARTMENT and u.region_id == scheme.region_id]
    return counties + departments


def compute(scheme: Scheme, today: date | None = None) -> list[UnitScore]:
    """The scheme's scores for every unit it assesses, ranked within counties and within departments."""
    units = assessed_units(scheme)
    items = list(scheme.items.all())
    figures = unit_figures(units, scheme.year, today)
    manual = {(m.item_id, m.unit_id): m for m in ManualScore.objects.filter(item__scheme=scheme)}
    scores = []
    for unit in units:
        result = UnitScore(
            unit=unit.pk,
            name=unit.name,
            kind="department" if unit.department_id else "county",
            region=unit.region_id if not unit.department_id else "",
            score=Decimal(0),
            vetoed=False,
        )
        for item in items:
            if not applies_to(item, unit):
                continue
            figure = figures[unit.pk].get(item.measure) if item.measure else None
            score, note, veto = item_score(item, figure, manual.get((item.pk, unit.pk)))
            result.vetoed |= veto
            result.score += score
            result.items.append(
                ItemScore(
                    code=item.code,
                    title=item.title,
                    weight=Decimal(item.weight),
                    rule=item.rule,
                    measure=item.measure,
                    num=figure.num if figure else None,
                    den=figure.den if figure else None,
                    value=figure.shown() if figure else "",
                    score=score,
                    note=note,
                )
            )
        scores.append(result)
    return rank(scores)


def rank(scores: list[UnitScore]) -> list[UnitScore]:
    """Counties first, then departments; within each, the units not vetoed by score, then the vetoed."""
    out: list[UnitScore] = []
    for kind in ("county", "department"):
        group = sorted((s for s in scores if s.kind == kind), key=lambda s: (s.vetoed, -s.score, s.name))
        for i, s in enumerate(group, start=1):
            s.rank = i
        out += group
    return out


def as_json(scores: list[UnitScore]) -> list[dict[str, Any]]:
    return [
        {
            "rank": s.rank,
            "unit": s.unit,
            "name": s.name,
            "kind": s.kind,
            "region": s.region,
            "score": str(s.score),
            "vetoed": s.vetoed,
            "items": [
                {
                    "code": i.code,
                    "title": i.title,
                    "weight": str(i.weight),
                    "rule": i.rule,
                    "measure": i.measure,
                    "num": i.num,
                    "den": i.den,
                    "value": i.value,
                    "score": str(i.score),
                    "note": i.note,
                }
                for i in s.items
            ],
        }
        for s in scores
    ]


def from_json(rows: list[dict[str, Any]]) -> list[UnitScore]:
    return [
        UnitScore(
            unit=r["unit"],
            name=r["name"],
            kind=r["kind"],
            region=r["region"],
            score=Decimal(r["score"]),
            vetoed=r["vetoed"],
            rank=r["rank"],
            items=[
                ItemScore(
                    code=i["code"],
                    title=i["title"],
                    weight=Decimal(i["weight"]),
                    rule=i["rule"],
                    measure=i["measure"],
                    num=i["num"],
                    den=i["den"],
                    value=i["value"],
                    score=Decimal(i["score"]),
                    note=i["note"],
                )
                for i in r["items"]
            ],
        )
        for r in rows
    ]
