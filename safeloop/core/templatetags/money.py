"""Money as the law's documents write it: 万元 (整改资金 37.1万元), never 371000.00 元."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def wan(value) -> str:
    """An amount in 元 as 万元, with at most two decimals and no trailing zeros ("37.1万元")."""
    if value in (None, ""):
        return ""
    amount = (Decimal(value) / Decimal(10_000)).quantize(Decimal("0.01"))
    shown = f"{amount:,f}".rstrip("0").rstrip(".")
    return _("%(amount)s万元") % {"amount": shown}
