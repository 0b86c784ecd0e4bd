"""Accident grade per 国务院令第493号 第三条, in Python (one accident) and in SQL (many).

The grade is derived, never stored: it follows the latest reported figures.

Deaths and missing persons: the statistical system counts one figure, "死亡和失踪（含下落不明）
人数" (《生产安全事故统计报表制度》 2016-10, kept by 《生产安全事故统计调查制度》; RULES.md §3.2), and
official reports grade by that sum ("造成X人死亡（含Y人失踪）"). So by default
(`SAFELOOP_GRADE_COUNTS_MISSING`, on) the grade and the accident death indicators count deaths +
missing; the record keeps the two numbers apart, as the report format asks. `counted_dead`
is that figure, in Python and (`with_dead`) as the annotation every grading query reads.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Case, CharField, F, Q, Value, When

from safeloop.accidents.reference import grade_rules

MAJOR_OR_ABOVE = ("especially_major", "major")  # 重特大事故 (RULES.md §3.2)
COUNTED_DEAD = "counted_dead"  # the annotation of `with_dead`


def counts_missing() -> bool:
    return settings.SAFELOOP_GRADE_COUNTS_MISSING


def counted_dead(*, deaths: int, missing: int = 0) -> int:
    """The deaths grading and the indicators count: with the missing, by default."""
    return deaths + missing if counts_missing() else deaths


def dead_label() -> str:
    """What the counted figure is called beside it: 死亡（含失踪） or 死亡."""
    return "死亡（含失踪）" if counts_missing() else "死亡"


def grade_of(*, deaths: int, missing: int = 0, serious_injuries: int, direct_loss: Decimal) -> str:
    """Highest grade whose any one threshold is reached; `direct_loss` in 万元."""
    dead = counted_dead(deaths=deaths, missing=missing)
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
    """Accidents of grade `code` or higher, as a filter (on a queryset annotated by `with_dead`)."""
    rule = next(rule for rule in grade_rules() if rule.code == code)
    return (
        Q(**{f"{prefix}{COUNTED_DEAD}__gte": rule.min_deaths})
        | Q(**{f"{prefix}serious_injuries__gte": rule.min_serious_injuries})
        | Q(**{f"{prefix}direct_loss__gte": rule.min_direct_loss_wan})
    )


def with_dead(qs):
    """Annotate `counted_dead` (deaths, plus missing when the setting counts them, the default)."""
    return qs.annotate(**{COUNTED_DEAD: F("deaths") + F("missing") if counts_missing() else F("deaths")})


def grade_case() -> Case:
    whens = [When(grade_at_least_q(rule.code), then=Value(rule.code)) for rule in grade_rules()[:-1]]
    return Case(*whens, default=Value(grade_rules()[-1].code), output_field=CharField())


def major_or_above_q(prefix: str = "") -> Q:
    return grade_at_least_q("major", prefix)
