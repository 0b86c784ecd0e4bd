"""Expert matching at the issue's size: 20,000 enterprises × 1,000 experts with capacities and
conflicts (issue 14: under 10 s). Prints the median of several runs, beside a baseline in the
same run (building the candidate arcs alone, numpy haversine).

    .venv/bin/python bench/expert_matching.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from safeloop.experts.matching import Need, Supply, candidate_arcs, match  # noqa: E402

CATEGORIES = [f"c{k:02d}" for k in range(20)]  # about the registry's number of supervision categories


def instance(n: int, m: int, seed: int) -> tuple[list[Need], list[Supply]]:
    rng = random.Random(seed)

    def point() -> tuple[float, float]:  # the city's box (益阳: about 27.9–29.5 N, 110.7–113.0 E)
        return rng.uniform(27.9, 29.5), rng.uniform(110.7, 113.0)

    needs = [Need(i, rng.choice(CATEGORIES), *point()) for i in range(n)]
    supplies = []
    for j in range(m):
        covers = frozenset(rng.sample(CATEGORIES, rng.choice((1, 1, 2, 3))))
        conflicts = frozenset(rng.sample(range(n), 3))
        supplies.append(Supply(j, covers, *point(), capacity=rng.randint(10, 30), conflicts=conflicts))
    return needs, supplies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--experts", type=int, default=1_000)
    args = parser.parse_args()
    needs, supplies = instance(args.enterprises, args.experts, seed=14)
    walls, floors = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        arcs = candidate_arcs(needs, supplies)
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = match(needs, supplies)
        walls.append(time.perf_counter() - start)
    figures = {
        "enterprises": args.enterprises,
        "experts": args.experts,
        "arcs": int(len(arcs[0])),
        "matched": len(result.assignments),
        "unmatched": len(result.unmatched),
        "cost_m": result.cost,
        "median_match_s": round(statistics.median(walls), 3),
        "median_arcs_only_s": round(statistics.median(floors), 3),
        "runs": args.runs,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
