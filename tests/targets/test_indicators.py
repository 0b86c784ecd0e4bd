"""Indicators reproduce officially published values to the published precision (RULES.md §4.1)."""

from decimal import Decimal

from safeloop.targets.indicators import Figures, indicators
from safeloop.targets.projection import project_count, seasonal_share


def value(code, **figures):
    ind = indicators()[code]
    return ind.round(ind.compute(Figures(**figures)))


def test_national_2007_deaths_per_100m_gdp_rounds_to_the_published_0_413():
    # 101,480 deaths (RULES.md §4.1). The GDP the 公报 divided by is not in RULES.md; any GDP
    # in [245,418, 246,012] 亿元 reproduces 0.413, the bounds of that interval are checked here.
    assert value("deaths_per_100m_gdp", deaths=101_480, gdp=Decimal("245418")) == Decimal("0.413")
    assert value("deaths_per_100m_gdp", deaths=101_480, gdp=Decimal("246012")) == Decimal("0.413")
    assert value("deaths_per_100m_gdp", deaths=101_480, gdp=Decimal("246100")) == Decimal("0.412")


def test_rates_use_the_official_scales():
    assert value("deaths_per_100k_industrial_workers", gongmao_deaths=305, industrial_employees=10_000_000) == Decimal(
        "3.05"
    )
    assert value("road_deaths_per_10k_vehicles", road_deaths=51, motor_vehicles=100_000) == Decimal("5.10")
    assert value("disaster_deaths_per_million", disaster_deaths=4, population=3_851_564) == Decimal("1.04")
    assert value("disaster_affected_per_100k", affected=616_250, population=3_851_564) == Decimal("16000")
    assert value("disaster_loss_share_gdp", disaster_loss=Decimal("201927"), gdp=Decimal("2019.27")) == Decimal("1.00")


def test_missing_denominator_is_no_data_not_zero():
    assert value("deaths_per_100m_gdp", deaths=5) is None
    assert value("response_within_2h_share") is None
    assert value("deaths", deaths=0) == Decimal(0)


def test_projection_is_certain_at_year_end_and_uncertain_before():
    done = project_count(observed=10, history=[12, 11], elapsed=1.0, limit=10)
    assert (done.mean, done.probability) == (10.0, 1.0)
    mid = project_count(observed=5, history=[10, 10, 10], elapsed=0.5, limit=9)
    assert mid.low < mid.mean < mid.high
    assert 0 < mid.probability < 1


def test_a_count_already_over_the_limit_cannot_meet_it():
    assert project_count(observed=3, history=[1], elapsed=0.3, limit=2).probability == 0.0


def test_seasonal_share_follows_the_monthly_profile():
    from datetime import date

    assert seasonal_share(date(2026, 7, 1), [1] * 6 + [0] * 6) == 1.0
    assert abs(seasonal_share(date(2026, 7, 1), []) - 181 / 365) < 1e-9
