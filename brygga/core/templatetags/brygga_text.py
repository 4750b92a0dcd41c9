"""``{% load brygga_text %}{{ comment.text|plain_text }}``: visitor text as safe HTML."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from brygga.core.text import plain_text_html

register = template.Library()


@register.filter
def plain_text(value: str | None) -> SafeString:
    return plain_text_html(value or "")
