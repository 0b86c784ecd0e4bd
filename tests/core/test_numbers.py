"""Numbers through the one reader: ASCII digits only, no exponent, bounds checked before any
conversion, and never more than the database column holds."""

from decimal import Decimal

import pytest
from django.db import models

from safeloop.accidents.models import Denominator
from safeloop.core import inputs as inputs_module
from safeloop.core.fields import FieldSpec, Kind, column_range, model_spec
from safeloop.core.inputs import MAX_NUMBER_CHARS, Inputs
from safeloop.registry.fields import FIELDS as ENTERPRISE
from safeloop.registry.models import Enterprise
from safeloop.targets.models import Target


def read(spec: FieldSpec, value):
    inp = Inputs({spec.name: value})
    return inp.read(spec), inp.errors.get(spec.name)


@pytest.mark.parametrize("typed", ["1e1000000", "1E3", "1e+2", "12e0"])
def test_exponent_notation_is_not_a_count(typed):
    assert read(ENTERPRISE["employees"], typed) == (None, "从业人数应为整数")


@pytest.mark.parametrize("typed", ["١٢", "፩፪", "१२", "¹²", "Ⅻ", "12\u0663"])
def test_digits_of_other_scripts_are_refused(typed):
    assert read(ENTERPRISE["employees"], typed) == (None, "从业人数应为整数")
    assert read(ENTERPRISE["lat"], typed) == (None, "纬度应为数字")


def test_full_width_digits_are_still_read():
    assert read(ENTERPRISE["employees"], "１２０")[0] == 120


@pytest.mark.parametrize(
    "typed", ["9" * 5000, "1" + "0" * 100_000, 10**400, -(10**400)], ids=["nines", "digits", "big", "negative"]
)
def test_a_huge_integer_is_refused_by_its_range(typed):
    assert read(ENTERPRISE["employees"], typed) == (None, "从业人数应为0至1000000之间的整数")


def test_no_long_text_reaches_the_decimal_conversion(monkeypatch):
    converted = []

    class Watched(Decimal):
        def __new__(cls, value="0", context=None):
            converted.append(value)
            return Decimal(value, context)

    monkeypatch.setattr(inputs_module, "Decimal", Watched)
    for spec in (ENTERPRISE["employees"], ENTERPRISE["lat"], FieldSpec("funds", "整改资金", Kind.MONEY)):
        read(spec, "9" * 100_000)
        read(spec, "1" + "0" * 100_000 + "万")
    assert converted and all(len(str(value)) <= MAX_NUMBER_CHARS for value in converted)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), True])
def test_json_nan_infinity_and_booleans_are_not_numbers(value):
    assert read(ENTERPRISE["lat"], value) == (None, "纬度应为数字")
    assert read(ENTERPRISE["employees"], value) == (None, "从业人数应为整数")


def test_json_numbers_are_read_exactly():
    assert read(ENTERPRISE["lat"], 28.5) == (Decimal("28.500000"), None)
    assert read(ENTERPRISE["employees"], 120) == (120, None)
    assert read(ENTERPRISE["employees"], 2**63) == (None, "从业人数应为0至1000000之间的整数")


@pytest.mark.parametrize("typed", [1e30, "1" + "0" * 30, "1" + "0" * 30 + "万元", "1000000000000"])
def test_an_amount_of_1e30_is_refused_with_a_range_message(typed):
    loss = model_spec(Denominator, "gdp", Kind.MONEY, unit="亿元")
    value, message = read(loss, typed)
    assert value is None
    assert message == "地区生产总值数值过大，应小于10000000000亿元"


def test_decimal_columns_bound_amounts_by_their_digits():
    gdp = model_spec(Denominator, "gdp", Kind.MONEY, unit="亿元")  # max_digits=12, decimal_places=2
    assert gdp.digits == 10
    assert read(gdp, "9999999999.99")[0] == Decimal("9999999999.99")
    assert read(gdp, "10000000000")[0] is None


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (models.SmallIntegerField(), (-32768, 32767)),
        (models.PositiveSmallIntegerField(), (0, 32767)),
        (models.IntegerField(), (-(2**31), 2**31 - 1)),
        (models.PositiveIntegerField(), (0, 2**31 - 1)),
        (models.BigIntegerField(), (-(2**63), 2**63 - 1)),
        (models.PositiveBigIntegerField(), (0, 2**63 - 1)),
    ],
)
def test_column_ranges_by_field_type(field, expected):
    assert column_range(field) == expected


def test_integers_stay_within_the_database_column():
    year = model_spec(Target, "baseline_year")  # a PositiveSmallIntegerField without bounds of its own
    assert year.integer_range == (0, 32767)
    assert read(year, "32767") == (32767, None)
    assert read(year, "40000") == (None, "基准年应为0至32767之间的整数")


@pytest.mark.parametrize("value", [["٣"], [2**63], ["9" * 30], [3.7], [True], ["1e3"], "1,x", [0], {"a": 1}])
def test_id_lists_take_only_ids_within_a_64_bit_key(value):
    inp = Inputs({"ids": value})
    assert inp.ids("ids", "证据") == []
    assert inp.errors == {"ids": "证据应为编号列表"}


def test_id_lists_read_digits_and_numbers():
    assert Inputs({"ids": ["3", 4, "５"]}).ids("ids", "证据") == [3, 4, 5]
    assert Inputs({"ids": "3,4"}).ids("ids", "证据") == [3, 4]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["99999999999999999999", str(2**63), "٣", "-1", "1e3"])
def test_a_reference_beyond_the_key_column_is_simply_not_found(key, ziyang_enterprise):
    spec = model_spec(Enterprise, "name").but(name="enterprise", label="企业", kind=Kind.REF)
    inp = Inputs({"enterprise": key})
    assert inp.record(spec, Enterprise.objects.all()) is None
    assert inp.errors == {"enterprise": "企业不存在或不在您的管辖范围内"}
