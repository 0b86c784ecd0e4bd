"""The one reader of outside values: what officials type becomes typed values or a Chinese
message naming the field."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safeloop.core.errors import ValidationFailed
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.inputs import Inputs, latest_date
from safeloop.core.text import clean_text

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("120000", "元", "120000.00"),
        ("120,000元", "元", "120000.00"),
        ("12万", "元", "120000.00"),
        ("3.5万元", "元", "35000.00"),
        ("0.5亿", "万元", "5000.00"),
        ("12万", "万元", "12.00"),
        ("120000元", "万元", "12.00"),
        ("１２万", "元", "120000.00"),
    ],
)
def test_money_is_read_as_officials_write_it(typed, unit, expected):
    assert Inputs({"funds": typed}).money("funds", "整改资金", unit=unit) == Decimal(expected)


@pytest.mark.parametrize("typed", ["十二万", "12万美元", "1e5", "NaN", "--3"])
def test_money_that_is_not_an_amount_names_the_field(typed):
    inp = Inputs({"funds": typed})
    assert inp.money("funds", "整改资金") is None
    assert inp.errors["funds"].startswith("整改资金应为金额")


def test_negative_money_is_refused():
    inp = Inputs({"funds": "-5"})
    inp.money("funds", "整改资金")
    assert inp.errors == {"funds": "整改资金不能小于0"}


@pytest.mark.parametrize(
    "typed", ["2026-05-01", "2026/5/1", "2026.05.01", "2026年5月1日", "20260501", "2026-05-01T09:00:00+08:00"]
)
def test_dates_in_the_ways_people_write_them(typed):
    assert Inputs({"d": typed}).date("d", "发现日期") == date(2026, 5, 1)


def test_an_impossible_date_names_the_field():
    inp = Inputs({"d": "2026-02-30"})
    assert inp.date("d", "发现日期") is None
    assert inp.errors["d"] == "发现日期应为日期，格式如 2026-05-01"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-05-01 08:30", datetime(2026, 5, 1, 8, 30, tzinfo=SHANGHAI)),
        ("2026-05-01T08:30", datetime(2026, 5, 1, 8, 30, tzinfo=SHANGHAI)),
        ("2026年5月1日 8时30分", datetime(2026, 5, 1, 8, 30, tzinfo=SHANGHAI)),
        ("2026-05-01T00:30:00Z", datetime(2026, 5, 1, 8, 30, tzinfo=SHANGHAI)),
        ("2026-05-01T08:30+0800", datetime(2026, 5, 1, 8, 30, tzinfo=SHANGHAI)),
    ],
)
def test_moments_with_and_without_offsets(typed, expected):
    assert Inputs({"t": typed}).moment("t", "发生时间") == expected


def test_a_moment_in_the_future_is_refused_when_the_field_says_so():
    inp = Inputs({"t": "2999-01-01 08:00"})
    inp.moment("t", "发生时间", not_future=True)
    assert inp.errors == {"t": "发生时间不能晚于现在"}


@pytest.mark.parametrize(("typed", "expected"), [("是", True), ("√", True), ("Y", True), ("否", False), ("0", False)])
def test_boolean_words(typed, expected):
    assert Inputs({"b": typed}).boolean("b", "重点监管") is expected


def test_an_unknown_boolean_word_names_the_field():
    inp = Inputs({"b": "也许"})
    assert inp.boolean("b", "重点监管") is None
    assert inp.errors == {"b": "重点监管应为“是”或“否”"}


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), (12, 12), (12.0, 12), ("1,200", 1200), ("１２", 12)])
def test_integers(raw, expected):
    assert Inputs({"n": raw}).integer("n", "从业人数") == expected


@pytest.mark.parametrize("raw", ["12.5", "abc", True, "-1"])
def test_bad_integers_name_the_field(raw):
    inp = Inputs({"n": raw})
    assert inp.integer("n", "从业人数") is None
    assert inp.errors["n"].startswith("从业人数应为")


def test_choice_accepts_code_label_and_short_label():
    pairs = (("red", "红（重大风险）"), ("blue", "蓝（低风险）"))
    assert Inputs({"c": "red"}).choice("c", "风险等级", pairs) == "red"
    assert Inputs({"c": "红（重大风险）"}).choice("c", "风险等级", pairs) == "red"
    assert Inputs({"c": "红(重大风险)"}).choice("c", "风险等级", pairs) == "red"
    assert Inputs({"c": "蓝"}).choice("c", "风险等级", pairs) == "blue"
    inp = Inputs({"c": "紫"})
    inp.choice("c", "风险等级", pairs)
    assert inp.errors == {"c": "风险等级“紫”无效，可选：红（重大风险）、蓝（低风险）"}


def test_read_all_by_spec_checks_required_fields_and_skips_unsent_ones_on_update():
    specs = (FieldSpec("title", "事故名称", required=True), FieldSpec("deaths", "死亡人数", Kind.INTEGER))
    inp = Inputs({"deaths": "2"})
    assert inp.read_all(specs) == {"title": "", "deaths": 2}
    with pytest.raises(ValidationFailed) as caught:
        inp.check()
    assert caught.value.fields == {"title": "事故名称为必填项"}
    assert Inputs({"deaths": "2"}).read_all(specs, partial=True) == {"deaths": 2}


def test_clean_text_keeps_chinese_punctuation_and_folds_only_full_width_ascii():
    assert clean_text("　ＹＨ－１２，整改：（已完成）；。\u200b ") == "YH－12，整改：（已完成）；。"


# ---------------------------------------------------------------- the dates the platform counts with


@time_machine.travel("2026-11-02 09:00 +0800", tick=False)
@pytest.mark.parametrize("typed", ["9999-12-31", "2029-11-03", date(9999, 12, 31), datetime(2100, 1, 1)])  # noqa: DTZ001 - Excel cells are naive
def test_a_date_more_than_three_years_ahead_is_refused_naming_the_field(typed):
    inp = Inputs({"d": typed})
    assert inp.date("d", "整改期限") is None
    assert inp.errors == {"d": "整改期限不能晚于2029-11-02（最多为今后3年内）"}


@time_machine.travel("2026-11-02 09:00 +0800", tick=False)
def test_the_latest_date_itself_is_accepted_and_a_spec_may_allow_more_or_less():
    assert Inputs({"d": "2029-11-02"}).date("d", "整改期限") == date(2029, 11, 2)
    wider = FieldSpec("d", "有效期至", Kind.DATE, years_ahead=10)
    assert Inputs({"d": "2036-11-02"}).read(wider) == date(2036, 11, 2)
    narrower = Inputs({"d": "2027-11-03"})
    narrower.read(FieldSpec("d", "整改期限", Kind.DATE, years_ahead=1))
    assert narrower.errors == {"d": "整改期限不能晚于2027-11-02（最多为今后1年内）"}


@pytest.mark.parametrize("typed", ["0001-01-01", "1899-12-31"])
def test_a_date_before_1900_is_refused(typed):
    inp = Inputs({"d": typed, "t": f"{typed} 08:00"})
    assert (inp.date("d", "发现日期"), inp.moment("t", "发生时间")) == (None, None)
    assert inp.errors == {"d": "发现日期不能早于1900-01-01", "t": "发生时间不能早于1900-01-01"}


@time_machine.travel("2026-11-02 09:00 +0800", tick=False)
def test_a_moment_far_ahead_is_refused_before_any_time_zone_arithmetic():
    inp = Inputs({"t": "9999-12-31 23:59"})
    assert inp.moment("t", "响应时间") is None
    assert inp.errors == {"t": "响应时间不能晚于2029-11-02（最多为今后3年内）"}


def test_the_latest_date_from_29_february_is_28_february():
    assert latest_date(3, today=date(2028, 2, 29)) == date(2031, 2, 28)
    assert latest_date(4, today=date(2028, 2, 29)) == date(2032, 2, 29)
