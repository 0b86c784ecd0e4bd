"""Charts of the workbench as data: every point names the list it counts.

A `Point` is what a bar, slice or point of a chart draws (`value`) and the list it opens (`url`),
which shows `count` rows; a rate's point also names the list of its denominator (`of`, `of_url`).
The page renders each chart twice from the same points: ECharts draws it (static/js/workbench.js,
which follows a point's `url` on click) and a table lists it, so nothing is only in a picture.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.urls import reverse
from django.utils.functional import Promise

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Point:
    value: int | float | None  # what is drawn: a count, or a rate in % (None: nothing to divide)
    count: int  # rows of the list at `url`
    url: str
    of: int | None = None  # a rate's denominator: rows of the list at `of_url`
    of_url: str = ""


@dataclass(frozen=True)
class Series:
    name: str | Promise
    points: list[Point]


@dataclass(frozen=True)
class Chart:
    id: str  # the element's id on the page
    title: str | Promise
    kind: str  # hbar (categories down the side), bar, line
    categories: list[str]
    series: list[Series]
    unit: str = ""  # of the values: "%" for rates
    note: str | Promise = ""
    labels: list[str] = field(default_factory=list)  # longer category names for the tooltip and table
    axis: str | Promise = ""  # what the categories are (the table's first column)

    def rows(self) -> list[tuple[str, list[Point]]]:
        """The chart as a table: a row per category, a cell per series."""
        return [(name, [s.points[i] for s in self.series]) for i, name in enumerate(self.labels or self.categories)]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "unit": self.unit,
            "categories": self.categories,
            "labels": self.labels or self.categories,
            "series": [
                {
                    "name": str(s.name),
                    "data": [{"value": p.value, "url": p.url, "count": p.count, "of": p.of} for p in s.points],
                }
                for s in self.series
            ],
        }

    def points(self) -> list[Point]:
        return [p for s in self.series for p in s.points]


def ledger_url(params: dict[str, str], url_name: str = "hazards:ledger") -> str:
    return reverse(url_name) + (f"?{urlencode(params)}" if params else "")


def percent(count: int, of: int) -> float | None:
    if not of:
        return None
    return float((Decimal(count) * 100 / Decimal(of)).quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass(frozen=True)
class Rate:
    """A rate of rows of the ledger over rows of the ledger (data/rates.csv)."""

    code: str
    name: str
    numerator: str  # the ledger's query parameters ({year}: this year)
    denominator: str
    formula: str
    source: str

    def params(self, today: date) -> tuple[dict[str, str], dict[str, str]]:
        return _params(self.numerator, today), _params(self.denominator, today)


def _params(query: str, today: date) -> dict[str, str]:
    return dict(parse_qsl(query.format(year=today.year)))


@cache
def rates() -> dict[str, Rate]:
    with (DATA / "rates.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return {row["code"]: Rate(**row) for row in rows}
