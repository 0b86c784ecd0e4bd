"""The official indicators: each is data (indicators.csv: name, formula, unit, source) and one
pure function of the period's figures. Missing denominators give None ("no data"), never zero.
The accident death figures count deaths and missing persons together by default, as the
statistical system does (RULES.md §3.2; `accidents.grading.counted_dead`); each formula says
which it counts."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data"
CODES = (
    "deaths",
    "major_accidents",
    "deaths_per_100m_gdp",
    "deaths_per_100k_industrial_workers",
    "road_deaths_per_10k_vehicles",
    "disaster_loss_share_gdp",
    "disaster_deaths_per_million",
    "disaster_affected_per_100k",
    "response_within_2h_share",
    "relief_within_10h_share",
)


@dataclass
class Figures:
    """Everything the indicators of one region and period are computed from."""

    accidents: int = 0
    deaths: int = 0
    major_accidents: int = 0
    gongmao_deaths: int = 0
    road_deaths: int = 0
    disaster_loss: Decimal = Decimal(0)  # 万元
    disaster_deaths: int = 0
    affected: int = 0
    responses: int = 0
    responses_within_2h: int = 0
    relief_needed: int = 0
    relief_within_10h: int = 0
    gdp: Decimal | None = None  # 亿元
    population: int | None = None
    industrial_employees: int | None = None
    motor_vehicles: int | None = None

    def add(self, other: Figures) -> None:
        """Sum the counted records (not the denominators, which belong to one region)."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


DENOMINATORS = ("gdp", "population", "industrial_employees", "motor_vehicles")
_SUMMED = tuple(f.name for f in fields(Figures) if f.name not in DENOMINATORS)


def _ratio(numerator, denominator, scale: int | Decimal = 1) -> Decimal | None:
    if denominator is None or denominator == 0:
        return None
    return Decimal(numerator) * Decimal(scale) / Decimal(denominator)


def deaths(f: Figures) -> Decimal:
    return Decimal(f.deaths)


def major_accidents(f: Figures) -> Decimal:
    return Decimal(f.major_accidents)


def deaths_per_100m_gdp(f: Figures) -> Decimal | None:
    return _ratio(f.deaths, f.gdp)


def deaths_per_100k_industrial_workers(f: Figures) -> Decimal | None:
    return _ratio(f.gongmao_deaths, f.industrial_employees, 100_000)


def road_deaths_per_10k_vehicles(f: Figures) -> Decimal | None:
    return _ratio(f.road_deaths, f.motor_vehicles, 10_000)


def disaster_loss_share_gdp(f: Figures) -> Decimal | None:
    gdp_wan = None if f.gdp is None else Decimal(f.gdp) * 10_000
    return _ratio(f.disaster_loss, gdp_wan, 100)


def disaster_deaths_per_million(f: Figures) -> Decimal | None:
    return _ratio(f.disaster_deaths, f.population, 1_000_000)


def disaster_affected_per_100k(f: Figures) -> Decimal | None:
    return _ratio(f.affected, f.population, 100_000)


def response_within_2h_share(f: Figures) -> Decimal | None:
    return _ratio(f.responses_within_2h, f.responses or None, 100)


def relief_within_10h_share(f: Figures) -> Decimal | None:
    return _ratio(f.relief_within_10h, f.relief_needed or None, 100)


def counted_words() -> dict[str, str]:
    """What the death figures count, for the formulas ({dead}, {disaster_dead} in indicators.csv)."""
    with_missing = settings.SAFELOOP_GRADE_COUNTS_MISSING
    disaster_missing = settings.SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING
    return {
        "dead": "死亡和失踪（含下落不明）人数" if with_missing else "死亡人数（不含失踪）",
        "disaster_dead": "死亡和失踪人数" if disaster_missing else "死亡人数（不含失踪）",
    }


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    formula_text: str  # with {dead} / {disaster_dead} for what the settings count
    unit: str
    decimals: int
    lower_is_better: bool
    source: str
    compute: Callable[[Figures], Decimal | None] = field(repr=False)
    # The record count the rate moves with (for the projection); None: not projected.
    count_field: str | None = None

    @property
    def formula(self) -> str:
        """The formula as shown and exported: it says whether the missing are counted."""
        return self.formula_text.format(**counted_words())

    def round(self, value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(Decimal(1).scaleb(-self.decimals), ROUND_HALF_UP)


COUNT_FIELDS = {
    "deaths": "deaths",
    "major_accidents": "major_accidents",
    "deaths_per_100m_gdp": "deaths",
    "deaths_per_100k_industrial_workers": "gongmao_deaths",
    "road_deaths_per_10k_vehicles": "road_deaths",
}


@cache
def indicators() -> dict[str, Indicator]:
    with (DATA / "indicators.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return {
        row["code"]: Indicator(
            code=row["code"],
            name=row["name"],
            formula_text=row["formula"],
            unit=row["unit"],
            decimals=int(row["decimals"]),
            lower_is_better=row["lower_is_better"] == "1",
            source=row["source"],
            compute=globals()[row["code"]],
            count_field=COUNT_FIELDS.get(row["code"]),
        )
        for row in rows
    }


def compute_all(f: Figures) -> dict[str, Decimal | None]:
    return {code: ind.compute(f) for code, ind in indicators().items()}
