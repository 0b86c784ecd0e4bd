"""Money as officials write it: `{{ amount|wan }}` shows an amount in 元 as 万元 ("28.7万元")."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext

register = template.Library()
TEN_THOUSAND = Decimal(10_000)


@register.filter
def wan(amount: Decimal | int | None) -> str:
    """An amount in 元 as 万元 with at most four decimals and no trailing zeros; empty for none."""
    if amount is None or amount == "":
        return ""
    value = (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.0001")).normalize()
    return gettext("{amount}万元").format(amount=f"{value:f}")
