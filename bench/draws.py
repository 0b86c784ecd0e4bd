"""The double-random draw at the issue's size: a 200,000-enterprise pool, 5,000 drawn, paired
from a roster of 200 inspectors with conflicts (issue 13: under 2 s). Prints the median of
several runs beside a baseline in the same run (the generator's uniforms alone).

    .venv/bin/python bench/draws.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safeloop.inspections import draws  # noqa: E402 - a pure module: no Django needed

LEVELS = ["red", "orange", "yellow", "blue", ""]


def instance(pool: int, roster: int, count: int, seed: int) -> draws.DrawInput:
    rng = random.Random(seed)
    ids = list(range(1, pool + 1))
    conflicts = [(rng.randint(1, roster), rng.randint(1, pool)) for _ in range(roster * 20)]
    return draws.DrawInput(
        seed=seed,
        pool=ids,
        risk=[rng.choice(LEVELS) for _ in ids],
        roster=list(range(1, roster + 1)),
        conflicts=conflicts,
        count=count,
        weights={"red": 4.0, "orange": 3.0, "yellow": 2.0, "blue": 1.0},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pool", type=int, default=200_000)
    parser.add_argument("--count", type=int, default=5_000)
    parser.add_argument("--roster", type=int, default=200)
    args = parser.parse_args()
    spec = instance(args.pool, args.roster, args.count, seed=13)
    walls, floors, digests = [], [], set()
    for _ in range(args.runs):
        start = time.perf_counter()
        np.random.Generator(np.random.PCG64(spec.seed)).random(args.pool)
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = draws.run(spec)
        walls.append(time.perf_counter() - start)
        digests.add(draws.result_hash(result))
    figures = {
        "pool": args.pool,
        "count": args.count,
        "roster": args.roster,
        "median_s": round(statistics.median(walls), 3),
        "max_s": round(max(walls), 3),
        "baseline_uniforms_s": round(statistics.median(floors), 4),
        "identical_results": len(digests) == 1,
        "target_s": 2.0,
    }
    print(json.dumps(figures, ensure_ascii=False))
    out = Path(__file__).resolve().parent / "results" / "draws.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
