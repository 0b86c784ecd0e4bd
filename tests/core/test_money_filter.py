from decimal import Decimal

import pytest

from safeloop.core.templatetags.money import wan


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("371000.00"), "37.1万元"),
        (48000, "4.8万元"),
        (Decimal("3500"), "0.35万元"),
        (1250000, "125万元"),
        (None, ""),
    ],
)
def test_money_is_shown_in_wan_yuan(value, shown):
    assert wan(value) == shown
