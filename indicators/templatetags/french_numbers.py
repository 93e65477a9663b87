"""Template filters of the one French number format (``indicators.numbers``): no template formats numbers itself."""

from django import template

from indicators import numbers

register = template.Library()


@register.filter
def number(value, decimals: int = 0) -> str:
    """1234.5 → "1 235"; ``|number:1`` → "1 234,5"; None → "—"."""
    if value is None or value == "":
        return numbers.DASH
    return numbers.format_number(float(value), int(decimals))


@register.filter
def percent(share, decimals: int = 1) -> str:
    """A share: 0.9642 → "96,4 %", 1.0 → "100 %"."""
    if share is None or share == "":
        return numbers.DASH
    return numbers.format_percent(float(share), int(decimals))


@register.filter
def signed(value, decimals: int = 0) -> str:
    """A change: "+1 234", "−56", "0" (the plus sign only when the shown number is positive)."""
    if value is None or value == "":
        return numbers.DASH
    return numbers.signed_number(float(value), int(decimals))
