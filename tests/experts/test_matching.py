"""The matching is exact: its cost equals a reference solver's, and it never breaks a constraint."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from safeloop.core.geo import haversine_m
from safeloop.experts.matching import CONFLICTED, FULL, NO_SPECIALTY, Need, Supply, match

CATS = ("a", "b", "c")


def reference(needs, supplies) -> tuple[int, int]:
    """(matched, cost) by scipy's assignment on the capacity-expanded matrix: a column per seat of
    each expert and one 'unmatched' column per enterprise, with a penalty above any real total."""
    seats = [s for s in supplies for _ in range(s.capacity)]
    big = 10**12
    cost = np.full((len(needs), len(seats) + len(needs)), big, dtype=np.int64)
    for i, n in enumerate(needs):
        for k, s in enumerate(seats):
            if n.category in s.covers and n.id not in s.conflicts:
                cost[i, k] = int(haversine_m(np.array(n.lat), np.array(n.lng), np.array(s.lat), np.array(s.lng)))
        cost[i, len(seats) + i] = big * 2  # unmatched: dearer than any infeasible-free choice
    cost[cost == big] = big * 10  # not allowed at all
    rows, cols = linear_sum_assignment(cost)
    real = [(r, c) for r, c in zip(rows, cols, strict=True) if c < len(seats) and cost[r, c] < big]
    return len(real), int(sum(cost[r, c] for r, c in real))


def instance(rng: random.Random, n: int, m: int):
    needs = [Need(i, rng.choice(CATS), rng.uniform(28, 29), rng.uniform(111, 113)) for i in range(n)]
    supplies = [
        Supply(
            100 + j,
            frozenset(rng.sample(CATS, rng.randint(1, 2))),
            rng.uniform(28, 29),
            rng.uniform(111, 113),
            capacity=rng.randint(0, 3),
            conflicts=frozenset(rng.sample(range(n), min(n, rng.randint(0, 2)))),
        )
        for j in range(m)
    ]
    return needs, supplies


def test_cost_equals_the_reference_solver_on_many_small_inputs():
    rng = random.Random(14)
    for _ in range(40):
        needs, supplies = instance(rng, rng.randint(1, 25), rng.randint(1, 8))
        result = match(needs, supplies)
        matched, cost = reference(needs, supplies)
        assert len(result.assignments) == matched
        assert result.cost == cost == sum(a.metres for a in result.assignments)


def test_a_known_case_takes_the_nearer_expert_and_explains_the_rest():
    near = Supply(1, frozenset({"a"}), 28.5, 112.0, capacity=1)
    far = Supply(2, frozenset({"a"}), 29.0, 112.0, capacity=1)
    conflicted = Supply(3, frozenset({"b"}), 28.5, 112.0, capacity=5, conflicts=frozenset({11}))
    needs = [Need(10, "a", 28.5, 112.01), Need(11, "b", 28.5, 112.0), Need(12, "c", 28.5, 112.0)]
    result = match(needs, [far, near, conflicted])
    assert [(a.expert, a.enterprise) for a in result.assignments] == [(1, 10)]
    assert dict(result.unmatched) == {11: CONFLICTED, 12: NO_SPECIALTY}
    full = match([Need(10, "a", 28.5, 112.0), Need(13, "a", 28.5, 112.0)], [near])
    assert dict(full.unmatched) in ({13: FULL}, {10: FULL})


def test_the_optimum_beats_the_greedy_choice():
    """Greedy nearest-first would give enterprise 1 the shared expert; the optimum does not."""
    shared = Supply(1, frozenset({"a"}), 28.50, 112.00, capacity=1)
    other = Supply(2, frozenset({"a"}), 28.50, 112.30, capacity=1)
    needs = [Need(1, "a", 28.50, 112.01), Need(2, "a", 28.50, 111.80)]
    result = match(needs, [shared, other])
    assert {(a.enterprise, a.expert) for a in result.assignments} == {(1, 2), (2, 1)} or result.cost == reference(
        needs, [shared, other]
    )[1]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 30), st.integers(1, 10))
def test_no_constraint_is_ever_violated(seed, n, m):
    needs, supplies = instance(random.Random(seed), n, m)
    result = match(needs, supplies)
    by_id = {s.id: s for s in supplies}
    need = {x.id: x for x in needs}
    load: dict[int, int] = {}
    seen = set()
    for a in result.assignments:
        expert = by_id[a.expert]
        assert need[a.enterprise].category in expert.covers  # specialty
        assert a.enterprise not in expert.conflicts  # 回避
        assert a.enterprise not in seen  # one expert per enterprise
        seen.add(a.enterprise)
        load[a.expert] = load.get(a.expert, 0) + 1
    assert all(load[e] <= by_id[e].capacity for e in load)  # capacity
    assert seen | {e for e, _ in result.unmatched} == set(need)
    assert len(result.assignments) == reference(needs, supplies)[0]
