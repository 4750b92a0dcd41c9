"""Figures for people: ``{{ share|percent }}`` renders 0.125 as "12,5 %" (Swedish
decimal comma, a no-break space before the sign); None renders as a dash."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "\N{EN DASH}"
    return f"{floatformat(value * 100, f'-{decimals}' if decimals else 0)}\N{NO-BREAK SPACE}%"
