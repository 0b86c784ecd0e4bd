"""The double-random draw (双随机) as a pure function of what the draw stores.

Algorithm `pcg64-es-v1` (documented in docs/inspections.md):

1. The generator is numpy's `Generator(PCG64(seed))`: PCG64 is a specified algorithm (O'Neill,
   PCG64 XSL-RR) whose stream numpy guarantees stable for a given seed (NEP 19), unlike
   `random.Random`, whose methods may change between Python versions.
2. Enterprises: weighted sampling without replacement by Efraimidis–Spirakis keys: one uniform
   `u` per pool entry, in pool order; key = ln(u) / weight (weight by risk level, default 1);
   the `count` largest keys win (ties by pool position), in descending key order.
3. Inspectors: for each drawn enterprise in that order, one uniform per roster entry in roster
   order; the inspectors without a conflict with the enterprise are ranked by (assignments so
   far, the uniform) and the first two are paired (pairs of two, load balanced). With fewer than
   two eligible inspectors the enterprise stays in the result with no inspectors (`unpaired`).

The same seed, pool (ordered ids), risk levels, weights, roster (ordered ids), conflicts and
count give the same result on every machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

ALGORITHM = "pcg64-es-v1"
PAIR = 2  # officers per inspection (国办发〔2024〕54号: at least two)


@dataclass(frozen=True)
class DrawInput:
    seed: int
    pool: Sequence[int]  # enterprise ids, in the stored order
    risk: Sequence[str]  # the risk level of each pool entry ('' when not graded)
    roster: Sequence[int]  # inspector (user) ids, in the stored order
    conflicts: Iterable[tuple[int, int]]  # (inspector, enterprise)
    count: int
    weights: Mapping[str, float]  # risk level → weight; absent levels weigh 1


def run(spec: DrawInput) -> list[dict[str, list[int] | int]]:
    """[{"enterprise": id, "inspectors": [id, id]}] in draw order."""
    rng = np.random.Generator(np.random.PCG64(spec.seed))
    chosen = _enterprises(rng, spec)
    return _pairs(rng, spec, chosen)


def _enterprises(rng: np.random.Generator, spec: DrawInput) -> list[int]:
    size = len(spec.pool)
    if size == 0 or spec.count <= 0:
        return []
    u = rng.random(size)
    weight = np.array([float(spec.weights.get(level, 1.0)) for level in spec.risk], dtype=float)
    weight = np.where(weight > 0, weight, 1e-12)
    keys = np.log(np.where(u > 0, u, np.finfo(float).tiny)) / weight
    # stable sort of -keys: the largest keys first, ties by pool position
    order = np.argsort(-keys, kind="stable")[: min(spec.count, size)]
    pool = np.asarray(spec.pool, dtype=np.int64)
    return [int(x) for x in pool[order]]


def _pairs(rng: np.random.Generator, spec: DrawInput, chosen: list[int]) -> list[dict[str, list[int] | int]]:
    roster = np.asarray(list(spec.roster), dtype=np.int64)
    position = {int(who): i for i, who in enumerate(roster)}
    blocked: dict[int, list[int]] = {}
    for inspector, enterprise in spec.conflicts:
        if int(inspector) in position:
            blocked.setdefault(int(enterprise), []).append(position[int(inspector)])
    load = np.zeros(len(roster), dtype=float)
    result: list[dict[str, list[int] | int]] = []
    for enterprise in chosen:
        u = rng.random(len(roster))
        # rank by (assignments so far, uniform): the load is a whole number and u < 1
        key = load + u
        key[blocked.get(enterprise, [])] = np.inf
        best = np.argsort(key, kind="stable")[:PAIR]
        if len(best) < PAIR or not np.isfinite(key[best]).all():
            result.append({"enterprise": enterprise, "inspectors": []})
            continue
        load[best] += 1
        result.append({"enterprise": enterprise, "inspectors": sorted(int(x) for x in roster[best])})
    return result


def result_hash(result: list[dict[str, list[int] | int]]) -> str:
    """SHA-256 of the result's canonical JSON: the digest the public page shows."""
    text = json.dumps(result, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
