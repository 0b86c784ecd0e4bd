"""Year-end projection of small, noisy accident counts.

Counts are Poisson with a yearly rate λ that is itself uncertain: Gamma(α, β) from the past
years' counts plus this year's count so far (a conjugate update, half a death of prior weight
so a county with no history still gets a finite rate). The share of a year's accidents that
falls before a date comes from the pooled monthly profile of past years (seasonality). The
remaining count is then negative binomial; its CDF at the target gives the probability.

`project_counts` projects many counts at once (every region and indicator of a board) with one
array call per scipy function; `project_count` is the same projection for one count, the
reference the batch is tested against (same numbers to the last digit).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.stats import nbinom

PRIOR_SHAPE = 0.5
INTERVAL = (0.1, 0.9)  # an 80% interval


@dataclass(frozen=True)
class Projection:
    mean: float
    low: float
    high: float
    probability: float | None  # of ending the year at or under the limit


def seasonal_share(day: date, monthly: list[float]) -> float:
    """Expected share of a year's count that happens before `day` (months weighted by the
    past profile, days within a month evenly); an empty profile means evenly over the year."""
    weights = monthly if sum(monthly) > 0 else [calendar.monthrange(day.year, m)[1] for m in range(1, 13)]
    total = sum(weights)
    before = sum(weights[: day.month - 1])
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    before += weights[day.month - 1] * (day.day - 1) / days_in_month
    return before / total


def project_count(*, observed: int, history: list[int], elapsed: float, limit: int | None) -> Projection:
    remaining = max(0.0, 1.0 - elapsed)
    if remaining == 0:
        met = None if limit is None else float(observed <= limit)
        return Projection(float(observed), float(observed), float(observed), met)
    alpha = PRIOR_SHAPE + sum(history) + observed
    beta = len(history) + elapsed
    if beta <= 0:
        return Projection(float(observed), float(observed), float("inf"), None)
    rest = nbinom(alpha, beta / (beta + remaining))
    low, high = (observed + float(rest.ppf(q)) for q in INTERVAL)
    probability = None if limit is None else (float(rest.cdf(limit - observed)) if limit >= observed else 0.0)
    return Projection(observed + float(rest.mean()), low, high, probability)


@dataclass(frozen=True)
class Tally:
    """One count to project: what `project_count` takes."""

    observed: int
    history: Sequence[int]
    limit: int | None


def project_counts(counts: Sequence[Tally], *, elapsed: float) -> list[Projection]:
    """`project_count` of each count (all at the same point of the year), with one array call
    per scipy function over the counts the negative binomial projects."""
    out: list[Projection | None] = [_certain(c, elapsed) for c in counts]
    todo = [i for i, p in enumerate(out) if p is None]
    if todo:
        remaining = 1.0 - elapsed
        observed = np.array([float(counts[i].observed) for i in todo])
        # The same Python float arithmetic as project_count, element by element.
        alpha = np.array([PRIOR_SHAPE + sum(counts[i].history) + counts[i].observed for i in todo])
        beta = [len(counts[i].history) + elapsed for i in todo]
        p = np.array([b / (b + remaining) for b in beta])
        quantiles = nbinom.ppf(np.array(INTERVAL)[:, None], alpha, p)
        mean = nbinom.mean(alpha, p)
        rest = [_rest_limit(counts[i]) for i in todo]
        cdf = nbinom.cdf(np.array([r if r is not None else 0 for r in rest]), alpha, p)
        for j, i in enumerate(todo):
            out[i] = Projection(
                float(observed[j] + mean[j]),
                float(observed[j] + quantiles[0, j]),
                float(observed[j] + quantiles[1, j]),
                _probability(counts[i], rest[j], float(cdf[j])),
            )
    return [p for p in out if p is not None]


def _certain(count: Tally, elapsed: float) -> Projection | None:
    """The projection when the negative binomial has nothing to say (year over, no weight)."""
    remaining = max(0.0, 1.0 - elapsed)
    observed = float(count.observed)
    if remaining == 0:
        met = None if count.limit is None else float(count.observed <= count.limit)
        return Projection(observed, observed, observed, met)
    if len(count.history) + elapsed <= 0:
        return Projection(observed, observed, float("inf"), None)
    return None


def _rest_limit(count: Tally) -> int | None:
    return None if count.limit is None or count.limit < count.observed else count.limit - count.observed


def _probability(count: Tally, rest: int | None, cdf: float) -> float | None:
    if count.limit is None:
        return None
    return cdf if rest is not None else 0.0
