"""Grades per 国务院令第493号 第三条 at every boundary ("以上" includes the number)."""

from decimal import Decimal

import pytest

from safeloop.accidents.grading import grade_of


def grade(deaths=0, serious=0, loss="0", missing=0):
    return grade_of(deaths=deaths, missing=missing, serious_injuries=serious, direct_loss=Decimal(loss))


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, "general"),
        (2, "general"),
        (3, "larger"),
        (9, "larger"),
        (10, "major"),
        (29, "major"),
        (30, "especially_major"),
    ],
)
def test_death_boundaries(deaths, expected):
    assert grade(deaths=deaths) == expected


@pytest.mark.parametrize(
    ("serious", "expected"),
    [(9, "general"), (10, "larger"), (49, "larger"), (50, "major"), (99, "major"), (100, "especially_major")],
)
def test_serious_injury_boundaries(serious, expected):
    assert grade(serious=serious) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("999.99", "general"),
        ("1000", "larger"),
        ("4999.99", "larger"),
        ("5000", "major"),
        ("9999.99", "major"),
        ("10000", "especially_major"),
    ],
)
def test_direct_loss_boundaries_in_wan_yuan(loss, expected):
    assert grade(loss=loss) == expected


def test_the_highest_grade_reached_by_any_figure_wins():
    assert grade(deaths=1, serious=50, loss="10") == "major"


def test_missing_persons_count_as_deaths_unless_configured_otherwise(settings):
    """RULES.md §3.2: the statistical system counts 死亡和失踪（含下落不明）人数 together."""
    assert grade(deaths=2, missing=1) == "larger"
    settings.SAFELOOP_GRADE_COUNTS_MISSING = False
    assert grade(deaths=2, missing=1) == "general"
