"""The batch projection (one scipy array call for every region) gives the scalar one's numbers."""

import random

import pytest

from safeloop.targets.projection import Tally, project_count, project_counts

ELAPSED = [0.0, 1e-6, 0.013, 0.25, 0.5, 0.8317, 0.999999, 1.0, 1.2]


def varied(rng: random.Random, n: int) -> list[Tally]:
    tallies = []
    for _ in range(n):
        years = rng.choice([0, 1, 2, 5])
        scale = rng.choice([0, 1, 3, 20, 400])
        history = [rng.randint(0, scale) for _ in range(years)]
        observed = rng.randint(0, max(scale, 1))
        limit = rng.choice([None, 0, observed, observed + rng.randint(-3, 3), rng.randint(0, 3 * scale + 1)])
        tallies.append(Tally(observed=observed, history=history, limit=None if limit is None else max(limit, 0)))
    return tallies


@pytest.mark.parametrize("elapsed", ELAPSED)
def test_the_batch_gives_the_scalar_projection_to_the_last_digit(elapsed):
    tallies = varied(random.Random(int(elapsed * 1e6)), 400)
    batch = project_counts(tallies, elapsed=elapsed)
    one_by_one = [
        project_count(observed=t.observed, history=t.history, elapsed=elapsed, limit=t.limit) for t in tallies
    ]
    assert batch == one_by_one  # exact float equality, field by field
    assert len({p.probability for p in batch}) > 2 or elapsed >= 1  # the inputs do vary the answer


def test_an_empty_batch_and_a_history_without_weight():
    assert project_counts([], elapsed=0.5) == []
    nothing = Tally(observed=2, history=[], limit=4)
    assert project_counts([nothing], elapsed=0.0) == [project_count(observed=2, history=[], elapsed=0.0, limit=4)]
