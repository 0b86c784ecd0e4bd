"""Accident grade per 国务院令第493号 第三条, in Python (one accident) and in SQL (many).

The grade is derived, never stored: it follows the latest reported figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Case, CharField, F, Q, Value, When

from safeloop.accidents.reference import grade_rules

MAJOR_OR_ABOVE = ("especially_major", "major")  # 重特大事故 (RULES.md §3.2)


def grade_of(*, deaths: int, missing: int = 0, serious_injuries: int, direct_loss: Decimal) -> str:
    """Highest grade whose any one threshold is reached; `direct_loss` in 万元."""
    dead = deaths + missing if settings.SAFELOOP_GRADE_COUNTS_MISSING else deaths
    for rule in grade_rules():
        if (
            dead >= rule.min_deaths
            or serious_injuries >= rule.min_serious_injuries
            or Decimal(direct_loss) >= rule.min_direct_loss_wan
        ):
            return rule.code
    raise AssertionError("the lowest grade has zero thresholds")


def grade_name(code: str) -> str:
    return next(rule.name for rule in grade_rules() if rule.code == code)


def grade_at_least_q(code: str, prefix: str = "") -> Q:
    """Accidents of grade `code` or higher, as a filter."""
    rule = next(rule for rule in grade_rules() if rule.code == code)
    deaths = f"{prefix}dead" if settings.SAFELOOP_GRADE_COUNTS_MISSING else f"{prefix}deaths"
    return (
        Q(**{f"{deaths}__gte": rule.min_deaths})
        | Q(**{f"{prefix}serious_injuries__gte": rule.min_serious_injuries})
        | Q(**{f"{prefix}direct_loss__gte": rule.min_direct_loss_wan})
    )


def with_dead(qs):
    """Annotate `dead` (deaths, plus missing when the setting counts them) for `grade_at_least_q`."""
    if settings.SAFELOOP_GRADE_COUNTS_MISSING:
        return qs.annotate(dead=F("deaths") + F("missing"))
    return qs


def grade_case() -> Case:
    whens = [When(grade_at_least_q(rule.code), then=Value(rule.code)) for rule in grade_rules()[:-1]]
    return Case(*whens, default=Value(grade_rules()[-1].code), output_field=CharField())


def major_or_above_q(prefix: str = "") -> Q:
    return grade_at_least_q("major", prefix)
