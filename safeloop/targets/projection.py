"""Year-end projection of small, noisy accident counts.

Counts are Poisson with a yearly rate λ that is itself uncertain: Gamma(α, β) from the past
years' counts plus this year's count so far (a conjugate update, half a death of prior weight
so a county with no history still gets a finite rate). The share of a year's accidents that
falls before a date comes from the pooled monthly profile of past years (seasonality). The
remaining count is then negative binomial; its CDF at the target gives the probability.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

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
