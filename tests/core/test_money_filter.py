"""Money is shown in 万元 where the documents do (`{{ amount|wan }}`)."""

from decimal import Decimal

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(Decimal("287000.00"), "28.7万元"), (Decimal("120000"), "12万元"), (Decimal("5"), "0.0005万元"), (None, "")],
)
def test_amounts_in_yuan_are_shown_in_wan(amount, shown):
    assert Template("{% load money %}{{ amount|wan }}").render(Context({"amount": amount})) == shown
