"""Reference tables shipped as data (safeloop/accidents/data/*.csv, sources in each file)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    group: str
    gongmao: bool
    road: bool
    re_report_days: int
    reporting_authority: str
    category: str


@dataclass(frozen=True)
class GradeRule:
    code: str
    name: str
    min_deaths: int
    min_serious_injuries: int
    min_direct_loss_wan: Decimal


@cache
def sectors() -> dict[str, Sector]:
    return {
        row["code"]: Sector(
            code=row["code"],
            name=row["name"],
            group=row["group"],
            gongmao=row["gongmao"] == "1",
            road=row["road"] == "1",
            re_report_days=int(row["re_report_days"]),
            reporting_authority=row["reporting_authority"],
            category=row["category"],
        )
        for row in read_csv("sectors.csv")
    }


@cache
def grade_rules() -> tuple[GradeRule, ...]:
    """Highest grade first."""
    return tuple(
        GradeRule(
            code=row["code"],
            name=row["name"],
            min_deaths=int(row["min_deaths"]),
            min_serious_injuries=int(row["min_serious_injuries"]),
            min_direct_loss_wan=Decimal(row["min_direct_loss_wan"]),
        )
        for row in read_csv("grades.csv")
    )


def sector_choices() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in sectors().values()]


def gongmao_sectors() -> list[str]:
    return [s.code for s in sectors().values() if s.gongmao]


def road_sectors() -> list[str]:
    return [s.code for s in sectors().values() if s.road]
