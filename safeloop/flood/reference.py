"""The facts this app runs on, as data (data/*.csv, each row naming its source): the warning and
response levels with the patrol interval each imposes, the 险情 deadlines in hours, the minimum
stock per township. Every figure shipped here is marked `assumption` (docs/flood.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@dataclass(frozen=True)
class Level:
    kind: str  # warning | response
    level: str  # blue…red, IV…I
    label: str
    rank: int
    patrol_hours: int
    source: str

    @property
    def patrol_interval(self) -> timedelta:
        return timedelta(hours=self.patrol_hours)


@cache
def levels() -> dict[tuple[str, str], Level]:
    return {
        (r["kind"], r["level"]): Level(
            r["kind"], r["level"], r["label"], int(r["rank"]), int(r["patrol_hours"]), r["source"]
        )
        for r in _rows("levels.csv")
    }


def level_choices(kind: str) -> tuple[tuple[str, str], ...]:
    return tuple((lv.level, lv.label) for (k, _code), lv in levels().items() if k == kind)


@cache
def deadlines() -> dict[str, timedelta]:
    return {r["step"]: timedelta(hours=int(r["hours"])) for r in _rows("deadlines.csv")}


@cache
def minimum_stock() -> dict[str, int]:
    return {r["item"]: int(r["minimum"]) for r in _rows("minimum_stock.csv")}
