from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.9642 → "96,4 %", 1.0 → "100 %" (French formatting, non-breaking space before the sign)."""
    if value is None or value == "":
        return ""
    number = round(float(value) * 100, digits)
    return f"{number_format(number, decimal_pos=0 if number == int(number) else digits)}\u00a0%"
